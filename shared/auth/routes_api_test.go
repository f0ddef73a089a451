package auth_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/shared/web/openapitest"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// documentedAccounts mounts the account endpoints with MountAPI and serves their document,
// as a module with an API document does.
type documentedAccounts struct {
	d   platform.Deps
	rs  auth.RouteSet
	api *web.API
}

func (m *documentedAccounts) Name() string { return "asms" }
func (m *documentedAccounts) Web(e *echo.Echo) {
	m.api = web.NewAPI("Accounts", "1")
	if m.d.Accounts != nil { // nil where only the routes are listed
		m.api.SessionCookie = m.d.Accounts.CookieName()
	}
	auth.MountAPI(m.api.On(e.Group("/api/v1/auth"), "accounts"), m.d.Accounts, m.rs)
	m.api.Mount(e, "/api")
}

// Every account endpoint MountAPI mounts is in the document, and nothing else is: with and
// without password sign-in and API keys. kin-openapi validates each document.
func TestMountAPIDocumentsEveryAccountEndpoint(t *testing.T) {
	t.Parallel()
	for name, rs := range map[string]auth.RouteSet{
		"password sign-in and keys": {PasswordSignIn: true, Tiers: testTiers},
		"password sign-in":          {PasswordSignIn: true},
		"own sign-in":               {},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := &documentedAccounts{rs: rs}
			e := echo.New()
			m.Web(e)
			openapitest.Check(t, e, m.api.JSON())

			var doc struct {
				Paths map[string]map[string]struct {
					Responses map[string]struct {
						Content map[string]any `json:"content"`
					} `json:"responses"`
					Security []map[string][]string `json:"security"`
				} `json:"paths"`
			}
			require.NoError(t, json.Unmarshal(m.api.JSON(), &doc))
			_, keys := doc.Paths["/api/v1/auth/keys"]
			require.Equal(t, rs.Tiers != nil, keys, "API keys are documented exactly when tiers are set")
			_, register := doc.Paths["/api/v1/auth/register"]
			require.Equal(t, rs.PasswordSignIn, register)
			me := doc.Paths["/api/v1/auth/me"]["get"]
			require.Contains(t, me.Security, map[string][]string{"bearer": {}}, "me needs a signed-in user")
			require.Contains(t, me.Responses, "401")
			if rs.PasswordSignIn {
				login := doc.Paths["/api/v1/auth/login"]["post"]
				require.Empty(t, login.Security, "sign-in needs no credentials")
				require.Contains(t, login.Responses, "401", "wrong credentials")
				require.Contains(t, login.Responses, "429", "login back-off")
				form := doc.Paths["/api/v1/auth/password/reset/confirm"]["get"]
				require.Contains(t, form.Responses["200"].Content, echo.MIMETextHTMLCharsetUTF8, "the reset form is an HTML page")
				require.Contains(t, doc.Paths["/api/v1/auth/password/reset"]["post"].Responses, "503", "no mail configured")
			}
		})
	}
}

// Mount, for modules without a document, routes exactly what MountAPI routes.
func TestMountRoutesWhatMountAPIDocuments(t *testing.T) {
	t.Parallel()
	routes := func(e *echo.Echo) []string {
		var out []string
		for _, r := range e.Routes() {
			if r.Method != echo.RouteNotFound && r.Name != web.DocsRouteName {
				out = append(out, r.Method+" "+r.Path)
			}
		}
		slices.Sort(out)
		return out
	}
	rs := auth.RouteSet{PasswordSignIn: true, Tiers: testTiers}
	legacy, documented := echo.New(), echo.New()
	auth.Mount(legacy.Group("/api/v1/auth"), nil, rs)
	auth.MountAPI(web.NewAPI("a", "1").On(documented.Group("/api/v1/auth")), nil, rs)
	require.Equal(t, routes(documented), routes(legacy))
	require.Contains(t, routes(legacy), "DELETE /api/v1/auth/sessions/:session_id")
}

// The documented endpoints answer as documented: sign up, read me, list sessions, and a
// malformed session id is 404 "no such session" as web.PathID answers.
func TestMountAPIServesTheAccountEndpoints(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"asms": func(d platform.Deps) (platform.Module, error) {
		return &documentedAccounts{d: d, rs: auth.RouteSet{PasswordSignIn: true, Tiers: testTiers}}, nil
	}})
	res, body := env.Do(http.MethodPost, host, "/api/v1/auth/register", nil,
		`{"email":"doc@example.com","password":"correct horse battery"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	var in auth.SignedIn
	require.NoError(t, json.Unmarshal([]byte(body), &in))
	require.NotEmpty(t, in.Token)
	env.Run(t, []testkit.Scenario{
		{Name: "me", Method: http.MethodGet, Host: host, Path: "/api/v1/auth/me", Header: bearer(in.Token),
			Status: http.StatusOK, Contains: []string{`"email":"doc@example.com"`}},
		{Name: "sessions", Method: http.MethodGet, Host: host, Path: "/api/v1/auth/sessions", Header: bearer(in.Token),
			Status: http.StatusOK, Contains: []string{`"sessions":[`, `"current":true`}},
		{Name: "bad session id", Method: http.MethodDelete, Host: host, Path: "/api/v1/auth/sessions/-3", Header: bearer(in.Token),
			Status: http.StatusNotFound, Contains: []string{"no such session"}},
		{Name: "the document", Method: http.MethodGet, Host: host, Path: "/api/openapi.json",
			Status: http.StatusOK, Contains: []string{`"/api/v1/auth/password/reset/confirm"`, `"SignedIn"`}},
	})
}
