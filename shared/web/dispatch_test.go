package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alorig/alorig/shared/web"
	"github.com/stretchr/testify/require"
)

type named string

func (n named) ServeHTTP(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(n)) }

func TestCanonicalHost(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"psydge.com": "psydge.com", "PSYDGE.com:8012": "psydge.com", "psydge.com.": "psydge.com",
		"[::1]:8080": "[::1]", "localhost": "localhost", "Snapify.PK.:443": "snapify.pk",
	} {
		require.Equal(t, want, web.CanonicalHost(in), in)
	}
}

func TestDispatcherCachesLookups(t *testing.T) {
	t.Parallel()
	calls := 0
	d := web.NewDispatcher(named("platform"))
	d.Mount(named("psydge"), "psydge.com")
	d.Claim("snapify", func(_ context.Context, host string) (bool, error) {
		calls++
		return host == "shop.example.pk", nil
	}, named("snapify"))
	serve := func(host string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	_, body := serve("shop.example.pk")
	require.Equal(t, "snapify", body)
	_, _ = serve("SHOP.example.pk:443")
	code, _ := serve("other.example.pk")
	require.Equal(t, 404, code)
	_, _ = serve("other.example.pk")
	require.Equal(t, 2, calls, "one lookup per host, positive and negative answers cached")
	d.ForgetHost("shop.example.pk")
	_, _ = serve("shop.example.pk")
	require.Equal(t, 3, calls, "a forgotten host is looked up again")
	_, body = serve("psydge.com")
	require.Equal(t, "psydge", body, "static names never consult lookups")
	require.Equal(t, 3, calls)
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkDispatch measures what the dispatcher adds to a request: canonicalising the Host
// and picking the module's handler (the handler here does nothing).
func BenchmarkDispatch(b *testing.B) {
	d := web.NewDispatcher(http.NotFoundHandler())
	noop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, h := range []string{"psydge.com", "snapify.pk", "sitebuilder.alorig.com", "observeros.com", "astrotiming.com", "asms.alorig.com"} {
		d.Mount(noop, h, h+".localhost")
	}
	for name, host := range map[string]string{"exact": "asms.alorig.com", "port_and_case": "ASMS.Alorig.com:8022"} {
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Host = host
			w := &discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				d.ServeHTTP(w, req)
			}
		})
	}
}
