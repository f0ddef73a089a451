package vista

import (
	"math"

	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/indicators"
)

// Scalper: M1-M5, 1.5-2R. A clean micro-trend (NDNS(10) at least 0.5 in size) with positive
// 5-bar momentum in the same direction, confirmed by a last bar that drove (fist) or rejected
// the other side (hammer) with HAMFIST at least 0.5 in size. Stop 1 SV(14) from the close;
// 2R when NDNS is at least 0.75 in size, else 1.5R. Valid for 3 bars.
func Scalper() Strategy {
	return Strategy{
		Name: "scalper", Title: "Scalper Engine", Timeframes: []market.Timeframe{market.M1, market.M5},
		MinR: 1.5, MaxR: 2, ValidBars: 3, MinBars: 20,
		rule: func(c []market.Candle) (setup, bool, error) {
			ndns, err := indicators.NDNS(c, 10)
			if err != nil {
				return setup{}, false, err
			}
			sv, err := indicators.SV(c, 14)
			if err != nil {
				return setup{}, false, err
			}
			mom, err := indicators.MOM(c, 5)
			if err != nil {
				return setup{}, false, err
			}
			hf, err := indicators.HAMFIST(c)
			if err != nil {
				return setup{}, false, err
			}
			snap := Snapshot{NDNS: ndns, SV: sv, MOM: mom, HAMFIST: hf}
			var d Direction
			switch {
			case ndns >= 0.5 && mom > 0 && hf >= 0.5:
				d = Buy
			case ndns <= -0.5 && mom < 0 && hf <= -0.5:
				d = Sell
			default:
				return setup{}, false, nil
			}
			r := 1.5
			if math.Abs(ndns) >= 0.75 {
				r = 2
			}
			return setup{dir: d, stop: c[len(c)-1].Close - sign(d)*sv, r: r, snaps: snap}, true, nil
		},
	}
}

// IntradayMomentum: M15-H1, 2-7R. Trend momentum TM(20,5,SV14) at least 0.10 in size, trend
// cleanliness NDNS(14) at least 0.30 in size and 10-bar momentum, all agreeing, with swing
// structure FHS(2) not against the trade. Stop 1.5 SV(14) from the close. R scales with
// cleanliness: 2 + 5*(|NDNS|-0.30)/0.70, in half steps, 2..7. Valid for 2 bars.
func IntradayMomentum() Strategy {
	return Strategy{
		Name: "intraday_momentum", Title: "Intraday Momentum", Timeframes: []market.Timeframe{market.M15, market.M30, market.H1},
		MinR: 2, MaxR: 7, ValidBars: 2, MinBars: 40,
		rule: func(c []market.Candle) (setup, bool, error) {
			ndns, err := indicators.NDNS(c, 14)
			if err != nil {
				return setup{}, false, err
			}
			sv, err := indicators.SV(c, 14)
			if err != nil {
				return setup{}, false, err
			}
			tm, err := indicators.TM(c, 20, 5, 14)
			if err != nil {
				return setup{}, false, err
			}
			mom, err := indicators.MOM(c, 10)
			if err != nil {
				return setup{}, false, err
			}
			fhs, err := indicators.FHS(c, 2)
			if err != nil {
				return setup{}, false, err
			}
			snap := Snapshot{NDNS: ndns, SV: sv, TM: tm, MOM: mom, FHS: fhs.Score}
			var d Direction
			switch {
			case tm >= 0.10 && ndns >= 0.30 && mom > 0 && fhs.Score >= 0:
				d = Buy
			case tm <= -0.10 && ndns <= -0.30 && mom < 0 && fhs.Score <= 0:
				d = Sell
			default:
				return setup{}, false, nil
			}
			r := halfSteps(2 + 5*clamp01((math.Abs(ndns)-0.30)/0.70))
			return setup{dir: d, stop: c[len(c)-1].Close - sign(d)*1.5*sv, r: r, snaps: snap}, true, nil
		},
	}
}

// Swing: H1-D1, 5-12R. Rising structure (FHS(2) = +1: higher highs and higher lows) with
// TM(50,5,SV14) at least 0.05 and NDNS(20) at least 0.20 for a buy; the mirror for a sell.
// Stop half an SV beyond the last swing low (buy) or high (sell); skipped when that stop is
// more than 6 SV away, as the structure is then too loose to risk on. R scales with trend
// momentum: 5 + 7*(|TM|-0.05)/0.45, in half steps, 5..12. Valid for 3 bars.
func Swing() Strategy {
	return Strategy{
		Name: "swing", Title: "Swing Position", Timeframes: []market.Timeframe{market.H1, market.H4, market.D1},
		MinR: 5, MaxR: 12, ValidBars: 3, MinBars: 60,
		rule: func(c []market.Candle) (setup, bool, error) {
			return structural(c, 2, 50, 5, 20, 0.05, 0.20, 0.5, 6, func(tm, _ float64) float64 {
				return 5 + 7*clamp01((math.Abs(tm)-0.05)/0.45)
			}, false)
		},
	}
}

// VaultTrail: H4-D1, 15-20R. A strong, clean trend: FHS(3) = +1, TM(50,10,SV14) at least
// 0.10, NDNS(30) at least 0.35 and positive 20-bar momentum for a buy; the mirror for a sell.
// Stop one SV beyond the last swing, skipped beyond 8 SV. R scales with cleanliness:
// 15 + 5*(|NDNS|-0.35)/0.40, in half steps, 15..20. The target is far by design: the position
// is managed with TrailStop. Valid for 2 bars.
func VaultTrail() Strategy {
	return Strategy{
		Name: "vault_trail", Title: "Vault Trail", Timeframes: []market.Timeframe{market.H4, market.D1},
		MinR: 15, MaxR: 20, ValidBars: 2, MinBars: 70,
		rule: func(c []market.Candle) (setup, bool, error) {
			return structural(c, 3, 50, 10, 30, 0.10, 0.35, 1, 8, func(_, ndns float64) float64 {
				return 15 + 5*clamp01((math.Abs(ndns)-0.35)/0.40)
			}, true)
		},
	}
}

// structural is the shared rule of Swing and Vault Trail.
func structural(c []market.Candle, w, emaN, k, ndnsN int, minTM, minNDNS, stopSV, maxRiskSV float64, rOf func(tm, ndns float64) float64, needMOM bool) (setup, bool, error) {
	fhs, err := indicators.FHS(c, w)
	if err != nil {
		return setup{}, false, err
	}
	tm, err := indicators.TM(c, emaN, k, 14)
	if err != nil {
		return setup{}, false, err
	}
	ndns, err := indicators.NDNS(c, ndnsN)
	if err != nil {
		return setup{}, false, err
	}
	sv, err := indicators.SV(c, 14)
	if err != nil {
		return setup{}, false, err
	}
	mom, err := indicators.MOM(c, 20)
	if err != nil {
		return setup{}, false, err
	}
	snap := Snapshot{NDNS: ndns, SV: sv, TM: tm, MOM: mom, FHS: fhs.Score}
	entry := c[len(c)-1].Close
	var d Direction
	var stop float64
	switch {
	case fhs.Score == 1 && tm >= minTM && ndns >= minNDNS && (!needMOM || mom > 0):
		d, stop = Buy, fhs.SwingLow-stopSV*sv
	case fhs.Score == -1 && tm <= -minTM && ndns <= -minNDNS && (!needMOM || mom < 0):
		d, stop = Sell, fhs.SwingHigh+stopSV*sv
	default:
		return setup{}, false, nil
	}
	risk := (entry - stop) * sign(d)
	if risk <= 0 || risk > maxRiskSV*sv {
		return setup{}, false, nil
	}
	return setup{dir: d, stop: stop, r: halfSteps(rOf(tm, ndns)), snaps: snap}, true, nil
}

// TrailStop is Vault Trail's stop management for an open position: once price has run 3R
// (entry to current close, in units of the initial risk), the stop follows the most recent
// FHS(3) swing low less half an SV (buy; swing high plus half an SV for a sell). It never
// loosens: the answer is the tighter of that and the current stop.
func TrailStop(c []market.Candle, dir Direction, entry, initialStop, currentStop float64) (float64, error) {
	risk := math.Abs(entry - initialStop)
	if risk == 0 || len(c) == 0 {
		return currentStop, nil
	}
	run := (c[len(c)-1].Close - entry) * sign(dir) / risk
	if run < 3 {
		return currentStop, nil
	}
	fhs, err := indicators.FHS(c, 3)
	if err != nil {
		return currentStop, err
	}
	sv, err := indicators.SV(c, 14)
	if err != nil {
		return currentStop, err
	}
	if dir == Buy {
		if fhs.LowIndex < 0 {
			return currentStop, nil
		}
		return max(currentStop, fhs.SwingLow-0.5*sv), nil
	}
	if fhs.HighIndex < 0 {
		return currentStop, nil
	}
	return min(currentStop, fhs.SwingHigh+0.5*sv), nil
}
