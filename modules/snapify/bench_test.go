package snapify_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun/dialect/pgdialect"
)

func benchEnv(b *testing.B) (*testkit.Env, *snapify.Module) {
	b.Helper()
	env := testkit.Start(b, map[string]platform.Constructor{"snapify": snapify.New}, testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", b.TempDir()))
	m := env.Mounted("snapify").Module.(*snapify.Module)
	require.NoError(b, m.Seed(context.Background()))
	return env, m
}

func serve(b *testing.B, h http.Handler, path string, acceptEncoding ...string) {
	req := httptest.NewRequest("GET", "http://"+host+path, nil)
	req.Host = host
	for _, ae := range acceptEncoding {
		req.Header.Set("Accept-Encoding", ae)
	}
	req.RemoteAddr = "192.0.2.10:40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("%s: %d", path, rec.Code)
	}
}

// BenchmarkProductPage measures the whole stack (Host dispatch, middleware, handler) for a
// product page served from the Redis page cache and rendered from PostgreSQL. The cached page
// is asked for as a browser asks (Brotli and gzip), as an old client asks (gzip) and without
// compression.
func BenchmarkProductPage(b *testing.B) {
	env, _ := benchEnv(b)
	const path = "/ali-fabrics/chikankari-lawn-kurti-off-white"
	for _, enc := range []struct{ name, accept string }{
		{"cached", ""},
		{"cached-gzip", "gzip"},
		{"cached-br", "gzip, deflate, br, zstd"},
	} {
		b.Run(enc.name, func(b *testing.B) {
			serve(b, env.Handler, path, enc.accept)
			b.ReportAllocs()
			for b.Loop() {
				serve(b, env.Handler, path, enc.accept)
			}
		})
	}
	b.Run("uncached", func(b *testing.B) {
		// Any query parameter but page bypasses the cache, so every request renders.
		b.ReportAllocs()
		for b.Loop() {
			serve(b, env.Handler, path+"?utm_source=whatsapp")
		}
	})
}

var (
	benchWords = []string{"lawn", "khaddar", "chiffon", "kurti", "dupatta", "shalwar", "kameez", "embroidered", "printed", "silk",
		"cotton", "linen", "velvet", "bridal", "mehndi", "shoes", "chappal", "khussa", "bag", "earbuds", "charger", "cable", "watch",
		"speaker", "cover", "bedsheet", "cushion", "rug", "lamp", "mug", "perfume", "attar", "lipstick", "cream", "soap", "honey",
		"dates", "tea", "spices", "pickle", "toy", "frock", "jacket", "sweater", "shawl", "scarf", "abaya", "hijab", "ring", "bangles"}
	benchColours = []string{"maroon", "teal", "mustard", "black", "white", "navy", "peach", "olive", "pink", "red", "green", "blue"}
)

// seedProducts loads n products across n/100 stores with SQL (the page seed is too slow for
// 100,000), titles drawn from a shop vocabulary.
func seedProducts(b *testing.B, env *testkit.Env, n int) {
	b.Helper()
	db := env.Mounted("snapify").DB
	ctx := context.Background()
	_, err := db.ExecContext(ctx, `
		ALTER TABLE products DISABLE TRIGGER products_counts;
		INSERT INTO users (phone, created_at, updated_at) VALUES ('+923009999999', now(), now()) ON CONFLICT DO NOTHING;
		INSERT INTO stores (owner_id, slug, name, whatsapp_phone, created_at, updated_at)
		SELECT (SELECT id FROM users WHERE phone = '+923009999999'), 'bench-' || g, 'Bench store ' || g, '+923009999999', now(), now()
		FROM generate_series(1, ?) g;
		INSERT INTO products (store_id, slug, title, description, price_paisa, created_at, updated_at)
		SELECT s.id, 'p-' || g,
		       initcap(w.a[1 + (g * 7 + s.id) % array_length(w.a, 1)]) || ' ' || w.a[1 + (g * 13 + s.id * 3) % array_length(w.a, 1)] || ' ' || c.c[1 + (g + s.id) % array_length(c.c, 1)],
		       'Quality ' || w.a[1 + (g * 5 + s.id) % array_length(w.a, 1)] || ' with cash on delivery across Pakistan. ' || w.a[1 + (g * 11) % array_length(w.a, 1)],
		       10000 + (g * 977) % 900000, now(), now()
		FROM stores s CROSS JOIN generate_series(1, 100) g, (SELECT ?::text[] AS a) w, (SELECT ?::text[] AS c) c
		WHERE s.slug LIKE 'bench-%';
		ANALYZE products;`, n/100, pgdialect.Array(benchWords), pgdialect.Array(benchColours))
	require.NoError(b, err)
}

// typo swaps or drops a letter, the way buyers type on a phone.
func typo(r *rand.Rand, w string) string {
	if len(w) < 5 {
		return w
	}
	i := 1 + r.IntN(len(w)-2)
	switch r.IntN(3) {
	case 0:
		return w[:i] + w[i+1:]
	case 1:
		return w[:i] + string(w[i+1]) + string(w[i]) + w[i+2:]
	default:
		return w[:i] + "z" + w[i+1:]
	}
}

// BenchmarkSearch100k runs queries (half of them with a typo) over 100,000 products and
// reports the 95th percentile latency, platform-wide and inside one store.
func BenchmarkSearch100k(b *testing.B) {
	env, m := benchEnv(b)
	seedProducts(b, env, 100_000)
	ctx := context.Background()
	s, err := m.StoreBySlug(ctx, "bench-7")
	require.NoError(b, err)
	t := s.Scope()
	r := rand.New(rand.NewPCG(1, 2))
	queries := make([]string, 200)
	for i := range queries {
		q := benchWords[r.IntN(len(benchWords))]
		if i%2 == 1 {
			q = typo(r, q)
		}
		if i%3 == 0 {
			q += " " + benchColours[r.IntN(len(benchColours))]
		}
		queries[i] = q
	}
	hits, _, err := m.Search(ctx, nil, "chifon", 24, 0)
	require.NoError(b, err)
	require.NotEmpty(b, hits, "a typo still finds products")
	for _, scope := range []struct {
		name string
		t    *tenant.Scope[snapify.Store]
	}{{"platform", nil}, {"store", &t}} {
		b.Run(scope.name, func(b *testing.B) {
			var lat []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				if _, _, err := m.Search(ctx, scope.t, queries[i%len(queries)], 24, 0); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				i++
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		})
	}
}
