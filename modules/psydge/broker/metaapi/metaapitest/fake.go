// Package metaapitest is a fake MetaApi (trading-terminal and market-data REST APIs) for
// tests. It checks what MetaApi checks — the auth-token header, the account id, required trade
// fields, the 26-character clientId+comment limit — keeps positions and deals like a hedging
// MT5 account, and can be told to rate-limit, hang or fail.
package metaapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Price is a quote the fake fills at.
type Price struct {
	Bid, Ask        float64
	ProfitTickValue float64
}

// Fake is the fake MetaApi. Fields may be changed between calls under Lock/Unlock.
type Fake struct {
	Token     string
	AccountID string
	// Terminal serves the trading-terminal API, MarketData the market-data API.
	Terminal   *httptest.Server
	MarketData *httptest.Server

	mu sync.Mutex
	// Now stamps positions and deals.
	Now    time.Time
	Prices map[string]Price
	// RateLimit answers this many next requests with 429 and RetryAfter.
	RateLimit  int
	RetryAfter string
	// NextTradeCode, when set, answers the next trade with this numeric/string code.
	NextTradeCode   int
	NextTradeString string
	// TradeStatus, when set, answers every trade with this HTTP status.
	TradeStatus int
	// HangTrades makes trades wait until the client gives up.
	HangTrades bool
	Balance    float64
	positions  []map[string]any
	deals      []map[string]any
	nextID     int
	requests   []string
}

// New starts both servers. Close them with Close.
func New(token, accountID string) *Fake {
	f := &Fake{
		Token: token, AccountID: accountID, Balance: 10000,
		Now: time.Date(2026, 3, 13, 14, 30, 0, 0, time.UTC),
		Prices: map[string]Price{
			"EURUSD": {Bid: 1.08512, Ask: 1.08520, ProfitTickValue: 1},
			"USDJPY": {Bid: 151.412, Ask: 151.422, ProfitTickValue: 0.66},
		},
		nextID: 46214690,
	}
	f.Terminal = httptest.NewServer(f.guard(http.HandlerFunc(f.terminal)))
	f.MarketData = httptest.NewServer(f.guard(http.HandlerFunc(f.marketData)))
	return f
}

// Close stops both servers.
func (f *Fake) Close() {
	f.Terminal.Close()
	f.MarketData.Close()
}

// Lock and Unlock guard the exported fields.
func (f *Fake) Lock()   { f.mu.Lock() }
func (f *Fake) Unlock() { f.mu.Unlock() }

// Requests lists "METHOD path" of every request received, rate-limited ones included.
func (f *Fake) Requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

// PositionCount is the number of open positions.
func (f *Fake) PositionCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.positions)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status int, name, msg string, details any) {
	body := map[string]any{"id": 1, "error": name, "message": msg}
	if details != nil {
		body["details"] = details
	}
	writeJSON(w, status, body)
}

func (f *Fake) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r.Method+" "+r.URL.Path)
		limited := f.RateLimit > 0
		if limited {
			f.RateLimit--
		}
		retry := f.RetryAfter
		f.mu.Unlock()
		if r.Header.Get("auth-token") != f.Token {
			apiError(w, http.StatusUnauthorized, "UnauthorizedError", "Authorization token invalid", nil)
			return
		}
		prefix := "/users/current/accounts/" + f.AccountID + "/"
		if !strings.HasPrefix(r.URL.Path, prefix) {
			apiError(w, http.StatusNotFound, "NotFoundError", "Account not found", nil)
			return
		}
		if limited {
			if retry != "" {
				w.Header().Set("Retry-After", retry)
			}
			apiError(w, http.StatusTooManyRequests, "TooManyRequestsError", "The API allows 1000 cpu credits per 1s", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (f *Fake) terminal(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/users/current/accounts/"+f.AccountID)
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && path == "/account-information":
		f.mu.Lock()
		defer f.mu.Unlock()
		equity := f.Balance
		for _, p := range f.positions {
			equity += p["unrealizedProfit"].(float64)
		}
		writeJSON(w, 200, map[string]any{
			"platform": "mt5", "broker": "True ECN Trading Ltd", "currency": "USD", "server": "ICMarketsSC-Demo",
			"balance": f.Balance, "equity": equity, "margin": 184.1, "freeMargin": equity - 184.1, "leverage": 100,
			"marginLevel": 3967.58, "tradeAllowed": true, "marginMode": "ACCOUNT_MARGIN_MODE_RETAIL_HEDGING",
			"name": "Test Trader", "login": 50123456, "credit": 0, "type": "ACCOUNT_TRADE_MODE_DEMO",
		})
	case r.Method == http.MethodGet && path == "/positions":
		f.mu.Lock()
		defer f.mu.Unlock()
		writeJSON(w, 200, append([]map[string]any{}, f.positions...))
	case r.Method == http.MethodGet && path == "/orders":
		writeJSON(w, 200, []map[string]any{{
			"id": "46870472", "type": "ORDER_TYPE_BUY_LIMIT", "state": "ORDER_STATE_PLACED", "symbol": "EURUSD",
			"magic": 0, "time": "2026-03-13T09:00:00.000Z", "brokerTime": "2026-03-13 11:00:00.000",
			"openPrice": 1.07, "currentPrice": 1.0852, "volume": 0.05, "currentVolume": 0.05,
			"stopLoss": 1.065, "takeProfit": 1.08, "clientId": "PSY_limit1",
		}})
	case r.Method == http.MethodPost && path == "/trade":
		f.trade(w, r)
	case r.Method == http.MethodGet && len(parts) == 4 && parts[0] == "history-deals" && parts[1] == "time":
		for _, p := range parts[2:] {
			if _, err := time.Parse(time.RFC3339Nano, p); err != nil {
				apiError(w, 400, "ValidationError", "Validation failed", []map[string]string{{"parameter": "startTime", "message": "invalid date " + p}})
				return
			}
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		writeJSON(w, 200, append([]map[string]any{}, f.deals...))
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "symbols" && parts[2] == "specification":
		if parts[1] != "EURUSD" && parts[1] != "USDJPY" {
			apiError(w, 404, "NotFoundError", "Specification for symbol "+parts[1]+" not found", nil)
			return
		}
		digits, tick := 5, 0.00001
		if parts[1] == "USDJPY" {
			digits, tick = 3, 0.001
		}
		writeJSON(w, 200, map[string]any{
			"symbol": parts[1], "tickSize": tick, "minVolume": 0.01, "maxVolume": 200, "volumeStep": 0.01,
			"fillingModes": []string{"ORDER_FILLING_FOK"}, "executionMode": "SYMBOL_TRADE_EXECUTION_MARKET",
			"contractSize": 100000, "digits": digits, "description": parts[1],
		})
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "symbols" && parts[2] == "current-price":
		f.mu.Lock()
		p, ok := f.Prices[parts[1]]
		now := f.Now
		f.mu.Unlock()
		if !ok {
			apiError(w, 404, "NotFoundError", "Symbol "+parts[1]+" not found", nil)
			return
		}
		writeJSON(w, 200, map[string]any{
			"symbol": parts[1], "bid": p.Bid, "ask": p.Ask, "profitTickValue": p.ProfitTickValue,
			"lossTickValue": p.ProfitTickValue, "time": now.Format("2006-01-02T15:04:05.000Z"),
			"brokerTime": now.Add(2 * time.Hour).Format("2006-01-02 15:04:05.000"),
		})
	default:
		apiError(w, 404, "NotFoundError", "Not found: "+r.Method+" "+r.URL.Path, nil)
	}
}

type tradeRequest struct {
	ActionType string   `json:"actionType"`
	Symbol     string   `json:"symbol"`
	Volume     *float64 `json:"volume"`
	StopLoss   float64  `json:"stopLoss"`
	TakeProfit float64  `json:"takeProfit"`
	PositionID string   `json:"positionId"`
	ClientID   string   `json:"clientId"`
	Comment    string   `json:"comment"`
}

func (f *Fake) trade(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Content-Type") != "application/json" {
		apiError(w, 400, "ValidationError", "Content-Type must be application/json", nil)
		return
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	var t tradeRequest
	if err := dec.Decode(&t); err != nil {
		apiError(w, 400, "ValidationError", "Validation failed", []map[string]string{{"message": err.Error()}})
		return
	}
	invalid := func(param, msg string) {
		apiError(w, 400, "ValidationError", "Validation failed", []map[string]string{{"parameter": param, "message": msg}})
	}
	if len(t.ClientID)+len(t.Comment) > 26 {
		invalid("clientId", "the sum of clientId and comment lengths must not exceed 26 characters")
		return
	}
	f.mu.Lock()
	hang, status := f.HangTrades, f.TradeStatus
	code, str := f.NextTradeCode, f.NextTradeString
	f.NextTradeCode, f.NextTradeString = 0, ""
	f.mu.Unlock()
	if hang {
		<-r.Context().Done()
		return
	}
	if status != 0 {
		apiError(w, status, "InternalError", "An internal error occurred", nil)
		return
	}
	if code != 0 {
		writeJSON(w, 200, map[string]any{"numericCode": code, "stringCode": str, "message": "Request rejected"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.Now.Format("2006-01-02T15:04:05.000Z")
	switch t.ActionType {
	case "ORDER_TYPE_BUY", "ORDER_TYPE_SELL":
		if t.Symbol == "" {
			invalid("symbol", "symbol is required")
			return
		}
		if t.Volume == nil || *t.Volume <= 0 {
			invalid("volume", "volume is required and must be positive")
			return
		}
		p, ok := f.Prices[t.Symbol]
		if !ok {
			writeJSON(w, 200, map[string]any{"numericCode": 10013, "stringCode": "TRADE_RETCODE_INVALID", "message": "Invalid request"})
			return
		}
		f.nextID++
		id := strconv.Itoa(f.nextID)
		typ, open := "POSITION_TYPE_BUY", p.Ask
		if t.ActionType == "ORDER_TYPE_SELL" {
			typ, open = "POSITION_TYPE_SELL", p.Bid
		}
		pos := map[string]any{
			"id": id, "type": typ, "symbol": t.Symbol, "magic": 0, "time": now, "updateTime": now,
			"openPrice": open, "currentPrice": open, "currentTickValue": p.ProfitTickValue,
			"volume": *t.Volume, "swap": 0.0, "commission": -0.35, "profit": -0.35, "unrealizedProfit": -0.8,
			"realizedProfit": -0.35, "clientId": t.ClientID,
		}
		if t.StopLoss > 0 {
			pos["stopLoss"] = t.StopLoss
		}
		if t.TakeProfit > 0 {
			pos["takeProfit"] = t.TakeProfit
		}
		f.positions = append(f.positions, pos)
		f.deals = append(f.deals, map[string]any{
			"id": strconv.Itoa(f.nextID + 1000), "type": strings.Replace(t.ActionType, "ORDER_TYPE", "DEAL_TYPE", 1),
			"entryType": "DEAL_ENTRY_IN", "symbol": t.Symbol, "magic": 0, "time": now, "volume": *t.Volume,
			"price": open, "commission": -0.35, "swap": 0.0, "profit": 0.0, "positionId": id, "orderId": id,
			"clientId": t.ClientID, "reason": "DEAL_REASON_EXPERT",
		})
		writeJSON(w, 200, map[string]any{"numericCode": 10009, "stringCode": "TRADE_RETCODE_DONE", "message": "Request completed", "orderId": id, "positionId": id})
	case "POSITION_CLOSE_ID", "POSITION_MODIFY":
		if t.PositionID == "" {
			invalid("positionId", "positionId is required")
			return
		}
		idx := -1
		for i, p := range f.positions {
			if p["id"] == t.PositionID {
				idx = i
			}
		}
		if idx < 0 {
			writeJSON(w, 200, map[string]any{"numericCode": 10036, "stringCode": "TRADE_RETCODE_POSITION_CLOSED", "message": "Position with the specified POSITION_IDENTIFIER has already been closed"})
			return
		}
		pos := f.positions[idx]
		if t.ActionType == "POSITION_MODIFY" {
			pos["stopLoss"], pos["takeProfit"], pos["updateTime"] = t.StopLoss, t.TakeProfit, now
		} else {
			f.positions = append(f.positions[:idx], f.positions[idx+1:]...)
			profit := pos["unrealizedProfit"].(float64)
			f.Balance += profit
			f.deals = append(f.deals, map[string]any{
				"id": fmt.Sprintf("%s9", t.PositionID), "type": "DEAL_TYPE_SELL", "entryType": "DEAL_ENTRY_OUT",
				"symbol": pos["symbol"], "time": now, "volume": pos["volume"], "price": pos["currentPrice"],
				"commission": -0.35, "swap": 0.0, "profit": profit, "positionId": t.PositionID,
				"clientId": pos["clientId"], "reason": "DEAL_REASON_EXPERT",
			})
		}
		writeJSON(w, 200, map[string]any{"numericCode": 10009, "stringCode": "TRADE_RETCODE_DONE", "message": "Request completed", "positionId": t.PositionID})
	default:
		invalid("actionType", "unsupported actionType "+t.ActionType)
	}
}

func (f *Fake) marketData(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/users/current/accounts/"+f.AccountID)
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if r.Method != http.MethodGet || len(parts) != 6 || parts[0] != "historical-market-data" || parts[1] != "symbols" || parts[3] != "timeframes" || parts[5] != "candles" {
		apiError(w, 404, "NotFoundError", "Not found: "+r.URL.Path, nil)
		return
	}
	tf, ok := map[string]time.Duration{"1m": time.Minute, "5m": 5 * time.Minute, "15m": 15 * time.Minute, "30m": 30 * time.Minute, "1h": time.Hour, "4h": 4 * time.Hour, "1d": 24 * time.Hour}[parts[4]]
	if !ok {
		apiError(w, 400, "ValidationError", "Validation failed", []map[string]string{{"parameter": "timeframe", "message": "unsupported " + parts[4]}})
		return
	}
	limit := 1000
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			apiError(w, 400, "ValidationError", "Validation failed", []map[string]string{{"parameter": "limit", "message": "limit must be 1..1000"}})
			return
		}
		limit = n
	}
	f.mu.Lock()
	start := f.Now
	f.mu.Unlock()
	if s := r.URL.Query().Get("startTime"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			apiError(w, 400, "ValidationError", "Validation failed", []map[string]string{{"parameter": "startTime", "message": err.Error()}})
			return
		}
		start = t
	}
	// Newest first, as the terminal loads backwards from startTime.
	last := start.Truncate(tf)
	out := make([]map[string]any, 0, limit)
	for i := range limit {
		t := last.Add(-time.Duration(i) * tf)
		base := 1.08 + float64(i%7)*0.0001
		out = append(out, map[string]any{
			"symbol": parts[2], "timeframe": parts[4], "time": t.Format("2006-01-02T15:04:05.000Z"),
			"brokerTime": t.Add(2 * time.Hour).Format("2006-01-02 15:04:05.000"),
			"open":       base, "high": base + 0.0005, "low": base - 0.0004, "close": base + 0.0001,
			"tickVolume": 100 + i, "spread": 8, "volume": 0,
		})
	}
	writeJSON(w, 200, out)
}
