package vista_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/indicators"
	"github.com/alorig/alorig/modules/psydge/market/vista"
)

var t0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// series builds candles that open at the previous close and move by each step, with a fixed
// wick beyond the body on both sides.
func series(start, wick float64, tf market.Timeframe, steps []float64) []market.Candle {
	out := make([]market.Candle, len(steps))
	price := start
	for i, s := range steps {
		o, c := price, price+s
		out[i] = market.Candle{Time: t0.Add(time.Duration(i) * tf.Duration()), Open: o, Close: c, High: max(o, c) + wick, Low: min(o, c) - wick}
		price = c
	}
	return out
}

func repeat(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// zigzag repeats five +3 bars then three -1.2 bars: a rising market whose pullbacks are
// deep enough (3.6 > one bar's rise) to print swing lows even for FHS(3).
func zigzag(n int, sign float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		if i%8 < 5 {
			out[i] = 3 * sign
		} else {
			out[i] = -1.2 * sign
		}
	}
	return out
}

func TestScalperBuyOnCleanRise(t *testing.T) {
	t.Parallel()
	c := series(1.0, 0.00002, market.M1, repeat(30, 0.0002))
	sig, ok, err := vista.Scalper().Evaluate("EURUSD", market.M1, c)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, vista.Buy, sig.Direction)
	require.InDelta(t, 1.006, sig.Entry, 1e-12)
	// Every true range is 0.00024, so SV is 0.00024; NDNS is 1, so the target is 2R.
	require.InDelta(t, 1.006-0.00024, sig.Stop, 1e-12)
	require.InDelta(t, 1.006+2*0.00024, sig.Target, 1e-12)
	require.Equal(t, 2.0, sig.RMultiple)
	require.Equal(t, t0.Add(30*time.Minute), sig.GeneratedAt)
	require.Equal(t, t0.Add(33*time.Minute), sig.ValidUntil)
	require.True(t, sig.Valid(t0.Add(31*time.Minute)))
	require.False(t, sig.Valid(t0.Add(33*time.Minute)))
	require.InDelta(t, 0.0002/0.00024, sig.Indicators.HAMFIST, 1e-9)

	r := sig.Rounded(5)
	require.Equal(t, 1.00576, r.Stop)
	require.Equal(t, 1.00648, r.Target)
}

func TestScalperSellAndSmallerTarget(t *testing.T) {
	t.Parallel()
	// Last ten moves: two rises then eight falls: NDNS = -6/10 = -0.6, so 1.5R.
	steps := append(repeat(20, -1), 1, 1)
	steps = append(steps, repeat(8, -1)...)
	c := series(200, 0.05, market.M5, steps)
	sig, ok, err := vista.Scalper().Evaluate("US30", market.M5, c)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, vista.Sell, sig.Direction)
	require.InDelta(t, -0.6, sig.Indicators.NDNS, 1e-12)
	require.Equal(t, 1.5, sig.RMultiple)
	require.Greater(t, sig.Stop, sig.Entry)
	require.InDelta(t, sig.Entry-1.5*(sig.Stop-sig.Entry), sig.Target, 1e-9)
}

func TestNoSignalInNoise(t *testing.T) {
	t.Parallel()
	steps := make([]float64, 120)
	for i := range steps {
		steps[i] = 1
		if i%2 == 1 {
			steps[i] = -1
		}
	}
	for _, tf := range market.Timeframes {
		sigs, err := vista.EvaluateAll(vista.Suite(), "EURUSD", tf, series(100, 0.2, tf, steps))
		require.NoError(t, err)
		require.Empty(t, sigs, string(tf))
	}
}

func TestTimeframeAndHistoryChecks(t *testing.T) {
	t.Parallel()
	c := series(1.0, 0.00002, market.M1, repeat(30, 0.0002))
	_, _, err := vista.Scalper().Evaluate("EURUSD", market.H4, c)
	require.ErrorIs(t, err, vista.ErrTimeframe)
	_, _, err = vista.Scalper().Evaluate("EURUSD", market.M1, c[:10])
	require.ErrorIs(t, err, indicators.ErrNotEnoughBars)
	// EvaluateAll skips strategies that cannot read this history rather than failing.
	sigs, err := vista.EvaluateAll(vista.Suite(), "EURUSD", market.M1, c[:10])
	require.NoError(t, err)
	require.Empty(t, sigs)
	s, ok := vista.ByName("vault_trail")
	require.True(t, ok)
	require.Equal(t, []market.Timeframe{market.H4, market.D1}, s.Timeframes)
}

func TestIntradayMomentumOnTrendWithPullbacks(t *testing.T) {
	t.Parallel()
	c := series(100, 0.2, market.M15, zigzag(64, 1))
	sig, ok, err := vista.IntradayMomentum().Evaluate("XAUUSD", market.M15, c)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, vista.Buy, sig.Direction)
	// The last 14 moves are eight +3 and six -1.2: NDNS = 16.8/31.2 = 7/13;
	// R = 2 + 5*(7/13-0.3)/0.7 = 3.70 -> 3.5.
	require.InDelta(t, 7.0/13, sig.Indicators.NDNS, 1e-12)
	require.Equal(t, 3.5, sig.RMultiple)
	require.InDelta(t, 191.2, sig.Entry, 1e-9)
	sv, err := indicators.SV(c, 14)
	require.NoError(t, err)
	require.InDelta(t, 191.2-1.5*sv, sig.Stop, 1e-9)
	require.Equal(t, t0.Add(64*15*time.Minute), sig.GeneratedAt)

	down := series(400, 0.2, market.H1, zigzag(64, -1))
	sig, ok, err = vista.IntradayMomentum().Evaluate("XAUUSD", market.H1, down)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, vista.Sell, sig.Direction)
}

func TestSwingBuysAboveLastSwingLow(t *testing.T) {
	t.Parallel()
	c := series(100, 0.2, market.H4, zigzag(80, 1))
	sig, ok, err := vista.Swing().Evaluate("EURJPY", market.H4, c)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, vista.Buy, sig.Direction)
	require.Equal(t, 1, sig.Indicators.FHS)
	require.InDelta(t, 214.0, sig.Entry, 1e-9)
	// The last confirmed trough is bar 71, closing at 100 + 9*11.4 = 202.6 with a 0.2 wick.
	sv, err := indicators.SV(c, 14)
	require.NoError(t, err)
	require.InDelta(t, 202.4-0.5*sv, sig.Stop, 1e-9)
	tm, err := indicators.TM(c, 50, 5, 14)
	require.NoError(t, err)
	require.InDelta(t, tm, sig.Indicators.TM, 1e-12)
	wantR := min(12, float64(int((5+7*(tm-0.05)/0.45)*2+0.5))/2)
	require.Equal(t, wantR, sig.RMultiple)
	require.InDelta(t, 214+sig.RMultiple*(214-sig.Stop), sig.Target, 1e-9)

	sig, ok, err = vista.Swing().Evaluate("EURJPY", market.D1, series(400, 0.2, market.D1, zigzag(80, -1)))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, vista.Sell, sig.Direction)
	require.Equal(t, -1, sig.Indicators.FHS)
}

func TestVaultTrail(t *testing.T) {
	t.Parallel()
	c := series(100, 0.2, market.D1, zigzag(80, 1))
	sig, ok, err := vista.VaultTrail().Evaluate("XAUUSD", market.D1, c)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, vista.Buy, sig.Direction)
	// The last 30 moves are eighteen +3 and twelve -1.2: NDNS = 39.6/68.4 = 11/19;
	// R = 15 + 5*(11/19-0.35)/0.40 = 17.86 -> 18.
	require.InDelta(t, 11.0/19, sig.Indicators.NDNS, 1e-12)
	require.Equal(t, 18.0, sig.RMultiple)
	sv, err := indicators.SV(c, 14)
	require.NoError(t, err)
	require.InDelta(t, 202.4-sv, sig.Stop, 1e-9)
	require.Equal(t, t0.Add(80*24*time.Hour), sig.GeneratedAt)
	require.Equal(t, t0.Add(82*24*time.Hour), sig.ValidUntil)

	// Trailing: after 3R the stop follows the last FHS(3) swing low, and never loosens.
	got, err := vista.TrailStop(c, vista.Buy, 100, 95, 95)
	require.NoError(t, err)
	require.InDelta(t, 202.4-0.5*sv, got, 1e-9)
	got, err = vista.TrailStop(c, vista.Buy, 100, 95, 210)
	require.NoError(t, err)
	require.Equal(t, 210.0, got)
	got, err = vista.TrailStop(c, vista.Buy, 205, 150, 150)
	require.NoError(t, err)
	require.Equal(t, 150.0, got, "under 3R the stop stays")
}
