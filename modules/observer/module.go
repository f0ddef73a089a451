// Package observer is Observer OS: anonymous-first, encrypted AI journaling. This first
// version carries its accounts (anonymous, then email), its sealed journal table and its
// landing page; the journaling product follows in its own issue.
package observer

import (
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// Module is Observer OS.
type Module struct{ d platform.Deps }

// New builds the module.
func New(d platform.Deps) (platform.Module, error) { return &Module{d: d}, nil }

func (m *Module) Name() string { return "observer" }

func (m *Module) Web(e *echo.Echo) {
	e.GET("/", func(c echo.Context) error {
		return web.Render(c, http.StatusOK, landing.Landing(landing.Page{
			Module: "observer", Title: "Observer OS", Tagline: "0 · i · G · 8 — a behavioural operating system",
			Summary: "Journal without an email address. Entries are sealed with AES-256-GCM before they reach the database; patterns, ambient state and planetary context come next.",
			Features: []string{
				"Anonymous-first accounts: a token only, attach an email when you choose",
				"Journal text encrypted at rest, bound to its row",
				"Four modules: Dissolution (0), Identity (i), The Gate (G), Infinity (8)",
			},
			Links: []landing.Link{{Label: "Start anonymously (POST /api/v1/auth/anonymous)", Href: "/api/v1/auth/me"}},
		}))
	})
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, nil)
}

// SealedFields lists the encrypted columns for rotate-keys.
func (m *Module) SealedFields() []secret.Field {
	return []secret.Field{{Table: "journal_entries", Column: "text_sealed", IDColumn: "id"}}
}
