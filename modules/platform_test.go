package modules_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/modules"
	"github.com/alorig/alorig/modules/asms"
	"github.com/alorig/alorig/modules/sitebuilder"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func TestHostDispatch(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, modules.Registry())
	var rows []testkit.Scenario
	for _, m := range config.Defaults {
		for _, host := range append([]string{m.Name + ".localhost"}, m.Hosts...) {
			want := "Alorig · " + m.Name
			// Snapify's app. and admin. hosts serve the seller and admin apps at their root.
			switch host {
			case "app.snapify.pk":
				want = "<title>Snapify · Seller</title>"
			case "admin.snapify.pk":
				want = "<title>Snapify · Admin</title>"
			}
			rows = append(rows, testkit.Scenario{Host: host, Path: "/", Status: http.StatusOK,
				Contains: []string{"<!doctype html>", want}})
		}
		// Every module documents its API on its own hosts (docs/platform.md, "API documents").
		rows = append(rows,
			testkit.Scenario{Name: m.Name + " API document", Host: m.Name + ".localhost", Path: "/api/openapi.json", Status: http.StatusOK,
				Contains: []string{`"openapi":"3.1.0"`, `"/api/v1/auth/me"`}},
			testkit.Scenario{Name: m.Name + " API viewer", Host: m.Name + ".localhost", Path: "/api/docs", Status: http.StatusOK,
				Contains: []string{"<!doctype html>", "/api/openapi.json"}})
	}
	rows = append(rows,
		testkit.Scenario{Name: "port and upper case", Host: "ASMS.Alorig.COM:8080", Path: "/", Status: 200, Contains: []string{"Alorig · asms"}},
		testkit.Scenario{Name: "trailing dot", Host: "snapify.pk.", Path: "/", Status: 200, Contains: []string{"Alorig · snapify"}},
		testkit.Scenario{Name: "unknown host", Host: "example.org", Path: "/", Status: 404, Contains: []string{`"status":404`}},
		testkit.Scenario{Name: "health on any host", Host: "example.org", Path: "/healthz", Status: 200, Contains: []string{`"ok"`}},
		testkit.Scenario{Name: "ready lists every module", Host: "psydge.localhost", Path: "/readyz", Status: 200,
			Contains: []string{`"status":"ready"`, `"module":"asms","name":"database","ok":true`, `"module":"psydge","name":"redis","ok":true`}},
		testkit.Scenario{Name: "built site by lookup", Host: "demo.alorig.site", Path: "/", Status: 404, Contains: []string{"no site is served"}},
	)
	env.Run(t, rows)
}

func TestNotMountedAnswers421(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"asms": asms.New})
	env.Run(t, []testkit.Scenario{
		{Name: "mounted", Host: "asms.alorig.com", Path: "/", Status: 200, Contains: []string{"ASMS"}},
		{Name: "registered elsewhere", Host: "psydge.com", Path: "/", Status: http.StatusMisdirectedRequest, Contains: []string{"psydge module is not served by this process"}},
		{Name: "localhost of another", Host: "snapify.localhost", Path: "/", Status: http.StatusMisdirectedRequest},
		{Name: "unknown", Host: "nobody.example", Path: "/", Status: 404},
	})
}

func TestHostLookupAndTLSAsk(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"sitebuilder": sitebuilder.New, "asms": asms.New})
	sb := env.Mounted("sitebuilder")
	require.NoError(t, sb.Module.(platform.Seeder).Seed(context.Background()))
	_, err := sb.DB.ExecContext(context.Background(), "UPDATE sites SET custom_domain = 'bakery.example.pk' WHERE slug = 'demo'")
	require.NoError(t, err)
	env.Run(t, []testkit.Scenario{
		{Name: "subdomain", Host: "demo.alorig.site", Path: "/", Status: 200, Contains: []string{"Fresh bread every morning"}},
		{Name: "custom domain", Host: "Bakery.Example.PK", Path: "/", Status: 200, Contains: []string{"Demo Bakery"}},
		{Name: "missing page", Host: "demo.alorig.site", Path: "/nope", Status: 404},
		{Name: "ask approves a registered domain", Host: "anything", Path: "/internal/tls/ask?domain=bakery.example.pk", Status: 200, Contains: []string{`"module":"sitebuilder"`}},
		{Name: "ask refuses an unknown domain", Host: "anything", Path: "/internal/tls/ask?domain=evil.example", Status: 404},
		{Name: "ask refuses static names", Host: "anything", Path: "/internal/tls/ask?domain=asms.alorig.com", Status: 404},
	})
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"asms": asms.New}, testkit.WithEnv("ALORIG_BODY_LIMIT", "2048"))
	big := `{"email":"a@b.co","password":"` + strings.Repeat("x", 4096) + `"}`
	env.Run(t, []testkit.Scenario{
		{Name: "413 too large", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/register", Body: big, Status: 413,
			Contains: []string{"application/problem+json"[:0], "larger than 2048 bytes"}},
		{Name: "400 malformed", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/register", Body: `{"email": "a@b.co",`, Status: 400,
			Contains: []string{"malformed JSON"}},
		{Name: "400 unknown field", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/register", Body: `{"email":"a@b.co","password":"0123456789","admin":true}`, Status: 400,
			Contains: []string{`unknown field \"admin\"`}},
		{Name: "400 wrong type", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/register", Body: `{"email":5,"password":"0123456789"}`, Status: 400,
			Contains: []string{`"field":"email"`}},
		{Name: "415 wrong content type", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/register", Body: `{}`,
			Header: map[string]string{"Content-Type": "text/plain"}, Status: 415, Contains: []string{"application/json"}},
		{Name: "422 names each field", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/register", Body: `{"email":"nope","password":"short"}`, Status: 422,
			Contains: []string{`"field":"email"`, `"field":"password"`, "at least 10 characters"}},
		{Name: "problem content type", Method: "GET", Host: "asms.localhost", Path: "/no/such/page", Status: 404,
			Check: func(t testing.TB, res *http.Response, body string) {
				require.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
				require.NotEmpty(t, res.Header.Get("X-Request-ID"))
				var p map[string]any
				require.NoError(t, json.Unmarshal([]byte(body), &p))
				require.EqualValues(t, 404, p["status"])
			}},
		{Name: "request id honoured", Host: "asms.localhost", Path: "/", Header: map[string]string{"X-Request-ID": "abc-123"}, Status: 200,
			Check: func(t testing.TB, res *http.Response, _ string) {
				require.Equal(t, "abc-123", res.Header.Get("X-Request-ID"))
				require.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
				require.Empty(t, res.Header.Get("Strict-Transport-Security"), "HSTS is for production only")
			}},
	})
}

func TestSeedIsIdempotent(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"asms": asms.New})
	m := env.Mounted("asms")
	for range 2 {
		require.NoError(t, m.Module.(platform.Seeder).Seed(context.Background()))
	}
	var n int
	require.NoError(t, m.DB.QueryRowContext(context.Background(), "SELECT count(*) FROM schools").Scan(&n))
	require.Equal(t, 5, n)
}

func TestSessionCleanupRunsAsPeriodicJob(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"asms": asms.New})
	m := env.Mounted("asms")
	ctx := context.Background()
	u, err := m.Accounts.CreateAnonymous(ctx)
	require.NoError(t, err)
	_, err = m.Accounts.IssueSession(ctx, u.ID, "127.0.0.1", "test")
	require.NoError(t, err)
	// Expire it in the database's terms: the job compares with the injected clock.
	env.Clock.Advance(40 * 24 * time.Hour)
	env.StartWorkers()
	require.Eventually(t, func() bool {
		var n int
		_ = m.DB.QueryRowContext(ctx, "SELECT count(*) FROM sessions").Scan(&n)
		return n == 0
	}, 15*time.Second, 100*time.Millisecond, "the leader should enqueue asms.cleanup_sessions on start and a worker should run it")
	require.Eventually(t, func() bool {
		var kind string
		_ = m.DB.QueryRowContext(ctx, "SELECT kind FROM river_job WHERE state = 'completed' LIMIT 1").Scan(&kind)
		return kind == "asms.cleanup_sessions"
	}, 10*time.Second, 100*time.Millisecond, "the job row is completed under its module-qualified kind")
}

func TestCookieSessionsNeedCSRFAndBearerDoesNot(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"asms": asms.New})
	res, body := env.Do("POST", "asms.localhost", "/api/v1/auth/register", nil, `{"email":"head@school.pk","password":"a long passphrase"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	var signed struct {
		Token     string `json:"token"`
		CSRFToken string `json:"csrf_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &signed))
	var session, csrfCookie *http.Cookie
	for _, c := range res.Cookies() {
		switch c.Name {
		case "asms_session":
			session = c
		case "asms_csrf":
			csrfCookie = c
		}
	}
	require.NotNil(t, session)
	require.True(t, session.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, session.SameSite)
	require.NotNil(t, csrfCookie)
	require.False(t, csrfCookie.HttpOnly, "scripts read the CSRF cookie to send it back as a header")
	cookie := map[string]string{"Cookie": "asms_session=" + session.Value}

	env.Run(t, []testkit.Scenario{
		{Name: "cookie GET needs no CSRF", Host: "asms.localhost", Path: "/api/v1/auth/me", Header: cookie, Status: 200, Contains: []string{"head@school.pk"}},
		{Name: "cookie POST without CSRF", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/logout", Header: cookie, Status: 403, Contains: []string{"CSRF"}},
		{Name: "cookie POST with wrong CSRF", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/logout",
			Header: map[string]string{"Cookie": cookie["Cookie"], "X-CSRF-Token": "nope"}, Status: 403},
		{Name: "bearer lists sessions", Host: "asms.localhost", Path: "/api/v1/auth/sessions", Header: map[string]string{"Authorization": "Bearer " + signed.Token},
			Status: 200, Contains: []string{`"current":true`}},
		{Name: "cookie POST with CSRF", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/logout",
			Header: map[string]string{"Cookie": cookie["Cookie"], "X-CSRF-Token": signed.CSRFToken}, Status: 204},
		{Name: "revoked bearer", Host: "asms.localhost", Path: "/api/v1/auth/me", Header: map[string]string{"Authorization": "Bearer " + signed.Token},
			Status: 401, Contains: []string{"INVALID_TOKEN"}},
		{Name: "not signed in", Host: "asms.localhost", Path: "/api/v1/auth/me", Status: 401},
		{Name: "wrong password and unknown account read the same", Method: "POST", Host: "asms.localhost", Path: "/api/v1/auth/login",
			Body: `{"email":"nobody@school.pk","password":"a long passphrase"}`, Status: 401, Contains: []string{"email or password is incorrect"}},
	})
}

// ASMS's role table is handed out as copies: a caller cannot widen a role for everyone.
func TestASMSRolesAndPolicyAreCopies(t *testing.T) {
	t.Parallel()
	asms.Roles()[0] = "nobody"
	p := asms.Policy()
	p["parent"] = append(p["parent"], "fees:write")
	p["parent"][0] = "grades:write"
	require.Equal(t, "ho_admin", asms.Roles()[0])
	require.Len(t, asms.Roles(), 10)
	require.False(t, asms.Policy().Can("parent", "fees:write"))
	require.False(t, asms.Policy().Can("parent", "grades:write"))
	require.True(t, asms.Policy().Can("ho_admin", "users:write"))
}
