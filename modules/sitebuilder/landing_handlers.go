package sitebuilder

import (
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// landing answers the module's own hosts: the landing page at "/", 404 elsewhere.
func (m *Module) landing(c echo.Context) error {
	if c.Request().URL.Path != "/" {
		return web.NotFound("no such page")
	}
	return web.Render(c, http.StatusOK, landing.Landing(landing.Page{
		Module: "sitebuilder", Title: "Alorig Site Builder", Tagline: "Websites for many businesses, one platform",
		Summary:  "Each site is a tenant with its own pages of typed blocks, served on its own subdomain of " + SitesDomain + " or a verified custom domain with automatic TLS.",
		Features: []string{"Sites on <name>." + SitesDomain + " and custom domains", "Pages as ordered blocks, edited in the CMS surface"},
	}))
}
