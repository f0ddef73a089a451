package psydge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/broker/paper"
	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/web"
)

// TicketRequest is the body of POST /api/v1/trades and /api/v1/trades/check. It is decoded
// exactly as the API document describes it: prices and volume are JSON numbers (read exactly,
// without float rounding: "stop_loss": 1.08300), never strings; direction is "buy" or "sell";
// timeframe one of M1 … D1.
type TicketRequest struct {
	Symbol     string      `json:"symbol" doc:"e.g. EURUSD"`
	Timeframe  string      `json:"timeframe" enum:"M1,M5,M15,M30,H1,H4,D1"`
	Direction  string      `json:"direction" enum:"buy,sell"`
	Volume     exactNumber `json:"volume" doc:"lots in steps of 0.01, e.g. 0.10; no exponent"`
	StopLoss   exactNumber `json:"stop_loss" doc:"price with at most the symbol's digits; no exponent"`
	TakeProfit exactNumber `json:"take_profit,omitempty" doc:"price on the profit side of the entry; no exponent"`
	SignalID   string      `json:"signal_id,omitempty" doc:"the GO signal this ticket follows"`
}

// Validate lists the fields that are missing or malformed before any market lookup.
func (r *TicketRequest) Validate() []web.FieldError {
	var errs []web.FieldError
	r.Symbol = strings.ToUpper(strings.TrimSpace(r.Symbol))
	if r.Symbol == "" {
		errs = append(errs, web.FieldError{Field: "symbol", Reason: "is required"})
	}
	if !discipline.Timeframe(r.Timeframe).Valid() {
		errs = append(errs, web.FieldError{Field: "timeframe", Reason: "must be one of M1, M5, M15, M30, H1, H4, D1"})
	}
	if _, ok := requestDirection(r.Direction); !ok {
		errs = append(errs, web.FieldError{Field: "direction", Reason: "must be buy or sell"})
	}
	if r.Volume == "" {
		errs = append(errs, web.FieldError{Field: "volume", Reason: "is required (lots, e.g. 0.10)"})
	}
	if r.StopLoss == "" {
		errs = append(errs, web.FieldError{Field: "stop_loss", Reason: "is required: every order carries a stop-loss"})
	}
	return errs
}

// requestDirection reads a request's direction: exactly "buy" or "sell", the document's enum.
// (discipline.ParseDirection is more lenient because it also reads stored rows.)
func requestDirection(s string) (discipline.Direction, bool) {
	switch s {
	case "buy":
		return discipline.Buy, true
	case "sell":
		return discipline.Sell, true
	}
	return 0, false
}

// exactNumber is a JSON number kept as its literal so a price or a volume is read exactly. A
// string, a boolean, null or anything else is refused as the wrong JSON type, which BindJSON
// answers as `field "volume" must be a number`.
type exactNumber string

var floatType = reflect.TypeOf(float64(0))

// OpenAPISchema tells the API document what reflection cannot see: on the wire it is a number.
func (exactNumber) OpenAPISchema() *web.Schema { return &web.Schema{Type: "number"} }

func (n *exactNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return &json.UnmarshalTypeError{Value: jsonValueKind(b), Type: floatType}
	}
	*n = exactNumber(b)
	return nil
}

// MarshalJSON writes the literal back as it came (the idempotency hash reads it).
func (n exactNumber) MarshalJSON() ([]byte, error) {
	if n == "" {
		return []byte("null"), nil
	}
	return []byte(n), nil
}

// jsonValueKind names a JSON value's type the way encoding/json's errors do.
func jsonValueKind(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '"':
		return "string"
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	case b[0] == 'n':
		return "null"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	}
	return "value"
}

// Reasons for a number that is a JSON number but not a usable volume or price. They name what
// is wanted, never the parser's internals.
const lotsReason = "must be a positive number of lots in steps of 0.01, such as 0.10, written without an exponent"

func priceReason(digits int) string {
	return fmt.Sprintf("must be a positive price with at most %d decimal places, written without an exponent", digits)
}

// requestField names, in the request's words, a field the engine's validation refused. Fields
// the request does not carry (the entry is the broker's price, the account and the rate are
// the broker's) are the ticket as a whole.
var requestField = map[string]string{
	"symbol": "symbol", "spec.symbol": "symbol", "tf": "timeframe", "dir": "direction",
	"lots": "volume", "stop": "stop_loss", "tp": "take_profit",
}

// ticketFieldError turns the engine's validation error into a field error of the request.
func ticketFieldError(err error) error {
	var fe *discipline.FieldError
	if !errors.As(err, &fe) {
		return problemField("ticket", "cannot be priced for this account")
	}
	field, ok := requestField[fe.Field]
	if !ok {
		return problemField("ticket", "cannot be priced for this account: the broker's "+fe.Field+" "+fe.Reason)
	}
	reason := fe.Reason
	if field == "direction" {
		reason = "must be buy or sell"
	}
	return problemField(field, reason)
}

// ticket is a request resolved against the market: the engine's request plus what placing it
// needs.
type ticket struct {
	req     discipline.Request
	conn    *Connection
	cfg     *ConfigRow
	signals []discipline.Signal
	// vista: billing entitled the user to Vista when the ticket was resolved, so gate B may
	// count Vista's signals (see usableSignal).
	vista  bool
	broker broker.Broker
	order  broker.MarketOrder
}

// resolve attaches the live price, the symbol specification, the account equity and the
// conversion rate to a ticket. The Vista entitlement is read from billing for every ticket,
// never from a cache, so a plan that lapsed or was cancelled stops Vista's signals at once.
func (m *Module) resolve(ctx context.Context, userID int64, tr *TicketRequest, cached bool) (*ticket, error) {
	vista, err := m.billing.Entitled(ctx, userID, TierVista)
	if err != nil {
		return nil, err
	}
	read := m.ticketContext
	if cached {
		read = m.cachedTicketContext
	}
	tc, err := read(ctx, userID, tr.Symbol, tr.Timeframe, vista)
	if err != nil {
		return nil, err
	}
	if err := m.addNamedSignal(ctx, userID, tr, tc); err != nil {
		return nil, err
	}
	conn := tc.conn
	if conn == nil {
		return nil, ErrNoConnection
	}
	b, err := m.brokerFor(ctx, conn)
	if err != nil {
		return nil, &brokerDown{err: err}
	}
	spec, err := b.SymbolSpecification(ctx, tr.Symbol)
	if err != nil {
		if errors.Is(err, broker.ErrNotFound) || strings.Contains(err.Error(), "unknown symbol") {
			return nil, problemField("symbol", fmt.Sprintf("%s is not offered by this account", tr.Symbol))
		}
		return nil, &BrokerError{What: "the broker did not return the symbol specification"}
	}
	q, err := b.Price(ctx, tr.Symbol)
	if err != nil {
		return nil, &BrokerError{What: "the broker did not return a price for " + tr.Symbol}
	}
	acct, err := m.accountInfo(ctx, userID, b)
	if err != nil {
		return nil, &BrokerError{What: "the broker did not return the account"}
	}
	dir, _ := requestDirection(tr.Direction)
	es := engineSpec(spec)
	lots, err := discipline.ParseLots(string(tr.Volume))
	if err != nil {
		return nil, problemField("volume", lotsReason)
	}
	stop, err := discipline.ParsePrice(string(tr.StopLoss), spec.Digits)
	if err != nil {
		return nil, problemField("stop_loss", priceReason(spec.Digits))
	}
	var tp int64
	if tr.TakeProfit != "" {
		if tp, err = discipline.ParsePrice(string(tr.TakeProfit), spec.Digits); err != nil {
			return nil, problemField("take_profit", priceReason(spec.Digits))
		}
	}
	entryPrice := q.Ask
	side := broker.Buy
	if dir == discipline.Sell {
		entryPrice, side = q.Bid, broker.Sell
	}
	rate, err := conversionRate(ctx, b, spec.ProfitCurrency, acct.Currency)
	if err != nil {
		rate = discipline.Rate{}
	}
	t := &ticket{conn: conn, cfg: tc.cfg, signals: tc.signals, vista: vista, broker: b}
	t.req = discipline.Request{
		Symbol: tr.Symbol, Timeframe: discipline.Timeframe(tr.Timeframe), Direction: dir, Lots: lots,
		Entry: toPoints(entryPrice, spec.Digits), Stop: stop, TakeProfit: tp, SignalID: tr.SignalID, Spec: es,
		Account: discipline.Account{Currency: acct.Currency, Equity: int64(acct.Equity)}, Rate: rate,
	}
	if err := t.req.Validate(); err != nil {
		return nil, ticketFieldError(err)
	}
	t.order = broker.MarketOrder{Symbol: tr.Symbol, Side: side, Volume: float64(lots) / 100, StopLoss: fromPoints(stop, spec.Digits)}
	if tp > 0 {
		t.order.TakeProfit = fromPoints(tp, spec.Digits)
	}
	return t, nil
}

// accountInfo prefers the snapshot the 5 s sync left in psydge:positions:{id} for a remote
// broker (one less round trip on the check path); the paper account answers from memory.
func (m *Module) accountInfo(ctx context.Context, userID int64, b broker.Broker) (broker.AccountInfo, error) {
	if _, isPaper := b.(*paper.Broker); !isPaper {
		if raw, err := m.d.KV.HGet(ctx, positionsKey(userID), "account"); err == nil {
			var a broker.AccountInfo
			if json.Unmarshal([]byte(raw), &a) == nil && a.Currency != "" {
				return a, nil
			}
		}
	}
	return b.AccountInfo(ctx)
}
