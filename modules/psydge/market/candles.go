package market

import (
	"slices"
	"sort"
	"sync"
	"time"
)

// Candle is one OHLC bar. Time is the bar's open time in UTC.
type Candle struct {
	Time       time.Time `json:"time"`
	Open       float64   `json:"open"`
	High       float64   `json:"high"`
	Low        float64   `json:"low"`
	Close      float64   `json:"close"`
	TickVolume int64     `json:"tickVolume"`
}

// Bar is a TradingView Lightweight Charts candlestick point: time in UTC seconds.
type Bar struct {
	Time  int64   `json:"time"`
	Open  float64 `json:"open"`
	High  float64 `json:"high"`
	Low   float64 `json:"low"`
	Close float64 `json:"close"`
}

// ToBars converts candles to chart bars, ascending by time with one bar per time; when two
// candles share a time the later one in the input wins (a live candle overriding history).
func ToBars(candles []Candle) []Bar {
	bars := make([]Bar, 0, len(candles))
	idx := make(map[int64]int, len(candles))
	for _, c := range candles {
		b := Bar{Time: c.Time.Unix(), Open: c.Open, High: c.High, Low: c.Low, Close: c.Close}
		if i, ok := idx[b.Time]; ok {
			bars[i] = b
			continue
		}
		idx[b.Time] = len(bars)
		bars = append(bars, b)
	}
	sort.SliceStable(bars, func(i, j int) bool { return bars[i].Time < bars[j].Time })
	return bars
}

// Resample rebuilds candles of a longer timeframe from ascending candles of a shorter one
// (for example broker M1 history into H4 bars aligned to UTC).
func Resample(candles []Candle, tf Timeframe) []Candle {
	var out []Candle
	for _, c := range candles {
		start := tf.BucketStart(c.Time)
		if n := len(out); n > 0 && out[n-1].Time.Equal(start) {
			last := &out[n-1]
			last.High = max(last.High, c.High)
			last.Low = min(last.Low, c.Low)
			last.Close = c.Close
			last.TickVolume += c.TickVolume
			continue
		}
		c.Time = start
		out = append(out, c)
	}
	return out
}

// AggregatorLimit is how many candles the aggregator keeps per symbol and timeframe.
const AggregatorLimit = 2000

// Aggregator builds candles of every timeframe from bid quotes, the MetaTrader charting
// convention. Safe for concurrent use.
type Aggregator struct {
	mu     sync.RWMutex
	limit  int
	series map[seriesKey][]Candle
	last   map[string]time.Time
}

type seriesKey struct {
	symbol string
	tf     Timeframe
}

// NewAggregator keeps up to limit candles per series (AggregatorLimit when limit <= 0).
func NewAggregator(limit int) *Aggregator {
	if limit <= 0 {
		limit = AggregatorLimit
	}
	return &Aggregator{limit: limit, series: make(map[seriesKey][]Candle), last: make(map[string]time.Time)}
}

// Add folds a quote into every timeframe. A quote older than the symbol's latest is dropped:
// ticks arrive in order from one feed, a late one would set a stale close, and rewriting
// closed bars would change signals already given.
func (a *Aggregator) Add(q Quote) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if q.Time.Before(a.last[q.Symbol]) {
		return
	}
	a.last[q.Symbol] = q.Time
	for _, tf := range Timeframes {
		k := seriesKey{q.Symbol, tf}
		s := a.series[k]
		start := tf.BucketStart(q.Time)
		if n := len(s); n > 0 {
			last := &s[n-1]
			switch {
			case last.Time.Equal(start):
				last.High = max(last.High, q.Bid)
				last.Low = min(last.Low, q.Bid)
				last.Close = q.Bid
				last.TickVolume++
				continue
			}
		}
		s = append(s, Candle{Time: start, Open: q.Bid, High: q.Bid, Low: q.Bid, Close: q.Bid, TickVolume: 1})
		if len(s) > a.limit {
			s = slices.Delete(s, 0, len(s)-a.limit)
		}
		a.series[k] = s
	}
}

// Candles returns up to limit candles opening at or before end, ascending, the last of which
// may still be forming. A zero end means no upper bound; limit <= 0 means all kept.
func (a *Aggregator) Candles(symbol string, tf Timeframe, end time.Time, limit int) []Candle {
	a.mu.RLock()
	defer a.mu.RUnlock()
	s := a.series[seriesKey{symbol, tf}]
	hi := len(s)
	if !end.IsZero() {
		hi = sort.Search(len(s), func(i int) bool { return s[i].Time.After(end) })
	}
	lo := 0
	if limit > 0 && hi-limit > 0 {
		lo = hi - limit
	}
	return slices.Clone(s[lo:hi])
}

// Closed returns the candles whose bucket has ended by now, dropping a forming last bar. The
// strategies evaluate closed bars only, so a signal cannot flicker within a bar.
func Closed(candles []Candle, tf Timeframe, now time.Time) []Candle {
	n := len(candles)
	if n > 0 && candles[n-1].Time.Add(tf.Duration()).After(now) {
		return candles[:n-1]
	}
	return candles
}
