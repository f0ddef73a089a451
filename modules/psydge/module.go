// Package psydge is the trading discipline platform: it sits between a trader and the broker
// and makes self-destructive trades structurally impossible. The rules are the pure engine in
// discipline/; this package is the order flow around it (Redis gate state, broker bridge,
// Postgres record), the JSON API, the jobs and the live channel.
package psydge

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/live"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/billing"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
)

// Module is Psydge.
type Module struct {
	d            platform.Deps
	engine       discipline.Engine
	brokers      *brokerRegistry
	feed         *market.PaperFeed // nil where this process does not run the paper feed
	agg          *market.Aggregator
	hub          *live.Hub
	tickets      *cache.Near[ticketKey, *ticketCtx] // what the dry-run check reads, per user, symbol and timeframe
	billing      *billing.Service                   // the Vista plan (billing_plan.go)
	placeTimeout time.Duration
	ai           *ai.Client // the AI roles' provider (offline when no key is configured)

	mu     sync.Mutex
	cancel context.CancelFunc
	wg     sync.WaitGroup
	lastTF map[string]time.Time // last evaluated bar per symbol/timeframe
}

// New builds the module. The paper feed exists in the process serving the web surface
// (runsPaperFeed); the live hub in every serving process.
func New(d platform.Deps) (platform.Module, error) {
	m := &Module{d: d, brokers: newBrokerRegistry(), agg: market.NewAggregator(0), placeTimeout: 10 * time.Second, lastTF: map[string]time.Time{}}
	if runsPaperFeed(d) {
		m.feed = market.NewFeed(market.FeedConfig{Seed: 1}, fixedClock{d.Clock.Now().Add(-warmUpSpan).Truncate(time.Minute)})
		m.feed.Subscribe(m.onQuote)
	}
	hc := live.Config{KV: d.KV, Log: d.Log, Snapshot: m.snapshot}
	if d.Accounts != nil {
		// A live connection ends with the session that opened it (logout, revocation, a
		// disabled user): the hub hears the accounts' session changes and checks every
		// connection's session every 30 s.
		hc.SessionsValid, hc.SessionChannel, hc.ParseSessionChange = d.Accounts.LiveSessions, auth.SessionsChannel, auth.ParseSessionChange
	}
	m.hub = live.New(hc)
	m.tickets = cache.NewNear(d.KV, cache.NearConfig{Channel: "near:tickets", Log: d.Log}, matchTicket)
	m.ai = aiClient(d)
	m.registerWorkers()
	if err := m.newBilling(); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Module) Name() string { return "psydge" }

// Start runs the hub's Redis subscription and, with the paper feed, the feed itself, price
// publishing, Vista evaluation and the paper accounts' 5 s sync.
func (m *Module) Start(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cancel != nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	m.wg.Add(1)
	go func() { defer m.wg.Done(); _ = m.hub.Run(ctx) }()
	m.wg.Add(1)
	go func() { defer m.wg.Done(); _ = m.tickets.Run(ctx) }()
	if m.feed == nil {
		return nil
	}
	m.warmUp(m.d.Clock.Now())
	m.wg.Add(2)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(m.tickEvery())
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				m.step(ctx, m.d.Clock.Now())
			}
		}
	}()
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := m.Sweep(ctx, "paper"); err != nil {
					m.d.Log.Warn("paper sweep", "err", err)
				}
			}
		}
	}()
	return nil
}

// Stop ends the background goroutines within ctx.
func (m *Module) Stop(ctx context.Context) error {
	m.mu.Lock()
	cancel := m.cancel
	m.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	done := make(chan struct{})
	go func() { m.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close sends every live connection a going-away close frame.
func (m *Module) Close(ctx context.Context) error { return m.hub.Close(ctx) }

// Checks reports MetaApi in /readyz when configured; without it the paper broker stands in.
func (m *Module) Checks() []web.Check {
	return []web.Check{m.aiCheck(), {Module: "psydge", Name: "broker", Optional: true, Run: func(ctx context.Context) error {
		if m.d.Config.Psydge.MetaAPIToken == "" || m.d.Config.Psydge.MetaAPIBase == "" {
			return fmt.Errorf("MetaApi not configured: the paper broker stands in")
		}
		return nil
	}}}
}

// SealedFields lists the encrypted columns for rotate-keys.
func (m *Module) SealedFields() []secret.Field {
	return []secret.Field{{Table: "users", Column: "broker_credentials", IDColumn: "id"}}
}
