package snapify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func TestPageCacheETagAndInvalidation(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	env.StartWorkers()
	drainJobs(t, env)
	path := "/ali-fabrics/printed-lawn-2-piece-teal"
	res, body := env.Do("GET", host, path, nil, "")
	require.Equal(t, 200, res.StatusCode)
	require.Contains(t, body, "Rs 2,899")
	etag := res.Header.Get("ETag")
	require.Regexp(t, `^"[0-9a-f]{24}"$`, etag)
	require.Equal(t, "public, max-age=60, stale-while-revalidate=86400", res.Header.Get("Cache-Control"))

	kv := env.Mounted("snapify").KV
	fields, err := kv.HGetAll(context.Background(), "pages:ali-fabrics")
	require.NoError(t, err)
	require.Contains(t, fields, "p2 "+host+path+"?")

	res, _ = env.Do("GET", host, path, map[string]string{"If-None-Match": etag}, "")
	require.Equal(t, http.StatusNotModified, res.StatusCode)

	// The seller changes the price: the River job drops the store's pages.
	tok := signIn(t, env, "03001234567")
	res, body = env.Do("GET", host, "/api/v1/stores/ali-fabrics/products", bearer(tok), "")
	require.Equal(t, 200, res.StatusCode, body)
	var list struct {
		Products []struct {
			ID   int64  `json:"id"`
			Slug string `json:"slug"`
		} `json:"products"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	var id int64
	for _, p := range list.Products {
		if p.Slug == "printed-lawn-2-piece-teal" {
			id = p.ID
		}
	}
	require.NotZero(t, id)
	res, body = env.Do("PATCH", host, fmt.Sprintf("/api/v1/stores/ali-fabrics/products/%d", id), bearer(tok), `{"price_paisa":259900}`)
	require.Equal(t, 200, res.StatusCode, body)
	eventually(t, func() bool {
		n, _ := kv.Exists(context.Background(), "pages:ali-fabrics")
		return n == 0
	}, "invalidate_store_cache drops the store's pages")
	res, body = env.Do("GET", host, path, map[string]string{"If-None-Match": etag}, "")
	require.Equal(t, 200, res.StatusCode)
	require.Contains(t, body, "Rs 2,599")
	require.NotEqual(t, etag, res.Header.Get("ETag"))

	// Hidden products leave the pages too.
	res, _ = env.Do("PATCH", host, fmt.Sprintf("/api/v1/stores/ali-fabrics/products/%d", id), bearer(tok), `{"status":"hidden"}`)
	require.Equal(t, 200, res.StatusCode)
	eventually(t, func() bool {
		res, _ := env.Do("GET", host, path, nil, "")
		return res.StatusCode == 404
	}, "hidden product page is gone")
}

func TestSellerTextIsEscapedOnEveryPage(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := signIn(t, env, "03009990000")
	evil := `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`
	j, _ := json.Marshal(evil)
	res, body := env.Do("POST", host, "/api/v1/stores", bearer(tok), `{"slug":"evil-shop","name":`+string(j)+`,"tagline":`+string(j)+`,"about":`+string(j)+`}`)
	require.Equal(t, 201, res.StatusCode, body)
	res, body = env.Do("POST", host, "/api/v1/stores/evil-shop/categories", bearer(tok), `{"name":`+string(j)+`,"slug":"cat"}`)
	require.Equal(t, 201, res.StatusCode, body)
	var cat struct{ ID int64 }
	require.NoError(t, json.Unmarshal([]byte(body), &cat))
	res, body = env.Do("POST", host, "/api/v1/stores/evil-shop/products", bearer(tok),
		fmt.Sprintf(`{"title":%s,"slug":"thing","description":%s,"price_paisa":100,"category_id":%d}`, j, j, cat.ID))
	require.Equal(t, 201, res.StatusCode, body)
	var rows []testkit.Scenario
	for _, p := range []string{"/evil-shop", "/evil-shop/thing", "/evil-shop/cat", "/evil-shop/about", "/evil-shop/search?q=script",
		"/evil-shop/order?product=thing", "/search?q=script"} {
		rows = append(rows, testkit.Scenario{Name: p, Host: host, Path: p, Status: 200,
			NotContains: []string{"<script>alert", "<img src=x", `"'><`},
			Check: func(t testing.TB, _ *http.Response, body string) {
				require.True(t, strings.Contains(body, "&lt;script&gt;") || strings.Contains(body, `\u003cscript\u003e`), "escaped text present")
			}})
	}
	env.Run(t, rows)
}

func TestAdminVerifiesSuspendsAndModerates(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	env.StartWorkers()
	admin := bearer(admin(t, env))
	var storeID int64
	db := env.Mounted("snapify").DB
	require.NoError(t, db.NewRaw("SELECT id FROM stores WHERE slug = 'noor-boutique'").Scan(context.Background(), &storeID))
	var productID int64
	require.NoError(t, db.NewRaw("SELECT id FROM products WHERE store_id = ? ORDER BY id LIMIT 1", storeID).Scan(context.Background(), &productID))
	env.Run(t, []testkit.Scenario{
		{Name: "metrics", Host: host, Path: "/api/v1/admin/metrics", Header: admin, Status: 200, Contains: []string{`"stores":3`, `"pro_stores":1`, `"products":38`}},
		{Name: "unverified list", Host: host, Path: "/api/v1/admin/stores?filter=unverified", Header: admin, Status: 200,
			Contains: []string{"noor-boutique"}, NotContains: []string{"ali-fabrics"}},
		{Name: "verify needs the flag", Method: "POST", Host: host, Path: fmt.Sprintf("/api/v1/admin/stores/%d/verify", storeID), Header: admin,
			Body: `{}`, Status: 422, Contains: []string{`"field":"verified"`}},
		{Name: "verify", Method: "POST", Host: host, Path: fmt.Sprintf("/api/v1/admin/stores/%d/verify", storeID), Header: admin,
			Body: `{"verified":true}`, Status: 200, Contains: []string{`"verified":true`}},
		{Name: "moderate", Method: "POST", Host: host, Path: fmt.Sprintf("/api/v1/admin/products/%d/moderate", productID), Header: admin,
			Body: `{"status":"blocked","note":"counterfeit"}`, Status: 200, Contains: []string{`"status":"blocked"`}},
		{Name: "suspend needs a reason", Method: "POST", Host: host, Path: fmt.Sprintf("/api/v1/admin/stores/%d/suspend", storeID), Header: admin,
			Body: `{"reason":""}`, Status: 422},
		{Name: "suspend", Method: "POST", Host: host, Path: fmt.Sprintf("/api/v1/admin/stores/%d/suspend", storeID), Header: admin,
			Body: `{"reason":"fake reviews"}`, Status: 200, Contains: []string{`"suspended_reason":"fake reviews"`}},
	})
	eventually(t, func() bool {
		res, _ := env.Do("GET", host, "/noor-boutique", nil, "")
		return res.StatusCode == 404
	}, "a suspended store is gone")
	res, body := env.Do("GET", host, "/search?q=dupatta", nil, "")
	require.Equal(t, 200, res.StatusCode)
	require.NotContains(t, body, "noor-boutique")
}

func TestAnalyticsHashesVisitorsWithADailySalt(t *testing.T) {
	t.Parallel()
	env, m := seeded(t)
	ctx := context.Background()
	require.NoError(t, m.Start(ctx))
	for _, ip := range []string{"192.0.2.10", "192.0.2.10", "198.51.100.7"} {
		res, _ := env.Do("GET", host, "/ali-fabrics/printed-lawn-2-piece-teal", map[string]string{"X-Real-IP": ip, "Referer": "https://l.facebook.com/l.php?u=secret"}, "")
		require.Equal(t, 200, res.StatusCode)
	}
	require.NoError(t, m.Stop(ctx))
	db := env.Mounted("snapify").DB
	var raw string
	require.NoError(t, db.NewRaw("SELECT string_agg(referrer || encode(visitor_hash, 'hex'), ',') FROM analytics_events").Scan(ctx, &raw))
	require.NotContains(t, raw, "192.0.2.10")
	require.NotContains(t, raw, "secret")
	s, err := m.StoreBySlug(ctx, "ali-fabrics")
	require.NoError(t, err)
	sum, err := m.Analytics(ctx, s.Scope(), 7)
	require.NoError(t, err)
	require.Equal(t, 3, sum.Views)
	require.Equal(t, []string{"l.facebook.com"}, []string{sum.Referrers[0].Name})
	require.Equal(t, "Printed Lawn 2-Piece — Teal", sum.TopProducts[0].Name)
	// Tomorrow the same visitor hashes differently.
	var today []byte
	require.NoError(t, db.NewRaw("SELECT visitor_hash FROM analytics_events ORDER BY id LIMIT 1").Scan(ctx, &today))
	env.Clock.Advance(24 * 60 * 60 * 1e9)
	require.NoError(t, m.Start(ctx))
	res, _ := env.Do("GET", host, "/ali-fabrics/printed-lawn-2-piece-teal", nil, "")
	require.Equal(t, 200, res.StatusCode)
	require.NoError(t, m.Stop(ctx))
	var tomorrow []byte
	require.NoError(t, db.NewRaw("SELECT visitor_hash FROM analytics_events ORDER BY id DESC LIMIT 1").Scan(ctx, &tomorrow))
	require.NotEqual(t, today, tomorrow)
}
