package astrotiming

import (
	"net/http"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/billing"
	views "github.com/alorig/alorig/views/astrotiming"
	"github.com/labstack/echo/v4"
)

// Web is the route table: every route of the module is listed here and nowhere else. The
// developer API is mounted and documented in one call per route (web.API), so the document at
// /api/openapi.json (viewer at /api/docs) cannot name a route that does not exist or miss one.
func (m *Module) Web(e *echo.Echo) {
	// The consumer page and its script (a file of the binary, not inline: the
	// Content-Security-Policy allows scripts from this origin only).
	e.GET("/", m.dayPage)
	e.GET(views.CountdownPath, countdownScript)
	// The calendar page, its forms and the Google consent flow (browser pages, not API).
	e.GET(CalendarPagePath, m.calendarPage)
	e.POST(CalendarSignInPath, m.calendarSignIn)
	e.POST(GoogleConnectPath, m.googleConnect)
	e.GET(GoogleCallbackPath, m.googleCallback)
	e.POST(GoogleDisconnectPath, m.googleDisconnectPage)
	e.POST(CalDAVConnectPath, m.calDAVConnectPage)
	e.POST(CalDAVDisconnectPath, m.calDAVDisconnectPage)

	// The plan and API keys page and its forms (browser pages, not API).
	e.GET(AccountPagePath, m.accountPage)
	e.POST(views.AccountCheckoutPath, m.accountCheckout)
	e.POST(views.AccountPortalPath, m.accountPortal)
	e.POST(views.AccountKeyTierPath, m.accountKeyTier)
	// The question page (premium): plain words answered from the forward search's windows.
	e.GET(views.AskPagePath, m.askPage)
	e.POST(views.AskPagePath, m.askPost)

	api := newAPI(m.d.Accounts.CookieName())
	// Plans through Stripe (shared/billing): for signed-in users, and Stripe's signed events.
	plan := api.On(e.Group("/api/v1/billing", auth.RequireUser), "billing")
	plan.GET("", m.billing.GetStatus, billing.StatusOp)
	plan.POST("/checkout", m.billing.PostCheckout, billing.CheckoutOp)
	plan.POST("/portal", m.billing.PostPortal, billing.PortalOp)
	plan.PUT("/keys/:key_id", m.putKeyTier, keyTierOp)
	api.On(e, "billing").POST("/webhooks/stripe", m.billing.PostWebhook, billing.WebhookOp)
	api.On(e, "calendar").GET("/calendar/:token", m.icsFeed, icsFeedOp)

	// The account endpoints come from the platform, mounted and documented by it.
	auth.MountAPI(api.On(e.Group("/api/v1/auth"), "account"), m.d.Accounts,
		auth.RouteSet{PasswordSignIn: true, Tiers: tierTable()})

	v1 := e.Group("/api/v1", m.requireCaller)
	timing := api.On(v1, "timing")
	timing.GET("/hours", m.getHours, hoursOp)
	timing.GET("/now", m.getNow, nowOp)
	timing.GET("/positions", m.getPositions, positionsOp)
	timing.GET("/tqs", m.getTQS, tqsOp)
	timing.POST("/tqs/bulk", m.postBulkTQS, bulkOp)
	timing.GET("/search", m.getSearch, searchOp)
	timing.GET("/activities", m.getActivities, activitiesOp)
	timing.POST("/ask", m.postAsk, askOp, m.requirePlan(engine.PlanPremium), m.requireEphemeris)
	timing.GET("/ai/interactions", m.listAIInteractions, aiInteractionsOp)

	schedule := api.On(v1, "schedule")
	schedule.POST("/schedule", m.postSchedule, planOp, m.requireEphemeris)
	schedule.GET("/schedule", m.listSchedule, listScheduleOp)
	schedule.POST("/schedule/check", m.checkSchedule, checkOp, m.requireEphemeris)
	schedule.DELETE("/schedule/:schedule_entry_id", m.deleteSchedule, deleteEntryOp)

	places := api.On(v1, "locations")
	places.GET("/locations", m.listLocations, listLocationsOp)
	places.POST("/locations", m.createLocation, createLocationOp)
	places.GET("/locations/:location_id", m.getLocation, getLocationOp)
	places.PUT("/locations/:location_id", m.updateLocation, updateLocationOp)
	places.DELETE("/locations/:location_id", m.deleteLocation, deleteLocationOp)
	places.GET("/home", m.getHome, getHomeOp)
	places.PUT("/home", m.putHome, putHomeOp)
	places.GET("/briefing", m.getBriefing, briefingOp)

	hooks := api.On(v1, "webhooks")
	hooks.POST("/webhooks", m.createWebhook, createWebhookOp, m.requireKey, m.requirePlan(engine.PlanDeveloper), m.requireEphemeris)
	hooks.GET("/webhooks", m.listWebhooks, listWebhooksOp)
	hooks.DELETE("/webhooks/:webhook_id", m.deleteWebhook, deleteWebhookOp)

	cal := api.On(v1, "calendar")
	cal.POST("/calendar/ics", m.createICS, createICSOp, m.requirePlan(engine.PlanPremium))
	cal.PUT("/calendar/google", m.linkGoogle, linkGoogleOp, m.requirePlan(engine.PlanPremium))
	cal.GET("/calendar", m.getCalendars, calendarsOp)
	cal.DELETE("/calendar/google", m.disconnectGoogle, disconnectGoogleOp)
	cal.PUT("/calendar/caldav", m.putCalDAV, connectCalDAVOp, m.requirePlan(engine.PlanPremium))
	cal.DELETE("/calendar/caldav", m.deleteCalDAV, disconnectCalDAVOp)

	api.Mount(e, "/api") // /api/openapi.json (as before) and the viewer at /api/docs
}

// countdownScript serves the day page's script; its name carries its hash, so it never goes
// stale.
func countdownScript(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", views.CountdownJS)
}
