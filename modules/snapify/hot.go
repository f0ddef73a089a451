package snapify

import (
	"context"
	"strings"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// ServeHot answers, on shared/web's hot path, a buyer page this process or Redis holds in
// the page cache: the same answer servePage gives through echo (answerPage), the same page
// view recorded. Everything else (a page to render, search, the order form, custom domains,
// the app hosts, any route of its own) it leaves to echo by answering false.
func (m *Module) ServeHot(ctx context.Context, r *web.HotRequest, w *web.HotResponse) bool {
	if !m.isOwnHost(r.Host) {
		return false
	}
	if l := m.appLabel(r.Host); l == sellerAppLabel || l == adminAppLabel { // hostApps serves them
		return false
	}
	segs := splitPath(r.Path)
	slug, track := platformPages, false
	switch {
	case len(segs) == 0: // the platform home
	case len(segs) == 1 && isHubSlug(segs[0]):
	case rules.IsReservedStoreSlug(segs[0]) || m.hotSkipped(segs[0]):
		return false
	case len(segs) == 2 && (segs[1] == "search" || segs[1] == "order"):
		return false
	default:
		slug, track = segs[0], true
	}
	// The field cacheField gives a request without a query.
	p, ok := m.pages.get(ctx, slug, r.Host+r.Path+"?")
	if !ok {
		return false
	}
	if track {
		if storeID, productID, kind, ok := parseMeta(p.Meta); ok {
			m.analytics.record(ctx, storeID, productID, kind, r.Path, r.RealIP(), r.UserAgent, r.Referer, r.CFIPCity)
		}
	}
	*w = answerPage(p, r.AcceptEncoding, r.IfNoneMatch)
	return true
}

// hotSkipped reports whether first, a path's first segment, belongs to one of echo's own
// routes (computed once, after Web registered them all).
func (m *Module) hotSkipped(first string) bool {
	m.hotOnce.Do(func() { m.hotSkip = hotRoutes(m.echo) })
	return m.hotSkip[first]
}

// hotRoutes are the first path segments of the routes echo serves before the buyer pages'
// catch-all (media, the API, webhooks), and the platform's own paths the dispatcher answers
// on every host: the hot path never answers them.
func hotRoutes(e *echo.Echo) map[string]bool {
	skip := map[string]bool{"healthz": true, "readyz": true, "internal": true}
	if e == nil { // Web has not run: nothing is the hot path's
		return nil
	}
	for _, rt := range e.Routes() {
		first, _, _ := strings.Cut(strings.TrimPrefix(rt.Path, "/"), "/")
		if first != "" && first != "*" {
			skip[first] = true
		}
	}
	return skip
}
