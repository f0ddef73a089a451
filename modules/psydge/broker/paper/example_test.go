package paper_test

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/broker/paper"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/clock"
)

// The paper stack: a seeded feed drives candles and the paper account's stops.
func Example() {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC))
	feed := market.NewFeed(market.FeedConfig{Seed: 1}, clk)
	agg := market.NewAggregator(0)
	pb, _ := paper.New(paper.Config{Balance: 10_000_00, Prices: feed, Candles: agg, Clock: clk})
	feed.Subscribe(func(q market.Quote) {
		agg.Add(q)
		for _, d := range pb.OnQuote(q) {
			fmt.Printf("closed %s by %s at %.5f, P/L %d cents\n", d.ClientID, d.Reason, d.Price, d.Profit)
		}
	})

	q, _ := feed.Quote("EURUSD")
	res, _ := pb.PlaceMarket(ctx, broker.MarketOrder{
		Symbol: "EURUSD", Side: broker.Buy, Volume: 0.5,
		StopLoss: q.Bid - 0.0010, TakeProfit: q.Bid + 0.0010, ClientID: "PSY_demo",
	})
	fmt.Printf("bought at %.5f\n", res.Price)
	for range 4 * 3600 {
		feed.Step(clk.Advance(time.Second))
	}
	acc, _ := pb.AccountInfo(ctx)
	bars := market.ToBars(agg.Candles("EURUSD", market.H1, time.Time{}, 0))
	fmt.Printf("balance %d cents, %d H1 bars\n", acc.Balance, len(bars))
	// Output:
	// bought at 1.08524
	// closed PSY_demo by DEAL_REASON_SL at 1.08416, P/L -5400 cents
	// balance 994600 cents, 5 H1 bars
}
