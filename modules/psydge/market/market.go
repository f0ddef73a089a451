// Package market holds Psydge's market data: quotes, symbol specifications, timeframes,
// candles (aggregated from ticks or converted from broker history) and the paper price feed.
//
// Prices are float64 because they are quotes: they come from the broker as binary floats and
// are only ever compared, charted or fed to indicators. Nothing here is money; P/L and balances
// are computed by the broker packages and kept in integer minor units.
package market

import (
	"errors"
	"fmt"
	"time"
)

// ErrUnknownSymbol means the symbol is not configured (feed, specification table, aggregator).
var ErrUnknownSymbol = errors.New("market: unknown symbol")

// Quote is one price update for a symbol.
type Quote struct {
	Symbol string    `json:"symbol"`
	Bid    float64   `json:"bid"`
	Ask    float64   `json:"ask"`
	Time   time.Time `json:"time"`
}

// Mid is the midpoint between bid and ask.
func (q Quote) Mid() float64 { return (q.Bid + q.Ask) / 2 }

// SymbolSpec is what the platform needs to size positions and value P/L for one symbol.
type SymbolSpec struct {
	Symbol         string  `json:"symbol"`
	Description    string  `json:"description,omitempty"`
	Digits         int     `json:"digits"`
	TickSize       float64 `json:"tickSize"`
	ContractSize   float64 `json:"contractSize"`
	MinVolume      float64 `json:"minVolume"`
	MaxVolume      float64 `json:"maxVolume"`
	VolumeStep     float64 `json:"volumeStep"`
	BaseCurrency   string  `json:"baseCurrency"`
	ProfitCurrency string  `json:"profitCurrency"`
	MarginCurrency string  `json:"marginCurrency,omitempty"`
	// TickValue is the P/L of one lot moving one tick, in the account currency, when the
	// source knows it (MetaApi reports it with the current price). Zero means unknown.
	TickValue float64 `json:"tickValue,omitempty"`
}

// Point is the smallest price increment implied by Digits.
func (s SymbolSpec) Point() float64 { return pow10neg(s.Digits) }

func pow10neg(d int) float64 {
	p := 1.0
	for range d {
		p /= 10
	}
	return p
}

// Instrument is a symbol specification plus the paper feed's starting market for it.
type Instrument struct {
	Spec SymbolSpec
	// Start is the first mid price the paper feed quotes.
	Start float64
	// SpreadPoints is the bid/ask distance in points (Spec.Point()).
	SpreadPoints int
	// Volatility is the standard deviation of the mid price's relative change per second.
	Volatility float64
}

// DefaultInstruments are the symbols the paper feed and paper broker offer out of the box:
// FX majors, a JPY pair, gold and the Dow (US30), with retail-broker specifications and
// late-2026-like price levels. Volatilities approximate each market's typical daily range.
func DefaultInstruments() []Instrument {
	fx := func(sym, base, quote string, start float64, spread int, vol float64) Instrument {
		digits, tick := 5, 0.00001
		if quote == "JPY" {
			digits, tick = 3, 0.001
		}
		return Instrument{
			Spec: SymbolSpec{
				Symbol: sym, Description: base + " vs " + quote, Digits: digits, TickSize: tick,
				ContractSize: 100000, MinVolume: 0.01, MaxVolume: 100, VolumeStep: 0.01,
				BaseCurrency: base, ProfitCurrency: quote, MarginCurrency: base,
			},
			Start: start, SpreadPoints: spread, Volatility: vol,
		}
	}
	return []Instrument{
		fx("EURUSD", "EUR", "USD", 1.08520, 8, 0.00004),
		fx("GBPUSD", "GBP", "USD", 1.27340, 12, 0.00005),
		fx("AUDUSD", "AUD", "USD", 0.65870, 10, 0.00005),
		fx("USDCHF", "USD", "CHF", 0.88150, 12, 0.00004),
		fx("USDJPY", "USD", "JPY", 151.420, 10, 0.00005),
		fx("EURJPY", "EUR", "JPY", 164.310, 16, 0.00005),
		{
			Spec: SymbolSpec{
				Symbol: "XAUUSD", Description: "Gold vs US Dollar", Digits: 2, TickSize: 0.01,
				ContractSize: 100, MinVolume: 0.01, MaxVolume: 50, VolumeStep: 0.01,
				BaseCurrency: "XAU", ProfitCurrency: "USD", MarginCurrency: "USD",
			},
			Start: 2650.40, SpreadPoints: 25, Volatility: 0.00007,
		},
		{
			Spec: SymbolSpec{
				Symbol: "US30", Description: "Dow Jones Industrial Average CFD", Digits: 1, TickSize: 0.1,
				ContractSize: 1, MinVolume: 0.1, MaxVolume: 100, VolumeStep: 0.1,
				BaseCurrency: "USD", ProfitCurrency: "USD", MarginCurrency: "USD",
			},
			Start: 43850.0, SpreadPoints: 20, Volatility: 0.00006,
		},
	}
}

// SpecTable is a read-only lookup of symbol specifications.
type SpecTable map[string]SymbolSpec

// NewSpecTable indexes the instruments' specifications by symbol.
func NewSpecTable(instruments []Instrument) SpecTable {
	t := make(SpecTable, len(instruments))
	for _, in := range instruments {
		t[in.Spec.Symbol] = in.Spec
	}
	return t
}

// Lookup returns the specification for symbol or ErrUnknownSymbol.
func (t SpecTable) Lookup(symbol string) (SymbolSpec, error) {
	s, ok := t[symbol]
	if !ok {
		return SymbolSpec{}, fmt.Errorf("market: specification %q: %w", symbol, ErrUnknownSymbol)
	}
	return s, nil
}
