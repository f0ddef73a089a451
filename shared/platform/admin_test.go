package platform_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/alorig/alorig/shared/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

func TestAdminServesMetricsAndRiverUIBehindItsToken(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"psydge": func(platform.Deps) (platform.Module, error) { return surfaced{}, nil }})
	reg := prometheus.NewRegistry()
	h, err := env.Runtime.AdminHandler(context.Background(), reg, "s3cret")
	require.NoError(t, err)
	get := func(path, token string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		b, _ := io.ReadAll(rec.Result().Body)
		return rec.Code, string(b)
	}
	code, _ := get("/metrics", "")
	require.Equal(t, http.StatusUnauthorized, code)
	code, _ = get("/metrics", "wrong")
	require.Equal(t, http.StatusUnauthorized, code)
	code, body := get("/metrics", "s3cret")
	require.Equal(t, 200, code)
	for _, want := range []string{"go_goroutines", `go_sql_open_connections{db_name="psydge"}`, "process_resident_memory_bytes"} {
		require.True(t, strings.Contains(body, want), "metrics lack %s", want)
	}
	code, _ = get("/healthz", "")
	require.Equal(t, 200, code, "container health checks need no token")
	code, _ = get("/debug/pprof/goroutine?debug=1", "")
	require.Equal(t, http.StatusUnauthorized, code, "profiles are behind the token")
	code, body = get("/debug/pprof/goroutine?debug=1", "s3cret")
	require.Equal(t, 200, code)
	require.Contains(t, body, "goroutine profile:")
	code, body = get("/riverui/psydge/", "s3cret")
	require.Equal(t, 200, code)
	require.Contains(t, body, "<html")
}

// checked is a module whose outside service is down: its check fails with a detail that only
// the machine's own callers may read.
type checked struct{ surfaced }

func (checked) Checks() []web.Check {
	return []web.Check{{Module: "psydge", Name: "broker", Optional: true,
		Run: func(context.Context) error { return errors.New("dial tcp 10.0.0.7:443: connection refused") }}}
}

// The admin listener answers /readyz with each check's error, token or not being the only
// gate; a public host relayed by the edge sees only ok per check.
func TestAdminReadyzShowsEachChecksError(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"psydge": func(platform.Deps) (platform.Module, error) { return checked{}, nil }})
	h, err := env.Runtime.AdminHandler(context.Background(), prometheus.NewRegistry(), "s3cret")
	require.NoError(t, err)
	ready := func(h http.Handler, token string, forwarded bool) (int, string) {
		req := httptest.NewRequest(http.MethodGet, "/readyz", nil)
		req.Host = "psydge.com"
		req.RemoteAddr = "127.0.0.1:5555"
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if forwarded {
			req.Header.Set("X-Forwarded-For", "203.0.113.9")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	code, _ := ready(h, "", false)
	require.Equal(t, http.StatusUnauthorized, code, "readiness details are behind the admin token")
	code, body := ready(h, "s3cret", false)
	require.Equal(t, http.StatusOK, code, "an optional check failing leaves the process ready: %s", body)
	require.Contains(t, body, `"name":"broker","ok":false,"error":"dial tcp 10.0.0.7:443: connection refused"`)
	require.Contains(t, body, `"name":"database","ok":true`)

	code, body = ready(env.Runtime.Handler("web"), "", true)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `"name":"broker","ok":false}`)
	require.NotContains(t, body, "10.0.0.7", "a relayed caller sees no dependency details")
}
