package snapify

import (
	"net/http"
	"time"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	sv "github.com/alorig/alorig/views/snapify"
)

// The OpenAPI descriptions of the seller and admin API mounted in routes.go, which the seller
// app and the admin dashboard are built from. Request and response schemas are the types the
// handlers bind and answer; the query structs describe parameters the handlers read by name.

func newAPI(sessionCookie string) *web.API {
	api := web.NewAPI("Snapify seller and admin API", "1.0.0")
	api.Description = "Seller app and admin API of Snapify. Errors are RFC 9457 problem+json; 422 answers name every bad field. " +
		"Authenticate with the Bearer token from POST /api/v1/seller/login/verify, or the session cookie plus the X-CSRF-Token " +
		"header on unsafe requests. Money is integer paisa (Rs 1 = 100 paisa)."
	api.Servers = []string{"https://app.snapify.pk", "http://snapify.localhost:8080"}
	api.SessionCookie = sessionCookie
	return api // every operation needs a signed-in user (auth.RequireUser) unless it says otherwise
}

// Answers of the API. Their fields are in alphabetical order, the order the maps they replaced
// were written in.

// codeSent answers POST /api/v1/seller/login/code.
type codeSent struct {
	DevCode   string `json:"dev_code,omitempty" doc:"development without WhatsApp only: the code itself"`
	ExpiresIn int    `json:"expires_in" doc:"seconds the code stays valid"`
	Sent      bool   `json:"sent"`
	WhatsApp  string `json:"whatsapp,omitempty" doc:"development without WhatsApp only: why nothing was sent"`
}

// signedIn answers POST /api/v1/seller/login/verify.
type signedIn struct {
	CSRFToken string     `json:"csrf_token"`
	ExpiresAt time.Time  `json:"expires_at"`
	Phone     string     `json:"phone" doc:"the proven WhatsApp number, E.164"`
	Token     string     `json:"token" doc:"the session token, sent as Authorization: Bearer"`
	User      *auth.User `json:"user"`
}

// storeList answers the seller's and the admin's store lists. Its stores are written through
// Store.MarshalJSON, so the document describes them as StoreJSON (storeListDoc).
type storeList struct {
	Stores []Store `json:"stores"`
}

var storeListDoc = web.Fields{"stores": []StoreJSON{}}

// subscriptionAnswer is a store's plan with its product count and limit.
type subscriptionAnswer struct {
	ProductCount int           `json:"product_count"`
	ProductLimit *int          `json:"product_limit" doc:"null on Pro: no limit"`
	Subscription *Subscription `json:"subscription"`
}

// productPage is one page of a store's products, newest first.
type productPage struct {
	Page     int       `json:"page"`
	Products []Product `json:"products"`
	Total    int       `json:"total"`
}

type categoryList struct {
	Categories []Category `json:"categories"`
}

// orderPage is one page of a store's orders, newest first.
type orderPage struct {
	Orders []Order `json:"orders"`
	Page   int     `json:"page"`
	Total  int     `json:"total"`
}

// orderAnswer is one order and the statuses it may move to.
type orderAnswer struct {
	Next  []OrderStatus `json:"next" doc:"statuses the order may move to (null when none)"`
	Order *Order        `json:"order"`
}

// uploaded answers an image upload: the Picture to put in a product or the store's settings,
// and how it will be shown.
type uploaded struct {
	Picture Picture  `json:"picture"`
	Preview sv.Image `json:"preview"`
}

// Requests of the API that have no type of their own elsewhere.

type orderStatusRequest struct {
	Status         string `json:"status" enum:"confirmed,shipped,delivered,cancelled,returned"`
	TrackingNumber string `json:"tracking_number,omitempty" doc:"at most 60 characters"`
}

type verifyStoreRequest struct {
	Verified *bool  `json:"verified" required:"true" doc:"true sets the verified badge, false clears it"`
	Reason   string `json:"reason,omitempty" doc:"at most 500 characters; sent to the seller with the news"`
}

func (r *verifyStoreRequest) Validate() []web.FieldError {
	// Required: a POST to ".../verify" with an empty object must not silently remove the badge.
	errs := reasonField("reason", r.Reason, false)
	if r.Verified == nil {
		errs = append([]web.FieldError{{Field: "verified", Reason: "is required: true sets the badge, false clears it"}}, errs...)
	}
	return errs
}

type suspendRequest struct {
	Reason string `json:"reason" required:"true" doc:"3 to 500 characters; the seller is shown it and told it on WhatsApp"`
}

func (r *suspendRequest) Validate() []web.FieldError { return reasonField("reason", r.Reason, true) }

type unsuspendRequest struct {
	Reason string `json:"reason,omitempty" doc:"at most 500 characters; sent to the seller with the news"`
}

func (r *unsuspendRequest) Validate() []web.FieldError { return reasonField("reason", r.Reason, false) }

type moderateRequest struct {
	Status string `json:"status" enum:"blocked,active" doc:"blocked rejects the product; active approves it (and restores a blocked one)"`
	Note   string `json:"note,omitempty" doc:"the reason, shown to the seller: 3 to 500 characters, required to block"`
}

func (r *moderateRequest) Validate() []web.FieldError {
	if r.Status != "blocked" && r.Status != "active" {
		return []web.FieldError{{Field: "status", Reason: `must be "blocked" or "active"`}}
	}
	return reasonField("note", r.Note, r.Status == "blocked")
}

// Query parameters.

type pageParams struct {
	Page int `query:"page" doc:"1-based page (default 1)"`
}

type orderListParams struct {
	Status string `query:"status" enum:"pending,confirmed,shipped,delivered,cancelled,returned" doc:"only orders in this status"`
	Page   int    `query:"page" doc:"1-based page of 50 (default 1)"`
}

type analyticsParams struct {
	Days int `query:"days" doc:"1 to 90 (default 7): the last days in Pakistan time, today included"`
}

type imageParams struct {
	Alt string `query:"alt" doc:"the picture's description for buyers who cannot see it"`
}

type adminStoreParams struct {
	Q        string `query:"q" doc:"words of the slug or name (at most 100 characters)"`
	Status   string `query:"status" enum:"live,suspended"`
	Plan     string `query:"plan" enum:"free,pro"`
	City     string `query:"city" doc:"the store's city, any case"`
	Verified string `query:"verified" enum:"true,false"`
	Filter   string `query:"filter" enum:"unverified,suspended" doc:"the older form of verified=false and status=suspended"`
	Page     int    `query:"page" doc:"1-based page of 50 (default 1)"`
}

type adminQueueParams struct {
	Queue string `query:"queue" enum:"pending,blocked" doc:"pending (default): products no admin has looked at since they last changed; blocked: products moderation blocked"`
	Page  int    `query:"page" doc:"1-based page of 50 (default 1)"`
}

type adminAuditParams struct {
	Action  string `query:"action" enum:"sign_in,verify,unverify,suspend,unsuspend,set_plan,approve_product,block_product"`
	StoreID int64  `query:"store_id" doc:"only actions on this store or its products"`
	Page    int    `query:"page" doc:"1-based page of 50 (default 1)"`
}

type adminMetricsParams struct {
	Days int `query:"days" doc:"1 to 90 (default 30): the period of by_day and by_city"`
}

// The admin's answers that carry stores are written through Store.MarshalJSON, so the
// document describes their stores as StoreJSON.
var (
	adminStorePageDoc   = web.Fields{"page": 0, "stores": []StoreJSON{}, "total": 0}
	adminStoreActionDoc = web.Fields{"audit": AuditEntry{}, "store": StoreJSON{}}
	adminStoreDetailDoc = web.Fields{"audit": []AuditEntry{}, "blocked_products": 0, "gmv_30d_paisa": int64(0),
		"orders_30d": 0, "owner": storeOwner{}, "store": StoreJSON{}}
)

// Problems most store operations share: the store is not the caller's (404 STORE_NOT_FOUND).
var (
	inStore      = []int{http.StatusNotFound}
	inStoreWrite = []int{http.StatusNotFound, http.StatusConflict}
)

var (
	sendCodeOp = web.Operation{Summary: "Send a six-digit sign-in code to a WhatsApp number (3 per number per 10 min)",
		Description: "Sellers sign in with a WhatsApp code only. Without WhatsApp configured, development answers the code in dev_code; production answers 503 WHATSAPP_NOT_CONFIGURED.",
		Auth:        web.AuthNone, Request: phoneRequest{},
		Responses: map[int]web.Response{http.StatusAccepted: {Description: "Code sent", Body: codeSent{}}},
		Problems:  []int{http.StatusTooManyRequests, http.StatusServiceUnavailable}}
	verifyCodeOp = web.Operation{Summary: "Spend a sign-in code; returns a session token (Bearer) and sets the session cookie",
		Description: "A wrong or expired code is 401 BAD_CODE. Wrong guesses are counted per number: past the third each waits longer (429 SIGNIN_BACKOFF), the tenth locks the number for the day (429 SIGNIN_LOCKED).",
		Auth:        web.AuthNone, Request: verifyRequest{}, Responses: web.OK(signedIn{}),
		Problems: []int{http.StatusUnauthorized, http.StatusTooManyRequests}}

	myStoresOp    = web.Operation{Summary: "The caller's stores", Responses: web.OK(storeListDoc)}
	createStoreOp = web.Operation{Summary: "Open a store (slug rules: 3-40 a-z 0-9 -, reserved words refused)",
		Description: "At most 3 stores a seller (409 STORE_LIMIT); a taken slug is 409 SLUG_TAKEN with a suggestion. The store's WhatsApp number is the one the seller signed in with (403 PHONE_NOT_VERIFIED without one).",
		Request:     StoreInput{}, Responses: web.Created(StoreJSON{}),
		Problems: []int{http.StatusForbidden, http.StatusConflict}}
	getStoreOp = web.Operation{Summary: "One of the caller's stores", Responses: web.OK(StoreJSON{}), Problems: inStore}
	settingsOp = web.Operation{Summary: "Change settings (custom_domain is Pro only and starts a pending claim; whatsapp_phone must be the signed-in number)",
		Description: "A custom domain on a Free store is 402 PRO_ONLY; an empty custom_domain drops the claim. The slug cannot change.",
		Request:     StoreInput{}, Responses: web.OK(StoreJSON{}),
		Problems: []int{http.StatusPaymentRequired, http.StatusForbidden, http.StatusNotFound}}
	verifyDomainOp = web.Operation{Summary: "Check the custom domain claim: verified once the TXT record _alorig-verify.{domain} holds the claim token",
		Description: "409 NO_DOMAIN_CLAIM, DOMAIN_NOT_VERIFIED (with record and value), DOMAIN_CLAIM_CHANGED or DOMAIN_TAKEN; 503 DNS_LOOKUP_FAILED; 429 when checked a moment ago.",
		Responses:   web.OK(StoreJSON{}),
		Problems:    []int{http.StatusPaymentRequired, http.StatusNotFound, http.StatusConflict, http.StatusTooManyRequests, http.StatusServiceUnavailable}}
	getSubscriptionOp = web.Operation{Summary: "Plan, product count and limit", Responses: web.OK(subscriptionAnswer{}), Problems: inStore}
	setSubscriptionOp = web.Operation{Summary: "Move to the Free plan (Pro is paid: 402 PLAN_REQUIRES_PAYMENT; an admin grants it)",
		Description: "A store with more products than Free allows is 409 PRODUCT_LIMIT. Leaving Pro drops the custom domain.",
		Request:     planRequest{}, Responses: web.OK(subscriptionAnswer{}),
		Problems: []int{http.StatusPaymentRequired, http.StatusNotFound, http.StatusConflict}}

	listProductsOp = web.Operation{Summary: "Products, newest first, 50 a page", Query: pageParams{},
		Responses: web.OK(productPage{}), Problems: inStore}
	createProductOp = web.Operation{Summary: "Add a product (Free plan: at most 15)",
		Description: "The sixteenth product of a Free store is 409 PRODUCT_LIMIT (with limit). Pictures must be this store's uploads (422 FOREIGN_IMAGE).",
		Request:     ProductInput{}, Responses: web.Created(Product{}), Problems: inStoreWrite}
	getProductOp    = web.Operation{Summary: "One product", Responses: web.OK(Product{}), Problems: inStore}
	updateProductOp = web.Operation{Summary: "Change a product",
		Description: "A product blocked by moderation cannot change status (409 BLOCKED).",
		Request:     ProductInput{}, Responses: web.OK(Product{}), Problems: inStoreWrite}
	deleteProductOp = web.Operation{Summary: "Delete a product (orders keep their snapshot)", Responses: web.NoContent(), Problems: inStore}

	listCategoriesOp = web.Operation{Summary: "Categories with product counts", Responses: web.OK(categoryList{}), Problems: inStore}
	createCategoryOp = web.Operation{Summary: "Add a category", Request: CategoryInput{}, Responses: web.Created(Category{}), Problems: inStore}
	updateCategoryOp = web.Operation{Summary: "Change a category", Request: CategoryInput{}, Responses: web.OK(Category{}), Problems: inStore}
	deleteCategoryOp = web.Operation{Summary: "Delete a category (products stay, uncategorised)", Responses: web.NoContent(), Problems: inStore}
	uploadImageOp    = web.Operation{Summary: "Upload a picture (multipart field file, or a raw image body); JPEG, PNG or WebP, checked by content, metadata stripped",
		Description: "The body is multipart/form-data with the picture in the field file, or the picture itself with its image/* Content-Type; at most 8 MB. " +
			"413 IMAGE_TOO_LARGE, 415 IMAGE_TYPE, 422 IMAGE_DIMENSIONS or IMAGE_CORRUPT.",
		Query: imageParams{}, Responses: web.Created(uploaded{}),
		Problems: []int{http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity}}

	listOrdersOp = web.Operation{Summary: "Orders, newest first", Query: orderListParams{}, Responses: web.OK(orderPage{}),
		Problems: []int{http.StatusNotFound, http.StatusUnprocessableEntity}}
	getOrderOp    = web.Operation{Summary: "One order with the statuses it may move to", Responses: web.OK(orderAnswer{}), Problems: inStore}
	orderStatusOp = web.Operation{Summary: "Move an order: pending→confirmed|cancelled, confirmed→shipped|cancelled, shipped→delivered|returned, delivered→returned",
		Description: "Any other move is 409 BAD_TRANSITION.",
		Request:     orderStatusRequest{}, Responses: web.OK(orderAnswer{}), Problems: inStoreWrite}
	analyticsOp = web.Operation{Summary: "Views, daily-unique visitors, orders, revenue, top products, referrers, cities",
		Query: analyticsParams{}, Responses: web.OK(AnalyticsSummary{}), Problems: []int{http.StatusNotFound, http.StatusUnprocessableEntity}}

	adminLoginOp = web.Operation{Summary: "Sign a platform admin in with email and password (admin host only)",
		Description: "Answers on Snapify's admin host only (404 ADMIN_HOST_ONLY elsewhere). An account without the admin role is refused " +
			"like a wrong password (401 INVALID_CREDENTIALS); repeated failures back off (429). Sellers sign in with a WhatsApp code instead.",
		Auth: web.AuthNone, Request: auth.Login{}, Responses: web.OK(auth.SignedIn{}),
		Problems: []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusTooManyRequests}}
	adminStoresOp = web.Operation{Summary: "All stores, newest first, with search and filters (admin role)", Query: adminStoreParams{},
		Responses: web.OK(adminStorePageDoc), Problems: []int{http.StatusForbidden, http.StatusUnprocessableEntity}}
	adminStoreOp = web.Operation{Summary: "One store with its seller, 30-day sales, blocked products and the last admin actions on it",
		Responses: web.OK(adminStoreDetailDoc), Problems: []int{http.StatusForbidden, http.StatusNotFound}}
	adminVerifyOp = web.Operation{Summary: "Set or clear the verified badge; the seller is told on WhatsApp",
		Description: "The answer's audit row says whether the seller's message is queued, or not sent (notice not_sent, with why) when WhatsApp is not configured.",
		Request:     verifyStoreRequest{}, Responses: web.OK(adminStoreActionDoc), Problems: []int{http.StatusForbidden, http.StatusNotFound}}
	adminSuspendOp = web.Operation{Summary: "Suspend a store with a reason (its pages answer 404; its custom domain is released; the seller is told on WhatsApp)",
		Request: suspendRequest{}, Responses: web.OK(adminStoreActionDoc), Problems: []int{http.StatusForbidden, http.StatusNotFound}}
	adminUnsuspendOp = web.Operation{Summary: "Lift a suspension (the body with a note is optional); the seller is told on WhatsApp",
		Request: unsuspendRequest{}, Responses: web.OK(adminStoreActionDoc), Problems: []int{http.StatusForbidden, http.StatusNotFound}}
	adminPlanOp = web.Operation{Summary: "Set a store's plan (free|pro); the only way to Pro until billing exists",
		Description: "Moving a store with more products than Free allows to Free is 409 PRODUCT_LIMIT.",
		Request:     planRequest{}, Responses: web.OK(adminStoreActionDoc), Problems: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict}}
	adminQueueOp = web.Operation{Summary: "The moderation queue: products awaiting an admin, or blocked ones, newest change first",
		Query: adminQueueParams{}, Responses: web.OK(moderationPage{}), Problems: []int{http.StatusForbidden, http.StatusUnprocessableEntity}}
	adminModerateOp = web.Operation{Summary: "Approve a product (restoring a blocked one) or block it with a reason shown to the seller",
		Request: moderateRequest{}, Responses: web.OK(productAction{}), Problems: []int{http.StatusForbidden, http.StatusNotFound}}
	adminAuditOp = web.Operation{Summary: "The audit log of admin actions, newest first",
		Description: "Every admin action writes its row in its own transaction: who, what, target, reason, when, outcome, and whether the seller was told.",
		Query:       adminAuditParams{}, Responses: web.OK(auditPage{}), Problems: []int{http.StatusForbidden, http.StatusUnprocessableEntity}}
	adminMetricsOp = web.Operation{Summary: "Platform metrics: stores, products, orders and GMV (paisa), by day and by city",
		Query: adminMetricsParams{}, Responses: web.OK(PlatformMetrics{}), Problems: []int{http.StatusForbidden, http.StatusUnprocessableEntity}}
)
