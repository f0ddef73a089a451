package observer

import (
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Web is the route table: every route of the module is listed here and nowhere else. API
// routes are mounted and documented in one call each (web.API), so the document at
// /api/openapi.json (viewer at /api/docs) cannot name a route that does not exist or miss one.
func (m *Module) Web(e *echo.Echo) {
	e.GET("/", m.landing) // an HTML page, not API: left out of the document

	api := web.NewAPI("Observer OS API", "1")
	api.Description = "Anonymous-first, encrypted journaling. Start with POST /api/v1/auth/anonymous " +
		"(no email needed) and attach an email later; errors are application/problem+json."
	api.SessionCookie = m.d.Accounts.CookieName()

	// The account endpoints come from the platform, mounted and documented by it; Observer
	// issues no API keys.
	auth.MountAPI(api.On(e.Group("/api/v1/auth"), "account"), m.d.Accounts, auth.RouteSet{PasswordSignIn: true})

	api.Mount(e, "/api")
}
