package sitebuilder

import (
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// isOwnHost says whether the request came to one of the module's own hosts rather than to a
// published site.
func (m *Module) isOwnHost(c echo.Context) bool {
	return web.IsOwnHost(c.Request().Host, m.Name(), m.d.Module.Hosts)
}

// page is the catch-all GET: the landing page on the module's own hosts, the site's page on a
// published site's host.
func (m *Module) page(c echo.Context) error {
	if !m.isOwnHost(c) {
		return m.sitePage(c)
	}
	return m.landing(c)
}

// ownHostsOnly keeps a route to the module's own hosts. On a published site's host it answers
// as if the route were not there: a GET is the site's page (a customer may well have a page at
// /api/docs), any other method is refused as the catch-all refuses it.
func (m *Module) ownHostsOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch {
		case m.isOwnHost(c):
			return next(c)
		case c.Request().Method == http.MethodGet:
			return m.sitePage(c)
		}
		return echo.ErrMethodNotAllowed
	}
}

// ownHosts is a web.Router mounting every route, and every group's routes, behind
// ownHostsOnly. It adds the middleware to each route rather than grouping at "": a group with
// middleware adds echo's not-found catch-alls for its prefix, which at the root would sit over
// the published sites' pages.
type ownHosts struct {
	e     *echo.Echo
	guard echo.MiddlewareFunc
}

func (m *Module) ownHosts(e *echo.Echo) ownHosts { return ownHosts{e: e, guard: m.ownHostsOnly} }

func (r ownHosts) Add(method, path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) *echo.Route {
	return r.e.Add(method, path, h, append([]echo.MiddlewareFunc{r.guard}, mw...)...)
}

// Group's not-found catch-alls (for /api/v1/auth/*) go through the guard too, so an unknown
// account path on a published site is the site's 404.
func (r ownHosts) Group(prefix string, mw ...echo.MiddlewareFunc) *echo.Group {
	return r.e.Group(prefix, append([]echo.MiddlewareFunc{r.guard}, mw...)...)
}

var _ web.Router = ownHosts{}
