package snapify

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/database"
	sv "github.com/alorig/alorig/views/snapify"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"
)

func (m *Module) storeCards(ctx context.Context, stores []Store, st site) []sv.StoreCard {
	out := make([]sv.StoreCard, 0, len(stores))
	for i := range stores {
		s := &stores[i]
		out = append(out, sv.StoreCard{Name: s.Name, URL: m.canonicalBase(s, st), City: s.City, Tagline: s.Tagline,
			Image: m.imagePtr(firstPicture(s.Logo, s.Banner), st), Verified: s.Verified, ProductCount: s.ProductCount})
	}
	return out
}

func firstPicture(ps ...*Picture) *Picture {
	for _, p := range ps {
		if p != nil && p.Hash != "" {
			return p
		}
	}
	return nil
}

func (m *Module) platformHome(c echo.Context) (*rendered, error) {
	ctx := c.Request().Context()
	st := site{origin: m.platformOrigin(c)}
	var stores []Store
	if err := m.d.DB.NewSelect().Model(&stores).Where("suspended_at IS NULL").Where("product_count > 0").
		OrderExpr("verified DESC, product_count DESC, id").Limit(8).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: featured stores: %w", err)
	}
	var hubs []HubPageRow
	if err := m.d.DB.NewSelect().Model(&hubs).Order("slug").Limit(12).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: hubs: %w", err)
	}
	links := make([]sv.Link, 0, len(hubs))
	for _, h := range hubs {
		links = append(links, sv.Link{Name: h.Heading, URL: "/" + h.Slug})
	}
	body, err := renderHTML(ctx, sv.PlatformHome(sv.PlatformHomePage{Origin: st.origin, SellURL: m.appURL("/"),
		SearchURL: sv.PlatformSearchPath, Hubs: links, Stores: m.storeCards(ctx, stores, st),
		Meta: sv.Meta{Title: "Snapify — shops from WhatsApp sellers across Pakistan", Canonical: st.origin + "/",
			Description: "Browse clothes, shoes, home goods and more from trusted WhatsApp sellers. Order in two taps, pay cash on delivery."}}))
	if err != nil {
		return nil, err
	}
	return &rendered{status: http.StatusOK, contentType: echo.MIMETextHTMLCharsetUTF8, body: body, kind: "platform"}, nil
}

func (m *Module) platformSearch(c echo.Context) error {
	ctx := c.Request().Context()
	st := site{origin: m.platformOrigin(c)}
	q := strings.TrimSpace(c.QueryParam("q"))
	page := pageParam(c)
	var hits []SearchHit
	total := 0
	var err error
	if q != "" {
		hits, total, err = m.Search(ctx, nil, q, pageSize, (page-1)*pageSize)
		if err != nil {
			return err
		}
	}
	results := make([]sv.ProductResult, 0, len(hits))
	for i := range hits {
		h := &hits[i]
		hs := site{origin: st.origin, prefix: "/" + h.StoreSlug}
		results = append(results, sv.ProductResult{Product: m.viewProduct(&h.Product, nil, hs, false),
			Store: sv.Link{Name: h.StoreName, URL: hs.storeHome()}})
	}
	var stores []Store
	if q != "" && page == 1 {
		if err := m.d.DB.NewSelect().Model(&stores).Where("suspended_at IS NULL").
			Where("(name ILIKE ? OR city ILIKE ? OR word_similarity(?, name) > 0.5)", "%"+escapeLike(q)+"%", escapeLike(q)+"%", q).
			OrderExpr("verified DESC, product_count DESC").Limit(6).Scan(ctx); err != nil {
			return fmt.Errorf("snapify: search stores: %w", err)
		}
	}
	body, err := renderHTML(ctx, sv.PlatformSearch(sv.PlatformSearchPage{Query: q, ActionURL: sv.PlatformSearchPath, Total: total,
		Stores: m.storeCards(ctx, stores, st), Products: results, Pager: pager(page, total, sv.PlatformSearchPath+"?q="+url.QueryEscape(q)),
		Meta: sv.Meta{Title: "Search Snapify", NoIndex: true, Canonical: st.origin + sv.PlatformSearchPath}}))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, body)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

func (m *Module) hubPage(c echo.Context, slug string) (*rendered, error) {
	ctx := c.Request().Context()
	st := site{origin: m.platformOrigin(c)}
	h, err := hubBySlug(ctx, m.d.DB, slug)
	if err != nil {
		return nil, err // database.ErrNotFound: cachedPlatform answers the 404 page
	}
	var stores []Store
	if len(h.StoreIDs) > 0 {
		if err := m.d.DB.NewSelect().Model(&stores).Where("id IN (?)", bun.In(h.StoreIDs)).Where("suspended_at IS NULL").
			OrderExpr("verified DESC, product_count DESC, id").Scan(ctx); err != nil {
			return nil, fmt.Errorf("snapify: stores of hub %s: %w", slug, err)
		}
	}
	var related []HubPageRow
	if err := m.d.DB.NewSelect().Model(&related).Where("slug <> ?", slug).
		Where("(category = ? OR region = ?)", h.Category, h.Region).Order("slug").Limit(6).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: hubs related to %s: %w", slug, err)
	}
	links := make([]sv.Link, 0, len(related))
	for _, r := range related {
		links = append(links, sv.Link{Name: r.Heading, URL: "/" + r.Slug})
	}
	u := st.origin + "/" + h.Slug
	body, err := renderHTML(ctx, sv.Hub(sv.HubPage{Origin: st.origin, Heading: h.Heading, Intro: h.Intro, Stores: m.storeCards(ctx, stores, st), Related: links,
		Breadcrumbs: []sv.Link{{Name: "Snapify", URL: st.origin + "/"}, {Name: h.Heading, URL: u}},
		Meta:        sv.Meta{Title: h.Heading + " — Snapify", Description: describe(h.Intro, 155), Canonical: u}}))
	if err != nil {
		return nil, err
	}
	return &rendered{status: http.StatusOK, contentType: echo.MIMETextHTMLCharsetUTF8, body: body, kind: "hub"}, nil
}

// robots allows everything buyers see and keeps search results, order forms and the API out.
func (m *Module) robots(c echo.Context, custom *site) error {
	origin := m.platformOrigin(c)
	disallow := "Disallow: /api/\nDisallow: /search\nDisallow: /*/search\nDisallow: /*/order\n"
	if custom != nil {
		origin = custom.origin
		disallow = "Disallow: /search\nDisallow: /order\n"
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.String(http.StatusOK, "User-agent: *\nAllow: /\n"+disallow+"\nSitemap: "+origin+"/sitemap.xml\n")
}

// MaxSitemapURLs is the sitemaps.org limit of URLs in one file.
const MaxSitemapURLs = 50000

// sitemapURLs is the split point; tests lower it to see a store spread over several files.
var sitemapURLs = MaxSitemapURLs

type sitemapFile struct {
	bun.BaseModel `bun:"table:sitemap_files"`
	Name          string `bun:"name,pk"`
	StoreID       *int64 `bun:"store_id"`
	Body          string `bun:"body"`
	URLCount      int    `bun:"url_count"`
}

func (m *Module) sitemapIndex(c echo.Context, _ *string) (*rendered, error) {
	ctx := c.Request().Context()
	var files []sitemapFile
	err := m.d.DB.NewSelect().Model(&files).Column("name").
		Where("store_id IS NULL OR store_id IN (SELECT id FROM stores WHERE custom_domain IS NULL OR domain_verified_at IS NULL OR tier <> 'pro')").Order("name").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("snapify: sitemap index: %w", err)
	}
	if len(files) == 0 {
		// Before the first nightly run (a fresh install) the files are built on demand.
		if err := m.RegenerateSitemaps(ctx); err != nil {
			return nil, err
		}
		return m.sitemapIndex(c, nil)
	}
	return sitemapIndexBody(m.platformOrigin(c), files), nil
}

func (m *Module) sitemapIndexFor(c echo.Context, slug string, st site) error {
	ctx := c.Request().Context()
	var files []sitemapFile
	if err := m.d.DB.NewSelect().Model(&files).Column("name").
		Where("store_id = (SELECT id FROM stores WHERE slug = ?)", slug).Order("name").Scan(ctx); err != nil {
		return fmt.Errorf("snapify: sitemap index of %s: %w", slug, err)
	}
	r := sitemapIndexBody(st.origin, files)
	return c.Blob(http.StatusOK, r.contentType, r.body)
}

func sitemapIndexBody(origin string, files []sitemapFile) *rendered {
	var b strings.Builder
	b.WriteString(xml.Header + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, f := range files {
		b.WriteString("<sitemap><loc>")
		_ = xml.EscapeText(&b, []byte(origin+"/sitemap/"+f.Name+".xml"))
		b.WriteString("</loc></sitemap>\n")
	}
	b.WriteString("</sitemapindex>\n")
	return &rendered{status: http.StatusOK, contentType: "application/xml; charset=utf-8", body: []byte(b.String()), kind: "sitemap"}
}

func (m *Module) sitemapFile(c echo.Context, slug *string, file string) error {
	name, ok := strings.CutSuffix(file, ".xml")
	if !ok {
		return m.platformNotFound(c)
	}
	f := new(sitemapFile)
	q := m.d.DB.NewSelect().Model(f).Where("name = ?", name)
	if slug != nil {
		q = q.Where("store_id = (SELECT id FROM stores WHERE slug = ?)", *slug)
	}
	if err := q.Scan(c.Request().Context()); err != nil {
		if errors.Is(database.NoRows(err), database.ErrNotFound) {
			return m.platformNotFound(c)
		}
		return fmt.Errorf("snapify: sitemap %s: %w", name, err)
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", []byte(f.Body))
}

// RegenerateSitemaps rewrites every sitemap file: one platform file (home and hubs) and, per
// live store, files of at most MaxSitemapURLs URLs each.
func (m *Module) RegenerateSitemaps(ctx context.Context) error {
	origin := m.platformOrigin(nil)
	var stores []Store
	if err := m.d.DB.NewSelect().Model(&stores).Where("suspended_at IS NULL").Order("id").Scan(ctx); err != nil {
		return fmt.Errorf("snapify: sitemap stores: %w", err)
	}
	var hubs []string
	if err := m.d.DB.NewSelect().Model((*HubPageRow)(nil)).Column("slug").Order("slug").Scan(ctx, &hubs); err != nil {
		return fmt.Errorf("snapify: sitemap hubs: %w", err)
	}
	platformURLs := []string{origin + "/"}
	for _, h := range hubs {
		platformURLs = append(platformURLs, origin+"/"+h)
	}
	files := []sitemapFile{{Name: "platform-1", Body: urlset(platformURLs), URLCount: len(platformURLs)}}
	for i := range stores {
		s := &stores[i]
		base := m.canonicalBase(s, site{origin: origin})
		urls := []string{base, base + "/about"}
		var slugs []string
		if err := m.d.DB.NewRaw(`SELECT slug FROM categories WHERE store_id = ? AND product_count > 0
			UNION ALL SELECT 'delivery-to-' || city_slug FROM city_pages WHERE store_id = ? AND ? = 'pro'
			UNION ALL (SELECT slug FROM products WHERE store_id = ? AND status = 'active' ORDER BY id)`,
			s.ID, s.ID, s.Tier, s.ID).Scan(ctx, &slugs); err != nil {
			return fmt.Errorf("snapify: sitemap of store %d: %w", s.ID, err)
		}
		for _, sl := range slugs {
			urls = append(urls, base+"/"+sl)
		}
		for part := 0; part*sitemapURLs < len(urls); part++ {
			chunk := urls[part*sitemapURLs : min(len(urls), (part+1)*sitemapURLs)]
			id := s.ID
			files = append(files, sitemapFile{Name: "store-" + s.Slug + "-" + strconv.Itoa(part+1), StoreID: &id, Body: urlset(chunk), URLCount: len(chunk)})
		}
	}
	return m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*sitemapFile)(nil)).Where("true").Exec(ctx); err != nil {
			return fmt.Errorf("snapify: clear sitemaps: %w", err)
		}
		now := m.d.Clock.Now()
		for _, f := range files {
			if _, err := tx.NewInsert().Model(&f).Value("generated_at", "?", now).Exec(ctx); err != nil {
				return fmt.Errorf("snapify: write sitemap %s: %w", f.Name, err)
			}
		}
		return m.pages.invalidate(ctx, platformPages, "")
	})
}

func urlset(urls []string) string {
	var b strings.Builder
	b.Grow(len(urls) * 80)
	b.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		b.WriteString("<url><loc>")
		_ = xml.EscapeText(&b, []byte(u))
		b.WriteString("</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.String()
}

// deliveryCities are the cities Pro stores get landing pages for: Pakistan's largest, where
// courier cash-on-delivery coverage is complete.
var deliveryCities = []string{"Lahore", "Karachi", "Islamabad", "Rawalpindi", "Faisalabad", "Multan", "Peshawar", "Hyderabad"}

// GenerateCityPages writes a delivery-to-{city} page for every Pro store and city.
func (m *Module) GenerateCityPages(ctx context.Context) error {
	var stores []Store
	if err := m.d.DB.NewSelect().Model(&stores).Where("tier = 'pro'").Where("suspended_at IS NULL").Scan(ctx); err != nil {
		return fmt.Errorf("snapify: pro stores: %w", err)
	}
	now := m.d.Clock.Now()
	for i := range stores {
		s := &stores[i]
		err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := writeCityPages(ctx, tx, s, now); err != nil {
				return err
			}
			return m.invalidateTx(ctx, tx, s)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// writeCityPages writes (or rewrites) store s's delivery-to-{city} pages; a store that
// becomes Pro gets them at once (pay_service.go), not at the next weekly run.
func writeCityPages(ctx context.Context, tx bun.IDB, s *Store, now time.Time) error {
	for _, city := range deliveryCities {
		days := "2–4 days"
		if strings.EqualFold(city, s.City) {
			days = "1–2 days"
		}
		intro := fmt.Sprintf("%s delivers to %s with cash on delivery: order on WhatsApp, pay when the parcel reaches your door.",
			s.Name, city)
		if s.Tagline != "" {
			intro += "\n\n" + s.Tagline + "."
		}
		row := &CityPageRow{StoreID: s.ID, CitySlug: rules.Slugify(city, 40), City: city, Intro: intro, DeliveryDays: days,
			DeliveryFeePaisa: s.DeliveryFeePaisa, GeneratedAt: now}
		if _, err := tx.NewInsert().Model(row).On("CONFLICT (store_id, city_slug) DO UPDATE").
			Set("intro = EXCLUDED.intro, delivery_days = EXCLUDED.delivery_days, delivery_fee_paisa = EXCLUDED.delivery_fee_paisa, generated_at = EXCLUDED.generated_at").
			Exec(ctx); err != nil {
			return fmt.Errorf("snapify: city page %s of store %d: %w", city, s.ID, err)
		}
	}
	return nil
}

// RegenerateHubPages rebuilds the hub pages: one per store category and province with live
// stores in it, listing the best of them (verified first, then by catalogue size).
func (m *Module) RegenerateHubPages(ctx context.Context) error {
	type group struct {
		Category string  `bun:"category"`
		Region   string  `bun:"region"`
		IDs      []int64 `bun:"ids,array"`
	}
	var groups []group
	err := m.d.DB.NewRaw(`SELECT category, region, (array_agg(id ORDER BY verified DESC, product_count DESC, id))[1:24] AS ids
		FROM stores WHERE suspended_at IS NULL AND category <> '' AND region <> '' AND product_count > 0
		GROUP BY category, region`).Scan(ctx, &groups)
	if err != nil {
		return fmt.Errorf("snapify: hub groups: %w", err)
	}
	now := m.d.Clock.Now()
	return m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*HubPageRow)(nil)).Where("true").Exec(ctx); err != nil {
			return fmt.Errorf("snapify: clear hubs: %w", err)
		}
		for _, g := range groups {
			cat := strings.ToLower(g.Category)
			row := &HubPageRow{Slug: rules.Slugify("best "+cat+" stores "+g.Region, 80),
				Heading:  "Best " + cat + " stores in " + g.Region,
				Intro:    fmt.Sprintf("Hand-picked %s sellers from %s on Snapify. Every shop takes orders on WhatsApp and delivers with cash on delivery.", cat, g.Region),
				Category: g.Category, Region: g.Region, StoreIDs: g.IDs, GeneratedAt: now}
			if _, err := tx.NewInsert().Model(row).On("CONFLICT (slug) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("snapify: hub %s: %w", row.Slug, err)
			}
		}
		return m.pages.invalidate(ctx, platformPages, "")
	})
}
