// Package vista is the Vista strategy suite: four strategies that read closed candles through
// the six indicators and emit GO signals for the discipline gate. A strategy never trades; a
// Signal is the permission the gate's GO buffer checks (strategy, symbol, timeframe, direction
// and the signal's validity window). Rules and thresholds are documented in
// docs/psydge-strategies.md; change both together.
package vista

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/indicators"
)

// ErrTimeframe means a strategy was asked about a timeframe it does not trade.
var ErrTimeframe = errors.New("vista: timeframe not traded by strategy")

// Direction is the side a signal permits; the values match broker.Side.
type Direction string

const (
	Buy  Direction = "buy"
	Sell Direction = "sell"
)

// Snapshot records the indicator readings behind a signal, for the audit trail and the AI
// roles that explain it.
type Snapshot struct {
	NDNS    float64 `json:"ndns"`
	SV      float64 `json:"sv"`
	TM      float64 `json:"tm"`
	MOM     float64 `json:"mom"`
	FHS     int     `json:"fhs"`
	HAMFIST float64 `json:"hamfist"`
}

// Signal is a GO signal.
type Signal struct {
	Strategy  string           `json:"strategy"`
	Symbol    string           `json:"symbol"`
	Timeframe market.Timeframe `json:"timeframe"`
	Direction Direction        `json:"direction"`
	Entry     float64          `json:"entry"`
	Stop      float64          `json:"stop"`
	Target    float64          `json:"target"`
	RMultiple float64          `json:"rMultiple"`
	// GeneratedAt is the close time of the bar the signal was read from (its open time plus
	// the timeframe), so a signal is stamped by market time, not by when it was computed.
	GeneratedAt time.Time `json:"generatedAt"`
	ValidUntil  time.Time `json:"validUntil"`
	Indicators  Snapshot  `json:"indicators"`
}

// Valid reports whether the signal still permits an entry at now.
func (s Signal) Valid(now time.Time) bool {
	return !now.Before(s.GeneratedAt) && now.Before(s.ValidUntil)
}

// Rounded returns the signal with its prices rounded to the symbol's digits, as brokers want
// stop levels.
func (s Signal) Rounded(digits int) Signal {
	p := math.Pow10(digits)
	r := func(v float64) float64 { return math.Round(v*p) / p }
	s.Entry, s.Stop, s.Target = r(s.Entry), r(s.Stop), r(s.Target)
	return s
}

// setup is what a strategy's rule decides: a direction and a stop distance (risk, 1R) in
// price units, and the R multiple to target.
type setup struct {
	dir   Direction
	stop  float64 // absolute stop price
	r     float64
	snaps Snapshot
}

// Strategy is one Vista strategy.
type Strategy struct {
	Name       string             `json:"name"`
	Title      string             `json:"title"`
	Timeframes []market.Timeframe `json:"timeframes"`
	MinR, MaxR float64
	// ValidBars is how many bars after GeneratedAt the signal stays valid.
	ValidBars int `json:"validBars"`
	// MinBars is the shortest candle history the rule can read.
	MinBars int `json:"minBars"`
	rule    func(c []market.Candle) (setup, bool, error)
}

// Trades reports whether the strategy trades tf.
func (s Strategy) Trades(tf market.Timeframe) bool { return slices.Contains(s.Timeframes, tf) }

// Evaluate reads closed candles (ascending; drop a forming bar with market.Closed) and
// returns a signal when the rule fires on the last bar.
func (s Strategy) Evaluate(symbol string, tf market.Timeframe, c []market.Candle) (Signal, bool, error) {
	if !s.Trades(tf) {
		return Signal{}, false, fmt.Errorf("vista: %s on %s: %w", s.Name, tf, ErrTimeframe)
	}
	if len(c) < s.MinBars {
		return Signal{}, false, fmt.Errorf("vista: %s needs %d bars, got %d: %w", s.Name, s.MinBars, len(c), indicators.ErrNotEnoughBars)
	}
	st, ok, err := s.rule(c)
	if err != nil {
		return Signal{}, false, fmt.Errorf("vista: %s %s %s: %w", s.Name, symbol, tf, err)
	}
	if !ok {
		return Signal{}, false, nil
	}
	last := c[len(c)-1]
	entry := last.Close
	risk := math.Abs(entry - st.stop)
	if risk == 0 {
		return Signal{}, false, nil
	}
	r := min(max(st.r, s.MinR), s.MaxR)
	target := entry + r*risk
	if st.dir == Sell {
		target = entry - r*risk
	}
	gen := last.Time.Add(tf.Duration())
	return Signal{
		Strategy: s.Name, Symbol: symbol, Timeframe: tf, Direction: st.dir,
		Entry: entry, Stop: st.stop, Target: target, RMultiple: r,
		GeneratedAt: gen, ValidUntil: gen.Add(time.Duration(s.ValidBars) * tf.Duration()),
		Indicators: st.snaps,
	}, true, nil
}

// Suite returns the four strategies, shortest horizon first.
func Suite() []Strategy { return []Strategy{Scalper(), IntradayMomentum(), Swing(), VaultTrail()} }

// ByName finds a strategy of the suite.
func ByName(name string) (Strategy, bool) {
	for _, s := range Suite() {
		if s.Name == name {
			return s, true
		}
	}
	return Strategy{}, false
}

// EvaluateAll runs every strategy that trades tf and returns the signals that fired.
func EvaluateAll(strategies []Strategy, symbol string, tf market.Timeframe, c []market.Candle) ([]Signal, error) {
	var out []Signal
	for _, s := range strategies {
		if !s.Trades(tf) || len(c) < s.MinBars {
			continue
		}
		sig, ok, err := s.Evaluate(symbol, tf, c)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, sig)
		}
	}
	return out, nil
}

// halfSteps rounds an R multiple to the nearest 0.5, so targets read as traders quote them.
func halfSteps(r float64) float64 { return math.Round(r*2) / 2 }

func clamp01(v float64) float64 { return min(max(v, 0), 1) }

func sign(d Direction) float64 {
	if d == Sell {
		return -1
	}
	return 1
}
