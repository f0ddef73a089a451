package snapify_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/web"
	"github.com/stretchr/testify/require"
)

// A cached store page answered on the hot path is the answer echo gives for it, header for
// header and byte for byte, in every encoding and for revalidation; pages that are not cached,
// and hosts that are not the buyer's, still go through echo.
func TestHotPathAnswersCachedPagesAsEchoDoes(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hl, ok := env.Runtime.HotListener(ln).(*web.HotListener)
	require.True(t, ok, "Snapify answers on the hot path")
	srv := platform.NewServer(env.Handler)
	go func() { _ = srv.Serve(hl) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	base := "http://" + ln.Addr().String()
	// One connection a request, as a new buyer's phone opens: each starts on the hot path.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, DisableCompression: true}}
	get := func(host, path string, h map[string]string) (*http.Response, string) {
		req, err := http.NewRequest("GET", base+path, nil)
		require.NoError(t, err)
		req.Host = host
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(b)
	}
	const page = "/ali-fabrics/chikankari-lawn-kurti-off-white"
	before := hl.Answers()
	first, _ := get(host, page, map[string]string{"Accept-Encoding": "br"}) // fills the cache through echo
	require.Equal(t, 200, first.StatusCode)
	require.Equal(t, before, hl.Answers(), "a page to render is echo's")

	for _, h := range []map[string]string{nil, {"Accept-Encoding": "gzip"}, {"Accept-Encoding": "br, gzip"}} {
		hot, hotBody := get(host, page, h)
		require.Equal(t, before+1, hl.Answers(), "answered on the hot path: %v", h)
		before++
		want, wantBody := env.Do("GET", host, page, h, "")
		require.Equal(t, want.StatusCode, hot.StatusCode)
		require.Equal(t, wantBody, hotBody, "same bytes as echo: %v", h)
		for _, k := range []string{"Etag", "Content-Type", "Content-Encoding", "Content-Length", "Cache-Control", "Vary",
			"X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Content-Security-Policy"} {
			require.Equal(t, want.Header.Get(k), hot.Header.Get(k), "%s for %v", k, h)
		}
		require.NotEmpty(t, hot.Header.Get("X-Request-Id"))

		notModified, body := get(host, page, map[string]string{"Accept-Encoding": h["Accept-Encoding"], "If-None-Match": hot.Header.Get("Etag")})
		require.Equal(t, 304, notModified.StatusCode)
		require.Empty(t, body)
		require.Equal(t, hot.Header.Get("Etag"), notModified.Header.Get("Etag"))
		before++
		require.Equal(t, before, hl.Answers())
	}

	// The seller app's host, a query, the search page and the API stay echo's.
	for _, r := range []struct{ host, path string }{
		{"app." + host, page}, {host, page + "?page=2"}, {host, "/ali-fabrics/search"}, {host, "/api/v1/me"}, {host, "/healthz"},
	} {
		get(r.host, r.path, nil)
		require.Equal(t, before, hl.Answers(), "%s%s is not the hot path's", r.host, r.path)
	}
}
