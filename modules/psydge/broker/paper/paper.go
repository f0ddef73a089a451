// Package paper is a Broker that trades against the paper price feed, so Psydge works end to
// end without a MetaApi account. It behaves like a hedging MT5 account with market execution:
// market orders fill at the current ask (buy) or bid (sell); stop loss and take profit are
// checked on every quote and, like MetaTrader's market-executed stops, fill at the quote that
// crossed them (a gap fills worse than the level); P/L is valued in the account currency with
// each symbol's contract size, converted through the feed's own FX quotes at mid.
package paper

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/clock"
)

// PriceSource gives the latest quote for a symbol; *market.PaperFeed is one.
type PriceSource interface {
	Quote(symbol string) (market.Quote, error)
}

// CandleSource gives candles for charts; *market.Aggregator is one.
type CandleSource interface {
	Candles(symbol string, tf market.Timeframe, end time.Time, limit int) []market.Candle
}

// Config configures a Broker.
type Config struct {
	Currency    string              // account currency, "USD" when empty
	Balance     broker.Money        // starting balance in minor units
	Leverage    int                 // 100 when zero
	Instruments []market.Instrument // tradable symbols; market.DefaultInstruments() when empty
	Prices      PriceSource
	Candles     CandleSource // optional; Candles fails without it
	Clock       clock.Clock
}

// Broker is the paper trading account. Safe for concurrent use.
type Broker struct {
	currency string
	leverage int
	specs    market.SpecTable
	prices   PriceSource
	candles  CandleSource
	clk      clock.Clock

	mu        sync.Mutex
	balance   broker.Money
	positions []*broker.Position
	deals     []broker.Deal
	nextID    int64
}

var _ broker.Broker = (*Broker)(nil)

// New builds a paper account.
func New(cfg Config) (*Broker, error) {
	if cfg.Prices == nil || cfg.Clock == nil {
		return nil, fmt.Errorf("paper: a price source and a clock are required")
	}
	b := &Broker{
		currency: cfg.Currency, leverage: cfg.Leverage, prices: cfg.Prices, candles: cfg.Candles,
		clk: cfg.Clock, balance: cfg.Balance, nextID: 1,
	}
	if b.currency == "" {
		b.currency = "USD"
	}
	if b.leverage <= 0 {
		b.leverage = 100
	}
	ins := cfg.Instruments
	if len(ins) == 0 {
		ins = market.DefaultInstruments()
	}
	b.specs = market.NewSpecTable(ins)
	return b, nil
}

func (b *Broker) id() string {
	id := b.nextID
	b.nextID++
	return strconv.FormatInt(id, 10)
}

func reject(code int, str, msg string) error {
	return fmt.Errorf("paper: %w", &broker.TradeError{NumericCode: code, StringCode: str, Message: msg})
}

// toAccount converts an amount in currency cur into the account currency, through the
// direct or inverse FX symbol the price source quotes.
func (b *Broker) toAccount(amount float64, cur string) (float64, error) {
	if cur == b.currency {
		return amount, nil
	}
	if q, err := b.prices.Quote(cur + b.currency); err == nil {
		return amount * q.Mid(), nil
	}
	if q, err := b.prices.Quote(b.currency + cur); err == nil && q.Mid() > 0 {
		return amount / q.Mid(), nil
	}
	return 0, fmt.Errorf("paper: no quote converts %s to %s: %w", cur, b.currency, market.ErrUnknownSymbol)
}

// profit is a position's P/L closing at price, in the account currency.
func (b *Broker) profit(p *broker.Position, spec market.SymbolSpec, price float64) (broker.Money, error) {
	dir := 1.0
	if p.Side == broker.Sell {
		dir = -1
	}
	v, err := b.toAccount((price-p.OpenPrice)*dir*p.Volume*spec.ContractSize, spec.ProfitCurrency)
	if err != nil {
		return 0, err
	}
	return broker.ToMoney(v, b.currency), nil
}

// closePrice is where a position would close now: buys sell at the bid, sells buy at the ask.
func closePrice(side broker.Side, q market.Quote) float64 {
	if side == broker.Buy {
		return q.Bid
	}
	return q.Ask
}

// margin is the account-currency margin of volume at price: notional over leverage.
func (b *Broker) margin(spec market.SymbolSpec, volume, price float64) (broker.Money, error) {
	v, err := b.toAccount(volume*spec.ContractSize*price, spec.ProfitCurrency)
	if err != nil {
		return 0, err
	}
	return broker.ToMoney(v/float64(b.leverage), b.currency), nil
}

func checkStops(side broker.Side, price, sl, tp float64) error {
	bad := false
	if side == broker.Buy {
		bad = (sl > 0 && sl >= price) || (tp > 0 && tp <= price)
	} else {
		bad = (sl > 0 && sl <= price) || (tp > 0 && tp >= price)
	}
	if bad {
		return reject(10016, "TRADE_RETCODE_INVALID_STOPS", fmt.Sprintf("stop loss %v / take profit %v are on the wrong side of %v", sl, tp, price))
	}
	return nil
}

func validVolume(spec market.SymbolSpec, v float64) bool {
	if v < spec.MinVolume-1e-9 || (spec.MaxVolume > 0 && v > spec.MaxVolume+1e-9) {
		return false
	}
	if spec.VolumeStep <= 0 {
		return true
	}
	steps := v / spec.VolumeStep
	return math.Abs(steps-math.Round(steps)) < 1e-6
}

// PlaceMarket opens a position at the current quote.
func (b *Broker) PlaceMarket(_ context.Context, o broker.MarketOrder) (broker.TradeResult, error) {
	if err := o.Validate(); err != nil {
		return broker.TradeResult{}, fmt.Errorf("paper: place market order: %w", err)
	}
	spec, ok := b.specs[o.Symbol]
	if !ok {
		return broker.TradeResult{}, reject(10013, "TRADE_RETCODE_INVALID", "unknown symbol "+o.Symbol)
	}
	if !validVolume(spec, o.Volume) {
		return broker.TradeResult{}, reject(10014, "TRADE_RETCODE_INVALID_VOLUME", fmt.Sprintf("volume %v is outside %v..%v step %v", o.Volume, spec.MinVolume, spec.MaxVolume, spec.VolumeStep))
	}
	q, err := b.prices.Quote(o.Symbol)
	if err != nil {
		return broker.TradeResult{}, fmt.Errorf("paper: place market order: %w", err)
	}
	fill := q.Ask
	if o.Side == broker.Sell {
		fill = q.Bid
	}
	if err := checkStops(o.Side, closePrice(o.Side, q), o.StopLoss, o.TakeProfit); err != nil {
		return broker.TradeResult{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	need, err := b.margin(spec, o.Volume, fill)
	if err != nil {
		return broker.TradeResult{}, err
	}
	st, err := b.stateLocked()
	if err != nil {
		return broker.TradeResult{}, err
	}
	if need > st.Equity-st.Margin {
		return broker.TradeResult{}, reject(10019, "TRADE_RETCODE_NO_MONEY", fmt.Sprintf("margin %d exceeds free margin %d", need, st.Equity-st.Margin))
	}
	now := b.clk.Now().UTC()
	id := b.id()
	p := &broker.Position{
		ID: id, Symbol: o.Symbol, Side: o.Side, Volume: o.Volume, OpenPrice: fill, CurrentPrice: fill,
		StopLoss: o.StopLoss, TakeProfit: o.TakeProfit, ClientID: o.ClientID, OpenedAt: now, UpdatedAt: now,
	}
	b.positions = append(b.positions, p)
	b.deals = append(b.deals, broker.Deal{
		ID: b.id(), Type: dealType(o.Side), Entry: broker.EntryIn, Symbol: o.Symbol, Volume: o.Volume, Price: fill,
		PositionID: id, OrderID: id, ClientID: o.ClientID, Reason: "DEAL_REASON_CLIENT", Time: now,
	})
	return broker.TradeResult{OrderID: id, PositionID: id, NumericCode: 10009, StringCode: "TRADE_RETCODE_DONE", Message: "Request completed", Price: fill}, nil
}

func dealType(s broker.Side) string {
	if s == broker.Buy {
		return "DEAL_TYPE_BUY"
	}
	return "DEAL_TYPE_SELL"
}

func (b *Broker) findLocked(id string) (int, error) {
	for i, p := range b.positions {
		if p.ID == id {
			return i, nil
		}
	}
	return -1, reject(10036, "TRADE_RETCODE_POSITION_CLOSED", "position "+id+" is not open")
}

// closeLocked books the close of positions[i] at price.
func (b *Broker) closeLocked(i int, price float64, reason string) (broker.Deal, error) {
	p := b.positions[i]
	pl, err := b.profit(p, b.specs[p.Symbol], price)
	if err != nil {
		return broker.Deal{}, err
	}
	opposite := broker.Sell
	if p.Side == broker.Sell {
		opposite = broker.Buy
	}
	d := broker.Deal{
		ID: b.id(), Type: dealType(opposite), Entry: broker.EntryOut, Symbol: p.Symbol, Volume: p.Volume, Price: price,
		Profit: pl, PositionID: p.ID, OrderID: p.ID, ClientID: p.ClientID, Reason: reason, Time: b.clk.Now().UTC(),
	}
	b.balance += pl
	b.deals = append(b.deals, d)
	b.positions = slices.Delete(b.positions, i, i+1)
	return d, nil
}

// ClosePosition closes a whole position at the current quote.
func (b *Broker) ClosePosition(_ context.Context, positionID string) (broker.TradeResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	i, err := b.findLocked(positionID)
	if err != nil {
		return broker.TradeResult{}, err
	}
	q, err := b.prices.Quote(b.positions[i].Symbol)
	if err != nil {
		return broker.TradeResult{}, fmt.Errorf("paper: close position %s: %w", positionID, err)
	}
	d, err := b.closeLocked(i, closePrice(b.positions[i].Side, q), "DEAL_REASON_CLIENT")
	if err != nil {
		return broker.TradeResult{}, err
	}
	return broker.TradeResult{OrderID: d.ID, PositionID: positionID, NumericCode: 10009, StringCode: "TRADE_RETCODE_DONE", Message: "Request completed", Price: d.Price}, nil
}

// ModifyPosition replaces a position's stop loss and take profit.
func (b *Broker) ModifyPosition(_ context.Context, positionID string, stopLoss, takeProfit float64) (broker.TradeResult, error) {
	if stopLoss < 0 || takeProfit < 0 {
		return broker.TradeResult{}, fmt.Errorf("paper: modify position: %w: levels must not be negative", broker.ErrInvalidRequest)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	i, err := b.findLocked(positionID)
	if err != nil {
		return broker.TradeResult{}, err
	}
	p := b.positions[i]
	q, err := b.prices.Quote(p.Symbol)
	if err != nil {
		return broker.TradeResult{}, fmt.Errorf("paper: modify position %s: %w", positionID, err)
	}
	if err := checkStops(p.Side, closePrice(p.Side, q), stopLoss, takeProfit); err != nil {
		return broker.TradeResult{}, err
	}
	p.StopLoss, p.TakeProfit, p.UpdatedAt = stopLoss, takeProfit, b.clk.Now().UTC()
	return broker.TradeResult{PositionID: positionID, NumericCode: 10009, StringCode: "TRADE_RETCODE_DONE", Message: "Request completed"}, nil
}

// OnQuote closes the positions on q.Symbol whose stop loss or take profit q crossed. Wire it
// to the feed: feed.Subscribe(func(q market.Quote) { paper.OnQuote(q) }). It returns the
// closing deals so the caller can publish them.
func (b *Broker) OnQuote(q market.Quote) []broker.Deal {
	b.mu.Lock()
	defer b.mu.Unlock()
	var closed []broker.Deal
	for i := 0; i < len(b.positions); {
		p := b.positions[i]
		if p.Symbol != q.Symbol {
			i++
			continue
		}
		price := closePrice(p.Side, q)
		reason := ""
		if p.Side == broker.Buy {
			switch {
			case p.StopLoss > 0 && price <= p.StopLoss:
				reason = "DEAL_REASON_SL"
			case p.TakeProfit > 0 && price >= p.TakeProfit:
				reason = "DEAL_REASON_TP"
			}
		} else {
			switch {
			case p.StopLoss > 0 && price >= p.StopLoss:
				reason = "DEAL_REASON_SL"
			case p.TakeProfit > 0 && price <= p.TakeProfit:
				reason = "DEAL_REASON_TP"
			}
		}
		if reason == "" {
			i++
			continue
		}
		d, err := b.closeLocked(i, price, reason)
		if err != nil {
			// Only a missing conversion quote fails here; keep the position and try on the
			// next tick rather than book a wrong P/L.
			i++
			continue
		}
		closed = append(closed, d)
	}
	return closed
}

type state struct {
	Equity, Margin broker.Money
	positions      []broker.Position
}

// stateLocked values every open position at the current quotes.
func (b *Broker) stateLocked() (state, error) {
	st := state{Equity: b.balance}
	for _, p := range b.positions {
		spec := b.specs[p.Symbol]
		q, err := b.prices.Quote(p.Symbol)
		if err != nil {
			return state{}, fmt.Errorf("paper: value position %s: %w", p.ID, err)
		}
		cp := *p
		cp.CurrentPrice = closePrice(p.Side, q)
		if cp.Profit, err = b.profit(p, spec, cp.CurrentPrice); err != nil {
			return state{}, err
		}
		m, err := b.margin(spec, p.Volume, cp.CurrentPrice)
		if err != nil {
			return state{}, err
		}
		st.Equity += cp.Profit
		st.Margin += m
		st.positions = append(st.positions, cp)
	}
	return st, nil
}

// AccountInfo values the account at the current quotes.
func (b *Broker) AccountInfo(context.Context) (broker.AccountInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st, err := b.stateLocked()
	if err != nil {
		return broker.AccountInfo{}, err
	}
	return broker.AccountInfo{
		Broker: "Psydge Paper", Server: "paper", Login: "paper", Currency: b.currency,
		Balance: b.balance, Equity: st.Equity, Margin: st.Margin, FreeMargin: st.Equity - st.Margin,
		Leverage: b.leverage, Paper: true,
	}, nil
}

// Positions lists open positions valued at the current quotes.
func (b *Broker) Positions(context.Context) ([]broker.Position, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st, err := b.stateLocked()
	if err != nil {
		return nil, err
	}
	if st.positions == nil {
		return []broker.Position{}, nil
	}
	return st.positions, nil
}

// Orders is always empty: the paper account takes market orders only.
func (b *Broker) Orders(context.Context) ([]broker.Order, error) { return []broker.Order{}, nil }

// HistoryDeals lists deals in [from, to).
func (b *Broker) HistoryDeals(_ context.Context, from, to time.Time) ([]broker.Deal, error) {
	if !to.After(from) {
		return nil, fmt.Errorf("paper: history deals: %w: range end %s is not after start %s", broker.ErrInvalidRequest, to, from)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := []broker.Deal{}
	for _, d := range b.deals {
		if !d.Time.Before(from) && d.Time.Before(to) {
			out = append(out, d)
		}
	}
	return out, nil
}

// Candles reads the candle source.
func (b *Broker) Candles(_ context.Context, symbol string, tf market.Timeframe, end time.Time, limit int) ([]market.Candle, error) {
	if b.candles == nil {
		return nil, fmt.Errorf("paper: candles: %w: no candle source configured", broker.ErrUnavailable)
	}
	if !tf.Valid() {
		return nil, fmt.Errorf("paper: candles %s: %w: timeframe %q", symbol, broker.ErrInvalidRequest, tf)
	}
	if _, ok := b.specs[symbol]; !ok {
		return nil, fmt.Errorf("paper: candles %s: %w", symbol, broker.ErrNotFound)
	}
	return b.candles.Candles(symbol, tf, end, limit), nil
}

// SymbolSpecification returns the instrument's specification, with the tick value in the
// account currency at the current quotes.
func (b *Broker) SymbolSpecification(_ context.Context, symbol string) (market.SymbolSpec, error) {
	spec, ok := b.specs[symbol]
	if !ok {
		return market.SymbolSpec{}, fmt.Errorf("paper: specification %s: %w", symbol, broker.ErrNotFound)
	}
	tv, err := b.toAccount(spec.TickSize*spec.ContractSize, spec.ProfitCurrency)
	if err != nil {
		return market.SymbolSpec{}, err
	}
	spec.TickValue = tv
	return spec, nil
}

// Price reads the price source.
func (b *Broker) Price(_ context.Context, symbol string) (market.Quote, error) {
	if _, ok := b.specs[symbol]; !ok {
		return market.Quote{}, fmt.Errorf("paper: price %s: %w", symbol, broker.ErrNotFound)
	}
	return b.prices.Quote(symbol)
}
