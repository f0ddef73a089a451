package snapify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/url"
	"sync"
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

	mu      sync.Mutex
	saltDay string
	salt    []byte
}

func newAnalytics(db bun.IDB, kv *cache.Keyspace, clk clock.Clock, log *slog.Logger) *analytics {
	return &analytics{db: db, kv: kv, clk: clk, log: log, queue: make(chan analyticsEvent, 4096)}
}

// daySalt is a random salt shared by every process through Redis, replaced each UTC day and
// gone two days later: a visitor is counted once a day, and yesterday's hashes can no longer
// be tied to an address by anyone, us included.
func (a *analytics) daySalt(ctx context.Context, now time.Time) []byte {
	day := now.UTC().Format("2006-01-02")
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.saltDay == day {
		return a.salt
	}
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh)
	key := "analytics:salt:" + day
	_, _ = a.kv.SetNX(ctx, key, hex.EncodeToString(fresh), 48*time.Hour)
	v, err := a.kv.Get(ctx, key)
	salt, derr := hex.DecodeString(v)
	if err != nil || derr != nil {
		return fresh // Redis is down: today's counts split, but no address is stored
	}
	a.saltDay, a.salt = day, salt
	return salt
}

// VisitorHash is what is stored instead of the buyer's IP address.
func (a *analytics) visitorHash(ctx context.Context, ip, userAgent string, now time.Time) []byte {
	h := sha256.New()
	h.Write(a.daySalt(ctx, now))
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
		VisitorHash: a.visitorHash(ctx, ip, userAgent, now), Referrer: truncate(ref, 100), City: truncate(city, 60), CreatedAt: now}
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
