package snapify_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIListsEverySellerAndAdminRoute keeps the document the PWA and admin SPA are built
// from in step with the routes.
func TestOpenAPIListsEverySellerAndAdminRoute(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	_, body := env.Do("GET", host, "/api/openapi.json", nil, "")
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &doc))
	require.Equal(t, "3.1.0", doc.OpenAPI)
	e := echo.New()
	m.Web(e)
	param := regexp.MustCompile(`:([a-z_]+)`)
	n := 0
	for _, r := range e.Routes() {
		// Groups with middleware add catch-alls (echo's NotFoundHandler on /prefix and /prefix/*).
		if !strings.HasPrefix(r.Path, "/api/v1/") || strings.HasPrefix(r.Path, "/api/v1/auth") ||
			strings.Contains(r.Path, "*") || strings.Contains(r.Name, "labstack/echo") {
			continue
		}
		path := param.ReplaceAllString(r.Path, "{$1}")
		ops, ok := doc.Paths[path]
		require.True(t, ok, "openapi.json lacks %s", path)
		require.Contains(t, ops, strings.ToLower(r.Method), "openapi.json lacks %s %s", r.Method, path)
		n++
	}
	require.Greater(t, n, 25)
}
