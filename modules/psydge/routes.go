package psydge

import (
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/billing"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/static"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// Web is the route table: every route of the module's web surface is listed here and nowhere
// else. The API is mounted and documented in one call per route (web.API; the descriptions are
// in openapi.go), and every /api/v1 error goes through problems (errors.go).
func (m *Module) Web(e *echo.Echo) {
	e.GET("/", m.landing)
	// The trade panel (web/apps/psydge, built into static/): docs/web.md.
	panel, err := static.App("psydge")
	web.MountApp(e, "/app", panel, err, web.SPAOptions{})

	api := newAPI(m.d.Accounts.CookieName())
	// The account endpoints come from the platform, mounted and documented by it.
	auth.MountAPI(api.On(e.Group("/api/v1/auth"), "account"), m.d.Accounts, auth.RouteSet{PasswordSignIn: true})

	v1 := e.Group("/api/v1", auth.RequireUser, m.problems)
	me := api.On(v1, "profile")
	me.GET("/profile", m.getProfile, getProfileOp)
	me.PATCH("/profile", m.patchProfile, patchProfileOp)

	brokers := api.On(v1, "broker")
	brokers.GET("/broker-connections", m.listConnections, listConnectionsOp)
	brokers.POST("/broker-connections", m.createConnection, createConnectionOp)
	brokers.DELETE("/broker-connections/:id", m.deleteConnection, deleteConnectionOp)
	brokers.GET("/account", m.getAccount, accountOp)
	brokers.GET("/symbols/:symbol", m.getSymbol, symbolOp)

	rules := api.On(v1, "discipline")
	rules.GET("/discipline-config", m.getConfig, getConfigOp)
	rules.PUT("/discipline-config", m.putConfig, putConfigOp)
	rules.GET("/gates", m.getGates, gatesOp)
	rules.POST("/gates/ack", m.ackGates, ackOp)

	trades := api.On(v1, "trades")
	trades.POST("/trades/check", m.checkTrade, checkOp)
	trades.POST("/trades", m.placeTrade, placeOp)
	trades.GET("/trades", m.listTradesH, listTradesOp)
	trades.GET("/trades/:id", m.getTrade, getTradeOp)
	trades.POST("/trades/:id/close", m.closeTrade, closeTradeOp)
	trades.PATCH("/trades/:id", m.modifyTrade, modifyTradeOp)

	history := api.On(v1, "history")
	history.GET("/violations", m.listViolations, violationsOp)
	history.GET("/scores", m.listScores, scoresOp)
	history.GET("/scores/today", m.todayScore, todayScoreOp)
	history.GET("/reflections", m.listReflections, reflectionsOp)
	history.POST("/reflections", m.createReflection, createReflectOp)
	history.GET("/patterns", m.listPatterns, patternsOp)

	ais := api.On(v1, "ai")
	ais.GET("/ai/settings", m.getAISettings, getAISettingsOp)
	ais.PUT("/ai/settings", m.putAISettings, putAISettingsOp)
	ais.GET("/ai/interactions", m.listAIInteractions, aiInteractionsOp)

	signals := api.On(v1, "signals")
	signals.GET("/strategies", m.listStrategies, strategiesOp, m.requireVista)
	signals.GET("/signals", m.listSignals, signalsOp)
	signals.POST("/signals/validate", m.validateSignal, validateSignalOp)

	plan := api.On(v1, "billing") // shared/billing: the Vista plan through Stripe
	plan.GET("/billing", m.billing.GetStatus, billing.StatusOp)
	plan.POST("/billing/checkout", m.billing.PostCheckout, billing.CheckoutOp)
	plan.POST("/billing/portal", m.billing.PostPortal, billing.PortalOp)
	api.On(e, "billing").POST("/webhooks/stripe", m.billing.PostWebhook, billing.WebhookOp)

	mkt := api.On(v1, "market")
	mkt.GET("/candles", m.candles, candlesOp)
	mkt.GET("/prices", m.prices, pricesOp)

	live := api.On(v1, "live")
	live.POST("/ws/ticket", m.wsTicket, wsTicketOp)
	// The all-in-one development process has one listener for the web surface only, so the
	// live channel is mounted here too; production serves it on the ws surface (8013).
	api.On(e, "live").GET("/ws", m.serveWS, liveOp)

	api.Mount(e, "/api") // /api/openapi.json (as before) and the viewer at /api/docs
}

// Surface serves the live channel on the ws surface.
func (m *Module) Surface(name string, e *echo.Echo) {
	if name != "ws" {
		return
	}
	e.GET("/", m.serveWS)
	e.GET("/ws", m.serveWS)
	e.POST("/api/v1/ws/ticket", m.wsTicket, auth.RequireUser)
}

// landing is the module's landing page.
func (m *Module) landing(c echo.Context) error {
	return web.Render(c, http.StatusOK, landing.Landing(landing.Page{
		Module: "psydge", Title: "Psydge", Tagline: "Psychological edge: discipline enforced before the order reaches the broker",
		Summary:  "Six gates stand between you and a bad trade: a live GO signal, your whitelist, the London and New York sessions, the daily R guard, the cooldown after a loss and 1% risk at the stop.",
		Features: []string{"Locked rules you can tighten but never loosen", "Violations escalate from alert to session lock", "A daily discipline score"},
	}))
}
