package astrotiming_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/alorig/alorig/modules/astrotiming/gcal"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// browser is a signed-in browser: its session and CSRF cookies.
type browser struct {
	cookie, csrf, token, email string
}

// signIn registers a user through the API and keeps the cookies the answer sets.
func signIn(t *testing.T, env *testkit.Env) browser {
	t.Helper()
	email := fmt.Sprintf("cal%d@example.com", userSeq.Add(1))
	res, body := env.Do("POST", host, "/api/v1/auth/register", nil, `{"email":"`+email+`","password":"correct horse battery"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	return cookies(t, res, body, email)
}

// elsewhere signs the same user in again: another session, in another browser.
func (b browser) elsewhere(t *testing.T, env *testkit.Env) browser {
	t.Helper()
	res, body := env.Do("POST", host, "/api/v1/auth/login", nil, `{"email":"`+b.email+`","password":"correct horse battery"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	return cookies(t, res, body, b.email)
}

func cookies(t *testing.T, res *http.Response, body, email string) browser {
	b := browser{email: email}
	var parts []string
	for _, c := range res.Cookies() {
		parts = append(parts, c.Name+"="+c.Value)
		if strings.HasSuffix(c.Name, "_csrf") {
			b.csrf = c.Value
		}
	}
	b.cookie = strings.Join(parts, "; ")
	b.token = decode[struct {
		Token string `json:"token"`
	}](t, body).Token
	require.NotEmpty(t, b.csrf)
	return b
}

func (b browser) get(env *testkit.Env, path string) (*http.Response, string) {
	return env.Do("GET", host, path, map[string]string{"Cookie": b.cookie}, "")
}

func (b browser) post(env *testkit.Env, path string, form url.Values) (*http.Response, string) {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", b.csrf)
	}
	return env.Do("POST", host, path, map[string]string{"Cookie": b.cookie, "Content-Type": "application/x-www-form-urlencoded"}, form.Encode())
}

// follow asks the fake's consent screen (the user consents) and returns where Google sends the
// browser back.
func follow(t *testing.T, to string) *url.URL {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(to)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	return back
}

func notice(t *testing.T, res *http.Response) string {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	loc, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, astrotiming.CalendarPagePath, loc.Path)
	return loc.Query().Get("notice")
}

func startWithGoogle(t *testing.T) (*testkit.Env, *astrotiming.Module, *gcal.Fake) {
	fake := gcal.NewFake()
	t.Cleanup(fake.Close)
	cfg := fake.Config()
	const public = "https://astrotiming.example"
	fake.Register(public + astrotiming.GoogleCallbackPath)
	env, m := start(t, testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_CALENDAR_BASE", cfg.BaseURL),
		testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_TOKEN_URL", cfg.TokenURL),
		testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_AUTH_URL", cfg.AuthURL),
		testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_REVOKE_URL", cfg.RevokeURL),
		testkit.WithEnv("ALORIG_ASTROTIMING_PUBLIC_URL", public),
		testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_CLIENT_ID", cfg.ClientID),
		testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_CLIENT_SECRET", cfg.ClientSecret))
	return env, m, fake
}

// connect runs the consent flow for b up to Google's answer and returns the callback path.
func connect(t *testing.T, env *testkit.Env, b browser) string {
	t.Helper()
	res, body := b.post(env, astrotiming.GoogleConnectPath, nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, body)
	to := res.Header.Get("Location")
	q, err := url.Parse(to)
	require.NoError(t, err)
	require.Equal(t, "S256", q.Query().Get("code_challenge_method"))
	require.Equal(t, "offline", q.Query().Get("access_type"))
	require.Equal(t, gcal.Scope, q.Query().Get("scope"))
	require.Empty(t, q.Query().Get("code_verifier"), "the verifier never leaves the server")
	back := follow(t, to)
	require.Equal(t, astrotiming.GoogleCallbackPath, back.Path)
	return back.Path + "?" + back.RawQuery
}

func TestGoogleConsentFlow(t *testing.T) {
	t.Parallel()
	env, m, fake := startWithGoogle(t)
	ctx := context.Background()
	db := env.Mounted("astrotiming").DB
	b := signIn(t, env)

	// A free plan is sent back to the page; nothing goes to Google.
	res, _ := b.post(env, astrotiming.GoogleConnectPath, nil)
	require.Equal(t, "plan", notice(t, res))
	key := apiKey(newKey(t, env, b.token, "premium"))

	// Without the CSRF token the form is refused.
	res, _ = b.post(env, astrotiming.GoogleConnectPath, url.Values{"csrf_token": {"forged"}})
	require.Equal(t, http.StatusForbidden, res.StatusCode)

	// The page offers the button.
	res, body := b.get(env, astrotiming.CalendarPagePath)
	require.Equal(t, 200, res.StatusCode)
	require.Contains(t, body, "Connect Google Calendar")
	require.Contains(t, body, `value="`+b.csrf+`"`)

	callback := connect(t, env, b)
	// Another session, of another user or of the same one, cannot complete this attempt,
	// and spends it trying.
	res, _ = signIn(t, env).get(env, callback)
	require.Equal(t, "state", notice(t, res))
	callback = connect(t, env, b)
	res, _ = b.elsewhere(t, env).get(env, callback)
	require.Equal(t, "state", notice(t, res))
	res, _ = b.get(env, callback)
	require.Equal(t, "state", notice(t, res), "the state was spent")

	callback = connect(t, env, b)
	res, _ = b.get(env, callback)
	require.Equal(t, "google_connected", notice(t, res))
	// A replayed callback finds no state.
	res, _ = b.get(env, callback)
	require.Equal(t, "state", notice(t, res))
	calls, _ := fake.Snapshot("primary")
	require.Equal(t, []string{"AUTH", "AUTH", "AUTH", "TOKEN code"}, calls, "the code was exchanged once")

	// The tokens are sealed at rest.
	var access, refresh []byte
	require.NoError(t, db.QueryRowContext(ctx, "SELECT google_access_token, google_refresh_token FROM calendar_links").Scan(&access, &refresh))
	require.NotContains(t, string(access), "ya29.")
	require.NotContains(t, string(refresh), "1//")

	res, body = b.get(env, astrotiming.CalendarPagePath+"?notice=google_connected")
	require.Contains(t, body, "Google Calendar is connected")
	require.Contains(t, body, "Disconnect Google Calendar")
	require.NotContains(t, body, "Connect Google Calendar</button>")

	// The sync writes the saved schedule with the access token from the exchange.
	res, body = env.Do("POST", host, "/api/v1/schedule", key, `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","from":"2026-03-12","days":2,"save":true,"items":[{"activity":"writing","duration_minutes":60}]}`)
	require.Equal(t, 200, res.StatusCode, body)
	n, err := m.SyncCalendars(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	// An hour later the access token has expired: the sync refreshes it first.
	env.Clock.Advance(time.Hour)
	_, err = db.ExecContext(ctx, "UPDATE schedule_entries SET updated_at = now() + interval '1 day'")
	require.NoError(t, err)
	n, err = m.SyncCalendars(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	calls, evs := fake.Snapshot("primary")
	require.Equal(t, []string{"AUTH", "AUTH", "AUTH", "TOKEN code", "POST primary", "TOKEN refresh", "PATCH primary/" + firstKey(evs)}, calls)

	// Disconnecting revokes at Google: no token of the grant works any more.
	before := fake.LiveAccessTokens()
	res, body = env.Do("DELETE", host, "/api/v1/calendar/google", key, "")
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, `"revoked":true`)
	require.Equal(t, before-2, fake.LiveAccessTokens(), "both access tokens of the grant ended")
	res, body = env.Do("GET", host, "/api/v1/calendar", key, "")
	require.Contains(t, body, `"google_calendar_id":null`)
	res, _ = env.Do("DELETE", host, "/api/v1/calendar/google", key, "")
	require.Equal(t, 404, res.StatusCode)

	// Connected again, then the user removes the app at Google: the sync says so on the page.
	res, _ = b.get(env, connect(t, env, b))
	require.Equal(t, "google_connected", notice(t, res))
	fake.RevokeAll()
	env.Clock.Advance(2 * time.Hour)
	_, err = db.ExecContext(ctx, "UPDATE schedule_entries SET updated_at = now() + interval '2 days'")
	require.NoError(t, err)
	n, err = m.SyncCalendars(ctx)
	require.NoError(t, err, "a revoked grant is the user's to renew, not the job's failure")
	require.Zero(t, n)
	_, body = b.get(env, astrotiming.CalendarPagePath)
	require.Contains(t, body, "The last sync failed: google: refresh the access token: google calendar: the authorisation was revoked")
	// Disconnecting a grant Google already forgot still counts as revoked.
	res, _ = b.post(env, astrotiming.GoogleDisconnectPath, nil)
	require.Equal(t, "google_disconnected", notice(t, res))

	// The user says no on the consent screen.
	fake.Deny = true
	res, _ = b.get(env, connect(t, env, b))
	require.Equal(t, "access_denied", notice(t, res))
}

func firstKey[V any](m map[string]V) string {
	for k := range m {
		return k
	}
	return ""
}

func TestGoogleConsentNeedsSessionAndClient(t *testing.T) {
	t.Parallel()
	env, _ := start(t) // no OAuth client configured
	b := signIn(t, env)
	newKey(t, env, b.token, "premium")
	res, _ := b.post(env, astrotiming.GoogleConnectPath, nil)
	require.Equal(t, "not_configured", notice(t, res))
	_, body := b.get(env, astrotiming.CalendarPagePath)
	require.Contains(t, body, "cannot be connected on this server yet")

	// A visitor gets the sign-in form, and the forms send them back to it.
	res, body = env.Do("GET", host, astrotiming.CalendarPagePath, nil, "")
	require.Equal(t, 200, res.StatusCode)
	require.Contains(t, body, `action="/calendar/sign-in"`)
	res, _ = env.Do("GET", host, astrotiming.GoogleCallbackPath+"?state=x&code=y", nil, "")
	require.Equal(t, "state", notice(t, res))

	// The page's sign-in form.
	res, _ = env.Do("POST", host, astrotiming.CalendarSignInPath, map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		url.Values{"email": {"nobody@example.com"}, "password": {"wrong password"}}.Encode())
	require.Equal(t, "sign_in_failed", notice(t, res))
}
