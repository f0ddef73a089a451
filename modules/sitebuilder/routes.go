package sitebuilder

import (
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Web is the route table: every route of the module is listed here and nowhere else. API
// routes are mounted and documented in one call each (web.API), so the document at
// /api/openapi.json (viewer at /api/docs) cannot name a route that does not exist or miss one.
//
// One echo serves two kinds of host: the module's own hosts and the hosts of published sites,
// which the dispatcher sends here after ClaimHost said yes. Every path of a published site is
// the site's, so the API (accounts, document, viewer) is mounted through ownHosts and answers
// on the module's own hosts only (hosts.go).
func (m *Module) Web(e *echo.Echo) {
	e.GET("/*", m.page) // HTML, not API: the landing page or a published site's page

	api := web.NewAPI("Site Builder API", "1")
	api.Description = "Multi-tenant websites with a block CMS; the site and page endpoints come with the editor. " +
		"Sign in with a session (cookie, or the Bearer token sign-in returns); errors are application/problem+json. " +
		"Served on the Site Builder's own hosts, never on a published site's."
	api.SessionCookie = m.d.Accounts.CookieName()
	own := m.ownHosts(e)

	// The account endpoints come from the platform, mounted and documented by it; Site
	// Builder issues no API keys.
	auth.MountAPI(api.On(own.Group("/api/v1/auth"), "account"), m.d.Accounts, auth.RouteSet{PasswordSignIn: true})

	api.Mount(own, "/api")
}
