package vista_test

import (
	"testing"

	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/indicators"
	"github.com/alorig/alorig/modules/psydge/market/vista"
)

// benchCandles is 500 H1 bars, a chart's worth.
func benchCandles() []market.Candle { return series(100, 0.2, market.H1, zigzag(500, 1)) }

func BenchmarkIndicators(b *testing.B) {
	c := benchCandles()
	b.Run("NDNS", func(b *testing.B) {
		for b.Loop() {
			_, _ = indicators.NDNS(c, 14)
		}
	})
	b.Run("SV", func(b *testing.B) {
		for b.Loop() {
			_, _ = indicators.SV(c, 14)
		}
	})
	b.Run("TM", func(b *testing.B) {
		for b.Loop() {
			_, _ = indicators.TM(c, 50, 5, 14)
		}
	})
	b.Run("MOM", func(b *testing.B) {
		for b.Loop() {
			_, _ = indicators.MOM(c, 10)
		}
	})
	b.Run("FHS", func(b *testing.B) {
		for b.Loop() {
			_, _ = indicators.FHS(c, 3)
		}
	})
	b.Run("HAMFIST", func(b *testing.B) {
		for b.Loop() {
			_, _ = indicators.HAMFIST(c)
		}
	})
}

func BenchmarkSuiteEvaluate(b *testing.B) {
	c := benchCandles()
	suite := vista.Suite()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := vista.EvaluateAll(suite, "EURUSD", market.H1, c); err != nil {
			b.Fatal(err)
		}
	}
}
