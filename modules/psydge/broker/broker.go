// Package broker is Psydge's bridge to a trading account. The order flow talks to the Broker
// interface; package metaapi implements it over MetaApi's REST API (real MT4/MT5 accounts) and
// package paper over the paper price feed (no account needed).
//
// Money (balance, equity, profit, commission, swap) is integer minor units of the account
// currency (Money). Prices and volumes are float64: prices are quotes exactly as the broker
// sends them and volumes are lots on the broker's volume step; neither is ever summed into a
// balance without going through Money.
package broker

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/alorig/alorig/modules/psydge/market"
)

// Broker is one trading account.
type Broker interface {
	AccountInfo(ctx context.Context) (AccountInfo, error)
	Positions(ctx context.Context) ([]Position, error)
	// Orders lists pending orders.
	Orders(ctx context.Context) ([]Order, error)
	PlaceMarket(ctx context.Context, o MarketOrder) (TradeResult, error)
	ClosePosition(ctx context.Context, positionID string) (TradeResult, error)
	// ModifyPosition sets a position's stop loss and take profit; 0 removes a level.
	ModifyPosition(ctx context.Context, positionID string, stopLoss, takeProfit float64) (TradeResult, error)
	// HistoryDeals lists deals executed in [from, to).
	HistoryDeals(ctx context.Context, from, to time.Time) ([]Deal, error)
	// Candles returns up to limit candles of symbol opening at or before end (zero end: now),
	// ascending. This is MetaApi's paging direction: ask again with end before the first
	// candle for older history.
	Candles(ctx context.Context, symbol string, tf market.Timeframe, end time.Time, limit int) ([]market.Candle, error)
	SymbolSpecification(ctx context.Context, symbol string) (market.SymbolSpec, error)
	Price(ctx context.Context, symbol string) (market.Quote, error)
}

// Side is the direction of a market order or position.
type Side string

const (
	Buy  Side = "buy"
	Sell Side = "sell"
)

// Valid reports whether s is Buy or Sell.
func (s Side) Valid() bool { return s == Buy || s == Sell }

// Money is an amount in minor units (cents) of the account currency.
type Money int64

// ToMoney rounds a broker's float amount to minor units of currency.
func ToMoney(v float64, currency string) Money {
	return Money(math.Round(v * math.Pow10(CurrencyExponent(currency))))
}

// Float is the amount in major units, for display and for the broker's wire format only.
func (m Money) Float(currency string) float64 {
	return float64(m) / math.Pow10(CurrencyExponent(currency))
}

// CurrencyExponent is the number of minor-unit digits of an ISO 4217 currency.
func CurrencyExponent(currency string) int {
	switch currency {
	case "JPY", "KRW", "CLP", "VND", "ISK", "HUF":
		return 0
	case "BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD":
		return 3
	}
	return 2
}

// AccountInfo is the account's money state.
type AccountInfo struct {
	Broker     string `json:"broker"`
	Server     string `json:"server"`
	Login      string `json:"login"`
	Currency   string `json:"currency"`
	Balance    Money  `json:"balance"`
	Equity     Money  `json:"equity"`
	Margin     Money  `json:"margin"`
	FreeMargin Money  `json:"freeMargin"`
	Leverage   int    `json:"leverage"`
	// Paper is true for the paper broker, so screens can say so.
	Paper bool `json:"paper"`
}

// Position is an open position.
type Position struct {
	ID           string    `json:"id"`
	Symbol       string    `json:"symbol"`
	Side         Side      `json:"side"`
	Volume       float64   `json:"volume"`
	OpenPrice    float64   `json:"openPrice"`
	CurrentPrice float64   `json:"currentPrice"`
	StopLoss     float64   `json:"stopLoss,omitempty"`
	TakeProfit   float64   `json:"takeProfit,omitempty"`
	Profit       Money     `json:"profit"` // unrealized, account currency
	Swap         Money     `json:"swap"`
	Commission   Money     `json:"commission"`
	ClientID     string    `json:"clientId,omitempty"`
	OpenedAt     time.Time `json:"openedAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

// Order is a pending order.
type Order struct {
	ID         string    `json:"id"`
	Symbol     string    `json:"symbol"`
	Type       string    `json:"type"` // broker's order type, e.g. ORDER_TYPE_BUY_LIMIT
	State      string    `json:"state"`
	Volume     float64   `json:"volume"`
	OpenPrice  float64   `json:"openPrice"`
	StopLoss   float64   `json:"stopLoss,omitempty"`
	TakeProfit float64   `json:"takeProfit,omitempty"`
	PositionID string    `json:"positionId,omitempty"`
	ClientID   string    `json:"clientId,omitempty"`
	PlacedAt   time.Time `json:"placedAt"`
}

// DealEntry says whether a deal opened or closed a position.
type DealEntry string

const (
	EntryIn    DealEntry = "in"
	EntryOut   DealEntry = "out"
	EntryInOut DealEntry = "inout"
	EntryNone  DealEntry = "" // balance operations
)

// Deal is one executed deal from the account history.
type Deal struct {
	ID         string    `json:"id"`
	Type       string    `json:"type"` // DEAL_TYPE_BUY, DEAL_TYPE_SELL, DEAL_TYPE_BALANCE, ...
	Entry      DealEntry `json:"entry"`
	Symbol     string    `json:"symbol,omitempty"`
	Volume     float64   `json:"volume,omitempty"`
	Price      float64   `json:"price,omitempty"`
	Profit     Money     `json:"profit"`
	Commission Money     `json:"commission"`
	Swap       Money     `json:"swap"`
	PositionID string    `json:"positionId,omitempty"`
	OrderID    string    `json:"orderId,omitempty"`
	ClientID   string    `json:"clientId,omitempty"`
	// Reason is why the deal happened when the broker says: DEAL_REASON_SL, DEAL_REASON_TP, ...
	Reason string    `json:"reason,omitempty"`
	Time   time.Time `json:"time"`
}

// MarketOrder asks for a position at the market price.
type MarketOrder struct {
	Symbol     string
	Side       Side
	Volume     float64
	StopLoss   float64 // 0: none
	TakeProfit float64 // 0: none
	// ClientID ties the broker's objects to our trade row, so a trade whose outcome was lost
	// (ErrUnknownOutcome) can be found again by sync. MetaApi stores it in the order comment.
	ClientID string
}

// TradeResult is a broker's acceptance of a trade request.
type TradeResult struct {
	OrderID     string `json:"orderId,omitempty"`
	PositionID  string `json:"positionId,omitempty"`
	NumericCode int    `json:"numericCode"`
	StringCode  string `json:"stringCode"`
	Message     string `json:"message,omitempty"`
	// Price is the fill price when the broker reports it (paper does, MetaApi's trade answer
	// does not: read the position).
	Price float64 `json:"price,omitempty"`
}

// MaxClientIDLen is MetaApi's limit on clientId plus comment length; we send no comment.
const MaxClientIDLen = 26

// Validate checks the order before it reaches any broker.
func (o MarketOrder) Validate() error {
	switch {
	case o.Symbol == "":
		return fmt.Errorf("%w: symbol is required", ErrInvalidRequest)
	case !o.Side.Valid():
		return fmt.Errorf("%w: side %q must be buy or sell", ErrInvalidRequest, o.Side)
	case !(o.Volume > 0) || math.IsInf(o.Volume, 0):
		return fmt.Errorf("%w: volume %v must be positive", ErrInvalidRequest, o.Volume)
	case o.StopLoss < 0 || o.TakeProfit < 0:
		return fmt.Errorf("%w: stop loss and take profit must not be negative", ErrInvalidRequest)
	}
	return ValidateClientID(o.ClientID)
}

// ValidateClientID enforces MetaApi's clientId rules: at most 26 characters, and only ASCII
// letters, digits and '_' (the comment field is stored by MetaTrader in a narrow charset).
func ValidateClientID(id string) error {
	if len(id) > MaxClientIDLen {
		return fmt.Errorf("%w: clientId %q is %d characters, the limit is %d", ErrInvalidRequest, id, len(id), MaxClientIDLen)
	}
	for _, r := range id {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return fmt.Errorf("%w: clientId %q may only hold letters, digits and '_'", ErrInvalidRequest, id)
		}
	}
	return nil
}

// Errors every Broker may return; test with errors.Is.
var (
	// ErrUnknownOutcome means the trade request may or may not have executed (a timeout or a
	// lost connection after sending). Mark the trade unknown and let sync find it by clientId.
	ErrUnknownOutcome = errors.New("broker: trade outcome unknown")
	ErrNotFound       = errors.New("broker: not found")
	ErrUnauthorized   = errors.New("broker: unauthorized")
	ErrForbidden      = errors.New("broker: forbidden")
	ErrRateLimited    = errors.New("broker: rate limited")
	ErrUnavailable    = errors.New("broker: unavailable")
	ErrInvalidRequest = errors.New("broker: invalid request")
	ErrTradeRejected  = errors.New("broker: trade rejected")
	ErrMarketClosed   = errors.New("broker: market closed")
	ErrNoMoney        = errors.New("broker: not enough money")
)

// TradeError is a trade the broker answered and refused, with MetaTrader's return code.
type TradeError struct {
	NumericCode int
	StringCode  string
	Message     string
}

func (e *TradeError) Error() string {
	return fmt.Sprintf("broker: trade rejected: %s (%d): %s", e.StringCode, e.NumericCode, e.Message)
}

// Is makes every TradeError match ErrTradeRejected, and the return codes with a meaning the
// order flow acts on match their own sentinel too.
func (e *TradeError) Is(target error) bool {
	switch target {
	case ErrTradeRejected:
		return true
	case ErrMarketClosed:
		return e.NumericCode == 10018 || e.StringCode == "TRADE_RETCODE_MARKET_CLOSED"
	case ErrNotFound:
		return e.NumericCode == 10036 || e.StringCode == "TRADE_RETCODE_POSITION_CLOSED"
	case ErrNoMoney:
		return e.NumericCode == 10019 || e.StringCode == "TRADE_RETCODE_NO_MONEY"
	case ErrInvalidRequest:
		switch e.NumericCode {
		case 10013, 10014, 10015, 10016: // invalid request, volume, price, stops
			return true
		}
	}
	return false
}

// TradeSucceeded reports whether a MetaTrader return code means the request was carried out:
// 0 (MT4 no error), 10008 placed, 10009 done, 10010 done partially, 10025 no changes.
func TradeSucceeded(numericCode int) bool {
	switch numericCode {
	case 0, 10008, 10009, 10010, 10025:
		return true
	}
	return false
}
