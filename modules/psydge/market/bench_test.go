package market_test

import (
	"testing"
	"time"

	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/clock"
)

func BenchmarkFeedStepAndAggregate(b *testing.B) {
	clk := clock.NewFake(time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC))
	f := market.NewFeed(market.FeedConfig{Seed: 1}, clk)
	a := market.NewAggregator(0)
	f.Subscribe(a.Add)
	b.ReportAllocs()
	for b.Loop() {
		f.Step(clk.Advance(time.Second))
	}
}
