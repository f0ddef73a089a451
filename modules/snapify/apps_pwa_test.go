package snapify_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// The seller app is served at the root of app., the admin app at the root of admin.; every
// other Snapify host keeps the buyer's pages, and the API answers on every host.
func TestAppsHaveHostsOfTheirOwn(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok, _ := newStore(t, env, "03001230001", "app-host-shop")

	for _, h := range []string{"app.snapify.localhost", "app.snapify.localhost:8190", "APP.Snapify.localhost"} {
		for _, p := range []string{"/", "/orders", "/products/new"} {
			res, body := env.Do("GET", h, p, nil, "")
			require.Equal(t, http.StatusOK, res.StatusCode, h+p+body)
			require.Contains(t, body, `<div id="root">`, h+p)
			require.Equal(t, "no-cache", res.Header.Get("Cache-Control"), h+p)
			csp := res.Header.Get("Content-Security-Policy")
			require.Contains(t, csp, "script-src 'self';", h+p)
			require.Contains(t, csp, "worker-src 'self';", h+p)
		}
	}
	res, body := env.Do("GET", "admin.snapify.localhost", "/stores", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, body, `<div id="root">`)
	require.NotEqual(t, "", res.Header.Get("Content-Security-Policy"))

	// A store's page is still the buyer's page on the platform host, not the app.
	res, body = env.Do("GET", host, "/app-host-shop", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, body, `<div id="root">`)
	require.Contains(t, body, "Store app-host-shop")
	require.NotContains(t, res.Header.Get("Content-Security-Policy"), "worker-src")

	// The API on the app host: the seller's own stores, and an unknown API path is the API's
	// 404, never the app's shell.
	res, body = env.Do("GET", "app.snapify.localhost", "/api/v1/stores", bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, "app-host-shop")
	res, body = env.Do("GET", "app.snapify.localhost", "/api/v1/no-such-thing", nil, "")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.NotContains(t, body, `<div id="root">`)
	// A missing hashed file is a 404 on the app host.
	res, _ = env.Do("GET", "app.snapify.localhost", "/assets/index-gone.js", nil, "")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}
