package paper_test

import (
	"context"
	"testing"

	"github.com/alorig/alorig/modules/psydge/broker"
)

func BenchmarkPaperFill(b *testing.B) {
	ctx := context.Background()
	br, _, _ := setup(b, 1_000_000_00)
	o := broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.1, StopLoss: 1.08, TakeProfit: 1.09, ClientID: "PSY_bench"}
	b.ReportAllocs()
	for b.Loop() {
		res, err := br.PlaceMarket(ctx, o)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := br.ClosePosition(ctx, res.PositionID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOnQuote100Positions(b *testing.B) {
	ctx := context.Background()
	br, ps, _ := setup(b, 1_000_000_00)
	for range 100 {
		if _, err := br.PlaceMarket(ctx, broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.01, StopLoss: 1.0, TakeProfit: 1.2}); err != nil {
			b.Fatal(err)
		}
	}
	q := ps.set("EURUSD", 1.08600, 1.08608)
	b.ReportAllocs()
	for b.Loop() {
		if len(br.OnQuote(q)) != 0 {
			b.Fatal("nothing should close")
		}
	}
}
