// Package snapify is WhatsApp-first e-commerce for Pakistani micro-sellers, with
// server-rendered store pages built for 3G phones.
package snapify

import (
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// Module is Snapify.
type Module struct{ d platform.Deps }

// New builds the module.
func New(d platform.Deps) (platform.Module, error) { return &Module{d: d}, nil }

func (m *Module) Name() string { return "snapify" }

func (m *Module) Web(e *echo.Echo) {
	e.GET("/", func(c echo.Context) error {
		return web.Render(c, http.StatusOK, landing.Landing(landing.Page{
			Module: "snapify", Title: "Snapify", Tagline: "Open your store from WhatsApp",
			Summary: "Snapify gives micro-sellers a store that loads fast on any phone: orders arrive on WhatsApp, cash on delivery.",
		}))
	})
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, nil)
}
