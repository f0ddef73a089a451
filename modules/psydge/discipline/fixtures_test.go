package discipline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Specifications as a typical MT5 broker lists them.
var (
	specEURUSD = SymbolSpec{Symbol: "EURUSD", Digits: 5, ContractSize: 100_000, TickSize: 1, ProfitCurrency: "USD", MinLots: 1, MaxLots: 10_000, LotStep: 1}
	specUSDJPY = SymbolSpec{Symbol: "USDJPY", Digits: 3, ContractSize: 100_000, TickSize: 1, ProfitCurrency: "JPY", MinLots: 1, MaxLots: 10_000, LotStep: 1}
	specXAUUSD = SymbolSpec{Symbol: "XAUUSD", Digits: 2, ContractSize: 100, TickSize: 1, ProfitCurrency: "USD", MinLots: 1, MaxLots: 5_000, LotStep: 1}
	specUS30   = SymbolSpec{Symbol: "US30", Digits: 2, ContractSize: 1, TickSize: 1, ProfitCurrency: "USD", MinLots: 10, MaxLots: 50_000, LotStep: 10}
	specDE40   = SymbolSpec{Symbol: "DE40", Digits: 2, ContractSize: 1, TickSize: 1, ProfitCurrency: "EUR", MinLots: 10, MaxLots: 50_000, LotStep: 10}
	// A futures-style DE40 quoted in half points, valued by its tick value.
	specDE40Tick = SymbolSpec{Symbol: "DE40", Digits: 2, TickSize: 50, TickValue: Decimal{Units: 5, Scale: 1}, ProfitCurrency: "EUR", MinLots: 10, LotStep: 10}
)

func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

// t0 is Tuesday 3 March 2026 10:00 UTC: 10:00 in London (GMT), inside the London session.
var t0 = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)

// okRequest is EURUSD M15 BUY 1.00 lot, 20 pips stop: 200.00 USD on 100,000.00 USD (0.20%).
func okRequest() Request {
	return Request{
		Symbol: "EURUSD", Timeframe: M15, Direction: Buy, Lots: 100,
		Entry: 108_500, Stop: 108_300, TakeProfit: 108_900,
		Spec: specEURUSD, Account: Account{Currency: "USD", Equity: 10_000_000},
	}
}

func goSignal(id string, at time.Time) Signal {
	return Signal{ID: id, Source: "vista:intraday_momentum", Symbol: "EURUSD", Timeframe: M15, Direction: Buy, IssuedAt: at}
}

// okState holds one live GO signal for okRequest, issued five minutes before t0.
func okState(t *testing.T) State {
	t.Helper()
	s := NewState(t0)
	require.NoError(t, s.AddSignal(goSignal("sig-1", t0.Add(-5*time.Minute)), t0))
	return s
}

func gate(d Decision, letter string) GateResult {
	for _, g := range d.Gates {
		if g.Gate == letter {
			return g
		}
	}
	panic("no gate " + letter)
}
