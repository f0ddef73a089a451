package market_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/clock"
)

func TestBucketStartIsUTCAligned(t *testing.T) {
	t.Parallel()
	karachi := time.FixedZone("PKT", 5*3600)
	at := time.Date(2026, 3, 13, 2, 47, 31, 0, karachi) // 2026-03-12 21:47:31 UTC
	cases := map[market.Timeframe]time.Time{
		market.M1:  time.Date(2026, 3, 12, 21, 47, 0, 0, time.UTC),
		market.M5:  time.Date(2026, 3, 12, 21, 45, 0, 0, time.UTC),
		market.M15: time.Date(2026, 3, 12, 21, 45, 0, 0, time.UTC),
		market.M30: time.Date(2026, 3, 12, 21, 30, 0, 0, time.UTC),
		market.H1:  time.Date(2026, 3, 12, 21, 0, 0, 0, time.UTC),
		market.H4:  time.Date(2026, 3, 12, 20, 0, 0, 0, time.UTC),
		market.D1:  time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC),
	}
	for tf, want := range cases {
		got := tf.BucketStart(at)
		require.Equal(t, want, got, string(tf))
		require.Equal(t, time.UTC, got.Location())
	}
}

func TestParseTimeframe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]market.Timeframe{"m15": market.M15, "H4": market.H4, "1d": market.D1, "5m": market.M5} {
		got, err := market.ParseTimeframe(in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	_, err := market.ParseTimeframe("W1")
	require.ErrorIs(t, err, market.ErrUnknownTimeframe)
	require.Equal(t, "4h", market.H4.MetaApi())
}

func q(sym string, bid float64, at time.Time) market.Quote {
	return market.Quote{Symbol: sym, Bid: bid, Ask: bid + 0.0001, Time: at}
}

func TestAggregatorBuildsEveryTimeframe(t *testing.T) {
	t.Parallel()
	a := market.NewAggregator(0)
	base := time.Date(2026, 3, 13, 13, 59, 0, 0, time.UTC)
	ticks := []struct {
		sec int
		bid float64
	}{{0, 1.1000}, {20, 1.1010}, {40, 1.0990}, {59, 1.1005}, {60, 1.1006}, {90, 1.1020}, {125, 1.1001}}
	for _, tk := range ticks {
		a.Add(q("EURUSD", tk.bid, base.Add(time.Duration(tk.sec)*time.Second)))
	}
	a.Add(q("EURUSD", 1.2, base.Add(-time.Hour))) // late tick: dropped
	m1 := a.Candles("EURUSD", market.M1, time.Time{}, 0)
	require.Equal(t, []market.Candle{
		{Time: base, Open: 1.1000, High: 1.1010, Low: 1.0990, Close: 1.1005, TickVolume: 4},
		{Time: base.Add(time.Minute), Open: 1.1006, High: 1.1020, Low: 1.1006, Close: 1.1020, TickVolume: 2},
		{Time: base.Add(2 * time.Minute), Open: 1.1001, High: 1.1001, Low: 1.1001, Close: 1.1001, TickVolume: 1},
	}, m1)
	h1 := a.Candles("EURUSD", market.H1, time.Time{}, 0)
	require.Len(t, h1, 2, "13:59 and 14:00 are different hours")
	require.Equal(t, market.Candle{Time: base.Add(time.Minute), Open: 1.1006, High: 1.1020, Low: 1.1001, Close: 1.1001, TickVolume: 3}, h1[1])
	d1 := a.Candles("EURUSD", market.D1, time.Time{}, 0)
	require.Len(t, d1, 1)
	require.Equal(t, 1.0990, d1[0].Low)
	require.Equal(t, int64(7), d1[0].TickVolume)

	require.Len(t, a.Candles("EURUSD", market.M1, base.Add(time.Minute), 0), 2, "end is inclusive of bars opening at it")
	last := a.Candles("EURUSD", market.M1, time.Time{}, 1)
	require.Len(t, last, 1)
	require.Equal(t, base.Add(2*time.Minute), last[0].Time)
	require.Len(t, market.Closed(m1, market.M1, base.Add(2*time.Minute+30*time.Second)), 2, "forming bar dropped")
	require.Len(t, market.Closed(m1, market.M1, base.Add(3*time.Minute)), 3)
}

func TestAggregatorLimit(t *testing.T) {
	t.Parallel()
	a := market.NewAggregator(3)
	base := time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC)
	for i := range 10 {
		a.Add(q("US30", float64(43000+i), base.Add(time.Duration(i)*time.Minute)))
	}
	m1 := a.Candles("US30", market.M1, time.Time{}, 0)
	require.Len(t, m1, 3)
	require.Equal(t, 43009.0, m1[2].Close)
	require.Equal(t, 43007.0, m1[0].Open)
}

func TestBarsJSONAscendingDeduplicated(t *testing.T) {
	t.Parallel()
	t1 := time.Date(2026, 3, 13, 14, 0, 0, 0, time.UTC)
	bars := market.ToBars([]market.Candle{
		{Time: t1.Add(time.Minute), Open: 2, High: 3, Low: 1, Close: 2.5},
		{Time: t1, Open: 1, High: 2, Low: 0.5, Close: 1.5},
		{Time: t1.Add(time.Minute), Open: 2, High: 3.5, Low: 1, Close: 3},
	})
	b, err := json.Marshal(bars)
	require.NoError(t, err)
	require.JSONEq(t, `[{"time":1773410400,"open":1,"high":2,"low":0.5,"close":1.5},{"time":1773410460,"open":2,"high":3.5,"low":1,"close":3}]`, string(b))
}

func TestResample(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 3, 13, 3, 0, 0, 0, time.UTC)
	var m30 []market.Candle
	for i := range 6 { // 03:00 .. 05:30
		v := float64(10 + i)
		m30 = append(m30, market.Candle{Time: base.Add(time.Duration(i) * 30 * time.Minute), Open: v, High: v + 1, Low: v - 1, Close: v + 0.5, TickVolume: 1})
	}
	h4 := market.Resample(m30, market.H4)
	require.Equal(t, []market.Candle{
		{Time: time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC), Open: 10, High: 12, Low: 9, Close: 11.5, TickVolume: 2},
		{Time: time.Date(2026, 3, 13, 4, 0, 0, 0, time.UTC), Open: 12, High: 16, Low: 11, Close: 15.5, TickVolume: 4},
	}, h4)
}

func TestFeedDeterministicAndRealistic(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC)
	run := func(seed uint64) []market.Quote {
		clk := clock.NewFake(start)
		f := market.NewFeed(market.FeedConfig{Seed: seed}, clk)
		var got []market.Quote
		cancel := f.Subscribe(func(q market.Quote) { got = append(got, q) })
		defer cancel()
		for range 3600 {
			f.Step(clk.Advance(time.Second))
		}
		require.Empty(t, f.Step(clk.Now()), "a clock that stands still gives no ticks")
		return got
	}
	a, b, c := run(42), run(42), run(43)
	require.Equal(t, a, b)
	require.NotEqual(t, a, c)
	require.Len(t, a, 3600*len(market.DefaultInstruments()))

	specs := market.NewSpecTable(market.DefaultInstruments())
	starts := map[string]float64{}
	for _, in := range market.DefaultInstruments() {
		starts[in.Spec.Symbol] = in.Start
	}
	for _, q := range a {
		spec, err := specs.Lookup(q.Symbol)
		require.NoError(t, err)
		scale := math.Pow10(spec.Digits)
		require.InDelta(t, math.Round(q.Bid*scale), q.Bid*scale, 1e-6, "bid on %d digits", spec.Digits)
		require.Greater(t, q.Ask, q.Bid)
		require.InDelta(t, starts[q.Symbol], q.Bid, starts[q.Symbol]*0.05, "an hour stays within 5%% of start")
	}
}

func TestFeedUnsubscribeAndUnknown(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC))
	f := market.NewFeed(market.FeedConfig{Instruments: market.DefaultInstruments()[:1], Seed: 1}, clk)
	n := 0
	cancel := f.Subscribe(func(market.Quote) { n++ })
	f.Step(clk.Advance(time.Second))
	cancel()
	f.Step(clk.Advance(time.Second))
	require.Equal(t, 1, n)
	_, err := f.Quote("NOPE")
	require.ErrorIs(t, err, market.ErrUnknownSymbol)
	q, err := f.Quote("EURUSD")
	require.NoError(t, err)
	require.Equal(t, clk.Now(), q.Time)
	require.Equal(t, []string{"EURUSD"}, f.Symbols())

	ch, stop := f.SubscribeChan(1)
	f.Step(clk.Advance(time.Second))
	f.Step(clk.Advance(time.Second)) // dropped: the reader has not read the first
	got := <-ch
	require.Equal(t, clk.Now().Add(-time.Second), got.Time)
	stop()
	stop()
	f.Step(clk.Advance(time.Second))
	_, open := <-ch
	require.False(t, open)
}
