package sitebuilder

import (
	"errors"
	"net/http"

	"github.com/alorig/alorig/shared/web"
	sbviews "github.com/alorig/alorig/views/sitebuilder"
	"github.com/labstack/echo/v4"
)

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
