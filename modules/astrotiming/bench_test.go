package astrotiming_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alorig/alorig/shared/auth"
	"github.com/stretchr/testify/require"
)

// benchKey opens the module and makes a key whose limits are far above any benchmark's rate,
// so every answer is 200 and the charging path (GCRA and daily count in Redis) still runs.
func benchKey(b *testing.B) (http.Handler, string) {
	b.Helper()
	env, _ := start(b)
	d := env.Mounted("astrotiming")
	var uid int64
	require.NoError(b, d.DB.NewRaw(`INSERT INTO users (email, display_name, role, created_at, updated_at)
		VALUES ('bench@example.com', 'bench', 'member', now(), now()) RETURNING id`).Scan(context.Background(), &uid))
	plain, _, err := d.Accounts.CreateAPIKey(context.Background(), uid, "bench", auth.Tier{Name: "premium", PerMinute: 1 << 30, DailyQuota: 1 << 30})
	require.NoError(b, err)
	return env.Handler, plain
}

// BenchmarkCachedHours is GET /api/v1/hours answered from the cache through the whole module
// stack: dispatcher, middleware, key check, rate limit and daily count, cached body.
func BenchmarkCachedHours(b *testing.B) {
	h, key := benchKey(b)
	path := "http://astrotiming.localhost/api/v1/hours?lat=31.5497&lng=74.3436&tz=Asia/Karachi&date=2026-03-13"
	do := func() int {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-API-Key", key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	require.Equal(b, 200, do())
	b.ReportAllocs()
	b.SetParallelism(50) // 100 concurrent requests on 2 cores, like the wrk run
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if code := do(); code != 200 {
				b.Errorf("status %d", code)
				return
			}
		}
	})
}

// BenchmarkUncachedHours is the same request for a different date each time (engine + Redis
// write), for comparison.
func BenchmarkUncachedHours(b *testing.B) {
	h, key := benchKey(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := 1 + i%28
		m := 1 + (i/28)%12
		y := 2030 + i/336
		path := "http://astrotiming.localhost/api/v1/hours?lat=31.5497&lng=74.3436&tz=Asia/Karachi&date=" +
			pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-API-Key", key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
	}
}

func pad(n, w int) string {
	s := ""
	for i := 0; i < w; i++ {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

// BenchmarkOpenAPI is a static answer through the same stack without Redis: the floor the
// platform's middleware sets under every request.
func BenchmarkOpenAPI(b *testing.B) {
	h, _ := benchKey(b)
	b.ReportAllocs()
	b.SetParallelism(50)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", "http://astrotiming.localhost/api/openapi.json", nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Errorf("status %d", rec.Code)
				return
			}
		}
	})
}
