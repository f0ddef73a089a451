package snapify

import (
	"net/url"
	"strings"

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
	sellerBundle, sellerErr := static.App("snapify-seller")
	seller := web.HostApp(sellerBundle, sellerErr, opts)
	adminBundle, adminErr := static.App("snapify-admin")
	admin := web.HostApp(adminBundle, adminErr, opts)
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		if p == "/api" || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/media/") {
			return next(c)
		}
		switch m.appLabel(c.Request().Host) {
		case sellerAppLabel:
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
