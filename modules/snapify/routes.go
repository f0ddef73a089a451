package snapify

import (
	"net/http"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/storage"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Web is the route table: every route of the module is listed here and nowhere else. The
// seller and admin API is mounted and documented in one call per route (web.API), so the
// document at /api/openapi.json (viewer at /api/docs) cannot name a route that does not exist
// or miss one. Everything else is the buyer's HTML: store pages, search, sitemaps, the order
// form, served by the catch-alls at the end.
func (m *Module) Web(e *echo.Echo) {
	m.echo = e
	api := newAPI(m.d.Accounts.CookieName())

	// Sellers sign in with a WhatsApp code only: no email, password or anonymous sign-up,
	// which would let accounts exist without a verified number behind them. The platform's
	// account endpoints (sessions, sign-out) are mounted and documented by it.
	auth.MountAPI(api.On(e.Group("/api/v1/auth"), "auth"), m.d.Accounts, auth.RouteSet{})
	login := api.On(e.Group("/api/v1/seller/login"), "auth")
	login.POST("/code", m.sendCode, sendCodeOp)
	login.POST("/verify", m.verifyCode, verifyCodeOp)

	mine := e.Group("/api/v1/stores", auth.RequireUser)
	stores := api.On(mine, "stores")
	stores.GET("", m.apiMyStores, myStoresOp)
	stores.POST("", m.apiCreateStore, createStoreOp)
	// Every route under /:store goes through withStore: the caller's own store, or 404.
	one := mine.Group("/:store")
	s := api.On(one, "stores")
	s.GET("", m.withStore(m.apiGetStore), getStoreOp)
	s.PATCH("/settings", m.withStore(m.apiSettings), settingsOp)
	s.POST("/domain/verify", m.withStore(m.apiVerifyDomain), verifyDomainOp)
	s.GET("/subscription", m.withStore(m.apiGetSubscription), getSubscriptionOp)
	s.PUT("/subscription", m.withStore(m.apiSetSubscription), setSubscriptionOp)
	m.payRoutes(api, e, s) // /plan, /plan/checkout and the gateways' /webhooks (pay_handlers.go)

	// Creating a product and changing an order's status honour an Idempotency-Key, so the
	// seller app's offline queue never applies one twice (idempotency_service.go).
	catalog := api.On(one, "catalog")
	catalog.GET("/products", m.withStore(m.apiListProducts), listProductsOp)
	catalog.POST("/products", m.withStore(m.idempotent(m.apiCreateProduct)), createProductOp)
	catalog.GET("/products/:product_id", m.withStore(m.apiGetProduct), getProductOp)
	catalog.PATCH("/products/:product_id", m.withStore(m.apiUpdateProduct), updateProductOp)
	catalog.DELETE("/products/:product_id", m.withStore(m.apiDeleteProduct), deleteProductOp)
	catalog.GET("/categories", m.withStore(m.apiListCategories), listCategoriesOp)
	catalog.POST("/categories", m.withStore(m.apiSaveCategory), createCategoryOp)
	catalog.PATCH("/categories/:category_id", m.withStore(m.apiSaveCategory), updateCategoryOp)
	catalog.DELETE("/categories/:category_id", m.withStore(m.apiDeleteCategory), deleteCategoryOp)
	// Phone photos exceed the platform's 1 MiB default; media.ReadUpload enforces its own 8 MB
	// limit, and the multipart envelope needs a little more.
	catalog.POST("/images", m.withStore(m.apiUploadImage), uploadImageOp, web.AllowBody(media.DefaultLimits.MaxBytes+1<<20))
	m.contentRoutes(catalog) // /products/{id}/suggestions… (content_handlers.go)

	orders := api.On(one, "orders")
	orders.GET("/orders", m.withStore(m.apiListOrders), listOrdersOp)
	orders.GET("/orders/:order_id", m.withStore(m.apiGetOrder), getOrderOp)
	orders.POST("/orders/:order_id/status", m.withStore(m.idempotent(m.apiOrderStatus)), orderStatusOp)
	orders.GET("/analytics", m.withStore(m.apiAnalytics), analyticsOp)
	m.socialRoutes(api.On(one, "social")) // /api/v1/stores/{store}/social… (social_handlers.go)

	// Platform admins sign in with email and password, on the admin host only (admin_handlers.go).
	api.On(e.Group("/api/v1/admin"), "admin").POST("/login", m.adminLogin, adminLoginOp)
	admin := api.On(e.Group("/api/v1/admin", adminPolicy.Require(permAdmin)), "admin")
	admin.GET("/stores", m.adminListStores, adminStoresOp)
	admin.GET("/stores/:store_id", m.adminGetStore, adminStoreOp)
	admin.POST("/stores/:store_id/verify", m.adminVerify, adminVerifyOp)
	admin.POST("/stores/:store_id/suspend", m.adminSuspend, adminSuspendOp)
	admin.POST("/stores/:store_id/unsuspend", m.adminUnsuspend, adminUnsuspendOp)
	admin.POST("/stores/:store_id/plan", m.adminPlan, adminPlanOp)
	admin.GET("/products", m.adminQueue, adminQueueOp)
	admin.POST("/products/:product_id/moderate", m.adminModerate, adminModerateOp)
	admin.GET("/metrics", m.adminMetrics, adminMetricsOp)
	admin.GET("/audit", m.adminAudit, adminAuditOp)

	m.waRoutes(api, e) // GET and POST /webhooks/whatsapp (wa_webhook.go)

	api.Mount(e, "/api") // /api/openapi.json (where it always was) and the viewer at /api/docs

	// Uploaded pictures, when they are kept on local disk (S3 serves its own).
	if l, ok := m.files.(*storage.Local); ok {
		h := http.StripPrefix("/media", l.Handler())
		e.GET("/media/*", func(c echo.Context) error {
			c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			h.ServeHTTP(c.Response(), c.Request())
			return nil
		})
	}
	// The seller app at the root of app., the admin app at the root of admin. (apps_pwa.go);
	// on every other host the buyer's pages: snapify.pk/{store}/..., hubs, search, sitemaps,
	// the order form.
	pages := m.hostApps(m.buyerGET)
	e.GET("/*", pages)
	e.HEAD("/*", pages)
	e.POST("/*", m.buyerPOST)
}
