package observer

import (
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// landing is the module's public landing page. A visitor without a session gets "Start
// anonymously", a script-free form that POSTs to the anonymous sign-in (no cookie yet, so no
// CSRF token is needed) and lands on the new account's JSON with its session cookies set. A
// visitor already signed in gets a link to their account instead: a second anonymous sign-in
// would replace the session cookie and strand the first account's journal, and a cookie-signed
// POST without a CSRF token would be refused anyway.
func (m *Module) landing(c echo.Context) error {
	page := landing.Page{
		Module: "observer", Title: "Observer OS", Tagline: "0 · i · G · 8 — a behavioural operating system",
		Summary: "Journal without an email address. Entries are sealed with AES-256-GCM before they reach the database; patterns, ambient state and planetary context come next.",
		Features: []string{
			"Anonymous-first accounts: a token only, attach an email when you choose",
			"Journal text encrypted at rest, bound to its row",
			"Four modules: Dissolution (0), Identity (i), The Gate (G), Infinity (8)",
		},
	}
	if auth.CurrentUser(c) != nil {
		page.Links = []landing.Link{{Label: "Your account", Href: "/api/v1/auth/me"}}
	} else {
		page.Forms = []landing.Form{{Label: "Start anonymously", Action: "/api/v1/auth/anonymous"}}
	}
	// The page differs with the session cookie.
	c.Response().Header().Add("Vary", "Cookie")
	return web.Render(c, http.StatusOK, landing.Landing(page))
}
