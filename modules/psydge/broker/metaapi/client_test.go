package metaapi_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/broker/metaapi"
	"github.com/alorig/alorig/modules/psydge/broker/metaapi/metaapitest"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/clock"
)

const (
	token   = "eyJhbGciOiJSUzUxMiJ9.test.sig"
	account = "865d3a4d-3803-486d-bdf3-a85679d9fad2"
)

type sleeps struct{ got []time.Duration }

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.got = append(s.got, d)
	return nil
}

func setup(t *testing.T, mod func(*metaapi.Config)) (*metaapi.Client, *metaapitest.Fake, *sleeps) {
	t.Helper()
	fake := metaapitest.New(token, account)
	t.Cleanup(fake.Close)
	sl := &sleeps{}
	cfg := metaapi.Config{
		BaseURL: fake.Terminal.URL, MarketDataURL: fake.MarketData.URL, Token: token, AccountID: account,
		Clock: clock.NewFake(time.Date(2026, 3, 13, 14, 30, 0, 0, time.UTC)), Sleep: sl.sleep,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := metaapi.New(cfg)
	require.NoError(t, err)
	return c, fake, sl
}

func TestNewRequiresConfig(t *testing.T) {
	t.Parallel()
	_, err := metaapi.New(metaapi.Config{BaseURL: "https://x", MarketDataURL: "https://y", AccountID: account})
	require.Error(t, err)
	_, err = metaapi.New(metaapi.Config{BaseURL: "not a url", MarketDataURL: "https://y", Token: token, AccountID: account})
	require.Error(t, err)
	base, md := metaapi.RegionURLs("london")
	require.Equal(t, "https://mt-client-api-v1.london.agiliumtrade.ai", base)
	require.Equal(t, "https://mt-market-data-client-api-v1.london.agiliumtrade.ai", md)
}

func TestAccountInfo(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, nil)
	acc, err := c.AccountInfo(context.Background())
	require.NoError(t, err)
	require.Equal(t, "USD", acc.Currency)
	require.Equal(t, broker.Money(1_000_000), acc.Balance)
	require.Equal(t, 100, acc.Leverage)
	require.Equal(t, "50123456", acc.Login)
	require.Equal(t, "ICMarketsSC-Demo", acc.Server)
	require.Equal(t, broker.Money(981590), acc.FreeMargin)
}

func TestAuthAndAccountErrors(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, func(cfg *metaapi.Config) { cfg.Token = "wrong" })
	_, err := c.AccountInfo(context.Background())
	require.ErrorIs(t, err, broker.ErrUnauthorized)
	var apiErr *metaapi.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "UnauthorizedError", apiErr.Name)

	c, _, _ = setup(t, func(cfg *metaapi.Config) { cfg.AccountID = "someone-else" })
	_, err = c.Positions(context.Background())
	require.ErrorIs(t, err, broker.ErrNotFound)
}

func TestTradeLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, fake, _ := setup(t, nil)

	res, err := c.PlaceMarket(ctx, broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.1, StopLoss: 1.08, TakeProfit: 1.095, ClientID: "PSY_t42_a1"})
	require.NoError(t, err)
	require.Equal(t, 10009, res.NumericCode)
	require.NotEmpty(t, res.PositionID)

	pos, err := c.Positions(ctx)
	require.NoError(t, err)
	require.Len(t, pos, 1)
	require.Equal(t, broker.Buy, pos[0].Side)
	require.Equal(t, "PSY_t42_a1", pos[0].ClientID)
	require.Equal(t, 1.0852, pos[0].OpenPrice)
	require.Equal(t, 1.08, pos[0].StopLoss)
	require.Equal(t, broker.Money(-80), pos[0].Profit)
	require.Equal(t, broker.Money(-35), pos[0].Commission)

	_, err = c.ModifyPosition(ctx, res.PositionID, 1.083, 1.1)
	require.NoError(t, err)
	pos, err = c.Positions(ctx)
	require.NoError(t, err)
	require.Equal(t, 1.083, pos[0].StopLoss)
	require.Equal(t, 1.1, pos[0].TakeProfit)

	_, err = c.ClosePosition(ctx, res.PositionID)
	require.NoError(t, err)
	require.Zero(t, fake.PositionCount())

	deals, err := c.HistoryDeals(ctx, time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Len(t, deals, 2)
	require.Equal(t, broker.EntryIn, deals[0].Entry)
	require.Equal(t, broker.EntryOut, deals[1].Entry)
	require.Equal(t, "PSY_t42_a1", deals[1].ClientID)
	require.Equal(t, res.PositionID, deals[1].PositionID)
	require.Equal(t, broker.Money(-80), deals[1].Profit)

	_, err = c.ClosePosition(ctx, res.PositionID)
	var te *broker.TradeError
	require.ErrorAs(t, err, &te)
	require.Equal(t, 10036, te.NumericCode)
	require.ErrorIs(t, err, broker.ErrTradeRejected)

	_, err = c.HistoryDeals(ctx, time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC))
	require.ErrorIs(t, err, broker.ErrInvalidRequest)
}

func TestTradeReturnCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code    int
		str     string
		ok      bool
		matches error
	}{
		{10008, "TRADE_RETCODE_PLACED", true, nil},
		{10010, "TRADE_RETCODE_DONE_PARTIAL", true, nil},
		{10018, "TRADE_RETCODE_MARKET_CLOSED", false, broker.ErrMarketClosed},
		{10019, "TRADE_RETCODE_NO_MONEY", false, broker.ErrNoMoney},
		{10016, "TRADE_RETCODE_INVALID_STOPS", false, broker.ErrInvalidRequest},
		{10004, "TRADE_RETCODE_REQUOTE", false, broker.ErrTradeRejected},
	}
	for _, tc := range cases {
		t.Run(tc.str, func(t *testing.T) {
			t.Parallel()
			c, fake, _ := setup(t, nil)
			fake.Lock()
			fake.NextTradeCode, fake.NextTradeString = tc.code, tc.str
			fake.Unlock()
			res, err := c.PlaceMarket(context.Background(), broker.MarketOrder{Symbol: "EURUSD", Side: broker.Sell, Volume: 0.01, ClientID: "PSY_x"})
			if tc.ok {
				require.NoError(t, err)
				require.Equal(t, tc.code, res.NumericCode)
				return
			}
			require.ErrorIs(t, err, tc.matches)
			require.ErrorIs(t, err, broker.ErrTradeRejected)
			require.NotErrorIs(t, err, broker.ErrUnknownOutcome)
			var te *broker.TradeError
			require.ErrorAs(t, err, &te)
			require.Equal(t, tc.str, te.StringCode)
		})
	}
}

func TestClientIDChecked(t *testing.T) {
	t.Parallel()
	c, fake, _ := setup(t, nil)
	_, err := c.PlaceMarket(context.Background(), broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.1, ClientID: "PSY_0123456789abcdefghijklm"})
	require.ErrorIs(t, err, broker.ErrInvalidRequest)
	require.Empty(t, fake.Requests(), "an invalid order must not reach MetaApi")

	// The fake enforces the same limit, as MetaApi does, for clients that skip validation.
	body := []byte(`{"actionType":"ORDER_TYPE_BUY","symbol":"EURUSD","volume":0.1,"clientId":"PSY_0123456789abcdefghijklm"}`)
	req, err := http.NewRequest(http.MethodPost, fake.Terminal.URL+"/users/current/accounts/"+account+"/trade", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("auth-token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	c, fake, sl := setup(t, nil)
	fake.Lock()
	fake.RateLimit, fake.RetryAfter = 2, "3"
	fake.Unlock()
	q, err := c.Price(context.Background(), "EURUSD")
	require.NoError(t, err)
	require.Equal(t, 1.08512, q.Bid)
	require.Equal(t, []time.Duration{3 * time.Second, 3 * time.Second}, sl.got)
	require.Len(t, fake.Requests(), 3)
}

func TestRateLimitHTTPDate(t *testing.T) {
	t.Parallel()
	c, fake, sl := setup(t, nil)
	fake.Lock()
	fake.RateLimit = 1
	fake.RetryAfter = time.Date(2026, 3, 13, 14, 30, 7, 0, time.UTC).Format(http.TimeFormat)
	fake.Unlock()
	_, err := c.PlaceMarket(context.Background(), broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.1, ClientID: "PSY_rl"})
	require.NoError(t, err)
	require.Equal(t, []time.Duration{7 * time.Second}, sl.got)
	require.Equal(t, 1, fake.PositionCount(), "a rate-limited trade is retried once, not doubled")
}

func TestRateLimitGivesUp(t *testing.T) {
	t.Parallel()
	c, fake, sl := setup(t, func(cfg *metaapi.Config) { cfg.MaxRetries = 2 })
	fake.Lock()
	fake.RateLimit, fake.RetryAfter = 10, "1"
	fake.Unlock()
	_, err := c.AccountInfo(context.Background())
	require.ErrorIs(t, err, broker.ErrRateLimited)
	require.Len(t, sl.got, 2)
	require.Len(t, fake.Requests(), 3)

	c, fake, sl = setup(t, nil)
	fake.Lock()
	fake.RateLimit, fake.RetryAfter = 1, "3600"
	fake.Unlock()
	_, err = c.AccountInfo(context.Background())
	require.ErrorIs(t, err, broker.ErrRateLimited)
	require.Empty(t, sl.got, "a wait beyond MaxRetryWait fails at once")
	var apiErr *metaapi.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, time.Hour, apiErr.RetryAfter)
}

func TestTradeTimeoutIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	c, fake, _ := setup(t, func(cfg *metaapi.Config) { cfg.HTTPClient = &http.Client{Timeout: 50 * time.Millisecond} })
	fake.Lock()
	fake.HangTrades = true
	fake.Unlock()
	_, err := c.PlaceMarket(context.Background(), broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.1, ClientID: "PSY_t7"})
	require.ErrorIs(t, err, broker.ErrUnknownOutcome)
	var uo *metaapi.UnknownOutcomeError
	require.ErrorAs(t, err, &uo)
	require.Equal(t, "PSY_t7", uo.ClientID)

	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.PlaceMarket(canceled, broker.MarketOrder{Symbol: "EURUSD", Side: broker.Buy, Volume: 0.1, ClientID: "PSY_t8"})
	require.ErrorIs(t, err, context.Canceled)
	require.NotErrorIs(t, err, broker.ErrUnknownOutcome, "nothing was sent")

	// A read that times out is simply unavailable: nothing may have changed.
	_, err = metaapiClientWithDeadServer(t).AccountInfo(context.Background())
	require.ErrorIs(t, err, broker.ErrUnavailable)
	require.NotErrorIs(t, err, broker.ErrUnknownOutcome)
}

func metaapiClientWithDeadServer(t *testing.T) *metaapi.Client {
	c, err := metaapi.New(metaapi.Config{BaseURL: "http://127.0.0.1:1", MarketDataURL: "http://127.0.0.1:1", Token: token, AccountID: account})
	require.NoError(t, err)
	return c
}

func TestTradeServerErrorIsUnknownOutcome(t *testing.T) {
	t.Parallel()
	c, fake, _ := setup(t, nil)
	fake.Lock()
	fake.TradeStatus = http.StatusGatewayTimeout
	fake.Unlock()
	_, err := c.ClosePosition(context.Background(), "46214691")
	require.ErrorIs(t, err, broker.ErrUnknownOutcome)
	require.ErrorIs(t, err, broker.ErrUnavailable)
}

func TestSymbolSpecificationAndPrice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _, _ := setup(t, nil)
	spec, err := c.SymbolSpecification(ctx, "USDJPY")
	require.NoError(t, err)
	require.Equal(t, 3, spec.Digits)
	require.Equal(t, 100000.0, spec.ContractSize)
	require.Equal(t, "USD", spec.BaseCurrency)
	require.Equal(t, "JPY", spec.ProfitCurrency)
	require.Equal(t, 0.66, spec.TickValue)
	require.Equal(t, 0.01, spec.VolumeStep)

	_, err = c.SymbolSpecification(ctx, "NOPE")
	require.ErrorIs(t, err, broker.ErrNotFound)

	q, err := c.Price(ctx, "USDJPY")
	require.NoError(t, err)
	require.Equal(t, 151.422, q.Ask)
	require.Equal(t, time.Date(2026, 3, 13, 14, 30, 0, 0, time.UTC), q.Time)
}

func TestCandlesFromMarketDataAPI(t *testing.T) {
	t.Parallel()
	c, fake, _ := setup(t, nil)
	end := time.Date(2026, 3, 13, 14, 37, 0, 0, time.UTC)
	cs, err := c.Candles(context.Background(), "EURUSD", market.M15, end, 5)
	require.NoError(t, err)
	require.Len(t, cs, 5)
	require.Equal(t, time.Date(2026, 3, 13, 13, 30, 0, 0, time.UTC), cs[0].Time)
	require.Equal(t, time.Date(2026, 3, 13, 14, 30, 0, 0, time.UTC), cs[4].Time)
	for i := 1; i < len(cs); i++ {
		require.True(t, cs[i].Time.After(cs[i-1].Time), "ascending")
	}
	for _, r := range fake.Requests() {
		require.Contains(t, r, "/historical-market-data/symbols/EURUSD/timeframes/15m/candles")
	}
	_, err = c.Candles(context.Background(), "EURUSD", market.Timeframe("W1"), end, 5)
	require.ErrorIs(t, err, broker.ErrInvalidRequest)
}

func TestOrders(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, nil)
	os, err := c.Orders(context.Background())
	require.NoError(t, err)
	require.Len(t, os, 1)
	require.Equal(t, "ORDER_TYPE_BUY_LIMIT", os[0].Type)
	require.Equal(t, "PSY_limit1", os[0].ClientID)
}
