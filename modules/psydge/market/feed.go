package market

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/alorig/alorig/shared/clock"
)

// FeedConfig configures a PaperFeed.
type FeedConfig struct {
	Instruments []Instrument // DefaultInstruments() when empty
	Seed        uint64       // same seed and same Step times give the same ticks
}

// PaperFeed quotes a deterministic random walk for each configured symbol, so Psydge shows
// live-looking prices and can paper-trade with no broker account. Each Step moves every
// symbol's mid by a log-normal step scaled by the elapsed time, pulled gently back towards
// its starting price so long demos stay at realistic levels, and quotes bid/ask at the
// instrument's spread rounded to its digits. Safe for concurrent use.
type PaperFeed struct {
	clk clock.Clock

	mu     sync.Mutex
	rng    *rand.Rand
	order  []string
	state  map[string]*walk
	last   time.Time
	subs   []subscriber
	nextID int
}

type subscriber struct {
	id int
	fn func(Quote)
}

type walk struct {
	in    Instrument
	mid   float64
	quote Quote
}

// meanReversion is the per-second pull of log(mid/start) back to zero: weak enough to be
// invisible within a session (half-life about a day), strong enough to stop multi-day drift.
const meanReversion = 8e-6

// NewFeed primes every symbol at its starting price, timed at the clock's now.
func NewFeed(cfg FeedConfig, clk clock.Clock) *PaperFeed {
	ins := cfg.Instruments
	if len(ins) == 0 {
		ins = DefaultInstruments()
	}
	now := clk.Now().UTC()
	f := &PaperFeed{
		clk:   clk,
		rng:   rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		state: make(map[string]*walk, len(ins)),
		last:  now,
	}
	for _, in := range ins {
		w := &walk{in: in, mid: in.Start}
		w.quote = quoteFor(in, w.mid, now)
		f.order = append(f.order, in.Spec.Symbol)
		f.state[in.Spec.Symbol] = w
	}
	return f
}

func quoteFor(in Instrument, mid float64, t time.Time) Quote {
	scale := math.Pow10(in.Spec.Digits)
	spread := float64(in.SpreadPoints)
	bidPts := math.Round(mid*scale - spread/2)
	return Quote{Symbol: in.Spec.Symbol, Bid: bidPts / scale, Ask: (bidPts + spread) / scale, Time: t}
}

// Symbols lists the quoted symbols in configuration order.
func (f *PaperFeed) Symbols() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.order...)
}

// Instruments returns the feed's instruments in configuration order.
func (f *PaperFeed) Instruments() []Instrument {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Instrument, 0, len(f.order))
	for _, s := range f.order {
		out = append(out, f.state[s].in)
	}
	return out
}

// Quote returns the latest quote for symbol.
func (f *PaperFeed) Quote(symbol string) (Quote, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w, ok := f.state[symbol]
	if !ok {
		return Quote{}, fmt.Errorf("market: quote %q: %w", symbol, ErrUnknownSymbol)
	}
	return w.quote, nil
}

// Subscribe calls fn with every new quote, in the goroutine that calls Step and in
// subscription order, until the returned cancel is called. fn must not block for long: it
// delays every other subscriber.
func (f *PaperFeed) Subscribe(fn func(Quote)) (cancel func()) {
	f.mu.Lock()
	id := f.nextID
	f.nextID++
	f.subs = append(f.subs, subscriber{id, fn})
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		f.subs = slices.DeleteFunc(f.subs, func(s subscriber) bool { return s.id == id })
		f.mu.Unlock()
	}
}

// SubscribeChan delivers quotes on a channel with room for buf quotes. When the reader falls
// behind, new quotes are dropped rather than stall the feed: a price stream only needs the
// latest. The channel is closed by cancel.
func (f *PaperFeed) SubscribeChan(buf int) (<-chan Quote, func()) {
	ch := make(chan Quote, buf)
	var once sync.Once
	var mu sync.Mutex
	closed := false
	stop := f.Subscribe(func(q Quote) {
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return
		}
		select {
		case ch <- q:
		default:
		}
	})
	return ch, func() {
		once.Do(func() {
			stop()
			mu.Lock()
			closed = true
			close(ch)
			mu.Unlock()
		})
	}
}

// Step advances every symbol to now and publishes the new quotes. A now not after the
// previous step produces nothing, so a clock that stands still never repeats ticks.
func (f *PaperFeed) Step(now time.Time) []Quote {
	now = now.UTC()
	f.mu.Lock()
	dt := now.Sub(f.last).Seconds()
	if dt <= 0 {
		f.mu.Unlock()
		return nil
	}
	// A long gap (a paused demo) is walked as at most an hour, not as a crash.
	dt = min(dt, 3600)
	f.last = now
	quotes := make([]Quote, 0, len(f.order))
	for _, sym := range f.order {
		w := f.state[sym]
		drift := -meanReversion * math.Log(w.mid/w.in.Start) * dt
		w.mid *= math.Exp(drift + w.in.Volatility*math.Sqrt(dt)*f.rng.NormFloat64())
		w.quote = quoteFor(w.in, w.mid, now)
		quotes = append(quotes, w.quote)
	}
	subs := slices.Clone(f.subs)
	f.mu.Unlock()
	for _, q := range quotes {
		for _, s := range subs {
			s.fn(q)
		}
	}
	return quotes
}

// Run steps the feed at the clock's time every interval until ctx ends.
func (f *PaperFeed) Run(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			f.Step(f.clk.Now())
		}
	}
}
