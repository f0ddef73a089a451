package indicators_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/indicators"
)

var t0 = time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC)

func bars(ohlc ...[4]float64) []market.Candle {
	out := make([]market.Candle, len(ohlc))
	for i, v := range ohlc {
		out[i] = market.Candle{Time: t0.Add(time.Duration(i) * time.Minute), Open: v[0], High: v[1], Low: v[2], Close: v[3]}
	}
	return out
}

func closes(cs ...float64) []market.Candle {
	out := make([]market.Candle, len(cs))
	for i, c := range cs {
		out[i] = market.Candle{Time: t0.Add(time.Duration(i) * time.Minute), Open: c, High: c, Low: c, Close: c}
	}
	return out
}

func TestNDNS(t *testing.T) {
	t.Parallel()
	// net 13-10 = 3 over a path of 1+1+2+1 = 5.
	v, err := indicators.NDNS(closes(10, 11, 10, 12, 13), 4)
	require.NoError(t, err)
	require.InDelta(t, 0.6, v, 1e-12)
	v, err = indicators.NDNS(closes(13, 12, 13, 11, 10), 4)
	require.NoError(t, err)
	require.InDelta(t, -0.6, v, 1e-12)
	// Only the last n moves count: the early crash is outside the window.
	v, err = indicators.NDNS(closes(50, 10, 11, 12), 2)
	require.NoError(t, err)
	require.InDelta(t, 1.0, v, 1e-12)
	v, err = indicators.NDNS(closes(5, 5, 5), 2)
	require.NoError(t, err)
	require.Zero(t, v)
	_, err = indicators.NDNS(closes(1, 2), 2)
	require.ErrorIs(t, err, indicators.ErrNotEnoughBars)
}

// gapBars: true ranges 2, 3, 1 and 4.5 (the last bar gaps up from 11.5 to a 16 high).
var gapBars = bars(
	[4]float64{9.5, 11, 9, 10},
	[4]float64{10, 13, 10, 12},
	[4]float64{12, 12, 11, 11.5},
	[4]float64{15, 16, 15, 15.5},
)

func TestTrueRangeAndSV(t *testing.T) {
	t.Parallel()
	want := []float64{2, 3, 1, 4.5}
	for i, w := range want {
		require.InDelta(t, w, indicators.TrueRange(gapBars, i), 1e-12, "bar %d", i)
	}
	// Seed (2+3+1)/3 = 2, then (2*2 + 4.5)/3 = 17/6.
	v, err := indicators.SV(gapBars, 3)
	require.NoError(t, err)
	require.InDelta(t, 17.0/6, v, 1e-12)
	v, err = indicators.SV(gapBars[:3], 3)
	require.NoError(t, err)
	require.InDelta(t, 2.0, v, 1e-12)
	_, err = indicators.SV(gapBars[:2], 3)
	require.ErrorIs(t, err, indicators.ErrNotEnoughBars)
}

func TestTM(t *testing.T) {
	t.Parallel()
	// EMA(3) seed (10+12+11.5)/3 = 67/6; alpha 0.5; next 67/6 + (93/6-67/6)/2 = 80/6.
	// Slope over k=1 is 13/6, SV(3) is 17/6, so TM = 13/17.
	v, err := indicators.TM(gapBars, 3, 1, 3)
	require.NoError(t, err)
	require.InDelta(t, 13.0/17, v, 1e-12)

	// A falling market scores negative; a flat one zero.
	down := closes(20, 19, 18, 17, 16, 15)
	for i := range down {
		down[i].High, down[i].Low = down[i].Close+0.5, down[i].Close-0.5
	}
	v, err = indicators.TM(down, 3, 2, 3)
	require.NoError(t, err)
	require.Less(t, v, 0.0)
	v, err = indicators.TM(closes(7, 7, 7, 7, 7), 3, 1, 3)
	require.NoError(t, err)
	require.Zero(t, v)
	_, err = indicators.TM(gapBars, 3, 2, 3)
	require.ErrorIs(t, err, indicators.ErrNotEnoughBars)
}

func TestMOM(t *testing.T) {
	t.Parallel()
	v, err := indicators.MOM(closes(100, 102, 105), 2)
	require.NoError(t, err)
	require.InDelta(t, 5.0, v, 1e-12)
	v, err = indicators.MOM(closes(80, 200, 60), 2)
	require.NoError(t, err)
	require.InDelta(t, -25.0, v, 1e-12)
	_, err = indicators.MOM(closes(1, 2), 2)
	require.ErrorIs(t, err, indicators.ErrNotEnoughBars)
}

func hl(pairs ...[2]float64) []market.Candle {
	out := make([]market.Candle, len(pairs))
	for i, p := range pairs {
		mid := (p[0] + p[1]) / 2
		out[i] = market.Candle{Time: t0.Add(time.Duration(i) * time.Minute), Open: mid, High: p[0], Low: p[1], Close: mid}
	}
	return out
}

func TestFHS(t *testing.T) {
	t.Parallel()
	// Highs 1,3,2,4,3,5,4 peak at bars 1, 3, 5; lows 0,1,.5,2,1.5,3,2.5 trough at 2 and 4.
	up := hl([2]float64{1, 0}, [2]float64{3, 1}, [2]float64{2, 0.5}, [2]float64{4, 2}, [2]float64{3, 1.5}, [2]float64{5, 3}, [2]float64{4, 2.5})
	s, err := indicators.FHS(up, 1)
	require.NoError(t, err)
	require.Equal(t, indicators.Structure{Score: 1, SwingHigh: 5, PrevSwingHigh: 4, SwingLow: 1.5, PrevSwingLow: 0.5, HighIndex: 5, LowIndex: 4}, s)

	down := make([]market.Candle, len(up))
	for i, c := range up {
		down[i] = market.Candle{Time: c.Time, Open: 10 - c.Open, High: 10 - c.Low, Low: 10 - c.High, Close: 10 - c.Close}
	}
	s, err = indicators.FHS(down, 1)
	require.NoError(t, err)
	require.Equal(t, -1, s.Score)
	require.Equal(t, 8.5, s.SwingHigh)
	require.Equal(t, 5.0, s.SwingLow)

	// Higher highs with lower lows (a broadening market) is no structure.
	mixed := hl([2]float64{1, 0.9}, [2]float64{3, 1}, [2]float64{2, 0.5}, [2]float64{4, 1}, [2]float64{3, 0.2}, [2]float64{5, 1}, [2]float64{4, 2})
	s, err = indicators.FHS(mixed, 1)
	require.NoError(t, err)
	require.Equal(t, 0, s.Score)
	require.Equal(t, 5.0, s.SwingHigh)
	require.Equal(t, 0.2, s.SwingLow)

	// A double top counts once, at its first bar; equal highs before it do not qualify.
	double := hl([2]float64{1, 0}, [2]float64{3, 1}, [2]float64{3, 1}, [2]float64{2, 0.5})
	s, err = indicators.FHS(double, 1)
	require.NoError(t, err)
	require.Equal(t, 1, s.HighIndex)
	require.Equal(t, 0, s.Score)

	_, err = indicators.FHS(up[:4], 2)
	require.ErrorIs(t, err, indicators.ErrNotEnoughBars)
}

func TestHAMFIST(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		bar  [4]float64
		want float64
	}{
		{"hammer", [4]float64{10, 10.6, 8, 10.5}, 2.0 / 2.6},
		{"shooting star", [4]float64{10.5, 12.5, 9.9, 10}, -2.0 / 2.6},
		{"bull fist", [4]float64{10, 11.9, 9.9, 11.8}, 0.9},
		{"bear fist", [4]float64{11.8, 11.9, 9.9, 10}, -0.9},
		{"spinning top", [4]float64{10, 10.6, 9.5, 10.1}, 0},
		{"long lower wick but big upper wick", [4]float64{10, 11, 8, 10.2}, 0},
		{"no range", [4]float64{10, 10, 10, 10}, 0},
	}
	for _, tc := range cases {
		v, err := indicators.HAMFIST(bars(tc.bar))
		require.NoError(t, err)
		require.InDelta(t, tc.want, v, 1e-12, tc.name)
	}
	_, err := indicators.HAMFIST(nil)
	require.ErrorIs(t, err, indicators.ErrNotEnoughBars)
}
