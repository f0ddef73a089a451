package sitebuilder

import (
	"errors"
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	sbviews "github.com/alorig/alorig/views/sitebuilder"
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

// sitePage serves a page of a published site. A browser asking for a page the site lacks gets
// the site's HTML 404 page; any other client gets problem+json.
func (m *Module) sitePage(c echo.Context) error {
	r := c.Request()
	s, p, err := m.sites.PublishedPage(r.Context(), web.CanonicalHost(r.Host), r.URL.Path)
	var np *NoPageError
	if errors.As(err, &np) {
		// The 404's representation depends on Accept; caches must keep the two apart.
		c.Response().Header().Add("Vary", "Accept")
		if prefersHTML(r) {
			return web.Render(c, http.StatusNotFound, sbviews.NotFound(np.Site))
		}
	}
	if err != nil {
		return problem(err)
	}
	return web.Render(c, http.StatusOK, sbviews.Page(s.Name, p.Title, p.Blocks))
}

// isOwnHost reports whether host is one of the module's own names rather than a built site.
func (m *Module) isOwnHost(host string) bool {
	host = web.CanonicalHost(host)
	for _, h := range m.d.Module.Hosts {
		if h == host {
			return true
		}
	}
	return host == "sitebuilder.localhost"
}
