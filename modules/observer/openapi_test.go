package observer_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alorig/alorig/modules/observer"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/alorig/alorig/shared/web/openapitest"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// Every route the module mounts is in its API document and every documented operation is
// routed; kin-openapi validates the document.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"observer": observer.New})
	e := echo.New()
	env.Mounted("observer").Module.Web(e)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	openapitest.Check(t, e, rec.Body.Bytes(),
		openapitest.Skip("/")) // the landing page: HTML, not API
	require.Contains(t, rec.Body.String(), `"/api/v1/auth/login"`, "the account endpoints are documented")
	require.Contains(t, rec.Body.String(), `"observer_session"`, "the session cookie has the module's name")
}

// The document and its viewer answer on the module's host.
func TestAPIDocumentServed(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"observer": observer.New})
	env.Run(t, []testkit.Scenario{
		{Name: "document", Host: "observer.localhost", Path: "/api/openapi.json", Status: 200,
			Contains: []string{`"openapi":"3.1.0"`, `"title":"Observer OS API"`},
			Check: func(t testing.TB, res *http.Response, _ string) {
				require.Equal(t, echo.MIMEApplicationJSON, res.Header.Get("Content-Type"))
			}},
		{Name: "viewer", Host: "observeros.com", Path: "/api/docs", Status: 200,
			Contains: []string{"<!doctype html>", "Observer OS API", "/api/v1/auth/anonymous"},
			Check: func(t testing.TB, res *http.Response, _ string) {
				require.Equal(t, echo.MIMETextHTMLCharsetUTF8, res.Header.Get("Content-Type"))
			}},
	})
}
