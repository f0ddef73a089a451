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
