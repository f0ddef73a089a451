package discipline

import (
	"testing"
	"time"
)

// FuzzRequest feeds arbitrary order tickets to Validate and Check. Neither may panic; a
// request Validate rejects is never allowed; an allowed request has its stop on the losing
// side, a computed risk within 1% of equity and a symbol, timeframe and direction the state's
// live signal matches.
func FuzzRequest(f *testing.F) {
	f.Add("EURUSD", "M15", int8(1), int64(100), int64(108_500), int64(108_300), int64(0), 5, int64(100_000), int64(1), "USD", "USD", int64(10_000_000), int64(0), int64(0), int64(0))
	f.Add("USDJPY", "H1", int8(-1), int64(250), int64(151_500), int64(152_000), int64(150_000), 3, int64(100_000), int64(1), "JPY", "EUR", int64(500_000), int64(1_000), int64(164_378), int64(0))
	f.Add("XAUUSD", "M5", int8(1), int64(1), int64(235_000), int64(0), int64(0), 2, int64(100), int64(1), "USD", "JPY", int64(1), int64(151_500), int64(1_000), int64(5))
	f.Add("DE40", "D1", int8(0), int64(-5), int64(-1), int64(1<<62), int64(1<<62), 9, int64(1<<62), int64(0), "EUR", "KWD", int64(1<<62), int64(-1), int64(1<<62), int64(3))
	s := NewState(t0)
	for _, sym := range []string{"EURUSD", "USDJPY", "XAUUSD", "DE40"} {
		for _, dir := range []Direction{Buy, Sell} {
			for _, tf := range Timeframes {
				if err := s.AddSignal(Signal{ID: sym + string(tf) + dir.String(), Symbol: sym, Timeframe: tf, Direction: dir, IssuedAt: t0}, t0); err != nil {
					f.Fatal(err)
				}
			}
		}
	}
	cfg := Defaults()
	f.Fuzz(func(t *testing.T, sym, tf string, dir int8, lots, entry, stop, tp int64, digits int, contract, tick int64,
		profitCcy, accountCcy string, equity, rateNum, rateDen, minutes int64) {
		req := Request{
			Symbol: sym, Timeframe: Timeframe(tf), Direction: Direction(dir), Lots: lots, Entry: entry, Stop: stop, TakeProfit: tp,
			Spec:    SymbolSpec{Symbol: sym, Digits: digits, ContractSize: contract, TickSize: tick, ProfitCurrency: profitCcy},
			Account: Account{Currency: accountCcy, Equity: equity},
			Rate:    Rate{Num: rateNum, Den: rateDen},
		}
		now := t0.Add(time.Duration(minutes%(7*24*60)) * time.Minute)
		valid := req.Validate() == nil
		d := engine.Check(&s, &cfg, &req, now)
		if !valid {
			if d.Allowed {
				t.Fatalf("allowed a request Validate rejects: %+v", req)
			}
			return
		}
		if !d.Allowed {
			return
		}
		if int64(req.Direction)*(req.Entry-req.Stop) <= 0 || req.Stop == 0 {
			t.Fatalf("allowed a stop on the wrong side: %+v", req)
		}
		if d.RiskMinor <= 0 || d.RiskBasisPoints > DefaultMaxRiskBasisPoints {
			t.Fatalf("allowed risk %d (%d bp): %+v", d.RiskMinor, d.RiskBasisPoints, req)
		}
		if want, err := LossMinor(&req.Spec, int64(req.Direction)*(req.Entry-req.Stop), req.Lots, req.Account.Currency, req.Rate); err != nil || want != d.RiskMinor {
			t.Fatalf("risk %d disagrees with LossMinor %d (%v)", d.RiskMinor, want, err)
		}
		if _, ok := InSession(&cfg, now); !ok {
			t.Fatalf("allowed outside the sessions at %s", now)
		}
	})
}
