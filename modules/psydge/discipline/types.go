package discipline

import (
	"fmt"
	"github.com/alorig/alorig/modules/psydge/market"
	"strings"
	"time"
)

// Direction is the side of a trade. Its value is the sign a price move is multiplied by to get
// the trade's profit, which keeps every R computation a single multiplication.
type Direction int8

const (
	Buy  Direction = 1
	Sell Direction = -1
)

func (d Direction) String() string {
	switch d {
	case Buy:
		return "BUY"
	case Sell:
		return "SELL"
	}
	return fmt.Sprintf("Direction(%d)", int8(d))
}

// MarshalText writes "BUY" or "SELL", so tickets and stored trades read as words.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what ParseDirection accepts.
func (d *Direction) UnmarshalText(b []byte) error {
	v, err := ParseDirection(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Valid reports whether d is Buy or Sell.
func (d Direction) Valid() bool { return d == Buy || d == Sell }

// ParseDirection reads "buy"/"sell" (any case, "long"/"short" accepted).
func ParseDirection(s string) (Direction, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "BUY", "LONG":
		return Buy, nil
	case "SELL", "SHORT":
		return Sell, nil
	}
	return 0, fmt.Errorf("discipline: direction %q: want BUY or SELL", s)
}

// Timeframe is the chart timeframe of the market package (M1 to D1), so a GO signal built from
// candles and the gate that checks it speak of the same thing.
type Timeframe = market.Timeframe

// The timeframes, shortest first.
const (
	M1  = market.M1
	M5  = market.M5
	M15 = market.M15
	M30 = market.M30
	H1  = market.H1
	H4  = market.H4
	D1  = market.D1
)

// Timeframes lists every timeframe the engine knows, shortest first.
var Timeframes = market.Timeframes

// Gate letters, as the seed names the six buffers.
const (
	GateSignal    = "B"
	GateWhitelist = "C"
	GateSession   = "D"
	GateEquity    = "E"
	GateCooldown  = "H"
	GateRisk      = "K"
)

// GateOrder is the order gates appear in a Decision.
var GateOrder = [6]string{GateSignal, GateWhitelist, GateSession, GateEquity, GateCooldown, GateRisk}

// Stable codes. The HTTP layer, the score and the pattern detector key on these strings, so
// they never change meaning once shipped.
const (
	CodeOK = "OK"

	// B
	CodeNoGoSignal        = "NO_GO_SIGNAL"
	CodeSignalExpired     = "SIGNAL_EXPIRED"
	CodeSignalDirection   = "SIGNAL_DIRECTION_MISMATCH"
	CodeSignalUsed        = "SIGNAL_USED"
	CodeSignalNotFound    = "SIGNAL_NOT_FOUND"
	CodeSignalNotYetValid = "SIGNAL_NOT_YET_VALID"
	// C
	CodeSymbolNotWhitelisted    = "SYMBOL_NOT_WHITELISTED"
	CodeTimeframeNotWhitelisted = "TIMEFRAME_NOT_WHITELISTED"
	// D
	CodeOutsideSession = "OUTSIDE_SESSION"
	// E
	CodeStateUnavailable  = "STATE_UNAVAILABLE"
	CodeSessionLocked     = "SESSION_LOCKED"
	CodeLossLock          = "LOSS_LOCK"
	CodeProfitLock        = "PROFIT_LOCK"
	CodeDailyRiskExceeded = "DAILY_RISK_EXCEEDED"
	// H
	CodeBlackoutActive = "BLACKOUT_ACTIVE"
	CodeAckRequired    = "OVERLAY_ACK_REQUIRED"
	CodeCooldownActive = "COOLDOWN_ACTIVE"
	// K
	CodeStopLossRequired  = "STOP_LOSS_REQUIRED"
	CodeStopLossWrongSide = "STOP_LOSS_WRONG_SIDE"
	CodeRiskTooHigh       = "RISK_TOO_HIGH"
	CodeRiskUncomputable  = "RISK_UNCOMPUTABLE"
	// Outside the gates.
	CodeRequestInvalid    = "REQUEST_INVALID"
	CodeExternalExecution = "EXTERNAL_EXECUTION"
	CodeStopWidened       = "STOP_WIDENED"
)

// GateResult is one gate's verdict on one request.
type GateResult struct {
	Gate   string `json:"gate"`
	Passed bool   `json:"passed"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Decision is the engine's answer to a trade request. Gates is a fixed array (always all six,
// in GateOrder) so a Check does not allocate for it; it marshals to a JSON array like a slice.
type Decision struct {
	Allowed bool          `json:"allowed"`
	Gates   [6]GateResult `json:"gates"`
	// Violation is what recording this refusal would log; nil when allowed or when the request
	// was malformed (a 422, not a discipline event).
	Violation *Violation `json:"violation,omitempty"`
	// Day is the trading day the decision was taken in (YYYYMMDD, see TradingDay).
	Day int `json:"day"`
	// RiskMinor is the money lost at the stop, in account minor units (0 when not computable).
	RiskMinor int64 `json:"risk_minor"`
	// RiskBasisPoints is RiskMinor as a share of equity, in hundredths of a percent, rounded up.
	RiskBasisPoints int64 `json:"risk_bp"`
	// SignalID is the GO signal gate B matched; Reserve spends it.
	SignalID string `json:"signal_id,omitempty"`
}

// Failed returns the failing gates' results, in order.
func (d *Decision) Failed() []GateResult {
	var out []GateResult
	for _, g := range d.Gates {
		if !g.Passed {
			out = append(out, g)
		}
	}
	return out
}

// Signal is a GO signal: a Vista strategy's entry or a pre-entry validator's approval.
type Signal struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"` // "vista:<strategy>" or "validator"
	Symbol    string    `json:"symbol"`
	Timeframe Timeframe `json:"tf"`
	Direction Direction `json:"dir"`
	IssuedAt  time.Time `json:"at"`
	// UsedBy is the client id of the trade that consumed the signal; one signal, one trade.
	UsedBy string `json:"used_by,omitempty"`
}

// Account is the broker account the trade is sized against.
type Account struct {
	Currency string `json:"currency"`
	// Equity in minor units of Currency, as the broker reports it now.
	Equity int64 `json:"equity"`
}

// Request is a trader's order ticket as the web panel sends it, plus the market facts the
// HTTP layer attaches (symbol specification, account equity, conversion rate).
type Request struct {
	Symbol    string    `json:"symbol"`
	Timeframe Timeframe `json:"tf"`
	Direction Direction `json:"dir"`
	// Lots in hundredths of a lot (0.01 lot steps): 150 is 1.50 lots.
	Lots int64 `json:"lots"`
	// Entry, Stop and TakeProfit are prices in points: price × 10^Spec.Digits.
	Entry      int64 `json:"entry"`
	Stop       int64 `json:"stop"`
	TakeProfit int64 `json:"tp,omitempty"`
	// SignalID, when set, pins the request to one GO signal.
	SignalID string     `json:"signal_id,omitempty"`
	Spec     SymbolSpec `json:"spec"`
	Account  Account    `json:"account"`
	// Rate converts the spec's profit currency into the account currency (account units per
	// one profit unit). Zero when the two currencies are the same.
	Rate Rate `json:"rate"`
}
