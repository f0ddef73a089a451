// Package astrotiming is the planetary hours engine: classical hours from sunrise and sunset,
// live positions from the Swiss Ephemeris, and the Timing Quality Score.
package astrotiming

import (
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// Module is AstroTiming.
type Module struct{ d platform.Deps }

// New builds the module.
func New(d platform.Deps) (platform.Module, error) { return &Module{d: d}, nil }

func (m *Module) Name() string { return "astrotiming" }

func (m *Module) Web(e *echo.Echo) {
	e.GET("/", func(c echo.Context) error {
		return web.Render(c, http.StatusOK, landing.Landing(landing.Page{
			Module: "astrotiming", Title: "AstroTiming", Tagline: "Planetary hours on the Swiss Ephemeris",
			Summary: "The classical planetary hours of Al Saat for any place and day, live positions of the seven classical planets, and a Timing Quality Score for what you plan to do.",
		}))
	})
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, nil)
}
