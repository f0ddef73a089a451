package astrotiming

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Caller is who is using the developer API: an API key (its owner and tier) or a signed-in user.
type Caller struct {
	UserID int64
	Key    *auth.APIKey // nil for a session
}

const ctxCaller = "astrotiming.caller"

func caller(c echo.Context) Caller {
	cl, _ := c.Get(ctxCaller).(Caller)
	return cl
}

// requireCaller admits an X-API-Key (charged against its tier's per-minute rate and daily
// quota by the platform) or a signed-in session (limited to SessionPerMinute per user). The key
// wins when both are sent, so a developer testing from a browser is metered as in production.
func (m *Module) requireCaller(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if presented := c.Request().Header.Get("X-API-Key"); presented != "" {
			k, err := m.keys.authenticate(c.Request().Context(), presented)
			if errors.Is(err, auth.ErrInvalidKey) {
				return web.Unauthorized("send a valid key in the X-API-Key header").WithCode("INVALID_API_KEY")
			}
			if err != nil {
				return err
			}
			if err := m.chargeKey(c, k); err != nil {
				return err
			}
			c.Set(ctxCaller, Caller{UserID: k.UserID, Key: k})
			return next(c)
		}
		u := auth.CurrentUser(c)
		if u == nil {
			return web.Unauthorized("send an API key in X-API-Key (create one with POST /api/v1/auth/keys) or sign in").WithCode("UNAUTHENTICATED")
		}
		res, err := m.d.KV.Allow(c.Request().Context(), fmt.Sprintf("user:%d", u.ID), cache.PerMinute(SessionPerMinute), m.d.Clock.Now())
		if err != nil {
			return fmt.Errorf("astrotiming: rate limit user %d: %w", u.ID, err)
		}
		h := c.Response().Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(res.Limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(res.Remaining))
		h.Set("X-RateLimit-Reset", strconv.Itoa(int(math.Ceil(res.ResetAfter.Seconds()))))
		if !res.Allowed {
			p := web.NewProblem(http.StatusTooManyRequests, "per-minute rate limit reached for this session")
			p.RetryAfter = max(1, int(math.Ceil(res.RetryAfter.Seconds())))
			return p.WithCode("RATE_LIMITED")
		}
		c.Set(ctxCaller, Caller{UserID: u.ID})
		return next(c)
	}
}

// tierOf is the caller's plan: the key's tier, or for a session the best tier among the user's
// live keys (premium features follow the plan the user holds, however they call).
func (m *Module) tierOf(c echo.Context) (string, error) {
	cl := caller(c)
	if cl.Key != nil {
		return cl.Key.Tier, nil
	}
	return m.userTier(c.Request().Context(), cl.UserID)
}

func tierRank(t string) int {
	switch t {
	case "premium":
		return 3
	case "developer":
		return 2
	case "free":
		return 1
	}
	return 0
}

// requireTier answers 403 unless the caller's plan is at least min.
func (m *Module) requireTier(c echo.Context, min string) error {
	t, err := m.tierOf(c)
	if err != nil {
		return err
	}
	if tierRank(t) < tierRank(min) {
		return web.Forbidden(fmt.Sprintf("this needs a %s (or better) API key; yours is %q", min, t)).WithCode("TIER_REQUIRED")
	}
	return nil
}

// chargeKey spends one request of the key's per-minute rate and daily quota and writes the
// X-RateLimit-* headers, as the platform's RequireAPIKey does.
func (m *Module) chargeKey(c echo.Context, k *auth.APIKey) error {
	q, err := m.charge(c.Request().Context(), k)
	if err != nil {
		return err
	}
	limit, remaining, reset := q.Limit, q.Remaining, q.Reset
	if q.Reason == "daily" {
		limit, remaining, reset = k.DailyQuota, 0, q.RetryAfter
	}
	h := c.Response().Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.Itoa(int(math.Ceil(reset.Seconds()))))
	if !q.Allowed {
		p := web.NewProblem(http.StatusTooManyRequests, "per-minute rate limit reached for this key")
		if q.Reason == "daily" {
			p.Detail = "daily quota of this key is used up; it resets at 00:00 UTC"
		}
		p.RetryAfter = max(1, int(math.Ceil(q.RetryAfter.Seconds())))
		return p.WithCode("RATE_LIMITED")
	}
	return nil
}

// KeyCacheTTL is how long a verified API key is trusted without asking the database again.
// Revoking through this module's /api/v1/auth/keys/{id} clears the cache at once; a revocation
// made elsewhere (another process, SQL) takes effect within this time.
const KeyCacheTTL = 10 * time.Second

// keyCache keeps verified keys in memory so the hot path (cached hours) costs no database
// round trip: at 5,000 requests/s the module's three pooled connections would be the limit.
type keyCache struct {
	accounts *auth.Service
	now      func() time.Time
	mu       sync.Mutex
	entries  map[[32]byte]keyEntry
}

type keyEntry struct {
	key   *auth.APIKey
	until time.Time
}

func newKeyCache(accounts *auth.Service, now func() time.Time) *keyCache {
	return &keyCache{accounts: accounts, now: now, entries: map[[32]byte]keyEntry{}}
}

func (kc *keyCache) authenticate(ctx context.Context, presented string) (*auth.APIKey, error) {
	id := sha256.Sum256([]byte(presented))
	now := kc.now()
	kc.mu.Lock()
	e, ok := kc.entries[id]
	kc.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.key, nil
	}
	k, err := kc.accounts.AuthenticateAPIKey(ctx, presented)
	if err != nil {
		return nil, err
	}
	kc.mu.Lock()
	if len(kc.entries) > 10_000 {
		clear(kc.entries) // bounded memory; the next requests refill it
	}
	kc.entries[id] = keyEntry{key: k, until: now.Add(KeyCacheTTL)}
	kc.mu.Unlock()
	return k, nil
}

func (kc *keyCache) purge() {
	kc.mu.Lock()
	clear(kc.entries)
	kc.mu.Unlock()
}

// purgeKeysOnRevoke clears the key cache after a successful revocation in this process.
func (m *Module) purgeKeysOnRevoke(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil && c.Request().Method == http.MethodDelete && strings.HasPrefix(c.Path(), "/api/v1/auth/keys/") {
			m.keys.purge()
		}
		return err
	}
}

// chargeScript is auth.ChargeAPIKey for a batch of keys in one Redis round trip. For each pair
// of keys it runs the platform's GCRA on rl:apikey:<id> (same key, same arithmetic as
// cache.Allow) and, when that passes, counts the request in apikey:<id>:day:<YYYYMMDD> (48 h
// expiry). ARGV is now (µs) then interval and burst per item. Requests arriving together are
// charged together (see charger): at thousands of requests a second the round trip to Redis
// was most of the cost of a cached answer.
var chargeScript = cache.NewScript(`
local now = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS / 2 do
  local rl, day = KEYS[2*i-1], KEYS[2*i]
  local interval = tonumber(ARGV[2*i])
  local burst = tonumber(ARGV[2*i+1])
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
return out
`)

// maxBatch bounds one charge call; chargers is how many calls may be in flight at once.
const (
	maxBatch = 64
	chargers = 4
)

type chargeReq struct {
	key   *auth.APIKey
	reply chan chargeReply
}

type chargeReply struct {
	q   auth.Quota
	err error
}

// charger sends the charges of concurrent requests to Redis together. A lone request goes at
// once (a batch of one); under load, requests that queue while a call is in flight share the
// next one.
type charger struct {
	m    *Module
	in   chan chargeReq
	done chan struct{}
	once sync.Once
}

// errStopping answers requests that arrive while the module shuts down.
var errStopping = errors.New("astrotiming: shutting down")

func (c *charger) stop() { c.once.Do(func() { close(c.done) }) }

func newCharger(m *Module) *charger {
	c := &charger{m: m, in: make(chan chargeReq, 1024), done: make(chan struct{})}
	for range chargers {
		go c.loop()
	}
	return c
}

func (c *charger) loop() {
	batch := make([]chargeReq, 0, maxBatch)
	for {
		var first chargeReq
		select {
		case first = <-c.in:
		case <-c.done:
			return
		}
		batch = append(batch[:0], first)
	drain:
		for len(batch) < maxBatch {
			select {
			case r := <-c.in:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		c.run(batch)
	}
}

func (c *charger) run(batch []chargeReq) {
	now := c.m.d.Clock.Now()
	day := now.UTC().Format("20060102")
	keys := make([]string, 0, 2*len(batch))
	args := make([]any, 0, 1+2*len(batch))
	args = append(args, now.UnixMicro())
	for _, r := range batch {
		per := max(r.key.RatePerMin, 1)
		keys = append(keys, fmt.Sprintf("rl:apikey:%d", r.key.ID), fmt.Sprintf("apikey:%d:day:%s", r.key.ID, day))
		args = append(args, max(time.Minute.Microseconds()/int64(per), 1), per)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	raw, err := c.m.d.KV.Run(ctx, chargeScript, keys, args...)
	cancel()
	rows, ok := raw.([]any)
	if err == nil && (!ok || len(rows) != len(batch)) {
		err = fmt.Errorf("unexpected reply %v", raw)
	}
	for i, r := range batch {
		if err != nil {
			r.reply <- chargeReply{err: fmt.Errorf("astrotiming: charge API key %d: %w", r.key.ID, err)}
			continue
		}
		r.reply <- chargeReply{q: quotaOf(r.key, rows[i], now)}
	}
}

func quotaOf(k *auth.APIKey, row any, now time.Time) auth.Quota {
	vals, _ := row.([]any)
	num := func(i int) int64 {
		if i >= len(vals) {
			return 0
		}
		n, _ := vals[i].(int64)
		return n
	}
	q := auth.Quota{Allowed: num(0) == 1, Limit: max(k.RatePerMin, 1), Remaining: max(int(num(1)), 0),
		RetryAfter: time.Duration(num(2)) * time.Microsecond, Reset: time.Duration(num(3)) * time.Microsecond,
		UsedToday: int(num(4))}
	if !q.Allowed {
		q.Reason = "rate"
		return q
	}
	if q.UsedToday > k.DailyQuota {
		u := now.UTC()
		midnight := time.Date(u.Year(), u.Month(), u.Day()+1, 0, 0, 0, 0, time.UTC)
		q.Allowed, q.Reason, q.RetryAfter, q.Remaining = false, "daily", midnight.Sub(now), 0
	}
	return q
}

// charge spends one request of k: the answer has auth.Quota's meaning.
func (m *Module) charge(ctx context.Context, k *auth.APIKey) (auth.Quota, error) {
	r := chargeReq{key: k, reply: make(chan chargeReply, 1)}
	select {
	case m.charger.in <- r:
	case <-m.charger.done:
		return auth.Quota{}, errStopping
	case <-ctx.Done():
		return auth.Quota{}, ctx.Err()
	}
	select {
	case a := <-r.reply:
		return a.q, a.err
	case <-ctx.Done():
		return auth.Quota{}, ctx.Err()
	}
}
