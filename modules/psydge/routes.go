package psydge

import (
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// Web is the route table: every route of the module's web surface is listed here and nowhere
// else. Every /api/v1 error goes through problems (errors.go).
func (m *Module) Web(e *echo.Echo) {
	e.GET("/", m.landing)
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, nil)
	e.GET("/api/openapi.json", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, openAPI) })
	g := e.Group("/api/v1", auth.RequireUser, m.problems)
	g.GET("/profile", m.getProfile)
	g.PATCH("/profile", m.patchProfile)
	g.GET("/broker-connections", m.listConnections)
	g.POST("/broker-connections", m.createConnection)
	g.DELETE("/broker-connections/:id", m.deleteConnection)
	g.GET("/account", m.getAccount)
	g.GET("/discipline-config", m.getConfig)
	g.PUT("/discipline-config", m.putConfig)
	g.GET("/gates", m.getGates)
	g.POST("/gates/ack", m.ackGates)
	g.POST("/trades/check", m.checkTrade)
	g.POST("/trades", m.placeTrade)
	g.GET("/trades", m.listTradesH)
	g.GET("/trades/:id", m.getTrade)
	g.POST("/trades/:id/close", m.closeTrade)
	g.PATCH("/trades/:id", m.modifyTrade)
	g.GET("/violations", m.listViolations)
	g.GET("/scores", m.listScores)
	g.GET("/scores/today", m.todayScore)
	g.GET("/reflections", m.listReflections)
	g.POST("/reflections", m.createReflection)
	g.GET("/patterns", m.listPatterns)
	g.GET("/strategies", m.listStrategies)
	g.GET("/signals", m.listSignals)
	g.POST("/signals/validate", m.validateSignal)
	g.GET("/candles", m.candles)
	g.GET("/prices", m.prices)
	g.POST("/ws/ticket", m.wsTicket)
	// The all-in-one development process has one listener for the web surface only, so the
	// live channel is mounted here too; production serves it on the ws surface (8013).
	e.GET("/ws", m.serveWS)
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
