package snapify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/web"
	sv "github.com/alorig/alorig/views/snapify"
	"github.com/labstack/echo/v4"
)

// Cache-Control of buyer pages: browsers and the CDN reuse a page for a minute and may serve
// it for a day while fetching a fresh copy, so a slow 3G phone rarely waits on us.
const pageCacheControl = "public, max-age=60, stale-while-revalidate=86400"

// pageSize is how many products a listing shows per page.
const pageSize = 24

// rendered is a page ready to send.
type rendered struct {
	status      int
	contentType string
	body        []byte
	kind        string
	storeID     int64
	productID   int64
	cacheable   bool
}

func splitPath(p string) []string {
	out := make([]string, 0, strings.Count(p, "/")+1)
	for s := range strings.SplitSeq(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (m *Module) buyerGET(c echo.Context) error {
	web.PreferSmaller(c) // buyers read these pages on 3G
	host := web.CanonicalHost(c.Request().Host)
	segs := splitPath(c.Request().URL.Path)
	if m.isOwnHost(host) {
		if len(segs) == 0 {
			return m.cachedPlatform(c, "home", m.platformHome)
		}
		switch first := segs[0]; {
		case first == "search" && len(segs) == 1:
			return m.platformSearch(c)
		case first == "robots.txt" && len(segs) == 1:
			return m.robots(c, nil)
		case first == "sitemap.xml" && len(segs) == 1:
			return m.cachedPlatform(c, "sitemap", func(c echo.Context) (*rendered, error) { return m.sitemapIndex(c, nil) })
		case first == "sitemap" && len(segs) == 2: // "sitemap" is a reserved store slug
			return m.sitemapFile(c, nil, segs[1])
		case isHubSlug(first) && len(segs) == 1:
			return m.cachedPlatform(c, "hub", func(c echo.Context) (*rendered, error) { return m.hubPage(c, first) })
		case rules.IsReservedStoreSlug(first) || first == "api":
			return m.platformNotFound(c)
		}
		return m.storeGET(c, segs[0], site{origin: m.platformOrigin(c), prefix: "/" + segs[0]}, segs[1:])
	}
	slug, err := m.slugForDomain(c.Request().Context(), host)
	if errors.Is(err, database.ErrNotFound) {
		return web.NotFound("no store is served at this host name")
	}
	if err != nil {
		return err
	}
	st := site{origin: m.customOrigin(host), custom: true}
	if len(segs) == 1 && segs[0] == "robots.txt" {
		return m.robots(c, &st)
	}
	return m.storeGET(c, slug, st, segs)
}

func isHubSlug(s string) bool {
	for _, p := range []string{"best-", "top-", "cheap-", "stores-in-", "shops-in-"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// cacheField names a page inside its store's cache hash: host (canonical links differ per
// host), path and the only query parameter pages take.
func cacheField(c echo.Context) (string, bool) {
	if c.Request().URL.RawQuery == "" { // most hits: nothing to parse
		return web.CanonicalHost(c.Request().Host) + c.Request().URL.Path + "?", true
	}
	q := c.Request().URL.Query()
	for k := range q {
		if k != "page" {
			return "", false
		}
	}
	return web.CanonicalHost(c.Request().Host) + c.Request().URL.Path + "?" + q.Get("page"), true
}

func (m *Module) storeGET(c echo.Context, slug string, st site, rest []string) error {
	ctx := c.Request().Context()
	if len(rest) == 1 {
		switch rest[0] {
		case "search":
			return m.storeSearch(c, slug, st)
		case "order":
			return m.orderForm(c)
		case "sitemap.xml":
			if st.custom {
				return m.sitemapIndexFor(c, slug, st)
			}
		}
	}
	if len(rest) == 2 && rest[0] == "sitemap" && st.custom {
		return m.sitemapFile(c, &slug, rest[1])
	}
	field, cacheable := cacheField(c)
	render := func(ctx context.Context) (*rendered, error) {
		s, err := publicStore(ctx, m.d.DB, slug)
		if err == nil && !s.Live() {
			err = database.ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		return m.renderStorePage(ctx, c, s, st, rest)
	}
	var p cachedPage
	status := http.StatusOK
	if cacheable {
		hit, ok := m.pages.get(ctx, slug, field)
		if !ok {
			var err error
			hit, status, err = m.fillPage(ctx, slug, field, pageTTL, render)
			if err != nil {
				return m.pageError(c, err)
			}
		}
		p = hit
	} else {
		r, err := render(ctx)
		if err != nil {
			return m.pageError(c, err)
		}
		p, status = pageOf(r), r.status
	}
	if status == http.StatusOK {
		m.track(c, p.Meta)
	}
	return servePage(c, p, status)
}

func (r *rendered) meta() string { return fmt.Sprintf("%d %d %s", r.storeID, r.productID, r.kind) }

func pageOf(r *rendered) cachedPage {
	return cachedPage{ETag: etagOf(r.body), ContentType: r.contentType, Body: r.body, Meta: r.meta()}
}

// pageError answers a page that could not be built: no such store or hub is the platform's
// 404 page, anything else the error handler's 500.
func (m *Module) pageError(c echo.Context, err error) error {
	if errors.Is(err, database.ErrNotFound) {
		return m.platformNotFound(c)
	}
	return err
}

// fillPage renders a page missing from the cache once for every request waiting on it and,
// when it may be cached, compresses it and stores it. The render runs detached from the
// request that started it, so a buyer who leaves does not fail the others waiting.
func (m *Module) fillPage(ctx context.Context, slug, field string, ttl time.Duration, render func(context.Context) (*rendered, error)) (cachedPage, int, error) {
	type filled struct {
		page   cachedPage
		status int
	}
	v, err, _ := m.pages.fills.Do(slug+"\n"+field, func() (any, error) {
		ctx := context.WithoutCancel(ctx)
		r, err := render(ctx)
		if err != nil {
			return nil, err
		}
		p := pageOf(r)
		if r.status != http.StatusOK || !r.cacheable {
			return filled{p, r.status}, nil
		}
		if err := m.pages.compress(ctx, &p); err != nil {
			return nil, err
		}
		if err := m.pages.put(ctx, slug, field, p, ttl); err != nil {
			m.d.Log.Warn("snapify: page not cached", "err", err)
		}
		return filled{p, r.status}, nil
	})
	if err != nil {
		return cachedPage{}, 0, err
	}
	f := v.(filled)
	return f.page, f.status, nil
}

// servePage writes a page with its validators. A page from the cache goes out in the stored
// form the client accepts (Brotli, gzip or as rendered) with that form's ETag and
// Content-Encoding, which the compress middleware leaves alone; an If-None-Match naming any
// form the client accepts gets 304 and no body.
func servePage(c echo.Context, p cachedPage, status int) error {
	h := c.Response().Header()
	req := c.Request()
	if status != http.StatusOK {
		h.Set("Cache-Control", "no-store")
		if req.Method == http.MethodHead {
			h.Set(echo.HeaderContentType, p.ContentType)
			return c.NoContent(status)
		}
		return c.Blob(status, p.ContentType, p.Body)
	}
	a := answerPage(p, req.Header.Get(echo.HeaderAcceptEncoding), req.Header.Get("If-None-Match"))
	for _, f := range a.Header {
		h[f.Name] = []string{f.Value}
	}
	if a.Status == http.StatusNotModified {
		return c.NoContent(http.StatusNotModified)
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(a.Body)))
	res := c.Response()
	if req.Method == http.MethodHead {
		res.WriteHeader(http.StatusOK)
		return nil
	}
	return web.WriteWhole(res, req, http.StatusOK, a.Body)
}

// answerPage is a cached page's answer to a request that accepts the encodings in
// acceptEncoding and holds the copies named in ifNoneMatch: 304 with the tag it holds, or
// 200 with the smallest form it accepts. Both paths that serve cached pages use it: servePage
// through echo and ServeHot on the hot path.
func answerPage(p cachedPage, acceptEncoding, ifNoneMatch string) web.HotResponse {
	br, gz := acceptedCodings(acceptEncoding)
	h := make([]web.HotHeader, 2, 5)
	h[0] = web.HotHeader{Name: "Cache-Control", Value: pageCacheControl}
	h[1] = web.HotHeader{Name: "Vary", Value: "Accept-Encoding"}
	if ifNoneMatch != "" {
		if tag := p.matchingTag(ifNoneMatch, br, gz); tag != "" {
			return web.HotResponse{Status: http.StatusNotModified, Header: append(h, web.HotHeader{Name: "Etag", Value: tag})}
		}
	}
	body, etag, coding := p.variant(br, gz)
	h = append(h, web.HotHeader{Name: "Etag", Value: etag}, web.HotHeader{Name: echo.HeaderContentType, Value: p.ContentType})
	if coding != "" {
		h = append(h, web.HotHeader{Name: echo.HeaderContentEncoding, Value: coding})
	}
	return web.HotResponse{Status: http.StatusOK, Header: h, Body: body}
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// track counts a page view from the cached page's meta line.
func (m *Module) track(c echo.Context, meta string) {
	storeID, productID, kind, ok := parseMeta(meta)
	if !ok {
		return
	}
	r := c.Request()
	m.analytics.record(r.Context(), storeID, productID, kind, r.URL.Path, c.RealIP(), r.UserAgent(), r.Referer(), r.Header.Get("CF-IPCity"))
}

// parseMeta reads a cached page's meta line ("storeID productID kind").
func parseMeta(meta string) (storeID int64, productID *int64, kind string, ok bool) {
	f := strings.Fields(meta)
	if len(f) != 3 {
		return 0, nil, "", false
	}
	storeID, _ = strconv.ParseInt(f[0], 10, 64)
	if pid, _ := strconv.ParseInt(f[1], 10, 64); pid != 0 {
		productID = &pid
	}
	return storeID, productID, f[2], true
}

func renderHTML(ctx context.Context, comp templ.Component) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := comp.Render(ctx, &buf); err != nil {
		return nil, fmt.Errorf("snapify: render page: %w", err)
	}
	return buf.Bytes(), nil
}

func pageParam(c echo.Context) int {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1000)
}

func pager(page, total int, base string) sv.Pager {
	pages := max(1, (total+pageSize-1)/pageSize)
	p := sv.Pager{Page: page, Pages: pages}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	if page > 1 {
		p.PrevURL = base
		if page > 2 {
			p.PrevURL = base + sep + "page=" + strconv.Itoa(page-1)
		}
	}
	if page < pages {
		p.NextURL = base + sep + "page=" + strconv.Itoa(page+1)
	}
	return p
}

// renderStorePage builds one of the store's own page types.
func (m *Module) renderStorePage(ctx context.Context, c echo.Context, s *Store, st site, rest []string) (*rendered, error) {
	t := s.Scope()
	cats, err := listCategories(ctx, m.d.DB, t)
	if err != nil {
		return nil, err
	}
	vs := m.viewStore(s, cats, st)
	base := m.canonicalBase(s, st)
	r := &rendered{status: http.StatusOK, contentType: echo.MIMETextHTMLCharsetUTF8, storeID: s.ID, cacheable: true}
	var comp templ.Component
	switch {
	case len(rest) == 0:
		page := pageParam(c)
		ps, total, err := listProducts(ctx, m.d.DB, t, productQuery{ActiveOnly: true, Limit: pageSize, Offset: (page - 1) * pageSize})
		if err != nil {
			return nil, err
		}
		canon := base
		if page > 1 {
			canon += "?page=" + strconv.Itoa(page)
		}
		r.kind = "home"
		comp = sv.StoreHome(sv.StoreHomePage{Store: vs, Products: m.viewProducts(ps, cats, st), Pager: pager(page, total, st.storeHome()),
			Meta: sv.Meta{Title: s.Name + " — " + firstNonEmpty(s.Tagline, "Order on WhatsApp"), Description: describe(firstNonEmpty(s.Tagline+". "+s.About, s.Name), 155), Canonical: canon}})
	case len(rest) == 1 && rest[0] == "about":
		r.kind = "about"
		comp = sv.About(sv.AboutPage{Store: vs, Breadcrumbs: []sv.Link{{Name: s.Name, URL: base}, {Name: "About", URL: base + "/about"}},
			Meta: sv.Meta{Title: "About " + s.Name, Description: describe(s.About, 155), Canonical: base + "/about"}})
	case len(rest) == 1 && strings.HasPrefix(rest[0], "delivery-to-"):
		city, err := cityPage(ctx, m.d.DB, t, strings.TrimPrefix(rest[0], "delivery-to-"))
		if s.Tier != "pro" || errors.Is(err, database.ErrNotFound) {
			return m.storeNotFound(ctx, vs)
		}
		if err != nil {
			return nil, err
		}
		ps, _, err := listProducts(ctx, m.d.DB, t, productQuery{ActiveOnly: true, Limit: 12})
		if err != nil {
			return nil, err
		}
		u := base + "/" + rest[0]
		r.kind = "city"
		comp = sv.CityLanding(sv.CityPage{Store: vs, City: city.City, Intro: city.Intro, DeliveryDays: city.DeliveryDays,
			DeliveryFeePaisa: city.DeliveryFeePaisa, Products: m.viewProducts(ps, cats, st),
			Breadcrumbs: []sv.Link{{Name: s.Name, URL: base}, {Name: "Delivery to " + city.City, URL: u}},
			Meta:        sv.Meta{Title: s.Name + " — delivery to " + city.City, Description: describe(city.Intro, 155), Canonical: u}})
	case len(rest) == 1:
		p, err := productBySlug(ctx, m.d.DB, t, rest[0])
		if err == nil && p.Status == "active" {
			r.kind, r.productID = "product", p.ID
			comp, err = m.productPage(ctx, s, p, cats, vs, st, base)
			if err != nil {
				return nil, err
			}
			break
		}
		if err != nil && !errors.Is(err, database.ErrNotFound) {
			return nil, err
		}
		cat, err := categoryBySlug(ctx, m.d.DB, t, rest[0])
		if errors.Is(err, database.ErrNotFound) {
			return m.storeNotFound(ctx, vs)
		}
		if err != nil {
			return nil, err
		}
		page := pageParam(c)
		ps, total, err := listProducts(ctx, m.d.DB, t, productQuery{CategoryID: &cat.ID, ActiveOnly: true, Limit: pageSize, Offset: (page - 1) * pageSize})
		if err != nil {
			return nil, err
		}
		u := base + "/" + cat.Slug
		r.kind = "category"
		comp = sv.Category(sv.CategoryPage{Store: vs, Category: sv.Link{Name: cat.Name, URL: st.path(cat.Slug)}, Intro: cat.Intro,
			Products: m.viewProducts(ps, cats, st), Pager: pager(page, total, st.path(cat.Slug)),
			Breadcrumbs: []sv.Link{{Name: s.Name, URL: base}, {Name: cat.Name, URL: u}},
			Meta:        sv.Meta{Title: cat.Name + " — " + s.Name, Description: describe(firstNonEmpty(cat.Intro, cat.Name+" from "+s.Name+", cash on delivery."), 155), Canonical: u}})
	default:
		return m.storeNotFound(ctx, vs)
	}
	body, err := renderHTML(ctx, comp)
	if err != nil {
		return nil, err
	}
	r.body = body
	return r, nil
}

func (m *Module) productPage(ctx context.Context, s *Store, p *Product, cats []Category, vs sv.Store, st site, base string) (templ.Component, error) {
	related, _, err := listProducts(ctx, m.d.DB, s.Scope(), productQuery{CategoryID: p.CategoryID, ActiveOnly: true, ExcludeID: p.ID, Limit: 4})
	if err != nil {
		return nil, err
	}
	vp := m.viewProduct(p, cats, st, true)
	vp.URL = base + "/" + p.Slug
	crumbs := []sv.Link{{Name: s.Name, URL: base}}
	if vp.Category.Name != "" {
		crumbs = append(crumbs, sv.Link{Name: vp.Category.Name, URL: st.abs(vp.Category.URL)})
	}
	crumbs = append(crumbs, sv.Link{Name: p.Title, URL: vp.URL})
	meta := sv.Meta{Title: firstNonEmpty(p.SEOTitle, p.Title+" — "+s.Name), Canonical: vp.URL,
		Description: describe(firstNonEmpty(p.SEODescription, p.Description, p.Title), 155)}
	if len(vp.Images) > 0 {
		meta.OGImage = vp.Images[0]
	}
	wa := rules.OrderLink(sellerPhone(s), rules.OrderDraft{StoreName: s.Name,
		Lines: []rules.OrderLine{{Title: p.Title, Quantity: 1, PricePaisa: p.PricePaisa}}})
	return sv.ProductDetail(sv.ProductPage{Store: vs, Product: vp, Breadcrumbs: crumbs, Related: m.viewProducts(related, cats, st),
		OrderURL: st.path("order"), OrderFields: []sv.Hidden{{Name: "product", Value: p.Slug}}, WhatsAppOrderURL: wa, Meta: meta}), nil
}

func (m *Module) storeNotFound(ctx context.Context, vs sv.Store) (*rendered, error) {
	body, err := renderHTML(ctx, sv.NotFound(sv.NotFoundPage{Store: &vs, HomeURL: vs.URL,
		Meta: sv.Meta{Title: "Page not found — " + vs.Name}}))
	if err != nil {
		return nil, err
	}
	return &rendered{status: http.StatusNotFound, contentType: echo.MIMETextHTMLCharsetUTF8, body: body}, nil
}

func (m *Module) platformNotFound(c echo.Context) error {
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		return web.NotFound("no such API endpoint; the list is at /api/openapi.json")
	}
	body, err := renderHTML(c.Request().Context(), sv.NotFound(sv.NotFoundPage{HomeURL: "/", Meta: sv.Meta{Title: "Page not found — Snapify"}}))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusNotFound, echo.MIMETextHTMLCharsetUTF8, body)
}

// cachedPlatform serves snapify.pk's own pages (home, hubs, sitemap index) through the page
// cache, for a shorter time since they list many stores.
func (m *Module) cachedPlatform(c echo.Context, kind string, build func(echo.Context) (*rendered, error)) error {
	ctx := c.Request().Context()
	field, cacheable := cacheField(c)
	render := func(context.Context) (*rendered, error) {
		r, err := build(c)
		if err != nil {
			return nil, err // database.ErrNotFound: no such hub, the 404 page
		}
		r.kind, r.cacheable = kind, true
		return r, nil
	}
	if !cacheable {
		r, err := render(ctx)
		if err != nil {
			return m.pageError(c, err)
		}
		return servePage(c, pageOf(r), r.status)
	}
	if p, ok := m.pages.get(ctx, platformPages, field); ok {
		return servePage(c, p, http.StatusOK)
	}
	p, status, err := m.fillPage(ctx, platformPages, field, 10*time.Minute, render)
	if err != nil {
		return m.pageError(c, err)
	}
	return servePage(c, p, status)
}

func (m *Module) storeSearch(c echo.Context, slug string, st site) error {
	ctx := c.Request().Context()
	s, err := publicStore(ctx, m.d.DB, slug)
	if errors.Is(err, database.ErrNotFound) || (err == nil && !s.Live()) {
		return m.platformNotFound(c)
	}
	if err != nil {
		return err
	}
	t := s.Scope()
	cats, err := listCategories(ctx, m.d.DB, t)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(c.QueryParam("q"))
	page := pageParam(c)
	var hits []SearchHit
	total := 0
	if q != "" {
		hits, total, err = m.Search(ctx, &t, q, pageSize, (page-1)*pageSize)
		if err != nil {
			return err
		}
	}
	ps := make([]sv.Product, 0, len(hits))
	for i := range hits {
		ps = append(ps, m.viewProduct(&hits[i].Product, cats, st, false))
	}
	body, err := renderHTML(ctx, sv.StoreSearch(sv.StoreSearchPage{Store: m.viewStore(s, cats, st), Query: q, Total: total, Products: ps,
		Pager: pager(page, total, st.path("search")+"?q="+url.QueryEscape(q)),
		Meta:  sv.Meta{Title: "Search " + s.Name, NoIndex: true, Canonical: m.canonicalBase(s, st) + "/search"}}))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, body)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" && strings.TrimSpace(v) != "." {
			return v
		}
	}
	return ""
}

// orderRateLimit bounds orders from one address: a family sharing a phone orders a few times,
// a script filling a seller's list with fake cash-on-delivery orders does not get far.
var orderRateLimit = cache.PerMinute(10)
