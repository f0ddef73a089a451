package auth_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// keyed answers 200 behind mw, so the test sees only what the gate decides.
func keyed(t *testing.T, mw echo.MiddlewareFunc) func(key string) *httptest.ResponseRecorder {
	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(slog.New(slog.DiscardHandler))
	e.GET("/", func(c echo.Context) error {
		require.NotNil(t, auth.CurrentAPIKey(c))
		return c.NoContent(http.StatusOK)
	}, mw)
	return func(key string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("X-API-Key", key)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
}

// The gate and RequireAPIKey are one charger: same headers, same limit, same Redis state.
func TestAPIKeyGateChargesLikeRequireAPIKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := newService(t)
	u, err := s.Register(ctx, "gate@example.pk", "a long passphrase", "")
	require.NoError(t, err)
	plain, _, err := s.CreateAPIKey(ctx, u.ID, "ci", auth.Tier{Name: "free", PerMinute: 3, DailyQuota: 100})
	require.NoError(t, err)
	g := s.NewAPIKeyGate(10 * time.Second)
	t.Cleanup(g.Close)
	viaGate, viaService := keyed(t, g.Middleware()), keyed(t, s.RequireAPIKey())

	rec := viaGate(plain)
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "3", rec.Header().Get("X-RateLimit-Limit"))
	require.Equal(t, "2", rec.Header().Get("X-RateLimit-Remaining"))
	require.Equal(t, http.StatusOK, viaService(plain).Code)
	rec = viaGate(plain)
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "0", rec.Header().Get("X-RateLimit-Remaining"), "both paths spent the same bucket")
	rec = viaService(plain)
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	require.Equal(t, "20", rec.Header().Get("Retry-After"))

	clk.Advance(time.Minute)
	require.Equal(t, http.StatusUnauthorized, viaGate("ak_asms_nonsense").Code)
}

// A revocation applies at once in every process, even where the key is still in a gate's
// memory: two gates stand for two processes.
func TestRevokedKeyIsRefusedByEveryGateAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t)
	u, err := s.Register(ctx, "revoke@example.pk", "a long passphrase", "")
	require.NoError(t, err)
	plain, k, err := s.CreateAPIKey(ctx, u.ID, "ci", auth.Tier{Name: "free", PerMinute: 60, DailyQuota: 100})
	require.NoError(t, err)
	a, b := s.NewAPIKeyGate(time.Minute), s.NewAPIKeyGate(time.Minute)
	t.Cleanup(a.Close)
	t.Cleanup(b.Close)
	viaA, viaB := keyed(t, a.Middleware()), keyed(t, b.Middleware())
	require.Equal(t, http.StatusOK, viaA(plain).Code)
	require.Equal(t, http.StatusOK, viaB(plain).Code)

	require.NoError(t, s.RevokeAPIKey(ctx, u.ID, k.ID))
	require.Equal(t, http.StatusUnauthorized, viaA(plain).Code)
	require.Equal(t, http.StatusUnauthorized, viaB(plain).Code)
	_, err = s.ChargeAPIKey(ctx, k)
	require.ErrorIs(t, err, auth.ErrInvalidKey)
}
