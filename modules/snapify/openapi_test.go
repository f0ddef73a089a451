package snapify_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/web/openapitest"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIMatchesRoutes keeps the document the seller app and admin dashboard are built from
// in step with the routes: every route the module mounts is in the document at
// /api/openapi.json, every documented operation is routed, and kin-openapi validates it.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	e := echo.New()
	m.Web(e)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	// HTML, not API: uploaded pictures, and the buyer's store pages, hubs, search, sitemaps and
	// order form, which are the catch-alls GET, HEAD and POST /* (Check leaves wildcard routes
	// out by itself; a Skip("/*") would be the prefix "/" and skip every route).
	openapitest.Check(t, e, rec.Body.Bytes(), openapitest.Skip("/media/*"))
	openapitest.MatchCommitted(t, "snapify", rec.Body.Bytes())
	require.Greater(t, len(e.Routes()), 40)

	doc := rec.Body.String()
	for _, want := range []string{`"/api/v1/stores/{store}/products/{product_id}"`, `"/api/v1/admin/metrics"`,
		`"/api/v1/seller/login/verify"`, `"/api/v1/auth/sessions"`, `"domain_verification"`} {
		require.Contains(t, doc, want)
	}
	// Served to clients where it always was, with the viewer next to it.
	res, body := env.Do("GET", host, "/api/openapi.json", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.True(t, strings.HasPrefix(body, "{"), body)
	require.Contains(t, body, `"openapi":"3.1.0"`)
	res, body = env.Do("GET", host, "/api/docs", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, body, "/api/v1/stores/{store}/images")
}
