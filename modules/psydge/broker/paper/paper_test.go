package paper_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/broker/paper"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/clock"
)

type prices struct {
	mu sync.Mutex
	m  map[string]market.Quote
}

func (p *prices) Quote(s string) (market.Quote, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	q, ok := p.m[s]
	if !ok {
		return market.Quote{}, fmt.Errorf("test: %s: %w", s, market.ErrUnknownSymbol)
	}
	return q, nil
}

func (p *prices) set(s string, bid, ask float64) market.Quote {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := market.Quote{Symbol: s, Bid: bid, Ask: ask}
	p.m[s] = q
	return q
}

var t0 = time.Date(2026, 3, 13, 14, 0, 0, 0, time.UTC)

func setup(t testing.TB, balance broker.Money) (*paper.Broker, *prices, *clock.Fake) {
	t.Helper()
	ps := &prices{m: map[string]market.Quote{}}
	ps.set("EURUSD", 1.08512, 1.08520)
	ps.set("USDJPY", 151.390, 151.400)
	ps.set("XAUUSD", 2650.25, 2650.50)
	ps.set("US30", 43850.0, 43852.0)
	clk := clock.NewFake(t0)
	b, err := paper.New(paper.Config{Balance: balance, Prices: ps, Clock: clk})
	require.NoError(t, err)
	return b, ps, clk
}

func TestFillAndValueEURUSD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, ps, clk := setup(t, 1_000_000)
	res, err := b.PlaceMarket(ctx, broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.1, StopLoss: 1.083, TakeProfit: 1.09, ClientID: "PSY_t1"})
	require.NoError(t, err)
	require.Equal(t, 1.0852, res.Price, "buys fill at the ask")

	ps.set("EURUSD", 1.08720, 1.08728)
	pos, err := b.Positions(ctx)
	require.NoError(t, err)
	require.Len(t, pos, 1)
	require.Equal(t, "PSY_t1", pos[0].ClientID)
	require.Equal(t, broker.Money(2000), pos[0].Profit, "(1.0872-1.0852) x 0.1 lot x 100000 = $20.00")
	acc, err := b.AccountInfo(ctx)
	require.NoError(t, err)
	require.Equal(t, broker.Money(1_000_000), acc.Balance)
	require.Equal(t, broker.Money(1_002_000), acc.Equity)
	require.Equal(t, broker.Money(10872), acc.Margin, "0.1 x 100000 x 1.0872 / 100")
	require.True(t, acc.Paper)

	clk.Advance(time.Hour)
	cl, err := b.ClosePosition(ctx, res.PositionID)
	require.NoError(t, err)
	require.Equal(t, 1.0872, cl.Price, "buys close at the bid")
	acc, err = b.AccountInfo(ctx)
	require.NoError(t, err)
	require.Equal(t, broker.Money(1_002_000), acc.Balance)
	require.Equal(t, acc.Balance, acc.Equity)

	deals, err := b.HistoryDeals(ctx, t0, t0.Add(2*time.Hour))
	require.NoError(t, err)
	require.Len(t, deals, 2)
	require.Equal(t, broker.EntryOut, deals[1].Entry)
	require.Equal(t, "DEAL_TYPE_SELL", deals[1].Type)
	require.Equal(t, broker.Money(2000), deals[1].Profit)
	require.Equal(t, "PSY_t1", deals[1].ClientID)
	require.Equal(t, t0.Add(time.Hour), deals[1].Time)

	later, err := b.HistoryDeals(ctx, t0.Add(time.Minute), t0.Add(2*time.Hour))
	require.NoError(t, err)
	require.Len(t, later, 1, "the open deal at t0 is outside the range")
}

func TestJPYProfitConvertsToUSD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, ps, _ := setup(t, 1_000_000)
	res, err := b.PlaceMarket(ctx, broker.MarketOrder{Symbol: "USDJPY", Side: broker.Sell, Volume: 1, ClientID: "PSY_j"})
	require.NoError(t, err)
	require.Equal(t, 151.39, res.Price, "sells fill at the bid")
	ps.set("USDJPY", 150.890, 150.900)
	cl, err := b.ClosePosition(ctx, res.PositionID)
	require.NoError(t, err)
	require.Equal(t, 150.9, cl.Price)
	acc, err := b.AccountInfo(ctx)
	require.NoError(t, err)
	// (151.390 - 150.900) x 1 lot x 100000 = 49000 JPY; / 150.895 (mid) = 324.729 USD.
	require.Equal(t, broker.Money(1_000_000+32473), acc.Balance)
}

func TestStopLossAndTakeProfitFromQuotes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, ps, _ := setup(t, 10_000_000)
	gold, err := b.PlaceMarket(ctx, broker.MarketOrder{Symbol: "XAUUSD", Side: broker.Buy, Volume: 0.5, StopLoss: 2641, TakeProfit: 2680, ClientID: "PSY_g"})
	require.NoError(t, err)
	dow, err := b.PlaceMarket(ctx, broker.MarketOrder{Symbol: "US30", Side: broker.Sell, Volume: 2, StopLoss: 43900, TakeProfit: 43800, ClientID: "PSY_d"})
	require.NoError(t, err)
	require.Equal(t, 43850.0, dow.Price)

	require.Empty(t, b.OnQuote(ps.set("XAUUSD", 2641.50, 2641.75)), "above the stop")
	closed := b.OnQuote(ps.set("XAUUSD", 2640.50, 2640.75))
	require.Len(t, closed, 1)
	require.Equal(t, "DEAL_REASON_SL", closed[0].Reason)
	require.Equal(t, gold.PositionID, closed[0].PositionID)
	require.Equal(t, 2640.5, closed[0].Price, "a gapped stop fills at the quote")
	require.Equal(t, broker.Money(-50000), closed[0].Profit, "(2640.50-2650.50) x 0.5 x 100 = -$500")

	require.Empty(t, b.OnQuote(ps.set("US30", 43798.0, 43801.0)), "a sell's TP is checked at the ask")
	closed = b.OnQuote(ps.set("US30", 43797.0, 43799.0))
	require.Len(t, closed, 1)
	require.Equal(t, "DEAL_REASON_TP", closed[0].Reason)
	require.Equal(t, broker.Money(10200), closed[0].Profit, "(43850-43799) x 2 x 1 = $102")

	acc, err := b.AccountInfo(ctx)
	require.NoError(t, err)
	require.Equal(t, broker.Money(10_000_000-50000+10200), acc.Balance)
	pos, err := b.Positions(ctx)
	require.NoError(t, err)
	require.Empty(t, pos)
}

func TestRejections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, _, _ := setup(t, 10_000)
	cases := []struct {
		name string
		o    broker.MarketOrder
		is   error
		code int
	}{
		{"stop above buy price", broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.01, StopLoss: 1.09}, broker.ErrInvalidRequest, 10016},
		{"tp above sell price", broker.MarketOrder{Symbol: "EURUSD", Side: broker.Sell, Volume: 0.01, TakeProfit: 1.09}, broker.ErrInvalidRequest, 10016},
		{"volume off step", broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.015}, broker.ErrInvalidRequest, 10014},
		{"volume below min", broker.MarketOrder{Symbol: "US30", Side: broker.Buy, Volume: 0.05}, broker.ErrInvalidRequest, 10014},
		{"unknown symbol", broker.MarketOrder{Symbol: "BTCUSD", Side: broker.Buy, Volume: 0.01}, broker.ErrInvalidRequest, 10013},
		{"margin beyond $100", broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.1}, broker.ErrNoMoney, 10019},
	}
	for _, tc := range cases {
		_, err := b.PlaceMarket(ctx, tc.o)
		require.ErrorIs(t, err, tc.is, tc.name)
		var te *broker.TradeError
		require.ErrorAs(t, err, &te, tc.name)
		require.Equal(t, tc.code, te.NumericCode, tc.name)
	}
	_, err := b.PlaceMarket(ctx, broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.01, ClientID: "much_too_long_client_id_123"})
	require.ErrorIs(t, err, broker.ErrInvalidRequest)

	_, err = b.ClosePosition(ctx, "999")
	require.ErrorIs(t, err, broker.ErrNotFound)
	_, err = b.ModifyPosition(ctx, "999", 1, 2)
	require.ErrorIs(t, err, broker.ErrNotFound)

	res, err := b.PlaceMarket(ctx, broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.01})
	require.NoError(t, err, "$10.85 margin fits in $100")
	_, err = b.ModifyPosition(ctx, res.PositionID, 1.0860, 0)
	require.ErrorIs(t, err, broker.ErrInvalidRequest, "a buy's stop must be below the bid")
	_, err = b.ModifyPosition(ctx, res.PositionID, 1.0800, 1.0950)
	require.NoError(t, err)
	pos, err := b.Positions(ctx)
	require.NoError(t, err)
	require.Equal(t, 1.08, pos[0].StopLoss)
	require.Equal(t, 1.095, pos[0].TakeProfit)
}

func TestSpecificationPriceCandles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, _, _ := setup(t, 0)
	spec, err := b.SymbolSpecification(ctx, "USDJPY")
	require.NoError(t, err)
	require.Equal(t, 3, spec.Digits)
	require.InDelta(t, 100/151.395, spec.TickValue, 1e-9, "0.001 x 100000 JPY at mid")
	_, err = b.SymbolSpecification(ctx, "NOPE")
	require.ErrorIs(t, err, broker.ErrNotFound)
	_, err = b.Candles(ctx, "EURUSD", market.M1, time.Time{}, 10)
	require.ErrorIs(t, err, broker.ErrUnavailable)
	os, err := b.Orders(ctx)
	require.NoError(t, err)
	require.Empty(t, os)
}

func TestWithPaperFeedConcurrently(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := clock.NewFake(t0)
	feed := market.NewFeed(market.FeedConfig{Seed: 7}, clk)
	agg := market.NewAggregator(0)
	b, err := paper.New(paper.Config{Balance: 100_000_00, Prices: feed, Candles: agg, Clock: clk})
	require.NoError(t, err)
	var closedMu sync.Mutex
	closed := 0
	cancel := feed.Subscribe(func(q market.Quote) {
		agg.Add(q)
		n := len(b.OnQuote(q))
		closedMu.Lock()
		closed += n
		closedMu.Unlock()
	})
	defer cancel()

	var wg sync.WaitGroup
	var placedMu sync.Mutex
	placed := 0
	var errs []error
	for g := range 4 {
		wg.Go(func() {
			for i := range 25 {
				q, err := feed.Quote("EURUSD")
				if err == nil {
					// The feed may step between this read and the order: a stop the market
					// has already passed is rejected, as a broker would.
					_, err = b.PlaceMarket(ctx, broker.MarketOrder{
						Symbol: "EURUSD", Side: broker.Buy, Volume: 0.01,
						StopLoss: q.Bid - 0.0003, TakeProfit: q.Bid + 0.0003, ClientID: fmt.Sprintf("PSY_%d_%d", g, i),
					})
				}
				placedMu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					placed++
				}
				placedMu.Unlock()
			}
		})
	}
	wg.Go(func() {
		for range 600 {
			feed.Step(clk.Advance(time.Second))
		}
	})
	wg.Wait()
	for _, err := range errs {
		require.ErrorIs(t, err, broker.ErrInvalidRequest)
	}
	require.Positive(t, placed)
	for range 20000 {
		feed.Step(clk.Advance(time.Second))
		if pos, _ := b.Positions(ctx); len(pos) == 0 {
			break
		}
	}
	pos, err := b.Positions(ctx)
	require.NoError(t, err)
	require.Empty(t, pos, "every position hits its stop or target eventually")
	deals, err := b.HistoryDeals(ctx, t0, clk.Now().Add(time.Second))
	require.NoError(t, err)
	require.Len(t, deals, 2*placed)
	var sum broker.Money
	for _, d := range deals {
		sum += d.Profit
	}
	acc, err := b.AccountInfo(ctx)
	require.NoError(t, err)
	require.Equal(t, broker.Money(100_000_00)+sum, acc.Balance, "balance is the sum of booked deals")
	require.Equal(t, placed, closed)
	cs, err := b.Candles(ctx, "EURUSD", market.M1, time.Time{}, 5)
	require.NoError(t, err)
	require.Len(t, cs, 5)
}
