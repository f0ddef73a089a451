package discipline

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLossMinor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		spec     SymbolSpec
		distance int64
		lots     int64
		account  string
		rate     Rate
		want     int64
	}{
		// 20 pips × 100,000 × 1 lot = 200 USD.
		{"EURUSD on USD", specEURUSD, 200, 100, "USD", Rate{}, 20_000},
		// 0.500 × 100,000 = 50,000 JPY; ÷ 151.5 = 330.033 USD, rounded up to the cent.
		{"USDJPY on USD", specUSDJPY, 500, 100, "USD", Rate{Num: 1000, Den: 151_500}, 33_004},
		// 10.00 USD × 100 oz × 0.10 lot = 100 USD.
		{"XAUUSD on USD", specXAUUSD, 1000, 10, "USD", Rate{}, 10_000},
		// 50 index points × 1 USD × 2.00 lots = 100 USD.
		{"US30 on USD", specUS30, 5000, 200, "USD", Rate{}, 10_000},
		// 20 points × 1 EUR × 0.50 lot = 10 EUR × 1.085 = 10.85 USD.
		{"DE40 on USD", specDE40, 2000, 50, "USD", Rate{Num: 108_500, Den: 100_000}, 1_085},
		// 200 USD ÷ 1.085 = 184.3318 EUR, rounded up.
		{"EURUSD on EUR", specEURUSD, 200, 100, "EUR", Rate{Num: 100_000, Den: 108_500}, 18_434},
		// 100 USD × 151.5 = 15,150 JPY; JPY has no minor unit.
		{"XAUUSD on JPY", specXAUUSD, 1000, 10, "JPY", Rate{Num: 151_500, Den: 1000}, 15_150},
		// 50,000 JPY ÷ 191.20 (GBPJPY) = 261.506 GBP, rounded up.
		{"USDJPY on GBP", specUSDJPY, 500, 100, "GBP", Rate{Num: 100, Den: 19_120}, 26_151},
		// 10 EUR with no conversion.
		{"DE40 on EUR", specDE40, 2000, 50, "EUR", Rate{}, 1_000},
		// 40 half-point ticks × 0.5 EUR × 0.50 lot = 10 EUR, via tick value.
		{"DE40 tick value on EUR", specDE40Tick, 2000, 50, "EUR", Rate{}, 1_000},
		// 200 USD × 0.307 = 61.4 KWD = 61,400 fils (three minor digits).
		{"EURUSD on KWD", specEURUSD, 200, 100, "KWD", Rate{Num: 307, Den: 1000}, 61_400},
		// 0.1 pip × 0.01 lot = 0.01 USD: the smallest risk is still exact.
		{"one point, micro lot", specEURUSD, 1, 1, "USD", Rate{}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := LossMinor(&tc.spec, tc.distance, tc.lots, tc.account, tc.rate)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestLossMinorErrors(t *testing.T) {
	t.Parallel()
	_, err := LossMinor(&specUSDJPY, 500, 100, "USD", Rate{})
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "rate", fe.Field)

	_, err = LossMinor(&specEURUSD, 200, 100, "USD", Rate{Num: 2, Den: 1})
	require.ErrorAs(t, err, &fe, "a rate other than 1 between equal currencies is refused")

	_, err = LossMinor(&specEURUSD, 200, 100, "XYZ", Rate{})
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "account.currency", fe.Field)

	huge := specEURUSD
	huge.ContractSize = 1_000_000_000
	_, err = LossMinor(&huge, 1<<40, 1<<40, "KWD", Rate{Num: 1 << 40, Den: 1})
	require.True(t, errors.Is(err, ErrRiskOverflow), "got %v", err)
}

func TestParseNumbers(t *testing.T) {
	t.Parallel()
	p, err := ParsePrice("1.085", 5)
	require.NoError(t, err)
	require.Equal(t, int64(108_500), p)
	p, err = ParsePrice("151.5", 3)
	require.NoError(t, err)
	require.Equal(t, int64(151_500), p)
	_, err = ParsePrice("1.085001", 5)
	require.Error(t, err, "more decimals than the symbol quotes")
	_, err = ParsePrice("-1", 2)
	require.Error(t, err)

	l, err := ParseLots("1.5")
	require.NoError(t, err)
	require.Equal(t, int64(150), l)
	l, err = ParseLots("2")
	require.NoError(t, err)
	require.Equal(t, int64(200), l)
	_, err = ParseLots("0.005")
	require.Error(t, err)

	r, err := RateFromDecimal("1.08500")
	require.NoError(t, err)
	require.Equal(t, Rate{Num: 108_500, Den: 100_000}, r)
	require.Equal(t, Rate{Num: 100_000, Den: 108_500}, r.Inverse())
	_, err = ParseDecimal("1.-5")
	require.Error(t, err)
	_, err = ParseDecimal("abc")
	require.Error(t, err)

	require.Equal(t, "1234.56 USD", FormatMinor(123_456, "USD"))
	require.Equal(t, "15150 JPY", FormatMinor(15_150, "JPY"))
	require.Equal(t, "61.400 KWD", FormatMinor(61_400, "KWD"))
	require.Equal(t, "1.08500", FormatPrice(108_500, 5))
	require.Equal(t, "0.85%", FormatBasisPoints(85))
}

func TestRequestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		field  string
		mutate func(r *Request)
	}{
		{"symbol", func(r *Request) { r.Symbol = "" }},
		{"tf", func(r *Request) { r.Timeframe = "M2" }},
		{"dir", func(r *Request) { r.Direction = 0 }},
		{"lots", func(r *Request) { r.Lots = 0 }},
		{"lots", func(r *Request) { r.Spec.LotStep = 10; r.Lots = 105 }},
		{"lots", func(r *Request) { r.Lots = 20_000 }},
		{"entry", func(r *Request) { r.Entry = 0 }},
		{"stop", func(r *Request) { r.Stop = -1 }},
		{"tp", func(r *Request) { r.TakeProfit = r.Entry - 10 }},
		{"account.equity", func(r *Request) { r.Account.Equity = 0 }},
		{"account.currency", func(r *Request) { r.Account.Currency = "usd" }},
		{"spec.symbol", func(r *Request) { r.Spec.Symbol = "GBPUSD" }},
		{"spec.digits", func(r *Request) { r.Spec.Digits = 9 }},
		{"spec.contract_size", func(r *Request) { r.Spec.ContractSize = 0 }},
		{"spec.profit_currency", func(r *Request) { r.Spec.ProfitCurrency = "" }},
		{"rate", func(r *Request) { r.Account.Currency = "EUR" }},
		{"rate", func(r *Request) { r.Rate = Rate{Num: 1} }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			t.Parallel()
			r := okRequest()
			tc.mutate(&r)
			var fe *FieldError
			require.ErrorAs(t, r.Validate(), &fe)
			require.Equal(t, tc.field, fe.Field)
		})
	}
	r := okRequest()
	require.NoError(t, r.Validate())
}
