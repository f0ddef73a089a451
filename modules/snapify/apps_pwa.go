package snapify

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/static"
	"github.com/labstack/echo/v4"
)

// Snapify's two apps each have a host of their own: the seller PWA at the root of app.
// (app.snapify.pk; app.snapify.localhost:PORT in development) and the admin SPA at the root of
// admin. Every other Snapify host serves the buyer's pages. /api/* and /media/* are the same on
// every host: the apps call the API on their own origin, so the session cookie and CSRF token
// are first-party.
const (
	sellerAppLabel = "app"
	adminAppLabel  = "admin"
)

// appLabel is the first label of one of Snapify's own hosts ("app" for app.snapify.pk), or ""
// for a store's custom domain: a store at app.example.com is a store, not the seller app.
func (m *Module) appLabel(host string) string {
	host = web.CanonicalHost(host)
	if !m.isOwnHost(host) {
		return ""
	}
	first, _, ok := strings.Cut(host, ".")
	if !ok {
		return ""
	}
	return first
}

// hostApps serves the seller and admin apps on their hosts, and hands every other request
// (another host, or /api and /media paths that no API route took) to next.
func (m *Module) hostApps(next echo.HandlerFunc) echo.HandlerFunc {
	opts := web.SPAOptions{Images: m.imageOrigins()}
	sellerOpts := opts
	sellerOpts.Forms = m.payFormOrigins() // the Pro checkout posts to the gateway (pay_service.go)
	sellerBundle, sellerErr := static.App("snapify-seller")
	seller := web.HostApp(sellerBundle, sellerErr, sellerOpts)
	adminBundle, adminErr := static.App("snapify-admin")
	admin := web.HostApp(adminBundle, adminErr, opts)
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		if p == "/api" || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/media/") {
			return next(c)
		}
		switch m.appLabel(c.Request().Host) {
		case sellerAppLabel:
			if rest, ok := strings.CutPrefix(p, "/preview/"); ok && !strings.Contains(rest, "/") {
				return m.sellerPreview(c, rest)
			}
			return seller(c)
		case adminAppLabel:
			return admin(c)
		}
		return next(c)
	}
}

// imageOrigins are the origins product photos are shown from besides the app's own: the public
// URL of uploaded files (the platform's public host, or object storage) and Cloudinary's.
func (m *Module) imageOrigins() []string {
	var out []string
	add := func(raw string) {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return
		}
		o := u.Scheme + "://" + u.Host
		for _, x := range out {
			if x == o {
				return
			}
		}
		out = append(out, o)
	}
	if m.delivery.URL != nil {
		add(m.delivery.URL("probe.jpg"))
	}
	if m.delivery.Cloudinary != nil && m.delivery.Cloudinary.Cloud != "" {
		add("https://res.cloudinary.com")
	}
	return out
}

// sellerPreview is GET /preview/{store}?theme=… on the seller app's host: the signed-in
// seller's own store home page rendered with one of the seven templates, without saving it, so
// the template picker can show each in an <iframe> (same origin as the app, hence allowed by
// the preview's frame-ancestors 'self'). It is never cached, counts no view, and a suspended
// or unfinished store still previews for its owner. Another seller's store is a 404.
func (m *Module) sellerPreview(c echo.Context, slug string) error {
	u := auth.CurrentUser(c)
	if u == nil {
		return web.Unauthorized("sign in to preview your store").WithCode("UNAUTHENTICATED")
	}
	ctx := c.Request().Context()
	s, err := m.SellerStore(ctx, u.ID, slug)
	if err != nil {
		return problem(err)
	}
	if th := c.QueryParam("theme"); th != "" {
		if !slices.Contains(themeNames(), th) {
			return web.Invalid(web.FieldError{Field: "theme", Reason: "must be one of " + strings.Join(themeNames(), ", ")})
		}
		s.Theme = th
	}
	r, err := m.renderStorePage(ctx, c, s, site{origin: m.platformOrigin(c), prefix: "/" + s.Slug}, nil)
	if err != nil {
		return problem(err)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "+
		"script-src 'none'; form-action 'none'; frame-ancestors 'self'; base-uri 'self'")
	h.Set("X-Robots-Tag", "noindex")
	return c.Blob(http.StatusOK, r.contentType, r.body)
}
