package auth_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/mail"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// outbox stands in for the SMTP server (shared/mail is tested against a fake one): it keeps
// what the accounts send.
type outbox struct {
	mu   sync.Mutex
	sent []mail.Message
}

func (o *outbox) Ready() error { return nil }
func (o *outbox) Send(_ context.Context, m mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, m)
	return nil
}
func (o *outbox) to(addr string) []mail.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []mail.Message
	for _, m := range o.sent {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

var resetCode = regexp.MustCompile(`(?m)^(pr_[A-Za-z0-9_-]+)$`)

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	t.Parallel()
	env := startAccounts(t)
	tok, email := signUp(t, env)
	res, body := env.Do("POST", host, "/api/v1/auth/login", nil, `{"email":"`+email+`","password":"a long passphrase"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	other := tokenOf(t, body)

	env.Run(t, []testkit.Scenario{
		{Name: "the current password must be right", Method: "POST", Host: host, Path: "/api/v1/auth/password", Header: bearer(tok),
			Body: `{"current_password":"not the passphrase","new_password":"a newer passphrase"}`, Status: http.StatusForbidden, Contains: []string{"WRONG_PASSWORD"}},
		{Name: "the new one is checked", Method: "POST", Host: host, Path: "/api/v1/auth/password", Header: bearer(tok),
			Body: `{"current_password":"a long passphrase","new_password":"short"}`, Status: http.StatusUnprocessableEntity, Contains: []string{"new_password"}},
		{Name: "changed", Method: "POST", Host: host, Path: "/api/v1/auth/password", Header: bearer(tok),
			Body: `{"current_password":"a long passphrase","new_password":"a newer passphrase"}`, Status: http.StatusOK},
		{Name: "this session stays", Method: "GET", Host: host, Path: "/api/v1/auth/me", Header: bearer(tok), Status: http.StatusOK},
		{Name: "the other session ended", Method: "GET", Host: host, Path: "/api/v1/auth/me", Header: bearer(other), Status: http.StatusUnauthorized},
		{Name: "the old password is gone", Method: "POST", Host: host, Path: "/api/v1/auth/login",
			Body: `{"email":"` + email + `","password":"a long passphrase"}`, Status: http.StatusUnauthorized},
		{Name: "the new one signs in", Method: "POST", Host: host, Path: "/api/v1/auth/login",
			Body: `{"email":"` + email + `","password":"a newer passphrase"}`, Status: http.StatusOK},
	})
}

func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	env := startAccounts(t)
	tok, email := signUp(t, env)
	_, body := env.Do("POST", host, "/api/v1/auth/login", nil, `{"email":"`+email+`","password":"a long passphrase"}`)
	other := tokenOf(t, body)
	env.Run(t, []testkit.Scenario{
		{Method: "POST", Host: host, Path: "/api/v1/auth/sessions/revoke-all", Header: bearer(tok), Status: http.StatusOK, Contains: []string{`"revoked":2`}},
		{Method: "GET", Host: host, Path: "/api/v1/auth/me", Header: bearer(tok), Status: http.StatusUnauthorized},
		{Method: "GET", Host: host, Path: "/api/v1/auth/me", Header: bearer(other), Status: http.StatusUnauthorized},
	})
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	env := startAccounts(t)
	box := &outbox{}
	auth.SetMailerForTest(env.Mounted("asms").Accounts, box)
	tok, email := signUp(t, env)

	// The answer is the same for an unknown address, and nothing is sent there.
	res, known := env.Do("POST", host, "/api/v1/auth/password/reset", nil, `{"email":"`+email+`"}`)
	require.Equal(t, http.StatusAccepted, res.StatusCode, known)
	res, unknown := env.Do("POST", host, "/api/v1/auth/password/reset", nil, `{"email":"nobody@example.pk"}`)
	require.Equal(t, http.StatusAccepted, res.StatusCode)
	require.Equal(t, known, unknown)

	require.Eventually(t, func() bool { return len(box.to(email)) == 1 }, 5*time.Second, 10*time.Millisecond)
	msg := box.to(email)[0]
	require.Equal(t, "Reset your ASMS password", msg.Subject)
	require.Contains(t, msg.Text, "http://asms.localhost:8080/api/v1/auth/password/reset/confirm?token=pr_", "the link is built from the configured public URL")
	code := resetCode.FindStringSubmatch(msg.Text)[1]
	time.Sleep(50 * time.Millisecond)
	require.Empty(t, box.to("nobody@example.pk"))

	confirm := func(code, password string) (int, string) {
		res, body := env.Do("POST", host, "/api/v1/auth/password/reset/confirm", nil, `{"token":"`+code+`","password":"`+password+`"}`)
		return res.StatusCode, body
	}
	status, body := confirm(code, "short")
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	status, body = confirm(code+"x", "a reset passphrase")
	require.Equal(t, http.StatusBadRequest, status, body)
	require.Contains(t, body, "RESET_CODE_INVALID")
	status, body = confirm(code, "a reset passphrase")
	require.Equal(t, http.StatusOK, status, body)
	status, body = confirm(code, "another passphrase")
	require.Equal(t, http.StatusBadRequest, status, "single use: %s", body)

	env.Run(t, []testkit.Scenario{
		{Name: "every session ended", Method: "GET", Host: host, Path: "/api/v1/auth/me", Header: bearer(tok), Status: http.StatusUnauthorized},
		{Name: "the new password signs in", Method: "POST", Host: host, Path: "/api/v1/auth/login",
			Body: `{"email":"` + email + `","password":"a reset passphrase"}`, Status: http.StatusOK},
	})

	// A code expires after ResetTTL.
	env.Do("POST", host, "/api/v1/auth/password/reset", nil, `{"email":"`+email+`"}`)
	require.Eventually(t, func() bool { return len(box.to(email)) == 2 }, 5*time.Second, 10*time.Millisecond)
	late := resetCode.FindStringSubmatch(box.to(email)[1].Text)[1]
	env.Clock.Advance(auth.ResetTTL + time.Second)
	status, _ = confirm(late, "a third passphrase")
	require.Equal(t, http.StatusBadRequest, status)

	// The emailed link opens a form that posts back.
	res, page := env.Do("GET", host, "/api/v1/auth/password/reset/confirm?token="+url.QueryEscape(late), nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, page, `name="token" value="`+late+`"`)
	res, page = env.Do("POST", host, "/api/v1/auth/password/reset/confirm", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		"token="+url.QueryEscape(late)+"&password=a+third+passphrase")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, page, "unknown, used or expired")

	// Asking is rate limited per client IP.
	var last *http.Response
	for range 6 {
		last, _ = env.Do("POST", host, "/api/v1/auth/password/reset", nil, `{"email":"x@example.pk"}`)
	}
	require.Equal(t, http.StatusTooManyRequests, last.StatusCode)
}

func TestPasswordResetWithoutMailInProduction(t *testing.T) {
	t.Parallel()
	env := startAccounts(t)
	m, err := mail.New(mail.Config{From: "no-reply@alorig.com", Production: true})
	require.NoError(t, err)
	auth.SetMailerForTest(env.Mounted("asms").Accounts, m)
	env.Run(t, []testkit.Scenario{{Method: "POST", Host: host, Path: "/api/v1/auth/password/reset", Body: `{"email":"a@example.pk"}`,
		Status: http.StatusServiceUnavailable, Contains: []string{"MAIL_NOT_CONFIGURED"}}})
}

// A session unused for the idle timeout is over, though its 30 days are not; recording use
// writes at most once an hour.
func TestIdleSessionsExpire(t *testing.T) {
	t.Parallel()
	env := startAccounts(t)
	tok, _ := signUp(t, env)
	db := auth.DBForTest(env.Mounted("asms").Accounts)
	lastSeen := func() time.Time {
		var at time.Time
		require.NoError(t, db.QueryRowContext(context.Background(), "SELECT max(last_seen_at) FROM sessions").Scan(&at))
		return at.UTC()
	}
	me := func() int {
		res, _ := env.Do("GET", host, "/api/v1/auth/me", bearer(tok), "")
		return res.StatusCode
	}
	signedUp := lastSeen()
	env.Clock.Advance(30 * time.Minute)
	require.Equal(t, http.StatusOK, me())
	require.Equal(t, signedUp, lastSeen(), "no write within the hour")
	env.Clock.Advance(31 * time.Minute)
	require.Equal(t, http.StatusOK, me())
	require.Equal(t, env.Clock.Now().UTC(), lastSeen())

	env.Clock.Advance(6 * 24 * time.Hour)
	require.Equal(t, http.StatusOK, me(), "used within the week")
	env.Clock.Advance(7*24*time.Hour + time.Minute)
	require.Equal(t, http.StatusUnauthorized, me(), "a week unused ends it")
}
