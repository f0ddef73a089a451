package money_test

import (
	"math"
	"testing"

	"github.com/alorig/alorig/shared/money"
)

func TestFormatPKRAndDecimal(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		paisa         int64
		want, decimal string
	}{
		{0, "Rs 0", "0.00"},
		{5, "Rs 0.05", "0.05"},
		{100, "Rs 1", "1.00"},
		{99999, "Rs 999.99", "999.99"},
		{125000, "Rs 1,250", "1250.00"},
		{125050, "Rs 1,250.50", "1250.50"},
		{100000000, "Rs 1,000,000", "1000000.00"},
		{-25000, "-Rs 250", "-250.00"},
		{math.MaxInt64, "Rs 92,233,720,368,547,758.07", "92233720368547758.07"},
		{math.MinInt64, "-Rs 92,233,720,368,547,758.08", "-92233720368547758.08"},
	} {
		if got := money.FormatPKR(c.paisa); got != c.want {
			t.Errorf("FormatPKR(%d) = %q, want %q", c.paisa, got, c.want)
		}
		if got := money.Decimal(c.paisa); got != c.decimal {
			t.Errorf("Decimal(%d) = %q, want %q", c.paisa, got, c.decimal)
		}
	}
}
