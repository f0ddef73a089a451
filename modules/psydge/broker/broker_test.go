package broker_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/psydge/broker"
)

func TestToMoney(t *testing.T) {
	t.Parallel()
	require.Equal(t, broker.Money(731990), broker.ToMoney(7319.9, "USD"))
	require.Equal(t, broker.Money(730665), broker.ToMoney(7306.649913200001, "USD"), "rounded, not truncated")
	require.Equal(t, broker.Money(-35), broker.ToMoney(-0.35, "USD"))
	require.Equal(t, broker.Money(15042), broker.ToMoney(15042.4, "JPY"))
	require.Equal(t, broker.Money(1235), broker.ToMoney(1.2345, "KWD"))
	require.Equal(t, 7319.9, broker.Money(731990).Float("USD"))
}

func TestMarketOrderValidate(t *testing.T) {
	t.Parallel()
	ok := broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.1, ClientID: "PSY_0123456789abcdefghijkl"}
	require.NoError(t, ok.Validate(), "26 characters is the limit, inclusive")
	bad := []broker.MarketOrder{
		{Side: broker.Buy, Volume: 0.1},
		{Symbol: "EURUSD", Side: "long", Volume: 0.1},
		{Symbol: "EURUSD", Side: broker.Sell},
		{Symbol: "EURUSD", Side: broker.Sell, Volume: 0.1, StopLoss: -1},
		{Symbol: "EURUSD", Side: broker.Sell, Volume: 0.1, ClientID: "PSY_0123456789abcdefghijklm"},
		{Symbol: "EURUSD", Side: broker.Sell, Volume: 0.1, ClientID: "PSY-7"},
	}
	for i, o := range bad {
		require.ErrorIs(t, o.Validate(), broker.ErrInvalidRequest, "case %d", i)
	}
}

func TestTradeErrorMatchesSentinels(t *testing.T) {
	t.Parallel()
	wrap := func(code int, s string) error {
		return fmt.Errorf("ctx: %w", &broker.TradeError{NumericCode: code, StringCode: s})
	}
	require.ErrorIs(t, wrap(10018, "TRADE_RETCODE_MARKET_CLOSED"), broker.ErrMarketClosed)
	require.ErrorIs(t, wrap(10019, ""), broker.ErrNoMoney)
	require.ErrorIs(t, wrap(10036, ""), broker.ErrNotFound)
	require.ErrorIs(t, wrap(10015, ""), broker.ErrInvalidRequest)
	err := wrap(10006, "TRADE_RETCODE_REJECT")
	require.ErrorIs(t, err, broker.ErrTradeRejected)
	require.NotErrorIs(t, err, broker.ErrMarketClosed)
	require.NotErrorIs(t, err, broker.ErrUnknownOutcome)
	for _, c := range []int{0, 10008, 10009, 10010, 10025} {
		require.True(t, broker.TradeSucceeded(c), c)
	}
	require.False(t, broker.TradeSucceeded(10006))
}
