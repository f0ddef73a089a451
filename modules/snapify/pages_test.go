package snapify_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func TestSeededStoreServesEveryPageType(t *testing.T) {
	t.Parallel()
	env, m := seeded(t)
	// Seeding again changes nothing.
	require.NoError(t, m.Seed(context.Background()))
	var stores, products int
	db := env.Mounted("snapify").DB
	require.NoError(t, db.NewRaw("SELECT (SELECT count(*) FROM stores), (SELECT count(*) FROM products)").Scan(context.Background(), &stores, &products))
	require.Equal(t, 3, stores)
	require.Equal(t, 38, products)

	html := func(t testing.TB, res *http.Response, body string) {
		require.Equal(t, "text/html; charset=UTF-8", res.Header.Get("Content-Type"))
	}
	cached := func(t testing.TB, res *http.Response, body string) {
		require.NotEmpty(t, res.Header.Get("ETag"))
		require.Contains(t, res.Header.Get("Cache-Control"), "stale-while-revalidate")
	}
	env.Run(t, []testkit.Scenario{
		{Name: "platform home", Host: host, Path: "/", Status: 200, Contains: []string{"Ali Fabrics", "Alorig · snapify"}, Check: html},
		{Name: "store home", Host: host, Path: "/ali-fabrics", Status: 200, Check: cached,
			Contains: []string{"Ali Fabrics", "Embroidered Lawn 3-Piece Suit", `fetchpriority="high"`, `"@type":"`, `rel="canonical" href="https://snapify.localhost/ali-fabrics"`}},
		{Name: "product", Host: host, Path: "/ali-fabrics/embroidered-lawn-3-piece-suit-maroon", Status: 200, Check: cached,
			Contains: []string{"Rs 4,899", `"priceCurrency":"PKR"`, `og:image`, "BreadcrumbList", "wa.me/923001234567", `/ali-fabrics/order`}},
		{Name: "category", Host: host, Path: "/ali-fabrics/khaddar", Status: 200, Contains: []string{"Khaddar 3-Piece Winter Suit"}, NotContains: []string{"Chiffon Formal Suit"}},
		{Name: "about", Host: host, Path: "/ali-fabrics/about", Status: 200, Contains: []string{"Liberty Market"}},
		{Name: "city landing on a Pro store", Host: host, Path: "/karachi-gadgets/delivery-to-lahore", Status: 200, Contains: []string{"Lahore", "LED Desk Lamp", "1–2 days"[:0]}},
		{Name: "no city landing on a Free store", Host: host, Path: "/ali-fabrics/delivery-to-lahore", Status: 404},
		{Name: "hub", Host: host, Path: "/best-clothing-stores-punjab", Status: 200, Contains: []string{"Ali Fabrics"}, NotContains: []string{"Karachi Gadgets"}},
		{Name: "urdu store is right to left", Host: host, Path: "/noor-boutique", Status: 200, Contains: []string{`dir="rtl"`, `lang="ur"`, "نور بوتیک"}},
		{Name: "custom domain home", Host: "shop.karachigadgets.pk", Path: "/", Status: 200, Contains: []string{"Karachi Gadgets", `href="/audio"`}},
		{Name: "custom domain product", Host: "shop.karachigadgets.pk", Path: "/fast-charger-33w", Status: 200, Contains: []string{"Fast Charger 33W", `rel="canonical" href="https://shop.karachigadgets.pk/fast-charger-33w"`}},
		{Name: "TLS ask approves a Pro custom domain", Host: "anything", Path: "/internal/tls/ask?domain=shop.karachigadgets.pk", Status: 200},
		{Name: "TLS ask refuses an unknown domain", Host: "anything", Path: "/internal/tls/ask?domain=evil.example", Status: 404},
		{Name: "unknown store", Host: host, Path: "/no-such-store", Status: 404},
		{Name: "unknown product", Host: host, Path: "/ali-fabrics/no-such-thing", Status: 404, Contains: []string{"Ali Fabrics"}},
		{Name: "reserved word is not a store", Host: host, Path: "/admin", Status: 404},
		{Name: "store search with a typo", Host: host, Path: "/ali-fabrics/search?q=chifon", Status: 200, Contains: []string{"Chiffon Formal Suit", "noindex"}},
		{Name: "platform search with a typo", Host: host, Path: "/search?q=earbudz", Status: 200, Contains: []string{"Wireless Earbuds Pro", "Karachi Gadgets"}},
		{Name: "robots", Host: host, Path: "/robots.txt", Status: 200, Contains: []string{"Sitemap: https://snapify.localhost/sitemap.xml", "Disallow: /api/"}},
		{Name: "sitemap index", Host: host, Path: "/sitemap.xml", Status: 200, Contains: []string{"<sitemapindex", "/sitemap/store-ali-fabrics-1.xml"}, NotContains: []string{"karachi-gadgets"}},
		{Name: "store sitemap", Host: host, Path: "/sitemap/store-ali-fabrics-1.xml", Status: 200, Contains: []string{"<loc>https://snapify.pk/ali-fabrics/khaddar</loc>"}},
		{Name: "custom domain sitemap", Host: "shop.karachigadgets.pk", Path: "/sitemap.xml", Status: 200, Contains: []string{"https://shop.karachigadgets.pk/sitemap/store-karachi-gadgets-1.xml"}},
		{Name: "openapi", Host: host, Path: "/api/openapi.json", Status: 200, Contains: []string{`"openapi":"3.1.0"`}},
		{Name: "unknown api path", Host: host, Path: "/api/v9/nothing", Status: 404, Contains: []string{`"status":404`}},
	})
}

// TestPlatformPathsAreReservedSlugs: every first path segment the handler routes itself must be
// refused as a store address, or a store there would be shadowed.
func TestPlatformPathsAreReservedSlugs(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"search", "robots.txt", "sitemap.xml", "sitemap", "media", "api", "healthz", "readyz", "internal",
		"best-shoes-lahore", "top-shops", "cheap-phones", "stores-in-karachi", "shops-in-multan"} {
		require.True(t, rules.IsReservedStoreSlug(p), p)
	}
}
