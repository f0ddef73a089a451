package metaapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/market"
)

// isoTime reads MetaApi's ISO 8601 timestamps ("2020-04-15T02:45:06.521Z"); empty is zero.
type isoTime struct{ time.Time }

func (t *isoTime) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil || s == "" {
		return nil
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("metaapi: time %q: %w", s, err)
	}
	t.Time = v.UTC()
	return nil
}

func isoString(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// flexString accepts a JSON string or number (MetaApi sends login as either).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if s, err := strconv.Unquote(string(b)); err == nil {
		*f = flexString(s)
		return nil
	}
	if string(b) != "null" {
		*f = flexString(bytes.TrimSpace(b))
	}
	return nil
}

type wireAccount struct {
	Platform   string     `json:"platform"`
	Broker     string     `json:"broker"`
	Currency   string     `json:"currency"`
	Server     string     `json:"server"`
	Balance    float64    `json:"balance"`
	Equity     float64    `json:"equity"`
	Margin     float64    `json:"margin"`
	FreeMargin float64    `json:"freeMargin"`
	Leverage   float64    `json:"leverage"`
	Login      flexString `json:"login"`
}

// AccountInfo reads /account-information.
func (c *Client) AccountInfo(ctx context.Context) (broker.AccountInfo, error) {
	var w wireAccount
	if err := c.do(ctx, request{op: "account information", method: http.MethodGet, url: c.accountURL("/account-information"), out: &w}); err != nil {
		return broker.AccountInfo{}, err
	}
	c.mu.Lock()
	c.currency = w.Currency
	c.mu.Unlock()
	return broker.AccountInfo{
		Broker: w.Broker, Server: w.Server, Login: string(w.Login), Currency: w.Currency,
		Balance:    broker.ToMoney(w.Balance, w.Currency),
		Equity:     broker.ToMoney(w.Equity, w.Currency),
		Margin:     broker.ToMoney(w.Margin, w.Currency),
		FreeMargin: broker.ToMoney(w.FreeMargin, w.Currency),
		Leverage:   int(math.Round(w.Leverage)),
	}, nil
}

// accountCurrency is the deposit currency, read once: an account's currency never changes,
// and money in positions and deals must be converted to its minor units.
func (c *Client) accountCurrency(ctx context.Context) (string, error) {
	c.mu.Lock()
	cur := c.currency
	c.mu.Unlock()
	if cur != "" {
		return cur, nil
	}
	acc, err := c.AccountInfo(ctx)
	return acc.Currency, err
}

type wirePosition struct {
	ID               string  `json:"id"`
	Type             string  `json:"type"`
	Symbol           string  `json:"symbol"`
	Time             isoTime `json:"time"`
	UpdateTime       isoTime `json:"updateTime"`
	OpenPrice        float64 `json:"openPrice"`
	CurrentPrice     float64 `json:"currentPrice"`
	StopLoss         float64 `json:"stopLoss"`
	TakeProfit       float64 `json:"takeProfit"`
	Volume           float64 `json:"volume"`
	Swap             float64 `json:"swap"`
	Commission       float64 `json:"commission"`
	UnrealizedProfit float64 `json:"unrealizedProfit"`
	ClientID         string  `json:"clientId"`
}

// Positions reads /positions.
func (c *Client) Positions(ctx context.Context) ([]broker.Position, error) {
	currency, err := c.accountCurrency(ctx)
	if err != nil {
		return nil, err
	}
	var ws []wirePosition
	if err := c.do(ctx, request{op: "positions", method: http.MethodGet, url: c.accountURL("/positions"), out: &ws}); err != nil {
		return nil, err
	}
	out := make([]broker.Position, 0, len(ws))
	for _, w := range ws {
		side := broker.Buy
		if w.Type == "POSITION_TYPE_SELL" {
			side = broker.Sell
		}
		out = append(out, broker.Position{
			ID: w.ID, Symbol: w.Symbol, Side: side, Volume: w.Volume,
			OpenPrice: w.OpenPrice, CurrentPrice: w.CurrentPrice, StopLoss: w.StopLoss, TakeProfit: w.TakeProfit,
			Profit:     broker.ToMoney(w.UnrealizedProfit, currency),
			Swap:       broker.ToMoney(w.Swap, currency),
			Commission: broker.ToMoney(w.Commission, currency),
			ClientID:   w.ClientID, OpenedAt: w.Time.Time, UpdatedAt: w.UpdateTime.Time,
		})
	}
	return out, nil
}

type wireOrder struct {
	ID         string  `json:"id"`
	Type       string  `json:"type"`
	State      string  `json:"state"`
	Symbol     string  `json:"symbol"`
	Time       isoTime `json:"time"`
	OpenPrice  float64 `json:"openPrice"`
	Volume     float64 `json:"volume"`
	StopLoss   float64 `json:"stopLoss"`
	TakeProfit float64 `json:"takeProfit"`
	PositionID string  `json:"positionId"`
	ClientID   string  `json:"clientId"`
}

// Orders reads /orders (pending orders).
func (c *Client) Orders(ctx context.Context) ([]broker.Order, error) {
	var ws []wireOrder
	if err := c.do(ctx, request{op: "orders", method: http.MethodGet, url: c.accountURL("/orders"), out: &ws}); err != nil {
		return nil, err
	}
	out := make([]broker.Order, 0, len(ws))
	for _, w := range ws {
		out = append(out, broker.Order{
			ID: w.ID, Symbol: w.Symbol, Type: w.Type, State: w.State, Volume: w.Volume,
			OpenPrice: w.OpenPrice, StopLoss: w.StopLoss, TakeProfit: w.TakeProfit,
			PositionID: w.PositionID, ClientID: w.ClientID, PlacedAt: w.Time.Time,
		})
	}
	return out, nil
}

// wireTrade is the body of POST /trade. Zero stop levels are omitted: MetaTrader reads an
// absent level as "none".
type wireTrade struct {
	ActionType string  `json:"actionType"`
	Symbol     string  `json:"symbol,omitempty"`
	Volume     float64 `json:"volume,omitempty"`
	StopLoss   float64 `json:"stopLoss,omitempty"`
	TakeProfit float64 `json:"takeProfit,omitempty"`
	PositionID string  `json:"positionId,omitempty"`
	ClientID   string  `json:"clientId,omitempty"`
}

type wireTradeResponse struct {
	NumericCode int    `json:"numericCode"`
	StringCode  string `json:"stringCode"`
	Message     string `json:"message"`
	OrderID     string `json:"orderId"`
	PositionID  string `json:"positionId"`
}

var successCodes = map[string]bool{
	"ERR_NO_ERROR": true, "TRADE_RETCODE_PLACED": true, "TRADE_RETCODE_DONE": true,
	"TRADE_RETCODE_DONE_PARTIAL": true, "TRADE_RETCODE_NO_CHANGES": true,
}

func (c *Client) trade(ctx context.Context, op string, t wireTrade) (broker.TradeResult, error) {
	var w wireTradeResponse
	err := c.do(ctx, request{op: op, method: http.MethodPost, url: c.accountURL("/trade"), body: t, out: &w, trade: true, clientID: t.ClientID})
	if err != nil {
		return broker.TradeResult{}, err
	}
	ok := broker.TradeSucceeded(w.NumericCode)
	if w.StringCode != "" {
		ok = successCodes[w.StringCode]
	}
	if !ok {
		return broker.TradeResult{}, fmt.Errorf("metaapi: %s: %w", op, &broker.TradeError{NumericCode: w.NumericCode, StringCode: w.StringCode, Message: w.Message})
	}
	return broker.TradeResult{OrderID: w.OrderID, PositionID: w.PositionID, NumericCode: w.NumericCode, StringCode: w.StringCode, Message: w.Message}, nil
}

// PlaceMarket sends ORDER_TYPE_BUY or ORDER_TYPE_SELL.
func (c *Client) PlaceMarket(ctx context.Context, o broker.MarketOrder) (broker.TradeResult, error) {
	if err := o.Validate(); err != nil {
		return broker.TradeResult{}, fmt.Errorf("metaapi: place market order: %w", err)
	}
	action := "ORDER_TYPE_BUY"
	if o.Side == broker.Sell {
		action = "ORDER_TYPE_SELL"
	}
	return c.trade(ctx, "place market order", wireTrade{
		ActionType: action, Symbol: o.Symbol, Volume: o.Volume,
		StopLoss: o.StopLoss, TakeProfit: o.TakeProfit, ClientID: o.ClientID,
	})
}

// ClosePosition sends POSITION_CLOSE_ID for the whole position.
func (c *Client) ClosePosition(ctx context.Context, positionID string) (broker.TradeResult, error) {
	if positionID == "" {
		return broker.TradeResult{}, fmt.Errorf("metaapi: close position: %w: position id is required", broker.ErrInvalidRequest)
	}
	return c.trade(ctx, "close position "+positionID, wireTrade{ActionType: "POSITION_CLOSE_ID", PositionID: positionID})
}

// ModifyPosition sends POSITION_MODIFY with both levels.
func (c *Client) ModifyPosition(ctx context.Context, positionID string, stopLoss, takeProfit float64) (broker.TradeResult, error) {
	if positionID == "" || stopLoss < 0 || takeProfit < 0 {
		return broker.TradeResult{}, fmt.Errorf("metaapi: modify position: %w: position id and non-negative levels are required", broker.ErrInvalidRequest)
	}
	return c.trade(ctx, "modify position "+positionID, wireTrade{ActionType: "POSITION_MODIFY", PositionID: positionID, StopLoss: stopLoss, TakeProfit: takeProfit})
}

type wireDeal struct {
	ID         string  `json:"id"`
	Type       string  `json:"type"`
	EntryType  string  `json:"entryType"`
	Symbol     string  `json:"symbol"`
	Time       isoTime `json:"time"`
	Volume     float64 `json:"volume"`
	Price      float64 `json:"price"`
	Profit     float64 `json:"profit"`
	Commission float64 `json:"commission"`
	Swap       float64 `json:"swap"`
	PositionID string  `json:"positionId"`
	OrderID    string  `json:"orderId"`
	ClientID   string  `json:"clientId"`
	Reason     string  `json:"reason"`
}

var entries = map[string]broker.DealEntry{
	"DEAL_ENTRY_IN": broker.EntryIn, "DEAL_ENTRY_OUT": broker.EntryOut,
	"DEAL_ENTRY_INOUT": broker.EntryInOut, "DEAL_ENTRY_OUT_BY": broker.EntryOut,
}

// HistoryDeals reads /history-deals/time/{start}/{end}.
func (c *Client) HistoryDeals(ctx context.Context, from, to time.Time) ([]broker.Deal, error) {
	if !to.After(from) {
		return nil, fmt.Errorf("metaapi: history deals: %w: range end %s is not after start %s", broker.ErrInvalidRequest, to, from)
	}
	currency, err := c.accountCurrency(ctx)
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	u := c.accountURL("/history-deals/time/" + isoString(from) + "/" + isoString(to))
	if err := c.do(ctx, request{op: "history deals", method: http.MethodGet, url: u, out: &raw}); err != nil {
		return nil, err
	}
	// The REST API answers a bare array; the RPC form wraps it as {"deals": [...]}.
	var ws []wireDeal
	if err := json.Unmarshal(raw, &ws); err != nil {
		var wrapped struct {
			Deals []wireDeal `json:"deals"`
		}
		if err2 := json.Unmarshal(raw, &wrapped); err2 != nil {
			return nil, fmt.Errorf("metaapi: history deals: decode answer: %w", err)
		}
		ws = wrapped.Deals
	}
	out := make([]broker.Deal, 0, len(ws))
	for _, w := range ws {
		out = append(out, broker.Deal{
			ID: w.ID, Type: w.Type, Entry: entries[w.EntryType], Symbol: w.Symbol, Volume: w.Volume, Price: w.Price,
			Profit:     broker.ToMoney(w.Profit, currency),
			Commission: broker.ToMoney(w.Commission, currency),
			Swap:       broker.ToMoney(w.Swap, currency),
			PositionID: w.PositionID, OrderID: w.OrderID, ClientID: w.ClientID, Reason: w.Reason, Time: w.Time.Time,
		})
	}
	return out, nil
}

type wireCandle struct {
	Time       isoTime `json:"time"`
	Open       float64 `json:"open"`
	High       float64 `json:"high"`
	Low        float64 `json:"low"`
	Close      float64 `json:"close"`
	TickVolume int64   `json:"tickVolume"`
}

// MaxCandles is the market-data API's page size limit.
const MaxCandles = 1000

// Candles reads historical candles from the market-data API. MetaApi loads them backwards
// from startTime (our end); the answer is returned ascending.
func (c *Client) Candles(ctx context.Context, symbol string, tf market.Timeframe, end time.Time, limit int) ([]market.Candle, error) {
	if !tf.Valid() {
		return nil, fmt.Errorf("metaapi: candles %s: %w: timeframe %q", symbol, broker.ErrInvalidRequest, tf)
	}
	q := url.Values{}
	if !end.IsZero() {
		q.Set("startTime", isoString(end))
	}
	if limit <= 0 || limit > MaxCandles {
		limit = MaxCandles
	}
	q.Set("limit", strconv.Itoa(limit))
	u := c.marketData + "/users/current/accounts/" + url.PathEscape(c.account) +
		"/historical-market-data/symbols/" + url.PathEscape(symbol) + "/timeframes/" + tf.MetaApi() + "/candles?" + q.Encode()
	var ws []wireCandle
	if err := c.do(ctx, request{op: "candles " + symbol + " " + string(tf), method: http.MethodGet, url: u, out: &ws}); err != nil {
		return nil, err
	}
	out := make([]market.Candle, 0, len(ws))
	for _, w := range ws {
		out = append(out, market.Candle{Time: w.Time.Time, Open: w.Open, High: w.High, Low: w.Low, Close: w.Close, TickVolume: w.TickVolume})
	}
	slices.SortFunc(out, func(a, b market.Candle) int { return a.Time.Compare(b.Time) })
	return out, nil
}

type wireSpec struct {
	Symbol         string  `json:"symbol"`
	Description    string  `json:"description"`
	TickSize       float64 `json:"tickSize"`
	MinVolume      float64 `json:"minVolume"`
	MaxVolume      float64 `json:"maxVolume"`
	VolumeStep     float64 `json:"volumeStep"`
	ContractSize   float64 `json:"contractSize"`
	Digits         int     `json:"digits"`
	Point          float64 `json:"point"`
	BaseCurrency   string  `json:"baseCurrency"`
	ProfitCurrency string  `json:"profitCurrency"`
	MarginCurrency string  `json:"marginCurrency"`
}

// SymbolSpecification reads /symbols/{symbol}/specification, and the current price for the
// tick value, which MetaApi reports with prices rather than in the specification.
func (c *Client) SymbolSpecification(ctx context.Context, symbol string) (market.SymbolSpec, error) {
	var w wireSpec
	u := c.accountURL("/symbols/" + url.PathEscape(symbol) + "/specification")
	if err := c.do(ctx, request{op: "specification " + symbol, method: http.MethodGet, url: u, out: &w}); err != nil {
		return market.SymbolSpec{}, err
	}
	spec := market.SymbolSpec{
		Symbol: w.Symbol, Description: w.Description, Digits: w.Digits, TickSize: w.TickSize,
		ContractSize: w.ContractSize, MinVolume: w.MinVolume, MaxVolume: w.MaxVolume, VolumeStep: w.VolumeStep,
		BaseCurrency: w.BaseCurrency, ProfitCurrency: w.ProfitCurrency, MarginCurrency: w.MarginCurrency,
	}
	if spec.Digits == 0 {
		if p := w.Point; p > 0 {
			spec.Digits = int(math.Round(-math.Log10(p)))
		} else if w.TickSize > 0 && w.TickSize < 1 {
			spec.Digits = int(math.Round(-math.Log10(w.TickSize)))
		}
	}
	// Older terminals omit currencies; a six-letter FX name carries them.
	if spec.ProfitCurrency == "" && isFXName(symbol) {
		spec.BaseCurrency, spec.ProfitCurrency = symbol[:3], symbol[3:6]
	}
	p, err := c.price(ctx, symbol)
	if err != nil {
		return market.SymbolSpec{}, err
	}
	spec.TickValue = p.ProfitTickValue
	return spec, nil
}

// isFXName reports whether a symbol starts with six capital letters (EURUSD, XAUUSD.r), the
// shape whose halves are currencies; NAS100 or US30 are not.
func isFXName(symbol string) bool {
	if len(symbol) < 6 {
		return false
	}
	for _, r := range symbol[:6] {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

type wirePrice struct {
	Symbol          string  `json:"symbol"`
	Bid             float64 `json:"bid"`
	Ask             float64 `json:"ask"`
	Time            isoTime `json:"time"`
	ProfitTickValue float64 `json:"profitTickValue"`
	LossTickValue   float64 `json:"lossTickValue"`
}

func (c *Client) price(ctx context.Context, symbol string) (wirePrice, error) {
	var w wirePrice
	u := c.accountURL("/symbols/" + url.PathEscape(symbol) + "/current-price")
	err := c.do(ctx, request{op: "price " + symbol, method: http.MethodGet, url: u, out: &w})
	return w, err
}

// Price reads /symbols/{symbol}/current-price.
func (c *Client) Price(ctx context.Context, symbol string) (market.Quote, error) {
	w, err := c.price(ctx, symbol)
	if err != nil {
		return market.Quote{}, err
	}
	return market.Quote{Symbol: w.Symbol, Bid: w.Bid, Ask: w.Ask, Time: w.Time.Time}, nil
}
