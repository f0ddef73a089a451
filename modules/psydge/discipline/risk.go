package discipline

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// currencyExponent is ISO 4217's minor-unit exponent for the currencies a retail MT4/MT5
// account or a traded symbol's profit side can be in. An unknown currency is refused rather
// than guessed, because a wrong exponent mis-sizes risk by a factor of 100.
var currencyExponent = map[string]int{
	"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "CHF": 2, "AUD": 2, "NZD": 2, "CAD": 2,
	"SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2, "HUF": 2, "CZK": 2, "SGD": 2, "HKD": 2,
	"ZAR": 2, "MXN": 2, "TRY": 2, "CNH": 2, "INR": 2, "PKR": 2, "AED": 2, "SAR": 2,
	"KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3,
}

// CurrencyExponent returns the number of minor-unit digits of an ISO 4217 currency.
func CurrencyExponent(code string) (int, bool) {
	e, ok := currencyExponent[code]
	return e, ok
}

// Decimal is an exact decimal number: Units × 10^-Scale.
type Decimal struct {
	Units int64 `json:"units"`
	Scale int   `json:"scale"`
}

// IsZero reports whether d is unset.
func (d Decimal) IsZero() bool { return d.Units == 0 }

// ParseDecimal reads a plain decimal such as "1.08123" or "100" exactly (no exponent form).
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return Decimal{}, fmt.Errorf("discipline: decimal %q: empty", s)
	}
	if len(frac) > 12 {
		return Decimal{}, fmt.Errorf("discipline: decimal %q: more than 12 decimal places", s)
	}
	digits := intPart + frac
	if strings.ContainsAny(frac, "+-") {
		return Decimal{}, fmt.Errorf("discipline: decimal %q: not a number", s)
	}
	u, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return Decimal{}, fmt.Errorf("discipline: decimal %q: %w", s, err)
	}
	return Decimal{Units: u, Scale: len(frac)}, nil
}

// ParsePrice reads a price string into points for a symbol with the given digits, refusing
// more decimal places than the symbol quotes.
func ParsePrice(s string, digits int) (int64, error) {
	d, err := ParseDecimal(s)
	if err != nil {
		return 0, err
	}
	if d.Units <= 0 {
		return 0, fmt.Errorf("discipline: price %q: must be positive", s)
	}
	if d.Scale > digits {
		return 0, fmt.Errorf("discipline: price %q: more than %d decimal places", s, digits)
	}
	p := d.Units
	for i := d.Scale; i < digits; i++ {
		if p > (1<<62)/10 {
			return 0, fmt.Errorf("discipline: price %q: too large", s)
		}
		p *= 10
	}
	return p, nil
}

// ParseLots reads a volume such as "0.25" into hundredths of a lot.
func ParseLots(s string) (int64, error) {
	d, err := ParseDecimal(s)
	if err != nil {
		return 0, err
	}
	if d.Units <= 0 || d.Scale > 2 {
		return 0, fmt.Errorf("discipline: lots %q: want a positive multiple of 0.01", s)
	}
	if d.Scale == 0 {
		return d.Units * 100, nil
	}
	if d.Scale == 1 {
		return d.Units * 10, nil
	}
	return d.Units, nil
}

// Rate is an exact conversion rate Num/Den (account currency units per one profit currency
// unit). A rational rather than a decimal so that an inverted quote (1/1.08123) stays exact.
type Rate struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// IsZero reports whether r is unset.
func (r Rate) IsZero() bool { return r.Num == 0 && r.Den == 0 }

// Inverse returns 1/r.
func (r Rate) Inverse() Rate { return Rate{Num: r.Den, Den: r.Num} }

// RateFromDecimal turns a quoted price ("1.08123") into a Rate.
func RateFromDecimal(s string) (Rate, error) {
	d, err := ParseDecimal(s)
	if err != nil {
		return Rate{}, err
	}
	if d.Units <= 0 {
		return Rate{}, fmt.Errorf("discipline: rate %q: must be positive", s)
	}
	den := int64(1)
	for range d.Scale {
		den *= 10
	}
	return Rate{Num: d.Units, Den: den}, nil
}

// SymbolSpec is a broker's contract specification for one symbol, as MT5 reports it
// (SYMBOL_DIGITS, SYMBOL_TRADE_CONTRACT_SIZE, SYMBOL_TRADE_TICK_SIZE, SYMBOL_CURRENCY_PROFIT,
// SYMBOL_VOLUME_MIN/MAX/STEP). Prices are integer points (price × 10^Digits).
type SymbolSpec struct {
	Symbol string `json:"symbol"`
	Digits int    `json:"digits"`
	// ContractSize is units of the base asset per 1.00 lot (EURUSD 100000, XAUUSD 100).
	ContractSize int64 `json:"contract_size"`
	// TickSize is the smallest price step, in points.
	TickSize int64 `json:"tick_size"`
	// TickValue, when set, is the profit-currency value of one TickSize move for 1.00 lot and
	// overrides ContractSize (futures-style CFDs whose point value is not ContractSize × point).
	TickValue      Decimal `json:"tick_value"`
	ProfitCurrency string  `json:"profit_currency"`
	// Volume limits in hundredths of a lot; zero LotStep means 1 (0.01 lot).
	MinLots int64 `json:"min_lots"`
	MaxLots int64 `json:"max_lots"`
	LotStep int64 `json:"lot_step"`
}

// Validate checks the specification is complete and inside the ranges RiskMinor can compute
// exactly.
func (s *SymbolSpec) Validate() error {
	switch {
	case s.Symbol == "":
		return &FieldError{Field: "spec.symbol", Reason: "missing"}
	case s.Digits < 0 || s.Digits > 8:
		return &FieldError{Field: "spec.digits", Reason: fmt.Sprintf("%d is outside 0..8", s.Digits)}
	case s.TickSize <= 0 || s.TickSize > 1_000_000:
		return &FieldError{Field: "spec.tick_size", Reason: fmt.Sprintf("%d points is outside 1..1000000", s.TickSize)}
	case s.TickValue.IsZero() && (s.ContractSize <= 0 || s.ContractSize > 1_000_000_000):
		return &FieldError{Field: "spec.contract_size", Reason: fmt.Sprintf("%d is outside 1..1e9", s.ContractSize)}
	case !s.TickValue.IsZero() && (s.TickValue.Units <= 0 || s.TickValue.Scale < 0 || s.TickValue.Scale > 12):
		return &FieldError{Field: "spec.tick_value", Reason: "must be positive with at most 12 decimal places"}
	case s.MinLots < 0 || s.MaxLots < 0 || s.LotStep < 0 || (s.MaxLots > 0 && s.MaxLots < s.MinLots):
		return &FieldError{Field: "spec.lots", Reason: "volume limits are inconsistent"}
	}
	if _, ok := currencyExponent[s.ProfitCurrency]; !ok {
		return &FieldError{Field: "spec.profit_currency", Reason: fmt.Sprintf("%q is not a supported ISO 4217 code", s.ProfitCurrency)}
	}
	return nil
}

// FieldError names the request field that is malformed; the HTTP layer maps it to a 422.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return "discipline: " + e.Field + ": " + e.Reason }

// ErrRiskOverflow means the risk of a request does not fit the exact integer arithmetic; no
// real order is that large, so it is refused rather than approximated.
var ErrRiskOverflow = errors.New("discipline: risk computation overflows")

var pow10 = [...]uint64{1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
	1_000_000_000, 10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000}

// u128 is an unsigned 128-bit integer, enough to hold price distance × volume × contract size
// × minor-unit factor × rate without rounding.
type u128 struct{ hi, lo uint64 }

func (a u128) mul(b uint64) (u128, bool) {
	hi1, lo := bits.Mul64(a.lo, b)
	hi2, lo2 := bits.Mul64(a.hi, b)
	if hi2 != 0 {
		return u128{}, false
	}
	hi, carry := bits.Add64(hi1, lo2, 0)
	if carry != 0 {
		return u128{}, false
	}
	return u128{hi, lo}, true
}

func mulSmall(a, b uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	return lo, hi == 0
}

// ceilDiv divides rounding up: risk is never understated.
func (a u128) ceilDiv(d uint64) (uint64, bool) {
	if d == 0 || a.hi >= d {
		return 0, false
	}
	q, r := bits.Div64(a.hi, a.lo, d)
	if r != 0 {
		if q == ^uint64(0) {
			return 0, false
		}
		q++
	}
	return q, true
}

// LossMinor is the account-currency money lost, in minor units, if a position of lots
// (hundredths) moves distance points against it. Rounded up to the next minor unit.
//
//	loss = distance × 10^-digits × contractSize × lots/100 × rate × 10^accountExp
//
// or, with a tick value, distance/tickSize × tickValue × lots/100 × rate × 10^accountExp.
func LossMinor(spec *SymbolSpec, distance, lots int64, accountCurrency string, rate Rate) (int64, error) {
	if distance < 0 || lots <= 0 {
		return 0, fmt.Errorf("discipline: loss of %d points at %d hundredth lots: distance must not be negative and lots must be positive", distance, lots)
	}
	if err := spec.Validate(); err != nil {
		return 0, err
	}
	accExp, ok := currencyExponent[accountCurrency]
	if !ok {
		return 0, &FieldError{Field: "account.currency", Reason: fmt.Sprintf("%q is not a supported ISO 4217 code", accountCurrency)}
	}
	num, den := int64(1), int64(1)
	if spec.ProfitCurrency != accountCurrency || !rate.IsZero() {
		if rate.Num <= 0 || rate.Den <= 0 {
			if spec.ProfitCurrency == accountCurrency {
				return 0, &FieldError{Field: "rate", Reason: "must be positive or omitted"}
			}
			return 0, &FieldError{Field: "rate", Reason: fmt.Sprintf("a %s→%s conversion rate is required", spec.ProfitCurrency, accountCurrency)}
		}
		num, den = rate.Num, rate.Den
		if spec.ProfitCurrency == accountCurrency && num != den {
			return 0, &FieldError{Field: "rate", Reason: fmt.Sprintf("profit and account currency are both %s, rate must be 1", accountCurrency)}
		}
	}
	n := u128{lo: uint64(distance)}
	var d uint64
	var okAll bool
	if spec.TickValue.IsZero() {
		n, ok = n.mul(uint64(spec.ContractSize))
		d = pow10[spec.Digits]
		okAll = ok
	} else {
		n, ok = n.mul(uint64(spec.TickValue.Units))
		d, okAll = mulSmall(uint64(spec.TickSize), pow10[spec.TickValue.Scale])
		okAll = okAll && ok
	}
	if !okAll {
		return 0, ErrRiskOverflow
	}
	for _, f := range [...]uint64{uint64(lots), pow10[accExp], uint64(num)} {
		if n, ok = n.mul(f); !ok {
			return 0, ErrRiskOverflow
		}
	}
	if d, ok = mulSmall(d, 100); !ok {
		return 0, ErrRiskOverflow
	}
	if d, ok = mulSmall(d, uint64(den)); !ok {
		return 0, ErrRiskOverflow
	}
	q, ok := n.ceilDiv(d)
	if !ok || q > 1<<62 {
		return 0, ErrRiskOverflow
	}
	return int64(q), nil
}

// Validate checks the request is well formed: every field present and in range. It does not
// judge discipline (a missing or misplaced stop-loss is gate K's refusal, not a 422).
func (r *Request) Validate() error {
	switch {
	case r.Symbol == "" || len(r.Symbol) > 32:
		return &FieldError{Field: "symbol", Reason: "must be 1–32 characters"}
	case !r.Timeframe.Valid():
		return &FieldError{Field: "tf", Reason: fmt.Sprintf("%q is not one of M1 M5 M15 M30 H1 H4 D1", string(r.Timeframe))}
	case !r.Direction.Valid():
		return &FieldError{Field: "dir", Reason: "must be BUY or SELL"}
	case r.Lots <= 0:
		return &FieldError{Field: "lots", Reason: "must be positive"}
	case r.Entry <= 0:
		return &FieldError{Field: "entry", Reason: "must be a positive price"}
	case r.Stop < 0:
		return &FieldError{Field: "stop", Reason: "must not be negative"}
	case r.TakeProfit < 0 || (r.TakeProfit > 0 && int64(r.Direction)*(r.TakeProfit-r.Entry) <= 0):
		return &FieldError{Field: "tp", Reason: "must be on the profit side of entry"}
	case r.Account.Equity <= 0:
		return &FieldError{Field: "account.equity", Reason: "must be positive"}
	}
	if err := r.Spec.Validate(); err != nil {
		return err
	}
	if !strings.EqualFold(r.Spec.Symbol, r.Symbol) {
		return &FieldError{Field: "spec.symbol", Reason: fmt.Sprintf("spec is for %s, request is for %s", r.Spec.Symbol, r.Symbol)}
	}
	if _, ok := currencyExponent[r.Account.Currency]; !ok {
		return &FieldError{Field: "account.currency", Reason: fmt.Sprintf("%q is not a supported ISO 4217 code", r.Account.Currency)}
	}
	step := r.Spec.LotStep
	if step == 0 {
		step = 1
	}
	switch {
	case r.Lots < r.Spec.MinLots:
		return &FieldError{Field: "lots", Reason: fmt.Sprintf("%s is below the minimum %s", FormatLots(r.Lots), FormatLots(r.Spec.MinLots))}
	case r.Spec.MaxLots > 0 && r.Lots > r.Spec.MaxLots:
		return &FieldError{Field: "lots", Reason: fmt.Sprintf("%s is above the maximum %s", FormatLots(r.Lots), FormatLots(r.Spec.MaxLots))}
	case r.Lots%step != 0:
		return &FieldError{Field: "lots", Reason: fmt.Sprintf("%s is not a multiple of %s", FormatLots(r.Lots), FormatLots(step))}
	}
	if r.Spec.TickSize > 1 {
		if r.Entry%r.Spec.TickSize != 0 {
			return &FieldError{Field: "entry", Reason: "not on the symbol's tick grid"}
		}
		if r.Stop%r.Spec.TickSize != 0 {
			return &FieldError{Field: "stop", Reason: "not on the symbol's tick grid"}
		}
	}
	if r.Rate.Num < 0 || r.Rate.Den < 0 || (r.Rate.Num == 0) != (r.Rate.Den == 0) {
		return &FieldError{Field: "rate", Reason: "numerator and denominator must both be positive"}
	}
	if r.Spec.ProfitCurrency != r.Account.Currency && r.Rate.IsZero() {
		return &FieldError{Field: "rate", Reason: fmt.Sprintf("a %s→%s conversion rate is required", r.Spec.ProfitCurrency, r.Account.Currency)}
	}
	return nil
}
