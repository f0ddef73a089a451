package auth

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/database"
	amail "github.com/alorig/alorig/shared/mail"
	"github.com/uptrace/bun"
)

// Errors the HTTP layer maps to answers. Login failures are deliberately one error, whether the
// account is missing, disabled or the password wrong.
var (
	ErrInvalidCredentials = errors.New("email or password is incorrect")
	ErrEmailTaken         = errors.New("an account with this email already exists")
	ErrUnauthenticated    = errors.New("not signed in, or the session has expired")
	ErrRateLimited        = errors.New("too many attempts")
	ErrNotFound           = database.ErrNotFound
)

// RateLimitError carries how long to wait.
type RateLimitError struct{ RetryAfter time.Duration }

func (e *RateLimitError) Error() string { return "too many attempts; try again later" }
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// User is a row of the platform users table (modules add their own columns and models).
type User struct {
	bun.BaseModel `bun:"table:users"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	Email         *string    `bun:"email" json:"email,omitempty"`
	PasswordHash  *string    `bun:"password_hash" json:"-"`
	DisplayName   string     `bun:"display_name" json:"display_name"`
	Role          string     `bun:"role" json:"role"`
	Anonymous     bool       `bun:"anonymous" json:"anonymous"`
	DisabledAt    *time.Time `bun:"disabled_at" json:"-"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"-"`
}

// Session is a row of sessions. The token itself is never stored.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64      `bun:"user_id" json:"-"`
	TokenHash     []byte     `bun:"token_hash" json:"-"`
	CSRFSecret    []byte     `bun:"csrf_secret" json:"-"`
	UserAgent     string     `bun:"user_agent" json:"user_agent"`
	IP            string     `bun:"ip" json:"ip"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	LastSeenAt    time.Time  `bun:"last_seen_at" json:"last_seen_at"`
	ExpiresAt     time.Time  `bun:"expires_at" json:"expires_at"`
	RevokedAt     *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
	Current       bool       `bun:"-" json:"current"`
}

// Issued is what a sign-in hands back once: the bearer token and the CSRF token.
type Issued struct {
	Token     string    `json:"token"`
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
	SessionID int64     `json:"session_id"`
}

// Config tunes a module's accounts.
type Config struct {
	Module     string        // cookie names and rate-limit keys
	Title      string        // the product's name in emails ("ASMS")
	SessionTTL time.Duration // default 30 days
	// IdleTimeout ends a session not used for this long (default 7 days). Use is recorded at
	// most once per LastSeenEvery, so it is exact to within that.
	IdleTimeout time.Duration
	Secure      bool // Secure cookies (production)
	// PerIP limits sign-in attempts (and sign-ups, resets) per client IP.
	PerIP   cache.Limit
	Lockout Lockout
	// Mailer sends password-reset email; PublicURL is the module's origin for the link in it.
	Mailer    Mailer
	PublicURL string
	Log       *slog.Logger
}

// Lockout is the back-off after failed sign-ins. Failures count per account and client IP:
// after Free of them each further failure doubles the wait from Base up to Max, so an
// attacker elsewhere does not lock the owner out. Failures of an account from every IP
// together have a much higher ceiling, AccountFree, past which the account backs off the same
// way whoever asks. Failures are forgotten Window after the last one.
type Lockout struct {
	Free        int
	AccountFree int
	Base, Max   time.Duration
	Window      time.Duration
}

// Mailer is what the accounts need of shared/mail.
type Mailer interface {
	Ready() error
	Send(ctx context.Context, m amail.Message) error
}

// LastSeenEvery bounds writes of sessions.last_seen_at: at most one per session this often,
// so idle expiry adds no database write to ordinary requests.
const LastSeenEvery = time.Hour

// Service is one module's accounts.
type Service struct {
	db    *bun.DB
	kv    *cache.Keyspace
	clock clock.Clock
	cfg   Config
	// sessions caches Authenticate's read (a session and its user) by token digest in the
	// processes that serve requests; every write to either row below invalidates it. It
	// serves only while Run holds its invalidation channel.
	sessions *cache.Near[string, authenticated]
}

type authenticated struct {
	user User
	sess Session
}

// Tags that invalidate cached sessions: every session of a user, or one session.
func userTag(id int64) string    { return "u:" + strconv.FormatInt(id, 10) }
func sessionTag(id int64) string { return "s:" + strconv.FormatInt(id, 10) }

func matchSession(tag string, _ string, a authenticated) bool {
	return tag == userTag(a.user.ID) || tag == sessionTag(a.sess.ID)
}

// New returns the accounts service of a module.
func New(db *bun.DB, kv *cache.Keyspace, clk clock.Clock, cfg Config) *Service {
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 30 * 24 * time.Hour
	}
	if cfg.PerIP.Burst == 0 {
		cfg.PerIP = cache.Limit{Burst: 20, Period: time.Minute}
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 7 * 24 * time.Hour
	}
	if cfg.Lockout == (Lockout{}) {
		cfg.Lockout = Lockout{Free: 5, AccountFree: 100, Base: 30 * time.Second, Max: 15 * time.Minute, Window: 24 * time.Hour}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Title == "" {
		cfg.Title = cfg.Module
	}
	s := &Service{db: db, kv: kv, clock: clk, cfg: cfg}
	s.sessions = cache.NewNear(kv, cache.NearConfig{Channel: SessionsChannel}, matchSession)
	return s
}

// Run keeps the session cache coherent with other processes until ctx ends. Processes that
// serve requests run it; without it every request reads its session from PostgreSQL.
func (s *Service) Run(ctx context.Context) error { return s.sessions.Run(ctx) }

// SessionCacheStats reports the session cache's entries, hits and misses in this process.
func (s *Service) SessionCacheStats() (entries int, hits, misses int64) { return s.sessions.Stats() }

// InvalidateUser drops cached sessions of a user in every process. Code outside this package
// that changes a users row's email, role, password or disabled_at must call it after commit.
func (s *Service) InvalidateUser(ctx context.Context, id int64) {
	_ = s.sessions.Invalidate(ctx, userTag(id)) // a failure is logged; see cache.Near
}

// Config returns the service configuration.
func (s *Service) Config() Config { return s.cfg }

// NormaliseEmail validates and lower-cases an address.
func NormaliseEmail(email string) (string, string) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", "is required"
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email, "@") || len(email) > 254 {
		return "", "is not a valid email address"
	}
	return strings.ToLower(email), ""
}

// Register creates an account with email and password.
func (s *Service) Register(ctx context.Context, email, password, displayName string) (*User, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := &User{Email: &email, PasswordHash: &hash, DisplayName: displayName, Role: "member", CreatedAt: now, UpdatedAt: now}
	if _, err := s.db.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		if database.IsUniqueViolation(err, "") {
			return nil, ErrEmailTaken
		}
		return nil, fmt.Errorf("%s: register: %w", s.cfg.Module, err)
	}
	return u, nil
}

// CreateAnonymous creates an account that is only a token: Observer OS's default.
func (s *Service) CreateAnonymous(ctx context.Context) (*User, error) {
	now := s.clock.Now()
	u := &User{Anonymous: true, Role: "member", CreatedAt: now, UpdatedAt: now}
	if _, err := s.db.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		return nil, fmt.Errorf("%s: create anonymous account: %w", s.cfg.Module, err)
	}
	return u, nil
}

// AttachEmail turns an anonymous account into a full one, keeping its id and data.
func (s *Service) AttachEmail(ctx context.Context, userID int64, email, password string) (*User, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := new(User)
	_, err = s.db.NewUpdate().Model(u).
		Set("email = ?", email).Set("password_hash = ?", hash).Set("anonymous = false").Set("updated_at = ?", s.clock.Now()).
		Where("id = ?", userID).Where("anonymous").Returning("*").Exec(ctx)
	switch {
	case database.IsUniqueViolation(err, ""):
		return nil, ErrEmailTaken
	case err != nil:
		return nil, fmt.Errorf("%s: attach email to user %d: %w", s.cfg.Module, userID, database.NoRows(err))
	case u.ID == 0:
		return nil, fmt.Errorf("%s: user %d is not anonymous: %w", s.cfg.Module, userID, ErrNotFound)
	}
	s.InvalidateUser(ctx, userID)
	return u, nil
}

// Login checks the rate limits, then the password, and issues a session.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (*User, Issued, error) {
	now := s.clock.Now()
	if err := s.limit(ctx, "login:ip:"+ip, s.cfg.PerIP, now); err != nil {
		return nil, Issued{}, err
	}
	acct := strings.ToLower(email)
	pair, whole := "login:fail:"+acct+":"+ip, "login:fail:"+acct
	lo := s.cfg.Lockout
	if err := s.backedOff(ctx, pair, lo.Free, now); err != nil {
		return nil, Issued{}, err
	}
	if err := s.backedOff(ctx, whole, lo.AccountFree, now); err != nil {
		return nil, Issued{}, err
	}
	u, err := s.checkPassword(ctx, email, password)
	if errors.Is(err, ErrInvalidCredentials) {
		s.recordFailure(ctx, pair, now)
		s.recordFailure(ctx, whole, now)
	}
	if err != nil {
		return nil, Issued{}, err
	}
	// The owner's success clears the failures from their address; the account-wide count
	// stays until its window passes, so succeeding somewhere does not reset an attack.
	_, _ = s.kv.Del(ctx, pair+":n", pair+":at")
	iss, err := s.IssueSession(ctx, u.ID, ip, userAgent)
	return u, iss, err
}

// checkPassword finds an enabled account with a password and checks it; every failure is the
// same ErrInvalidCredentials, spending the same time.
func (s *Service) checkPassword(ctx context.Context, email, password string) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("email = ?", email).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (u.PasswordHash == nil || u.DisabledAt != nil)) {
		_, _ = VerifyPassword(password, dummyHash())
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("%s: login: %w", s.cfg.Module, err)
	}
	ok, err := VerifyPassword(password, *u.PasswordHash)
	if err != nil {
		return nil, fmt.Errorf("%s: login user %d: %w", s.cfg.Module, u.ID, err)
	}
	if !ok {
		return nil, ErrInvalidCredentials
	}
	return u, nil
}

// backoff is the wait after n failures when the first free are free: Base, doubling per
// further failure, at most Max.
func (l Lockout) backoff(n, free int) time.Duration {
	if n < free {
		return 0
	}
	if n-free >= 30 {
		return l.Max
	}
	return min(l.Max, l.Base<<(n-free))
}

// backedOff refuses while the failures recorded under key still call for a wait. The
// counter and the time of the last failure are two keys: INCR keeps concurrent failures
// from being lost.
func (s *Service) backedOff(ctx context.Context, key string, free int, now time.Time) error {
	n, err := s.kv.Get(ctx, key+":n")
	if err != nil || n == "" {
		return nil // no failures (or Redis is away: the per-IP limit above already answered)
	}
	count, _ := strconv.Atoi(n)
	wait := s.cfg.Lockout.backoff(count, free)
	if wait == 0 {
		return nil
	}
	at, _ := s.kv.Get(ctx, key+":at")
	last, _ := strconv.ParseInt(at, 10, 64)
	if left := time.UnixMilli(last).Add(wait).Sub(now); left > 0 {
		return &RateLimitError{RetryAfter: left}
	}
	return nil
}

func (s *Service) recordFailure(ctx context.Context, key string, now time.Time) {
	window := s.cfg.Lockout.Window
	if _, err := s.kv.Incr(ctx, key+":n"); err != nil {
		s.cfg.Log.Warn("login failure not recorded", "err", err)
		return
	}
	_ = s.kv.Expire(ctx, key+":n", window)
	_ = s.kv.Set(ctx, key+":at", strconv.FormatInt(now.UnixMilli(), 10), window)
}

func (s *Service) limit(ctx context.Context, subject string, l cache.Limit, now time.Time) error {
	res, err := s.kv.Allow(ctx, subject, l, now)
	if err != nil {
		return fmt.Errorf("%s: rate limit: %w", s.cfg.Module, err)
	}
	if !res.Allowed {
		return &RateLimitError{RetryAfter: res.RetryAfter}
	}
	return nil
}

// IssueSession creates a session for a user (after a login, a sign-up, or a one-time code).
func (s *Service) IssueSession(ctx context.Context, userID int64, ip, userAgent string) (Issued, error) {
	tok, hash := newToken("s_")
	csrf, _ := newToken("")
	now := s.clock.Now()
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	sess := &Session{UserID: userID, TokenHash: hash, CSRFSecret: []byte(csrf), UserAgent: userAgent, IP: ip,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL)}
	if _, err := s.db.NewInsert().Model(sess).Returning("id").Exec(ctx); err != nil {
		return Issued{}, fmt.Errorf("%s: issue session for user %d: %w", s.cfg.Module, userID, err)
	}
	return Issued{Token: tok, CSRFToken: csrf, ExpiresAt: sess.ExpiresAt, SessionID: sess.ID}, nil
}

// Authenticate resolves a session token to its user. Expired, revoked and disabled all fail
// with ErrUnauthenticated.
func (s *Service) Authenticate(ctx context.Context, token string) (*User, *Session, error) {
	if !strings.HasPrefix(token, "s_") || len(token) > 64 {
		return nil, nil, ErrUnauthenticated
	}
	now := s.clock.Now()
	key := string(digest(token))
	tok := s.sessions.Token() // before the read: an invalidation from here on refuses the Put below
	a, cached := s.sessions.Get(key)
	if !cached || !now.Before(a.sess.ExpiresAt) || now.Sub(a.sess.LastSeenAt) >= s.cfg.IdleTimeout {
		var err error
		if a, err = s.readSession(ctx, key, now); err != nil {
			return nil, nil, err
		}
		cached = false
	}
	// last_seen_at drives idle expiry; writing it at most once per LastSeenEvery keeps
	// ordinary requests free of database writes.
	if now.Sub(a.sess.LastSeenAt) >= LastSeenEvery {
		_, _ = s.db.NewUpdate().Model((*Session)(nil)).Set("last_seen_at = ?", now).Where("id = ?", a.sess.ID).Exec(ctx)
		a.sess.LastSeenAt = now
		cached = false
	}
	if !cached { // a hit is not put back: an entry lives at most the cache's TTL from its read
		s.sessions.Put(tok, key, a, a.sess.ExpiresAt.Sub(now))
	}
	u, sess := a.user, a.sess // copies: callers may change theirs
	return &u, &sess, nil
}

func (s *Service) readSession(ctx context.Context, tokenDigest string, now time.Time) (authenticated, error) {
	var a authenticated
	sess, u := &a.sess, &a.user
	// One round trip: the session and its user are read together. It goes to database/sql with
	// $n parameters (bun would inline them) so pgx prepares it once per connection and
	// PostgreSQL reuses the plan.
	err := s.db.DB.QueryRowContext(ctx, `SELECT s.id, s.user_id, s.csrf_secret, s.user_agent, s.ip, s.created_at, s.last_seen_at,
			s.expires_at, u.id, u.email, u.password_hash, u.display_name, u.role, u.anonymous, u.created_at, u.updated_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3
			AND u.disabled_at IS NULL`, []byte(tokenDigest), now, now.Add(-s.cfg.IdleTimeout)).
		Scan(&sess.ID, &sess.UserID, &sess.CSRFSecret, &sess.UserAgent, &sess.IP, &sess.CreatedAt, &sess.LastSeenAt,
			&sess.ExpiresAt, &u.ID, &u.Email, &u.PasswordHash, &u.DisplayName, &u.Role, &u.Anonymous, &u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrUnauthenticated
	}
	if err != nil {
		return a, fmt.Errorf("%s: authenticate: %w", s.cfg.Module, err)
	}
	return a, nil
}

// CheckCSRF compares a presented CSRF token with the session's, in constant time.
func CheckCSRF(sess *Session, presented string) bool {
	return presented != "" && subtle.ConstantTimeCompare([]byte(presented), sess.CSRFSecret) == 1
}

// ListSessions returns a user's live sessions, newest first.
func (s *Service) ListSessions(ctx context.Context, userID int64) ([]Session, error) {
	var out []Session
	now := s.clock.Now()
	err := s.db.NewSelect().Model(&out).Where("user_id = ?", userID).Where("revoked_at IS NULL").
		Where("expires_at > ?", now).Where("last_seen_at > ?", now.Add(-s.cfg.IdleTimeout)).Order("created_at DESC", "id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: list sessions of user %d: %w", s.cfg.Module, userID, err)
	}
	return out, nil
}

// Revoke ends one of the user's own sessions. Another user's session id is not found.
func (s *Service) Revoke(ctx context.Context, userID, sessionID int64) error {
	res, err := s.db.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", s.clock.Now()).
		Where("id = ?", sessionID).Where("user_id = ?", userID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("%s: revoke session %d: %w", s.cfg.Module, sessionID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	_ = s.sessions.Invalidate(ctx, sessionTag(sessionID))
	return nil
}

// RevokeAll ends every session of a user except the one with id except (0: every one),
// in every process, and reports how many it ended.
func (s *Service) RevokeAll(ctx context.Context, userID, except int64) (int64, error) {
	return s.revokeAll(ctx, s.db, userID, except)
}

func (s *Service) revokeAll(ctx context.Context, db bun.IDB, userID, except int64) (int64, error) {
	res, err := db.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", s.clock.Now()).
		Where("user_id = ?", userID).Where("revoked_at IS NULL").Where("id <> ?", except).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("%s: revoke sessions of user %d: %w", s.cfg.Module, userID, err)
	}
	s.InvalidateUser(ctx, userID)
	n, _ := res.RowsAffected()
	return n, nil
}

// DeleteExpired removes sessions that expired, went idle, or were revoked more than a day
// ago. The periodic clean-up job calls it.
func (s *Service) DeleteExpired(ctx context.Context) (int64, error) {
	cutoff := s.clock.Now().Add(-24 * time.Hour)
	res, err := s.db.NewDelete().Model((*Session)(nil)).
		WhereGroup(" AND ", func(q *bun.DeleteQuery) *bun.DeleteQuery {
			return q.Where("expires_at < ?", s.clock.Now()).WhereOr("revoked_at < ?", cutoff).
				WhereOr("last_seen_at < ?", cutoff.Add(-s.cfg.IdleTimeout))
		}).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("%s: delete expired sessions: %w", s.cfg.Module, err)
	}
	n, _ := res.RowsAffected()
	if _, err := s.db.NewDelete().Model((*passwordReset)(nil)).Where("expires_at < ?", cutoff).Exec(ctx); err != nil {
		return n, fmt.Errorf("%s: delete expired password resets: %w", s.cfg.Module, err)
	}
	return n, nil
}

// UserByID loads a user.
func (s *Service) UserByID(ctx context.Context, id int64) (*User, error) {
	u := new(User)
	if err := s.db.NewSelect().Model(u).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("%s: user %d: %w", s.cfg.Module, id, database.NoRows(err))
	}
	return u, nil
}

// SetRole changes a user's platform role.
func (s *Service) SetRole(ctx context.Context, id int64, role string) error {
	_, err := s.db.NewUpdate().Model((*User)(nil)).Set("role = ?", role).Set("updated_at = ?", s.clock.Now()).Where("id = ?", id).Exec(ctx)
	if err == nil {
		s.InvalidateUser(ctx, id)
	}
	return err
}
