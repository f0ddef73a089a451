package snapify

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// BenchmarkProductPageFromRedis is the cached product page with the one-second in-process
// layer switched off, so every request reads the page from Redis.
func BenchmarkProductPageFromRedis(b *testing.B) {
	env := testkit.Start(b, map[string]platform.Constructor{"snapify": New}, testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", b.TempDir()))
	m := env.Mounted("snapify").Module.(*Module)
	require.NoError(b, m.Seed(context.Background()))
	m.pages.local = cache.NewLocal[localKey, cachedPage](localMax, 0, nil) // every entry expires at once
	get := func() {
		req := httptest.NewRequest("GET", "http://snapify.localhost/ali-fabrics/chikankari-lawn-kurti-off-white", nil)
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
	get()
	b.ReportAllocs()
	for b.Loop() {
		get()
	}
}
