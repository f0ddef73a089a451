package platform_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// surfaced stands in for a module with an extra surface, under psydge's name so it gets
// psydge's hosts and its ws surface.
type surfaced struct{}

func (surfaced) Name() string { return "psydge" }
func (surfaced) Web(e *echo.Echo) {
	e.GET("/", func(c echo.Context) error { return c.String(200, "web surface") })
}
func (surfaced) Surface(name string, e *echo.Echo) {
	e.GET("/", func(c echo.Context) error { return c.String(200, name+" surface") })
}

func TestSurfacesMountOnTheirOwnHosts(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"psydge": func(platform.Deps) (platform.Module, error) { return surfaced{}, nil }})
	get := func(h http.Handler, host string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	for _, tc := range []struct {
		surface, host string
		code          int
		body          string
	}{
		{"web", "psydge.com", 200, "web surface"},
		{"web", "ws.psydge.com", http.StatusNotFound, ""},
		{"ws", "ws.psydge.com", 200, "ws surface"},
		{"ws", "psydge.com", http.StatusNotFound, ""},
		{"ws", "psydge.localhost", 200, "ws surface"},
		{"all", "psydge.com", 200, "web surface"},
		{"all", "ws.psydge.com", 200, "ws surface"},
		{"all", "ws.psydge.localhost", 200, "ws surface"},
		{"all", "psydge.localhost", 200, "web surface"},
	} {
		code, body := get(env.Runtime.Handler(tc.surface), tc.host)
		require.Equal(t, tc.code, code, "%s %s", tc.surface, tc.host)
		if tc.body != "" {
			require.Equal(t, tc.body, body, "%s %s", tc.surface, tc.host)
		}
	}
}

// A serving process's pool carries statement_timeout: PostgreSQL cancels a runaway query.
func TestServePoolHasStatementTimeout(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"psydge": func(platform.Deps) (platform.Module, error) { return surfaced{}, nil }},
		testkit.WithEnv("ALORIG_DB_STATEMENT_TIMEOUT", "250ms"))
	db := env.Mounted("psydge").DB
	var setting string
	require.NoError(t, db.QueryRowContext(t.Context(), "SHOW statement_timeout").Scan(&setting))
	require.Equal(t, "250ms", setting)
	_, err := db.ExecContext(t.Context(), "SELECT pg_sleep(3)")
	require.True(t, database.IsStatementTimeout(err), "%v", err)
}

// Uploads on slow networks outlast any whole-request read timeout; the per-request deadline
// (web.Deadline) bounds requests instead, so the server has none and writes for long enough.
func TestServerHasNoWholeRequestReadTimeout(t *testing.T) {
	t.Parallel()
	srv := platform.NewServer(http.NotFoundHandler())
	require.Zero(t, srv.ReadTimeout)
	require.NotZero(t, srv.ReadHeaderTimeout)
	require.GreaterOrEqual(t, srv.WriteTimeout, 10*time.Minute)
}
