package cache

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Limit is a rate: Burst requests at once, refilled at Burst per Period.
type Limit struct {
	Burst  int
	Period time.Duration
}

// PerMinute is n requests a minute with a burst of n.
func PerMinute(n int) Limit { return Limit{Burst: n, Period: time.Minute} }

// Result is a limiter's answer, shaped for X-RateLimit-* and Retry-After headers.
type Result struct {
	Allowed    bool
	Limit      int
	Remaining  int
	RetryAfter time.Duration // when not allowed: how long until one request would pass
	ResetAfter time.Duration // how long until the bucket is full again
}

// gcra is the generic cell rate algorithm: one key holds the theoretical arrival time (TAT) in
// microseconds. It is exact, needs one key per subject, and is atomic inside Redis. The
// current time is passed in, so the caller's injected clock decides.
var gcra = NewScript(`
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
if tat < now then tat = now end
local new_tat = tat + interval * cost
local allow_at = new_tat - interval * burst
if allow_at > now then
  return {0, math.floor((burst * interval - (tat - now)) / interval), allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1)
return {1, math.floor((burst * interval - (new_tat - now)) / interval), 0, new_tat - now}
`)

// Allow spends one request for subject under limit at time now.
func (k *Keyspace) Allow(ctx context.Context, subject string, limit Limit, now time.Time) (Result, error) {
	return k.AllowN(ctx, subject, limit, now, 1)
}

// AllowN spends n requests.
func (k *Keyspace) AllowN(ctx context.Context, subject string, limit Limit, now time.Time, n int) (Result, error) {
	if limit.Burst <= 0 || limit.Period <= 0 {
		return Result{}, fmt.Errorf("rate limit %+v: burst and period must be positive", limit)
	}
	interval := limit.Period.Microseconds() / int64(limit.Burst)
	if interval < 1 {
		interval = 1
	}
	raw, err := k.Run(ctx, gcra, []string{"rl:" + subject}, now.UnixMicro(), interval, limit.Burst, n)
	if err != nil {
		return Result{}, fmt.Errorf("rate limit %s: %w", subject, err)
	}
	vals, ok := raw.([]any)
	if !ok || len(vals) != 4 {
		return Result{}, fmt.Errorf("rate limit %s: unexpected reply %v", subject, raw)
	}
	num := func(v any) int64 {
		switch t := v.(type) {
		case int64:
			return t
		case string:
			n, _ := strconv.ParseInt(t, 10, 64)
			return n
		}
		return 0
	}
	rem := int(num(vals[1]))
	if rem < 0 {
		rem = 0
	}
	return Result{
		Allowed:    num(vals[0]) == 1,
		Limit:      limit.Burst,
		Remaining:  rem,
		RetryAfter: time.Duration(num(vals[2])) * time.Microsecond,
		ResetAfter: time.Duration(num(vals[3])) * time.Microsecond,
	}, nil
}
