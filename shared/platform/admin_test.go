package platform_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
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
