package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func newService(t *testing.T) (*auth.Service, *clock.Fake) {
	clk := clock.NewFake(testkit.Epoch)
	s := auth.New(testkit.DB(t, "asms"), testkit.Keyspace(t, "asms"), clk, auth.Config{Module: "asms",
		PerIP:   cache.Limit{Burst: 4, Period: time.Minute},
		Lockout: auth.Lockout{Free: 3, AccountFree: 6, Base: time.Minute, Max: 10 * time.Minute, Window: 24 * time.Hour}})
	return s, clk
}

func TestPasswordHashing(t *testing.T) {
	t.Parallel()
	h, err := auth.HashPassword("correct horse battery")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$"))
	h2, err := auth.HashPassword("correct horse battery")
	require.NoError(t, err)
	require.NotEqual(t, h, h2, "salted")
	ok, err := auth.VerifyPassword("correct horse battery", h)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = auth.VerifyPassword("correct horse batterY", h)
	require.NoError(t, err)
	require.False(t, ok)
	_, err = auth.VerifyPassword("x", "$2a$10$bcrypt")
	require.Error(t, err)
}

func TestLoginSessionsExpiryAndRevocation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := newService(t)
	u, err := s.Register(ctx, "amna@example.pk", "a long passphrase", "Amna")
	require.NoError(t, err)
	_, err = s.Register(ctx, "AMNA@example.pk", "another passphrase", "")
	require.ErrorIs(t, err, auth.ErrEmailTaken, "emails are case-insensitive")

	_, _, err = s.Login(ctx, "amna@example.pk", "wrong passphrase", "10.0.0.1", "ua")
	require.ErrorIs(t, err, auth.ErrInvalidCredentials)
	_, _, errMissing := s.Login(ctx, "nobody@example.pk", "a long passphrase", "10.0.0.1", "ua")
	require.Equal(t, err.Error(), errMissing.Error(), "a missing account looks exactly like a wrong password")

	got, iss, err := s.Login(ctx, "amna@example.pk", "a long passphrase", "10.0.0.1", "ua")
	require.NoError(t, err)
	require.Equal(t, u.ID, got.ID)
	require.True(t, strings.HasPrefix(iss.Token, "s_"))
	require.GreaterOrEqual(t, len(iss.Token), 45, "256 random bits")

	who, sess, err := s.Authenticate(ctx, iss.Token)
	require.NoError(t, err)
	require.Equal(t, u.ID, who.ID)
	require.True(t, auth.CheckCSRF(sess, iss.CSRFToken))
	require.False(t, auth.CheckCSRF(sess, iss.CSRFToken+"x"))

	var stored []byte
	require.NoError(t, testkitDB(s).QueryRowContext(ctx, "SELECT token_hash FROM sessions WHERE id = ?", sess.ID).Scan(&stored))
	require.NotContains(t, string(stored), iss.Token, "only the hash is stored")

	second, err := s.IssueSession(ctx, u.ID, "10.0.0.2", "phone")
	require.NoError(t, err)
	list, err := s.ListSessions(ctx, u.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)

	require.NoError(t, s.Revoke(ctx, u.ID, second.SessionID))
	_, _, err = s.Authenticate(ctx, second.Token)
	require.ErrorIs(t, err, auth.ErrUnauthenticated)
	require.ErrorIs(t, s.Revoke(ctx, u.ID+999, sess.ID), auth.ErrNotFound, "another user's session is not found")

	clk.Advance(31 * 24 * time.Hour)
	_, _, err = s.Authenticate(ctx, iss.Token)
	require.ErrorIs(t, err, auth.ErrUnauthenticated, "expired")
	n, err := s.DeleteExpired(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
}

func testkitDB(s *auth.Service) interface {
	QueryRowContext(ctx context.Context, q string, args ...any) rowScanner
} {
	return dbOf{s}
}

// Failed sign-ins back off per account and client IP, doubling; an attacker elsewhere does not
// lock the owner out until the much higher account-wide ceiling.
func TestLoginRateLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := newService(t)
	_, err := s.Register(ctx, "bilal@example.pk", "a long passphrase", "")
	require.NoError(t, err)
	wrong := func(ip string) error {
		_, _, err := s.Login(ctx, "bilal@example.pk", "wrong passphrase", ip, "")
		return err
	}
	for range 3 {
		require.ErrorIs(t, wrong("10.0.0.9"), auth.ErrInvalidCredentials)
	}
	var rl *auth.RateLimitError
	require.True(t, errors.As(wrong("10.0.0.9"), &rl), "the attacker's address backs off after three failures")
	require.Equal(t, time.Minute, rl.RetryAfter)
	_, _, err = s.Login(ctx, "bilal@example.pk", "a long passphrase", "10.0.0.10", "")
	require.NoError(t, err, "the owner, from their own address, is not locked out")

	clk.Advance(time.Minute)
	require.ErrorIs(t, wrong("10.0.0.9"), auth.ErrInvalidCredentials)
	require.True(t, errors.As(wrong("10.0.0.9"), &rl))
	require.Equal(t, 2*time.Minute, rl.RetryAfter, "each further failure doubles the wait")

	// Account-wide ceiling: six failures from anywhere back the account off for everybody.
	require.ErrorIs(t, wrong("10.0.0.20"), auth.ErrInvalidCredentials)
	require.ErrorIs(t, wrong("10.0.0.21"), auth.ErrInvalidCredentials)
	_, _, err = s.Login(ctx, "bilal@example.pk", "a long passphrase", "10.0.0.10", "")
	require.True(t, errors.As(err, &rl), "past the ceiling the account backs off whoever asks: %v", err)

	// Per IP: four attempts a minute, whatever the account.
	for i := range 4 {
		_, _, err := s.Login(ctx, "user"+string(rune('a'+i))+"@example.pk", "whatever12345", "10.0.0.11", "")
		require.ErrorIs(t, err, auth.ErrInvalidCredentials)
	}
	_, _, err = s.Login(ctx, "other@example.pk", "whatever12345", "10.0.0.11", "")
	require.ErrorIs(t, err, auth.ErrRateLimited)

	clk.Advance(15 * time.Minute)
	_, _, err = s.Login(ctx, "bilal@example.pk", "a long passphrase", "10.0.0.10", "")
	require.NoError(t, err, "limits refill with the injected clock")
}

func TestAnonymousThenEmail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t)
	u, err := s.CreateAnonymous(ctx)
	require.NoError(t, err)
	require.True(t, u.Anonymous)
	require.Nil(t, u.Email)
	iss, err := s.IssueSession(ctx, u.ID, "", "")
	require.NoError(t, err)

	full, err := s.AttachEmail(ctx, u.ID, "sara@example.pk", "a long passphrase")
	require.NoError(t, err)
	require.Equal(t, u.ID, full.ID, "same account, data kept")
	require.False(t, full.Anonymous)
	_, _, err = s.Authenticate(ctx, iss.Token)
	require.NoError(t, err, "the anonymous session keeps working")
	_, _, err = s.Login(ctx, "sara@example.pk", "a long passphrase", "1.2.3.4", "")
	require.NoError(t, err)
	_, err = s.AttachEmail(ctx, u.ID, "again@example.pk", "a long passphrase")
	require.ErrorIs(t, err, auth.ErrNotFound, "only anonymous accounts attach an email")

	other, err := s.CreateAnonymous(ctx)
	require.NoError(t, err)
	_, err = s.AttachEmail(ctx, other.ID, "SARA@example.pk", "a long passphrase")
	require.ErrorIs(t, err, auth.ErrEmailTaken)
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := newService(t)
	u, err := s.Register(ctx, "dev@example.pk", "a long passphrase", "")
	require.NoError(t, err)
	plain, k, err := s.CreateAPIKey(ctx, u.ID, "ci", auth.Tier{Name: "free", PerMinute: 2, DailyQuota: 3})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(plain, k.Prefix))
	require.True(t, strings.HasPrefix(plain, "ak_asms_"))

	got, err := s.AuthenticateAPIKey(ctx, plain)
	require.NoError(t, err)
	require.Equal(t, k.ID, got.ID)
	_, err = s.AuthenticateAPIKey(ctx, plain[:len(plain)-1]+"x")
	require.ErrorIs(t, err, auth.ErrInvalidKey)

	q, err := s.ChargeAPIKey(ctx, got)
	require.NoError(t, err)
	require.True(t, q.Allowed)
	q, err = s.ChargeAPIKey(ctx, got)
	require.NoError(t, err)
	require.True(t, q.Allowed)
	q, err = s.ChargeAPIKey(ctx, got)
	require.NoError(t, err)
	require.False(t, q.Allowed)
	require.Equal(t, "rate", q.Reason)
	require.Equal(t, 30*time.Second, q.RetryAfter)

	clk.Advance(time.Minute)
	q, err = s.ChargeAPIKey(ctx, got)
	require.NoError(t, err)
	require.True(t, q.Allowed)
	clk.Advance(time.Minute)
	q, err = s.ChargeAPIKey(ctx, got)
	require.NoError(t, err)
	require.False(t, q.Allowed)
	require.Equal(t, "daily", q.Reason, "the fourth request of the day is over the quota of 3")

	require.NoError(t, s.RevokeAPIKey(ctx, u.ID, k.ID))
	_, err = s.AuthenticateAPIKey(ctx, plain)
	require.ErrorIs(t, err, auth.ErrInvalidKey)
	require.ErrorIs(t, s.RevokeAPIKey(ctx, u.ID, k.ID), auth.ErrNotFound)
}

// TestSessionCacheAcrossProcesses runs two services on one database and keyspace, as the web
// and ws processes of a module do, both with their session caches live.
func TestSessionCacheAcrossProcesses(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := clock.NewFake(testkit.Epoch)
	db, kv := testkit.DB(t, "asms"), testkit.Keyspace(t, "asms")
	a := auth.New(db, kv, clk, auth.Config{Module: "asms"})
	b := auth.New(db, kv, clk, auth.Config{Module: "asms"})
	go a.Run(ctx)
	go b.Run(ctx)
	u, err := a.Register(ctx, "cache@example.pk", "a long passphrase", "")
	require.NoError(t, err)
	iss, err := a.IssueSession(ctx, u.ID, "10.0.0.1", "ua")
	require.NoError(t, err)
	other, err := a.IssueSession(ctx, u.ID, "10.0.0.2", "ua")
	require.NoError(t, err)

	// Both caches serve once their channels are confirmed: the second read is a hit.
	for _, s := range []*auth.Service{a, b} {
		require.Eventually(t, func() bool {
			_, _, err := s.Authenticate(ctx, iss.Token)
			require.NoError(t, err)
			_, before, _ := s.SessionCacheStats()
			_, _, err = s.Authenticate(ctx, iss.Token)
			require.NoError(t, err)
			_, after, _ := s.SessionCacheStats()
			return after == before+1
		}, 5*time.Second, 10*time.Millisecond)
	}
	_, _, err = b.Authenticate(ctx, other.Token)
	require.NoError(t, err)

	// A revocation in one process ends the session in the other; the user's other session stays.
	require.NoError(t, a.Revoke(ctx, u.ID, iss.SessionID))
	_, _, err = a.Authenticate(ctx, iss.Token)
	require.ErrorIs(t, err, auth.ErrUnauthenticated, "at once in the process that revoked it")
	require.Eventually(t, func() bool {
		_, _, err := b.Authenticate(ctx, iss.Token)
		return errors.Is(err, auth.ErrUnauthenticated)
	}, 5*time.Second, 5*time.Millisecond)
	_, _, err = b.Authenticate(ctx, other.Token)
	require.NoError(t, err)

	// A role change reaches the other process's cached user.
	require.NoError(t, a.SetRole(ctx, u.ID, "admin"))
	require.Eventually(t, func() bool {
		who, _, err := b.Authenticate(ctx, other.Token)
		return err == nil && who.Role == "admin"
	}, 5*time.Second, 5*time.Millisecond)

	// A cached session still expires on the clock.
	_, _, err = b.Authenticate(ctx, other.Token)
	require.NoError(t, err)
	clk.Advance(31 * 24 * time.Hour)
	_, _, err = b.Authenticate(ctx, other.Token)
	require.ErrorIs(t, err, auth.ErrUnauthenticated)
}
