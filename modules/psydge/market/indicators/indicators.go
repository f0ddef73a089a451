// Package indicators computes the six Vista indicators (NDNS, SV, TM, MOM, FHS, HAMFIST) on
// ascending candles. The seed names them without formulas; the definitions here are ours and
// are written down, with worked examples, in docs/psydge-strategies.md. Every function reads
// the whole slice it is given and answers for its last bar, in one pass without allocating.
package indicators

import (
	"errors"
	"fmt"
	"math"

	"github.com/alorig/alorig/modules/psydge/market"
)

// ErrNotEnoughBars means the slice is shorter than the indicator's lookback.
var ErrNotEnoughBars = errors.New("indicators: not enough bars")

func need(name string, c []market.Candle, n int) error {
	if len(c) < n {
		return fmt.Errorf("indicators: %s needs %d bars, got %d: %w", name, n, len(c), ErrNotEnoughBars)
	}
	return nil
}

// NDNS, net directional noise score: Kaufman's efficiency ratio with its sign kept. Over the
// last n bars it is the net close-to-close move divided by the sum of absolute moves, in
// [-1, 1]: +1 is a straight rise, -1 a straight fall, 0 pure back-and-forth noise. Needs n+1
// bars; a market that did not move scores 0.
func NDNS(c []market.Candle, n int) (float64, error) {
	if n < 1 {
		return 0, fmt.Errorf("indicators: NDNS period %d must be at least 1", n)
	}
	if err := need("NDNS", c, n+1); err != nil {
		return 0, err
	}
	last := len(c) - 1
	path := 0.0
	for i := last - n + 1; i <= last; i++ {
		path += math.Abs(c[i].Close - c[i-1].Close)
	}
	if path == 0 {
		return 0, nil
	}
	return (c[last].Close - c[last-n].Close) / path, nil
}

// TrueRange of bar i: the largest of high-low and the distances from the previous close to
// the high and the low, so overnight gaps count. The first bar has no previous close and uses
// high-low.
func TrueRange(c []market.Candle, i int) float64 {
	tr := c[i].High - c[i].Low
	if i > 0 {
		pc := c[i-1].Close
		tr = max(tr, math.Abs(c[i].High-pc), math.Abs(c[i].Low-pc))
	}
	return tr
}

// SV, session volatility: Wilder's average true range over n bars, in price units. It is
// seeded with the plain mean of the first n true ranges and then smoothed as
// ATR = (ATR*(n-1) + TR) / n, so it tracks the volatility the market is trading at now.
// Needs n bars.
func SV(c []market.Candle, n int) (float64, error) {
	if n < 1 {
		return 0, fmt.Errorf("indicators: SV period %d must be at least 1", n)
	}
	if err := need("SV", c, n); err != nil {
		return 0, err
	}
	atr := 0.0
	for i := range n {
		atr += TrueRange(c, i)
	}
	atr /= float64(n)
	for i := n; i < len(c); i++ {
		atr = (atr*float64(n-1) + TrueRange(c, i)) / float64(n)
	}
	return atr, nil
}

// TM, trend momentum: the slope of the n-bar EMA of closes over the last k bars, per bar, in
// units of SV(atrN): (EMA[last] - EMA[last-k]) / (k * SV). Dividing by volatility makes one
// threshold fit EURUSD and US30 alike. The EMA is seeded with the mean of the first n closes
// and uses alpha = 2/(n+1). Needs max(n+k, atrN) bars; zero volatility scores 0.
func TM(c []market.Candle, n, k, atrN int) (float64, error) {
	if n < 1 || k < 1 {
		return 0, fmt.Errorf("indicators: TM periods %d/%d must be at least 1", n, k)
	}
	if err := need("TM", c, max(n+k, atrN)); err != nil {
		return 0, err
	}
	sv, err := SV(c, atrN)
	if err != nil {
		return 0, err
	}
	if sv == 0 {
		return 0, nil
	}
	alpha := 2 / float64(n+1)
	ema := 0.0
	for i := range n {
		ema += c[i].Close
	}
	ema /= float64(n)
	last := len(c) - 1
	back := ema
	for i := n; i <= last; i++ {
		if i == last-k+1 {
			back = ema // EMA at last-k, before bar last-k+1 moves it
		}
		ema += alpha * (c[i].Close - ema)
	}
	return (ema - back) / (float64(k) * sv), nil
}

// MOM, momentum: the n-bar rate of change of the close in percent,
// 100 * (close[last] - close[last-n]) / close[last-n]. Needs n+1 bars.
func MOM(c []market.Candle, n int) (float64, error) {
	if n < 1 {
		return 0, fmt.Errorf("indicators: MOM period %d must be at least 1", n)
	}
	if err := need("MOM", c, n+1); err != nil {
		return 0, err
	}
	last := len(c) - 1
	prev := c[last-n].Close
	if prev == 0 {
		return 0, fmt.Errorf("indicators: MOM base close is zero")
	}
	return 100 * (c[last].Close - prev) / prev, nil
}

// Structure is FHS's reading of swing structure.
type Structure struct {
	// Score is +1 when the last two swing highs and the last two swing lows both rise, -1 when
	// both fall, 0 otherwise (mixed, equal, or fewer than two of either).
	Score int
	// SwingHigh and SwingLow are the most recent confirmed swings (0 when none); PrevSwingHigh
	// and PrevSwingLow the ones before.
	SwingHigh, PrevSwingHigh float64
	SwingLow, PrevSwingLow   float64
	HighIndex, LowIndex      int // bar index of SwingHigh / SwingLow, -1 when none
}

// FHS, fractal high/swing structure: Williams-style fractals of width w. Bar j is a swing
// high when its high is above the highs of the w bars before it and at least the highs of
// the w bars after it (so a double top counts once, at its first bar); swing lows mirror
// that. A swing needs w bars after it, so the last w bars are never swings. Needs 2w+1 bars.
func FHS(c []market.Candle, w int) (Structure, error) {
	if w < 1 {
		return Structure{}, fmt.Errorf("indicators: FHS width %d must be at least 1", w)
	}
	if err := need("FHS", c, 2*w+1); err != nil {
		return Structure{}, err
	}
	s := Structure{HighIndex: -1, LowIndex: -1}
	highs, lows := 0, 0
	for j := len(c) - 1 - w; j >= w && (highs < 2 || lows < 2); j-- {
		if highs < 2 && isSwing(c, j, w, func(b market.Candle) float64 { return b.High }) {
			if highs == 0 {
				s.SwingHigh, s.HighIndex = c[j].High, j
			} else {
				s.PrevSwingHigh = c[j].High
			}
			highs++
		}
		if lows < 2 && isSwing(c, j, w, func(b market.Candle) float64 { return -b.Low }) {
			if lows == 0 {
				s.SwingLow, s.LowIndex = c[j].Low, j
			} else {
				s.PrevSwingLow = c[j].Low
			}
			lows++
		}
	}
	if highs == 2 && lows == 2 {
		switch {
		case s.SwingHigh > s.PrevSwingHigh && s.SwingLow > s.PrevSwingLow:
			s.Score = 1
		case s.SwingHigh < s.PrevSwingHigh && s.SwingLow < s.PrevSwingLow:
			s.Score = -1
		}
	}
	return s, nil
}

// isSwing tests bar j as a peak of v: strictly above the w bars before, not below the w after.
func isSwing(c []market.Candle, j, w int, v func(market.Candle) float64) bool {
	x := v(c[j])
	for k := 1; k <= w; k++ {
		if v(c[j-k]) >= x || v(c[j+k]) > x {
			return false
		}
	}
	return true
}

// HAMFIST scores the last bar's shape in [-1, 1]: how hard the bar rejected one side
// (hammer) or drove through (fist). With range = high-low, body = |close-open| and the wicks
// above and below the body:
//
//	fist:          body >= 0.8*range                          -> sign(close-open) * body/range
//	hammer:        lower >= 2*body and upper <= 0.25*range     -> +lower/range
//	shooting star: upper >= 2*body and lower <= 0.25*range     -> -upper/range
//	otherwise (or a zero range)                                -> 0
//
// The three shapes cannot overlap, so the order of the tests does not matter.
func HAMFIST(c []market.Candle) (float64, error) {
	if err := need("HAMFIST", c, 1); err != nil {
		return 0, err
	}
	return HAMFISTBar(c[len(c)-1]), nil
}

// HAMFISTBar is HAMFIST for one candle.
func HAMFISTBar(b market.Candle) float64 {
	rng := b.High - b.Low
	if rng <= 0 {
		return 0
	}
	body := math.Abs(b.Close - b.Open)
	upper := b.High - max(b.Open, b.Close)
	lower := min(b.Open, b.Close) - b.Low
	switch {
	case body >= 0.8*rng:
		if b.Close > b.Open {
			return body / rng
		}
		return -body / rng
	case lower >= 2*body && upper <= 0.25*rng:
		return lower / rng
	case upper >= 2*body && lower <= 0.25*rng:
		return -upper / rng
	}
	return 0
}
