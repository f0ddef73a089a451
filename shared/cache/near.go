package cache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Near is an in-process cache of PostgreSQL reads on a hot path (a session and its user, a
// trader's ticket context), kept coherent across processes through one Redis channel: whoever
// changes the underlying rows calls Invalidate with tags naming them, which drops matching
// entries here at once and, through Redis, in every other process.
//
// It serves only while it can trust that it hears every invalidation:
//
//   - until Run's subscription is confirmed, and again from the moment the subscription
//     fails until it is re-established, every Get misses and nothing is stored (entries are
//     dropped on both edges, so a message missed during an outage cannot leave a stale one);
//   - Run publishes a heartbeat on the channel every Heartbeat and stops serving if it has
//     heard nothing on the channel for 2.5 heartbeats, which catches a connection that died
//     without an error;
//   - a read that raced an invalidation is not stored: Token is taken before the cache is
//     asked, and Put refuses if any invalidation arrived since;
//   - every entry also expires after TTL, a bound on staleness if a write path forgets to
//     invalidate.
//
// Without Run (tests that do not start it, a process without Redis) it never serves, and
// callers read the database every time, which is always correct.
type Near[K comparable, V any] struct {
	kv    *Keyspace
	cfg   NearConfig
	match func(tag string, k K, v V) bool

	mu      sync.RWMutex
	entries map[K]nearEntry[V]

	gen       atomic.Uint64 // bumped by every invalidation and every change of liveness
	live      atomic.Bool
	heardNano atomic.Int64 // when the channel last delivered anything (Unix ns)
	self      string       // heartbeat payload, unique to this process

	hits, misses atomic.Int64
}

type nearEntry[V any] struct {
	v       V
	expires int64 // Unix ns
}

// NearConfig configures a Near cache.
type NearConfig struct {
	Channel    string        // on the keyspace, e.g. "near:auth"
	TTL        time.Duration // 30 s
	MaxEntries int           // 10,000; beyond it an arbitrary entry is evicted per insert
	Heartbeat  time.Duration // 5 s
	Log        *slog.Logger
}

// AllTags is the tag that matches every entry.
const AllTags = "*"

// NewNear builds a cache. match reports whether an invalidation tag covers an entry; the tag
// AllTags always does.
func NewNear[K comparable, V any](kv *Keyspace, cfg NearConfig, match func(tag string, k K, v V) bool) *Near[K, V] {
	if cfg.TTL <= 0 {
		cfg.TTL = 30 * time.Second
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = 10000
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 5 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &Near[K, V]{kv: kv, cfg: cfg, match: match, entries: map[K]nearEntry[V]{}, self: "~hb:" + hex.EncodeToString(b)}
}

// serving is true while invalidations are known to arrive.
func (n *Near[K, V]) serving() bool {
	if !n.live.Load() {
		return false
	}
	quiet := time.Duration(time.Now().UnixNano() - n.heardNano.Load())
	return quiet < n.cfg.Heartbeat*5/2
}

// Get returns a fresh entry.
func (n *Near[K, V]) Get(k K) (V, bool) {
	if !n.serving() {
		n.misses.Add(1)
		var zero V
		return zero, false
	}
	n.mu.RLock()
	e, ok := n.entries[k]
	n.mu.RUnlock()
	if !ok || time.Now().UnixNano() >= e.expires {
		n.misses.Add(1)
		var zero V
		return zero, false
	}
	n.hits.Add(1)
	return e.v, true
}

// Token is taken before Get; a read made on a miss is Put with it, and is dropped if any
// invalidation arrived in between.
func (n *Near[K, V]) Token() uint64 { return n.gen.Load() }

// Put stores v unless the cache is not serving or an invalidation arrived since token. ttl, if
// shorter than the cache's, bounds this entry (a signal that expires sooner, say).
func (n *Near[K, V]) Put(token uint64, k K, v V, ttl time.Duration) {
	if ttl <= 0 || ttl > n.cfg.TTL {
		ttl = n.cfg.TTL
	}
	if !n.serving() {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.gen.Load() != token {
		return
	}
	if _, ok := n.entries[k]; !ok && len(n.entries) >= n.cfg.MaxEntries {
		for old := range n.entries {
			delete(n.entries, old)
			break
		}
	}
	n.entries[k] = nearEntry[V]{v: v, expires: time.Now().Add(ttl).UnixNano()}
}

// Invalidate drops the entries the tags cover here, then tells every other process. Call it
// after the change is committed. If other processes could not be told, it logs a warning and
// returns the error; callers need not handle it: those processes' entries still expire within
// TTL, and they stop serving if their own subscription is broken.
func (n *Near[K, V]) Invalidate(ctx context.Context, tags ...string) error {
	if len(tags) == 0 {
		return nil
	}
	n.drop(tags)
	err := n.kv.Publish(ctx, n.cfg.Channel, strings.Join(tags, "\n"))
	if err != nil {
		n.cfg.Log.WarnContext(ctx, "near cache: other processes were not told of a change; their copies expire within the TTL",
			"channel", n.cfg.Channel, "tags", tags, "ttl", n.cfg.TTL, "err", err)
	}
	return err
}

func (n *Near[K, V]) drop(tags []string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.gen.Add(1)
	for _, t := range tags {
		if t == AllTags {
			clear(n.entries)
			return
		}
	}
	for k, e := range n.entries {
		for _, t := range tags {
			if n.match(t, k, e.v) {
				delete(n.entries, k)
				break
			}
		}
	}
}

func (n *Near[K, V]) setLive(on bool) {
	n.mu.Lock()
	n.gen.Add(1)
	clear(n.entries)
	n.live.Store(on)
	n.mu.Unlock()
}

// Stats reports entries, hits and misses since start.
func (n *Near[K, V]) Stats() (entries int, hits, misses int64) {
	n.mu.RLock()
	entries = len(n.entries)
	n.mu.RUnlock()
	return entries, n.hits.Load(), n.misses.Load()
}

// Run subscribes and applies invalidations until ctx ends, re-subscribing after a failure.
func (n *Near[K, V]) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		err := n.listen(ctx)
		n.setLive(false)
		if ctx.Err() != nil {
			break
		}
		n.cfg.Log.Warn("near cache lost its invalidation channel; reading through until it is back", "channel", n.cfg.Channel, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return ctx.Err()
}

func (n *Near[K, V]) listen(ctx context.Context) error {
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sub := n.kv.Subscribe(lctx, n.cfg.Channel)
	defer sub.Close()
	stop := context.AfterFunc(lctx, func() { _ = sub.Close() })
	defer stop()
	if err := sub.Ready(lctx); err != nil {
		return err
	}
	n.heardNano.Store(time.Now().UnixNano())
	n.setLive(true)
	go func() { // heartbeats; a quiet channel also ends the subscription
		t := time.NewTicker(n.cfg.Heartbeat)
		defer t.Stop()
		for {
			select {
			case <-lctx.Done():
				return
			case <-t.C:
				if !n.serving() {
					cancel()
					return
				}
				_ = n.kv.Publish(lctx, n.cfg.Channel, n.self)
			}
		}
	}()
	for {
		msg, err := sub.Receive(lctx)
		if err != nil {
			return err
		}
		n.heardNano.Store(time.Now().UnixNano())
		if strings.HasPrefix(msg.Payload, "~hb:") {
			continue
		}
		n.drop(strings.Split(msg.Payload, "\n"))
	}
}
