package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Tier is an API key's plan: its per-minute rate and daily quota.
type Tier struct {
	Name       string
	PerMinute  int
	DailyQuota int
}

// APIKey is a row of api_keys. The key itself is shown once and stored as SHA-256; the
// visible prefix lets a user recognise it in a list.
type APIKey struct {
	bun.BaseModel `bun:"table:api_keys"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64      `bun:"user_id" json:"-"`
	Name          string     `bun:"name" json:"name"`
	Prefix        string     `bun:"prefix" json:"prefix"`
	KeyHash       []byte     `bun:"key_hash" json:"-"`
	Tier          string     `bun:"tier" json:"tier"`
	RatePerMin    int        `bun:"rate_per_min" json:"rate_per_min"`
	DailyQuota    int        `bun:"daily_quota" json:"daily_quota"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	LastUsedAt    *time.Time `bun:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt     *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
}

// ErrInvalidKey is the one answer for a missing, malformed or revoked key.
var ErrInvalidKey = errors.New("API key is missing, unknown or revoked")

// Refusals of a key request.
var (
	// ErrTooManyKeys: a user holds MaxActiveKeys unrevoked keys already.
	ErrTooManyKeys = fmt.Errorf("a user may hold at most %d active API keys: revoke one first", MaxActiveKeys)
	// ErrAnonymousKeys: anonymous accounts are one token away from being lost or shared, and
	// nobody could be told when their key misbehaves.
	ErrAnonymousKeys = errors.New("anonymous accounts cannot issue API keys: attach an email first (POST /api/v1/auth/email)")
	// ErrTierNotGranted: a user asked for a paid tier themselves.
	ErrTierNotGranted = errors.New("only the free tier can be self-issued; paid tiers are granted by billing")
)

// SelfServiceTier is the only tier a user may issue to themselves. Every other tier is a
// plan someone pays for, so only billing (through SetAPIKeyTier) may grant it.
const SelfServiceTier = "free"

// MaxActiveKeys bounds a user's unrevoked keys: each key has its own rate and quota, so
// unbounded keys would be unbounded quota.
const MaxActiveKeys = 10

// CreateAPIKey makes a key for a user and returns the plaintext once. It trusts the tier it is
// given (seeding, billing); the self-service endpoint checks the tier before calling it. It
// refuses a user who already holds MaxActiveKeys active keys.
func (s *Service) CreateAPIKey(ctx context.Context, userID int64, name string, tier Tier) (string, *APIKey, error) {
	head := "ak_" + s.cfg.Module[:min(4, len(s.cfg.Module))] + "_"
	tok, hash := newToken(head)
	// The visible prefix is the module tag plus the first 9 random characters: enough to tell
	// keys apart in a list, far too little to guess the rest.
	k := &APIKey{UserID: userID, Name: name, Prefix: tok[:len(head)+9], KeyHash: hash, Tier: tier.Name,
		RatePerMin: tier.PerMinute, DailyQuota: tier.DailyQuota, CreatedAt: s.clock.Now()}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Locking the user row serialises two concurrent requests of one user, so the count
		// below cannot be passed by both at once.
		var anonymous bool
		if err := tx.NewSelect().Model((*User)(nil)).Column("anonymous").Where("id = ?", userID).For("UPDATE").Scan(ctx, &anonymous); err != nil {
			return database.NoRows(err)
		}
		n, err := tx.NewSelect().Model((*APIKey)(nil)).Where("user_id = ?", userID).Where("revoked_at IS NULL").Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxActiveKeys {
			return ErrTooManyKeys
		}
		_, err = tx.NewInsert().Model(k).Returning("id").Exec(ctx)
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("%s: create API key for user %d: %w", s.cfg.Module, userID, err)
	}
	return tok, k, nil
}

// IssueOwnAPIKey is the self-service path: a signed-in user asks for a key of a named tier.
// Only SelfServiceTier is granted here and anonymous accounts get none; paid tiers come from
// billing through SetAPIKeyTier.
func (s *Service) IssueOwnAPIKey(ctx context.Context, u *User, name, tierName string, tiers map[string]Tier) (string, *APIKey, error) {
	if u.Anonymous {
		return "", nil, ErrAnonymousKeys
	}
	if tierName != SelfServiceTier {
		return "", nil, ErrTierNotGranted
	}
	tier, ok := tiers[tierName]
	if !ok {
		return "", nil, fmt.Errorf("%s: this module defines no %q tier: %w", s.cfg.Module, tierName, ErrTierNotGranted)
	}
	return s.CreateAPIKey(ctx, u.ID, name, tier)
}

// SetAPIKeyTier moves an active key to a tier (its rate and daily quota with it). It is the
// one way a paid tier reaches a key: billing calls it once a plan is paid for, and again with
// the free tier when the plan ends. The new rate applies from the key's next request.
func (s *Service) SetAPIKeyTier(ctx context.Context, keyID int64, tier Tier) error {
	res, err := s.db.NewUpdate().Model((*APIKey)(nil)).Set("tier = ?", tier.Name).Set("rate_per_min = ?", tier.PerMinute).
		Set("daily_quota = ?", tier.DailyQuota).Where("id = ?", keyID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("%s: set tier of API key %d: %w", s.cfg.Module, keyID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s: API key %d: %w", s.cfg.Module, keyID, ErrNotFound)
	}
	return nil
}

// AuthenticateAPIKey resolves a presented key.
func (s *Service) AuthenticateAPIKey(ctx context.Context, key string) (*APIKey, error) {
	if !strings.HasPrefix(key, "ak_") || len(key) > 80 {
		return nil, ErrInvalidKey
	}
	k := new(APIKey)
	err := s.db.NewSelect().Model(k).Where("key_hash = ?", digest(key)).Where("revoked_at IS NULL").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrInvalidKey
	}
	if err != nil {
		return nil, fmt.Errorf("%s: authenticate API key: %w", s.cfg.Module, err)
	}
	now := s.clock.Now()
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		_, _ = s.db.NewUpdate().Model((*APIKey)(nil)).Set("last_used_at = ?", now).Where("id = ?", k.ID).Exec(ctx)
	}
	return k, nil
}

// ListAPIKeys lists a user's keys, revoked ones included, newest first.
func (s *Service) ListAPIKeys(ctx context.Context, userID int64) ([]APIKey, error) {
	var out []APIKey
	if err := s.db.NewSelect().Model(&out).Where("user_id = ?", userID).Order("id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("%s: list API keys: %w", s.cfg.Module, err)
	}
	return out, nil
}

// RevokeAPIKey revokes one of the user's own keys.
func (s *Service) RevokeAPIKey(ctx context.Context, userID, id int64) error {
	res, err := s.db.NewUpdate().Model((*APIKey)(nil)).Set("revoked_at = ?", s.clock.Now()).
		Where("id = ?", id).Where("user_id = ?", userID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("%s: revoke API key %d: %w", s.cfg.Module, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	// Gates keep verified keys in memory for a few seconds (APIKeyGate); the mark makes their
	// next charge refuse the key at once, in every process. Should Redis be down, the caches
	// still let go of the key within their TTL, so the revocation stands either way.
	_ = s.kv.Set(ctx, revokedKey(id), 1, RevokedMarkTTL)
	return nil
}

// The Redis keys of API keys, within the module's keyspace. They are written here and nowhere
// else: the per-minute rate is the platform's GCRA state (the same key cache.Allow would use
// for the subject "apikey:<id>"), the daily count is a counter per UTC day.
func rateKey(id int64) string { return "rl:apikey:" + strconv.FormatInt(id, 10) }
func dayKey(id int64, now time.Time) string {
	return "apikey:" + strconv.FormatInt(id, 10) + ":day:" + now.UTC().Format("20060102")
}
func revokedKey(id int64) string { return "apikey:" + strconv.FormatInt(id, 10) + ":revoked" }

// RevokedMarkTTL is how long a revoked key stays marked in Redis. It must outlive every gate's
// cache TTL (NewAPIKeyGate caps the TTL at it); after that the database alone refuses the key.
const RevokedMarkTTL = time.Hour

// Quota is the outcome of charging one request to a key: the per-minute limit (GCRA) and the
// daily quota (a counter per UTC day). The key's row carries both, so each tier has its own.
type Quota struct {
	Allowed    bool
	Limit      int
	Remaining  int
	Reset      time.Duration
	RetryAfter time.Duration
	Reason     string // "rate" or "daily" when refused
	UsedToday  int
}

// chargeScript charges a batch of keys in one Redis round trip. For each key (three KEYS:
// rate, day, revoked mark) it refuses a key marked revoked, then runs the platform's GCRA (the
// arithmetic of cache.Allow) and, when that passes, counts the request in the day counter
// (48 h expiry). ARGV is now (µs) then interval and burst per key. Each answer is
// {allowed (1, 0, or -1 for revoked), remaining, retry after µs, reset after µs, used today}.
var chargeScript = cache.NewScript(`
local now = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS / 3 do
  local rl, day, revoked = KEYS[3*i-2], KEYS[3*i-1], KEYS[3*i]
  local interval = tonumber(ARGV[2*i])
  local burst = tonumber(ARGV[2*i+1])
  if redis.call('EXISTS', revoked) == 1 then
    out[i] = {-1, 0, 0, 0, 0}
  else
    local tat = tonumber(redis.call('GET', rl) or '0')
    if tat < now then tat = now end
    local new_tat = tat + interval
    local allow_at = new_tat - interval * burst
    if allow_at > now then
      out[i] = {0, math.floor((burst * interval - (tat - now)) / interval), allow_at - now, tat - now, 0}
    else
      redis.call('SET', rl, new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1)
      local used = redis.call('INCR', day)
      if used == 1 then redis.call('EXPIRE', day, 172800) end
      out[i] = {1, math.floor((burst * interval - (new_tat - now)) / interval), 0, new_tat - now, used}
    end
  end
end
return out
`)

// chargeKeys spends one request of each key at now, in one round trip. A key marked revoked
// gets ErrInvalidKey in its place of errs.
func chargeKeys(ctx context.Context, kv *cache.Keyspace, now time.Time, keys []*APIKey) ([]Quota, []error, error) {
	names := make([]string, 0, 3*len(keys))
	args := make([]any, 0, 1+2*len(keys))
	args = append(args, now.UnixMicro())
	for _, k := range keys {
		per := max(k.RatePerMin, 1)
		names = append(names, rateKey(k.ID), dayKey(k.ID, now), revokedKey(k.ID))
		args = append(args, max(time.Minute.Microseconds()/int64(per), 1), per)
	}
	raw, err := kv.Run(ctx, chargeScript, names, args...)
	if err != nil {
		return nil, nil, err
	}
	rows, ok := raw.([]any)
	if !ok || len(rows) != len(keys) {
		return nil, nil, fmt.Errorf("unexpected reply %v", raw)
	}
	qs, errs := make([]Quota, len(keys)), make([]error, len(keys))
	for i, k := range keys {
		qs[i], errs[i] = quotaOf(k, rows[i], now)
	}
	return qs, errs, nil
}

func quotaOf(k *APIKey, row any, now time.Time) (Quota, error) {
	vals, _ := row.([]any)
	num := func(i int) int64 {
		if i >= len(vals) {
			return 0
		}
		n, _ := vals[i].(int64)
		return n
	}
	if num(0) == -1 {
		return Quota{}, ErrInvalidKey
	}
	q := Quota{Allowed: num(0) == 1, Limit: max(k.RatePerMin, 1), Remaining: max(int(num(1)), 0),
		RetryAfter: time.Duration(num(2)) * time.Microsecond, Reset: time.Duration(num(3)) * time.Microsecond,
		UsedToday: int(num(4))}
	if !q.Allowed {
		q.Reason = "rate"
		return q, nil
	}
	if q.UsedToday > k.DailyQuota {
		u := now.UTC()
		midnight := time.Date(u.Year(), u.Month(), u.Day()+1, 0, 0, 0, 0, time.UTC)
		q.Allowed, q.Reason, q.RetryAfter, q.Remaining = false, "daily", midnight.Sub(now), 0
	}
	return q, nil
}

// ChargeAPIKey spends one request of the key's per-minute rate and daily quota. A key revoked
// since it was verified is ErrInvalidKey.
func (s *Service) ChargeAPIKey(ctx context.Context, k *APIKey) (Quota, error) {
	qs, errs, err := chargeKeys(ctx, s.kv, s.clock.Now(), []*APIKey{k})
	if err != nil {
		return Quota{}, fmt.Errorf("%s: charge API key %d: %w", s.cfg.Module, k.ID, err)
	}
	return qs[0], errs[0]
}

// APIKeyGate admits callers by X-API-Key for one module: it verifies the key (keeping verified
// keys in memory for a few seconds, so a busy endpoint costs no database round trip), charges
// it, and answers with the X-RateLimit-* headers, or 429 with Retry-After. Charges of
// concurrent requests go to Redis together: a lone request is a batch of one; requests that
// queue while a call is in flight share the next one, so at thousands of requests a second the
// round trip stops being most of the cost of a cached answer. Close it when the module stops.
type APIKeyGate struct {
	s    *Service
	keys *cache.Local[[32]byte, *APIKey] // nil: every request asks the database
	in   chan chargeReq
	done chan struct{}
	once sync.Once
}

// maxChargeBatch bounds one charge call; chargeLoops is how many calls may be in flight at once.
const (
	maxChargeBatch = 64
	chargeLoops    = 4
	// maxCachedKeys bounds the gate's memory; the least recently used key makes room.
	maxCachedKeys = 10_000
)

type chargeReq struct {
	key   *APIKey
	reply chan chargeReply
}

type chargeReply struct {
	q   Quota
	err error
}

// errGateClosed answers requests that arrive while the module shuts down.
var errGateClosed = errors.New("auth: the API key gate is closed")

// NewAPIKeyGate starts a gate. A verified key is trusted for cacheTTL (0: not cached) before
// the database is asked again, so a tier or quota changed in the database applies within it; a
// revocation through RevokeAPIKey applies at once (the revoked mark), and cacheTTL is capped at
// RevokedMarkTTL so the mark always outlives the cache.
func (s *Service) NewAPIKeyGate(cacheTTL time.Duration) *APIKeyGate {
	g := &APIKeyGate{s: s, in: make(chan chargeReq, 1024), done: make(chan struct{})}
	if cacheTTL > 0 {
		g.keys = cache.NewLocal[[32]byte, *APIKey](maxCachedKeys, min(cacheTTL, RevokedMarkTTL), s.clock.Now)
	}
	for range chargeLoops {
		go g.loop()
	}
	return g
}

// Close stops the gate's charging goroutines; later requests are refused.
func (g *APIKeyGate) Close() { g.once.Do(func() { close(g.done) }) }

// Authenticate resolves a presented key, from the gate's memory when it was verified lately.
func (g *APIKeyGate) Authenticate(ctx context.Context, presented string) (*APIKey, error) {
	if g.keys == nil {
		return g.s.AuthenticateAPIKey(ctx, presented)
	}
	id := sha256.Sum256([]byte(presented))
	if k, ok := g.keys.Get(id); ok {
		return k, nil
	}
	k, err := g.s.AuthenticateAPIKey(ctx, presented)
	if err != nil {
		return nil, err
	}
	g.keys.Set(id, k)
	return k, nil
}

// Charge spends one request of k, batched with concurrent requests; the answer means what
// ChargeAPIKey's does.
func (g *APIKeyGate) Charge(ctx context.Context, k *APIKey) (Quota, error) {
	r := chargeReq{key: k, reply: make(chan chargeReply, 1)}
	select {
	case g.in <- r:
	case <-g.done:
		return Quota{}, errGateClosed
	case <-ctx.Done():
		return Quota{}, ctx.Err()
	}
	select {
	case a := <-r.reply:
		return a.q, a.err
	case <-ctx.Done():
		return Quota{}, ctx.Err()
	}
}

func (g *APIKeyGate) loop() {
	batch := make([]chargeReq, 0, maxChargeBatch)
	keys := make([]*APIKey, 0, maxChargeBatch)
	for {
		var first chargeReq
		select {
		case first = <-g.in:
		case <-g.done:
			return
		}
		batch = append(batch[:0], first)
	drain:
		for len(batch) < maxChargeBatch {
			select {
			case r := <-g.in:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		keys = keys[:0]
		for _, r := range batch {
			keys = append(keys, r.key)
		}
		// The batch is charged on its own deadline: one caller giving up must not fail the rest.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		qs, errs, err := chargeKeys(ctx, g.s.kv, g.s.clock.Now(), keys)
		cancel()
		for i, r := range batch {
			if err != nil {
				r.reply <- chargeReply{err: fmt.Errorf("%s: charge API key %d: %w", g.s.cfg.Module, r.key.ID, err)}
				continue
			}
			r.reply <- chargeReply{q: qs[i], err: errs[i]}
		}
	}
}

// forget drops a presented key from the gate's memory (it was found revoked).
func (g *APIKeyGate) forget(presented string) {
	if g.keys != nil {
		g.keys.Delete(sha256.Sum256([]byte(presented)))
	}
}
