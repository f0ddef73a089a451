// Package psydge is the trading discipline platform: it sits between a trader and the broker
// and makes self-destructive trades structurally impossible.
package psydge

import (
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// Module is Psydge.
type Module struct{ d platform.Deps }

// New builds the module.
func New(d platform.Deps) (platform.Module, error) { return &Module{d: d}, nil }

func (m *Module) Name() string { return "psydge" }

func (m *Module) Web(e *echo.Echo) {
	e.GET("/", func(c echo.Context) error {
		return web.Render(c, http.StatusOK, landing.Landing(landing.Page{
			Module: "psydge", Title: "Psydge", Tagline: "Psychological edge: discipline enforced before the order reaches the broker",
			Summary:  "Six gates stand between you and a bad trade: a live GO signal, your whitelist, the London and New York sessions, the daily R guard, the cooldown after a loss and 1% risk at the stop.",
			Features: []string{"Locked rules you can tighten but never loosen", "Violations escalate from alert to session lock", "A daily discipline score"},
		}))
	})
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, nil)
}

// SealedFields lists the encrypted columns for rotate-keys.
func (m *Module) SealedFields() []secret.Field {
	return []secret.Field{{Table: "users", Column: "broker_credentials", IDColumn: "id"}}
}
