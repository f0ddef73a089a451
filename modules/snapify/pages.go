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
	var out []string
	for _, s := range strings.Split(p, "/") {
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
	if cacheable {
		if p, ok := m.pages.get(ctx, slug, field); ok {
			m.track(c, p.Meta)
			return servePage(c, p, http.StatusOK)
		}
	}
	s, err := publicStore(ctx, m.d.DB, slug)
	if errors.Is(err, database.ErrNotFound) || (err == nil && !s.Live()) {
		return m.platformNotFound(c)
	}
	if err != nil {
		return err
	}
	r, err := m.renderStorePage(ctx, c, s, st, rest)
	if err != nil {
		return err
	}
	p := cachedPage{ETag: etagOf(r.body), ContentType: r.contentType, Body: r.body,
		Meta: fmt.Sprintf("%d %d %s", r.storeID, r.productID, r.kind)}
	if cacheable && r.status == http.StatusOK && r.cacheable {
		if err := m.pages.put(ctx, slug, field, p, pageTTL); err != nil {
			m.d.Log.Warn("snapify: page not cached", "err", err)
		}
	}
	if r.status == http.StatusOK {
		m.track(c, p.Meta)
	}
	return servePage(c, p, r.status)
}

// servePage writes a page with its validators; a matching If-None-Match gets 304 and no body.
func servePage(c echo.Context, p cachedPage, status int) error {
	h := c.Response().Header()
	if status == http.StatusOK {
		h.Set("ETag", p.ETag)
		h.Set("Cache-Control", pageCacheControl)
		h.Set("Vary", "Accept-Encoding")
		if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatches(inm, p.ETag) {
			return c.NoContent(http.StatusNotModified)
		}
	} else {
		h.Set("Cache-Control", "no-store")
	}
	if c.Request().Method == http.MethodHead {
		h.Set(echo.HeaderContentType, p.ContentType)
		return c.NoContent(status)
	}
	return c.Blob(status, p.ContentType, p.Body)
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
	f := strings.Fields(meta)
	if len(f) != 3 {
		return
	}
	storeID, _ := strconv.ParseInt(f[0], 10, 64)
	pid, _ := strconv.ParseInt(f[1], 10, 64)
	var productID *int64
	if pid != 0 {
		productID = &pid
	}
	r := c.Request()
	m.analytics.record(r.Context(), storeID, productID, f[2], r.URL.Path, c.RealIP(), r.UserAgent(), r.Referer(), r.Header.Get("CF-IPCity"))
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
	if cacheable {
		if p, ok := m.pages.get(ctx, platformPages, field); ok {
			return servePage(c, p, http.StatusOK)
		}
	}
	r, err := build(c)
	if errors.Is(err, database.ErrNotFound) {
		return m.platformNotFound(c)
	}
	if err != nil {
		return err
	}
	p := cachedPage{ETag: etagOf(r.body), ContentType: r.contentType, Body: r.body, Meta: "0 0 " + kind}
	if cacheable && r.status == http.StatusOK {
		if err := m.pages.put(ctx, platformPages, field, p, 10*time.Minute); err != nil {
			m.d.Log.Warn("snapify: page not cached", "err", err)
		}
	}
	return servePage(c, p, r.status)
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
