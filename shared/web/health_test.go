package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/web"
	"github.com/stretchr/testify/require"
)

// get sends a GET to the platform handler from peer (host:port) with extra headers.
func get(h http.Handler, path, peer string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = "psydge.com"
	req.RemoteAddr = peer
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestReadyzTellsOutsideCallersOnlyOkOrFailing(t *testing.T) {
	t.Parallel()
	secret := "dial tcp db.internal:5432: password authentication failed for user alorig"
	p := web.NewPlatform([]web.Check{
		{Module: "psydge", Name: "database", Run: func(context.Context) error { return errors.New(secret) }},
		{Module: "psydge", Name: "broker", Optional: true, Run: func(context.Context) error { return nil }, Note: "offline stand-in at /srv/paper"},
	}, nil)
	d := web.NewDispatcher(p)

	for name, tc := range map[string]struct {
		peer   string
		header map[string]string
	}{
		"remote peer":                 {peer: "203.0.113.7:5000"},
		"proxy on this machine":       {peer: "127.0.0.1:5000", header: map[string]string{"X-Forwarded-For": "203.0.113.7"}},
		"proxy with X-Real-IP":        {peer: "[::1]:5000", header: map[string]string{"X-Real-IP": "203.0.113.7"}},
		"private network, no headers": {peer: "10.0.0.9:5000"},
	} {
		rec := get(d, "/readyz", tc.peer, tc.header)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code, name)
		body := rec.Body.String()
		require.NotContains(t, body, "db.internal", name)
		require.NotContains(t, body, "password", name)
		require.NotContains(t, body, "/srv/paper", name)
		require.Contains(t, body, `{"module":"psydge","name":"database","ok":false}`, name)
		require.Contains(t, body, `{"module":"psydge","name":"broker","ok":true}`, name)
	}

	// On this machine (Docker's health check, an operator's curl) and on the admin listener
	// the details stay.
	for _, peer := range []string{"127.0.0.1:5000", "[::1]:5000"} {
		rec := get(d, "/readyz", peer, nil)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		require.Contains(t, rec.Body.String(), secret)
		require.Contains(t, rec.Body.String(), "/srv/paper")
	}
	rec := get(p.ReadyDetails(), "/readyz", "203.0.113.7:5000", nil)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Contains(t, rec.Body.String(), secret)
}

func TestTLSAskIsRateLimitedPerAddressAndInTotal(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	asked := 0
	p := web.NewPlatform(nil, func(_ context.Context, host string) (string, bool, error) {
		asked++
		return "snapify", host == "shop.example.pk", nil
	})
	p.SetAskLimits(3, 5, clk.Now)
	ask := func(peer string) *httptest.ResponseRecorder {
		return get(p, "/internal/tls/ask?domain=shop.example.pk", peer, nil)
	}
	for range 3 {
		require.Equal(t, http.StatusOK, ask("10.0.0.2:1000").Code)
	}
	rec := ask("10.0.0.2:1001")
	require.Equal(t, http.StatusTooManyRequests, rec.Code, "the fourth ask from one address in a minute")
	require.Equal(t, "60", rec.Header().Get("Retry-After"))
	require.Contains(t, rec.Body.String(), "RATE_LIMITED")
	require.Equal(t, http.StatusOK, ask("10.0.0.3:1000").Code)
	require.Equal(t, http.StatusOK, ask("10.0.0.4:1000").Code)
	require.Equal(t, http.StatusTooManyRequests, ask("10.0.0.5:1000").Code, "the total ceiling holds across addresses")
	require.Equal(t, 5, asked, "refused asks never reach the lookup")

	clk.Advance(time.Minute)
	require.Equal(t, http.StatusOK, ask("10.0.0.2:1000").Code, "a new minute, a new allowance")
}

// A flood of made-up names, as random TLS SNIs make the edge ask about them or as Host
// headers: each is looked up once, the "no" answers stay in memory under their cap, and a
// name asked again within the minute costs no lookup.
func TestUnknownHostsAreRememberedInBoundedMemory(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	p := web.NewPlatform(nil, nil)
	p.SetAskLimits(1<<30, 1<<30, clk.Now)
	d := web.NewDispatcherWithClock(p, clk.Now)
	p.SetAsk(d.ClaimedBy)
	lookups := 0
	d.Claim("snapify", func(_ context.Context, host string) (bool, error) {
		lookups++
		return host == "shop.example.pk", nil
	}, named("snapify"))

	const flood = 50_000
	for i := range flood {
		host := fmt.Sprintf("r%d.example.net", i)
		if i%2 == 0 {
			require.Equal(t, http.StatusNotFound, get(d, "/internal/tls/ask?domain="+host, "10.0.0.2:1000", nil).Code)
		} else {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Host = host
			rec := httptest.NewRecorder()
			d.ServeHTTP(rec, req)
			require.Equal(t, http.StatusNotFound, rec.Code)
		}
	}
	require.Equal(t, flood, lookups)
	require.LessOrEqual(t, d.UnknownHosts(), 10_000, "the cap bounds the memory a flood takes")

	last := fmt.Sprintf("r%d.example.net", flood-1)
	require.Equal(t, http.StatusNotFound, get(d, "/internal/tls/ask?domain="+last, "10.0.0.2:1000", nil).Code)
	require.Equal(t, flood, lookups, "a recent no is answered from memory")
	clk.Advance(time.Minute)
	require.Equal(t, http.StatusNotFound, get(d, "/internal/tls/ask?domain="+last, "10.0.0.2:1000", nil).Code)
	require.Equal(t, flood+1, lookups, "after a minute the name is looked up again (it may be registered now)")

	rec := get(d, "/internal/tls/ask?domain=shop.example.pk", "10.0.0.2:1000", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	require.JSONEq(t, `{"domain":"shop.example.pk","module":"snapify"}`, rec.Body.String())
}
