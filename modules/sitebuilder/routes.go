package sitebuilder

import (
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Web is the route table: every route of the module is listed here and nowhere else.
//
// One catch-all GET serves two kinds of host: the module's own hosts (the landing page) and
// the hosts of published sites, which the dispatcher sends here after ClaimHost said yes.
func (m *Module) Web(e *echo.Echo) {
	e.GET("/*", func(c echo.Context) error {
		if !web.IsOwnHost(c.Request().Host, m.Name(), m.d.Module.Hosts) {
			return m.sitePage(c)
		}
		return m.landing(c)
	})
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, nil)
}
