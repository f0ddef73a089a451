package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

func spaServer(t *testing.T) *echo.Echo {
	t.Helper()
	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(nil)
	bundle := fstest.MapFS{
		"index.html":           {Data: []byte(`<!doctype html><html><head><script type="module" src="/app/assets/index-abc.js"></script></head><body><div id="root"></div></body></html>`)},
		"assets/index-abc.js":  {Data: []byte(strings.Repeat("console.log('panel');\n", 100))},
		"manifest.webmanifest": {Data: []byte(`{"name":"panel"}`)},
	}
	require.NoError(t, web.MountSPA(e, "/app", bundle, web.SPAOptions{Connect: []string{"wss://ws.example.com"}}))
	return e
}

func spaGet(e *echo.Echo, path string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestSPAServesHashedAssetsImmutable(t *testing.T) {
	e := spaServer(t)
	rec := spaGet(e, "/app/assets/index-abc.js")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "public, max-age=31536000, immutable", rec.Header().Get("Cache-Control"))
	require.Contains(t, rec.Header().Get("Content-Type"), "javascript")
	require.Contains(t, rec.Body.String(), "console.log('panel')")

	// Precompressed for clients that accept gzip, and the same bytes once inflated.
	rec = spaGet(e, "/app/assets/index-abc.js", "Accept-Encoding", "gzip, br")
	require.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
	zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	require.Equal(t, strings.Repeat("console.log('panel');\n", 100), string(plain))

	// Revalidation by ETag.
	etag := rec.Header().Get("ETag")
	require.NotEmpty(t, etag)
	require.Equal(t, http.StatusNotModified, spaGet(e, "/app/assets/index-abc.js", "If-None-Match", etag).Code)
}

func TestSPAMissingAssetIsNotTheShell(t *testing.T) {
	e := spaServer(t)
	rec := spaGet(e, "/app/assets/index-old.js")
	require.Equal(t, http.StatusNotFound, rec.Code)
	require.NotContains(t, rec.Body.String(), "<!doctype html>")
	require.Equal(t, http.StatusNotFound, spaGet(e, "/app/favicon.png").Code)
}

func TestSPAClientRoutesGetTheUncachedShellWithStrictCSP(t *testing.T) {
	e := spaServer(t)
	for _, p := range []string{"/app/", "/app/positions", "/app/history/scores", "/app/index.html"} {
		rec := spaGet(e, p)
		require.Equal(t, http.StatusOK, rec.Code, p)
		require.Contains(t, rec.Body.String(), `<div id="root">`, p)
		require.Equal(t, "no-cache", rec.Header().Get("Cache-Control"), p)
		csp := rec.Header().Get("Content-Security-Policy")
		require.Contains(t, csp, "script-src 'self';", p)
		require.Contains(t, csp, "style-src 'self';", p)
		require.NotContains(t, csp, "unsafe-inline", p)
		require.Contains(t, csp, "connect-src 'self' wss://ws.example.com;", p)
	}
	rec := spaGet(e, "/app")
	require.Equal(t, http.StatusMovedPermanently, rec.Code)
	require.Equal(t, "/app/", rec.Header().Get("Location"))
	// A root file that is not hashed is served, but revalidated.
	rec = spaGet(e, "/app/manifest.webmanifest")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "no-cache", rec.Header().Get("Cache-Control"))
}

func TestMountAppWithoutBundleSaysSo(t *testing.T) {
	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(nil)
	web.MountApp(e, "/app", nil, io.ErrUnexpectedEOF, web.SPAOptions{})
	rec := spaGet(e, "/app/")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Contains(t, rec.Body.String(), "APP_NOT_BUILT")
}

func TestSPAWorkersAndExtraOriginsInCSP(t *testing.T) {
	e := echo.New()
	bundle := fstest.MapFS{"index.html": {Data: []byte(`<!doctype html><div id="root"></div>`)}}
	require.NoError(t, web.MountSPA(e, "/app", bundle, web.SPAOptions{
		Images: []string{"https://cdn.example.com"}, Frames: []string{"https://shop.example.com"}}))
	csp := spaGet(e, "/app/").Header().Get("Content-Security-Policy")
	require.Contains(t, csp, "worker-src 'self';")
	require.Contains(t, csp, "manifest-src 'self';")
	require.Contains(t, csp, "img-src 'self' https://cdn.example.com data: blob:;")
	require.Contains(t, csp, "frame-src 'self' https://shop.example.com;")
	require.Contains(t, csp, "frame-ancestors 'none'")
}

// An app at the root of a host of its own: the same rules as under a prefix, with the request's
// path being the path inside the app.
func TestHostAppServesAtTheRoot(t *testing.T) {
	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(nil)
	bundle := fstest.MapFS{
		"index.html":          {Data: []byte(`<!doctype html><html><body><div id="root"></div></body></html>`)},
		"assets/index-abc.js": {Data: []byte(strings.Repeat("console.log('seller');\n", 100))},
		"sw.js":               {Data: []byte(strings.Repeat("self.addEventListener('fetch', () => {});\n", 20))},
	}
	h := web.HostApp(bundle, nil, web.SPAOptions{})
	e.GET("/*", h)
	e.HEAD("/*", h)

	for _, p := range []string{"/", "/orders", "/products/12/edit"} {
		rec := spaGet(e, p)
		require.Equal(t, http.StatusOK, rec.Code, p)
		require.Contains(t, rec.Body.String(), `<div id="root">`, p)
		require.Equal(t, "no-cache", rec.Header().Get("Cache-Control"), p)
		require.Contains(t, rec.Header().Get("Content-Security-Policy"), "script-src 'self';", p)
	}
	rec := spaGet(e, "/assets/index-abc.js", "Accept-Encoding", "gzip")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "public, max-age=31536000, immutable", rec.Header().Get("Cache-Control"))
	require.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
	require.Equal(t, http.StatusNotModified, spaGet(e, "/assets/index-abc.js", "If-None-Match", rec.Header().Get("ETag")).Code)
	require.Equal(t, http.StatusNotFound, spaGet(e, "/assets/index-old.js").Code)

	// The service worker is a root file: served as JavaScript, revalidated on every load.
	rec = spaGet(e, "/sw.js")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "no-cache", rec.Header().Get("Cache-Control"))
	require.Contains(t, rec.Header().Get("Content-Type"), "javascript")

	unbuilt := echo.New()
	unbuilt.HTTPErrorHandler = web.ErrorHandler(nil)
	unbuilt.GET("/*", web.HostApp(nil, io.ErrUnexpectedEOF, web.SPAOptions{}))
	rec = spaGet(unbuilt, "/orders")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Contains(t, rec.Body.String(), "APP_NOT_BUILT")
}
