package snapify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/clock"
	"github.com/uptrace/bun"
)

// analyticsEvent is one buyer page view.
type analyticsEvent struct {
	bun.BaseModel `bun:"table:analytics_events"`
	ID            int64     `bun:"id,pk,autoincrement"`
	StoreID       int64     `bun:"store_id"`
	ProductID     *int64    `bun:"product_id"`
	Page          string    `bun:"page"`
	Path          string    `bun:"path"`
	VisitorHash   []byte    `bun:"visitor_hash"`
	Referrer      string    `bun:"referrer"`
	City          string    `bun:"city"`
	CreatedAt     time.Time `bun:"created_at"`
}

// analytics records page views without slowing pages down: a view is hashed and queued, and a
// goroutine writes batches. A full queue drops views rather than delay a buyer.
type analytics struct {
	db  bun.IDB
	kv  *cache.Keyspace
	clk clock.Clock
	log *slog.Logger

	queue  chan analyticsEvent
	stopCh chan struct{}
	done   chan struct{}

	mu sync.Mutex // guards stopCh and done only

	// The day's salt is read on every page view, so it never waits on Redis: views hash with
	// the salt in memory, and a missing or stale one is fetched by one goroutine while views
	// go on with a salt of this process's own for the moment (today's counts split a little,
	// as when Redis is down, but no address is stored and no buyer waits).
	salt       atomic.Pointer[daySalt]
	localSalt  atomic.Pointer[daySalt]
	fetching   atomic.Bool
	fetchAfter atomic.Int64 // wall-clock nanoseconds before which a failed fetch is not retried
}

type daySalt struct {
	day  string
	salt []byte
}

// saltFetchTimeout bounds one fetch; saltRetry spaces fetches while Redis fails.
const (
	saltFetchTimeout = 2 * time.Second
	saltRetry        = 10 * time.Second
)

func newAnalytics(db bun.IDB, kv *cache.Keyspace, clk clock.Clock, log *slog.Logger) *analytics {
	return &analytics{db: db, kv: kv, clk: clk, log: log, queue: make(chan analyticsEvent, 4096)}
}

// daySalt returns the salt of now's UTC day. The salt is random, shared by every process
// through Redis, replaced each day and gone two days later: a visitor is counted once a day,
// and yesterday's hashes can no longer be tied to an address by anyone, us included.
func (a *analytics) daySalt(now time.Time) []byte {
	day := now.UTC().Format("2006-01-02")
	if s := a.salt.Load(); s != nil && s.day == day {
		return s.salt
	}
	a.fetchSalt(day)
	old := a.localSalt.Load()
	if old != nil && old.day == day {
		return old.salt
	}
	fresh := &daySalt{day: day, salt: make([]byte, 32)}
	_, _ = rand.Read(fresh.salt)
	if a.localSalt.CompareAndSwap(old, fresh) {
		return fresh.salt
	}
	return a.localSalt.Load().salt // another view made it first
}

// fetchSalt starts one background fetch of day's shared salt, unless one is running or the
// last one failed moments ago. The fetch offers a salt in case there is none yet, so the
// first process of the day decides it for all.
func (a *analytics) fetchSalt(day string) {
	if time.Now().UnixNano() < a.fetchAfter.Load() || !a.fetching.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer a.fetching.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), saltFetchTimeout)
		defer cancel()
		offer := make([]byte, 32)
		_, _ = rand.Read(offer)
		key := "analytics:salt:" + day
		_, _ = a.kv.SetNX(ctx, key, hex.EncodeToString(offer), 48*time.Hour)
		v, err := a.kv.Get(ctx, key)
		salt, derr := hex.DecodeString(v)
		if err != nil || derr != nil || len(salt) == 0 {
			a.fetchAfter.Store(time.Now().Add(saltRetry).UnixNano())
			return
		}
		a.salt.Store(&daySalt{day: day, salt: salt})
	}()
}

// VisitorHash is what is stored instead of the buyer's IP address.
func (a *analytics) visitorHash(ip, userAgent string, now time.Time) []byte {
	h := sha256.New()
	h.Write(a.daySalt(now))
	h.Write([]byte(ip))
	h.Write([]byte{0})
	h.Write([]byte(userAgent))
	return h.Sum(nil)[:16]
}

func (a *analytics) record(ctx context.Context, storeID int64, productID *int64, page, path, ip, userAgent, referrer, city string) {
	now := a.clk.Now()
	ref := ""
	if u, err := url.Parse(referrer); err == nil {
		ref = u.Host // the page a buyer came from may carry their data in its query
	}
	ev := analyticsEvent{StoreID: storeID, ProductID: productID, Page: page, Path: truncate(path, 200),
		VisitorHash: a.visitorHash(ip, userAgent, now), Referrer: truncate(ref, 100), City: truncate(city, 60), CreatedAt: now}
	select {
	case a.queue <- ev:
	default:
	}
}

func (a *analytics) start() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stopCh != nil {
		return
	}
	a.stopCh, a.done = make(chan struct{}), make(chan struct{})
	stopCh, done := a.stopCh, a.done
	a.fetchSalt(a.clk.Now().UTC().Format("2006-01-02")) // before the first view needs it
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case ev := <-a.queue:
				a.flush(context.Background(), []analyticsEvent{ev})
			case <-t.C:
				a.flush(context.Background(), nil)
			case <-stopCh:
				for a.flush(context.Background(), nil) > 0 {
				}
				return
			}
		}
	}()
}

func (a *analytics) stop(ctx context.Context) error {
	a.mu.Lock()
	stopCh, done := a.stopCh, a.done
	a.stopCh = nil
	a.mu.Unlock()
	if stopCh == nil {
		return nil
	}
	close(stopCh)
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// flush writes first and whatever else is queued, in one insert.
func (a *analytics) flush(ctx context.Context, first []analyticsEvent) int {
	batch := first
	for len(batch) < 500 {
		select {
		case ev := <-a.queue:
			batch = append(batch, ev)
			continue
		default:
		}
		break
	}
	if len(batch) == 0 {
		return 0
	}
	if _, err := a.db.NewInsert().Model(&batch).Exec(ctx); err != nil {
		a.log.Warn("snapify: analytics batch lost", "events", len(batch), "err", err)
		return 0
	}
	return len(batch)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Analytics summarises the last days days of a store, today included, by day in Pakistan
// time (analytics_store.go reads it).
func (m *Module) Analytics(ctx context.Context, t storeScope, days int) (*AnalyticsSummary, error) {
	return storeAnalytics(ctx, m.d.DB, t, days, m.d.Clock.Now())
}
