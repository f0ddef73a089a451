package discipline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var engine Engine

func TestCheckAllowsACleanRequest(t *testing.T) {
	t.Parallel()
	s, cfg, req := okState(t), Defaults(), okRequest()
	d := engine.Check(&s, &cfg, &req, t0)
	require.True(t, d.Allowed, "%+v", d.Failed())
	require.Nil(t, d.Violation)
	require.Equal(t, "sig-1", d.SignalID)
	require.Equal(t, int64(20_000), d.RiskMinor)
	require.Equal(t, int64(20), d.RiskBasisPoints)
	require.Equal(t, 20260303, d.Day)
	for i, g := range d.Gates {
		require.Equal(t, GateOrder[i], g.Gate)
		require.Equal(t, CodeOK, g.Code)
	}
}

// gateCase mutates the clean fixture and expects one gate to fail with one code.
type gateCase struct {
	name   string
	mutate func(t *testing.T, s *State, cfg *Config, req *Request) time.Time
	gate   string
	code   string
	reason string // a fragment the human reason must contain
}

func runGateCases(t *testing.T, cases []gateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, cfg, req := okState(t), Defaults(), okRequest()
			now := tc.mutate(t, &s, &cfg, &req)
			d := engine.Check(&s, &cfg, &req, now)
			g := gate(d, tc.gate)
			if tc.code == CodeOK {
				require.True(t, g.Passed, "%s: %s", g.Code, g.Reason)
				return
			}
			require.False(t, d.Allowed)
			require.False(t, g.Passed)
			require.Equal(t, tc.code, g.Code, g.Reason)
			require.Contains(t, g.Reason, tc.reason)
		})
	}
}

func TestGateB(t *testing.T) {
	t.Parallel()
	runGateCases(t, []gateCase{
		{"no signal", func(t *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.Signals = nil
			return t0
		}, GateSignal, CodeNoGoSignal, "EURUSD M15 BUY"},
		{"signal for another symbol", func(t *testing.T, s *State, _ *Config, req *Request) time.Time {
			req.Symbol, req.Spec = "XAUUSD", specXAUUSD
			req.Entry, req.Stop, req.TakeProfit, req.Lots = 235_000, 234_000, 0, 10
			return t0
		}, GateSignal, CodeNoGoSignal, "XAUUSD"},
		{"signal for another timeframe", func(t *testing.T, _ *State, _ *Config, req *Request) time.Time {
			req.Timeframe = H1
			return t0
		}, GateSignal, CodeNoGoSignal, "M15"[:0]},
		{"opposite direction", func(t *testing.T, _ *State, _ *Config, req *Request) time.Time {
			req.Direction, req.Stop, req.TakeProfit = Sell, 108_700, 0
			return t0
		}, GateSignal, CodeSignalDirection, "is BUY, not SELL"},
		// Issued 09:55, M15 × 3 bars: live until 10:40 exclusive.
		{"last second of freshness", func(*testing.T, *State, *Config, *Request) time.Time {
			return t0.Add(40*time.Minute - time.Second)
		}, GateSignal, CodeOK, ""},
		{"expired at exactly 3 bars", func(*testing.T, *State, *Config, *Request) time.Time {
			return t0.Add(40 * time.Minute)
		}, GateSignal, CodeSignalExpired, "expired at 2026-03-03 10:40 UTC"},
		{"tightened to 1 bar", func(_ *testing.T, _ *State, cfg *Config, _ *Request) time.Time {
			cfg.SignalBars = 1
			return t0.Add(10 * time.Minute)
		}, GateSignal, CodeSignalExpired, "1 bars of M15"},
		{"already used", func(t *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.Signals[0].UsedBy = "psy-7"
			return t0
		}, GateSignal, CodeSignalUsed, "psy-7"},
		{"dated in the future", func(t *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.Signals[0].IssuedAt = t0.Add(time.Minute)
			return t0
		}, GateSignal, CodeSignalNotYetValid, "after now"},
		{"pinned signal id missing", func(_ *testing.T, _ *State, _ *Config, req *Request) time.Time {
			req.SignalID = "sig-9"
			return t0
		}, GateSignal, CodeSignalNotFound, "sig-9"},
		{"pinned signal id present", func(_ *testing.T, _ *State, _ *Config, req *Request) time.Time {
			req.SignalID = "sig-1"
			return t0
		}, GateSignal, CodeOK, ""},
		{"validator approval counts", func(t *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.Signals = nil
			require.NoError(t, s.AddSignal(Signal{ID: "v-1", Source: "validator", Symbol: "eurusd", Timeframe: M15, Direction: Buy, IssuedAt: t0}, t0))
			return t0
		}, GateSignal, CodeOK, ""},
	})
}

func TestGateC(t *testing.T) {
	t.Parallel()
	runGateCases(t, []gateCase{
		{"symbol outside the universe", func(_ *testing.T, s *State, _ *Config, req *Request) time.Time {
			req.Symbol, req.Spec.Symbol = "BTCUSD", "BTCUSD"
			return t0
		}, GateWhitelist, CodeSymbolNotWhitelisted, "not a symbol Psydge trades"},
		{"symbol not on user list", func(_ *testing.T, _ *State, cfg *Config, _ *Request) time.Time {
			cfg.Whitelist = []Instrument{{Symbol: "GBPUSD", Timeframes: []Timeframe{M15}}}
			return t0
		}, GateWhitelist, CodeSymbolNotWhitelisted, "not on your symbol whitelist"},
		{"timeframe not on user list", func(_ *testing.T, _ *State, cfg *Config, _ *Request) time.Time {
			cfg.Whitelist = []Instrument{{Symbol: "EURUSD", Timeframes: []Timeframe{H1, H4}}}
			return t0
		}, GateWhitelist, CodeTimeframeNotWhitelisted, "H1, H4 only, not M15"},
		{"empty whitelist refuses everything", func(_ *testing.T, _ *State, cfg *Config, _ *Request) time.Time {
			cfg.Whitelist = nil
			return t0
		}, GateWhitelist, CodeSymbolNotWhitelisted, "EURUSD"},
		{"listed", func(_ *testing.T, _ *State, cfg *Config, _ *Request) time.Time {
			cfg.Whitelist = []Instrument{{Symbol: "EURUSD", Timeframes: []Timeframe{M15}}}
			return t0
		}, GateWhitelist, CodeOK, ""},
	})
}

func TestGateD(t *testing.T) {
	t.Parallel()
	runGateCases(t, []gateCase{
		{"before London", func(t *testing.T, s *State, _ *Config, _ *Request) time.Time {
			return at(t, "2026-03-03T07:59:00Z")
		}, GateSession, CodeOutsideSession, "next: London opens Tue 2026-03-03 08:00 local (2026-03-03 08:00 UTC)"},
		{"weekend", func(t *testing.T, s *State, _ *Config, _ *Request) time.Time {
			return at(t, "2026-03-07T12:00:00Z")
		}, GateSession, CodeOutsideSession, "weekend"},
		{"US summer time, UK winter time", func(t *testing.T, s *State, _ *Config, _ *Request) time.Time {
			return at(t, "2026-03-10T21:30:00Z")
		}, GateSession, CodeOutsideSession, "New York 08:00–17:00 America/New_York"},
	})
}

func TestGateE(t *testing.T) {
	t.Parallel()
	runGateCases(t, []gateCase{
		{"loss lock at exactly −2R", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.RealisedMilliR = -2000
			return t0
		}, GateEquity, CodeLossLock, "−2.000R has reached the loss lock of −2.000R"},
		{"tightened loss lock", func(_ *testing.T, s *State, cfg *Config, _ *Request) time.Time {
			s.RealisedMilliR, cfg.LossLockMilliR = -1000, 1000
			return t0
		}, GateEquity, CodeLossLock, "−1.000R"},
		{"profit lock at +3R", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.RealisedMilliR = 3000
			return t0
		}, GateEquity, CodeProfitLock, "+3.000R"},
		{"just under the profit lock", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.RealisedMilliR = 2999
			return t0
		}, GateEquity, CodeOK, ""},
		{"one loss, next trade may take the day to exactly −2R", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.RealisedMilliR = -1000
			return t0
		}, GateEquity, CodeOK, ""},
		{"this trade's stop would pass −2R", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.RealisedMilliR = -1001
			return t0
		}, GateEquity, CodeDailyRiskExceeded, "would reach −2.001R"},
		{"open risk counts", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.RealisedMilliR = -500
			s.Open = []OpenTrade{{ClientID: "a", Direction: Buy, Entry: 100, InitialStop: 90, Stop: 90}}
			return t0
		}, GateEquity, CodeDailyRiskExceeded, "open risk −1.000R"},
		{"stop at break-even frees the open risk", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.RealisedMilliR = -500
			s.Open = []OpenTrade{{ClientID: "a", Direction: Buy, Entry: 100, InitialStop: 90, Stop: 100}}
			return t0
		}, GateEquity, CodeOK, ""},
		{"yesterday's R does not count", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.Day, s.RealisedMilliR = 20260302, -2500
			return t0
		}, GateEquity, CodeOK, ""},
		{"L4 session lock", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.SessionLockUntil = TradingDayEnd(t0)
			return t0
		}, GateEquity, CodeSessionLocked, "2026-03-03 22:00 UTC"},
	})
}

func TestGateH(t *testing.T) {
	t.Parallel()
	runGateCases(t, []gateCase{
		{"cooldown running", func(_ *testing.T, s *State, cfg *Config, _ *Request) time.Time {
			s.startCooldown(t0.Add(-3*time.Hour), cfg)
			return t0
		}, GateCooldown, CodeCooldownActive, "runs until 2026-03-03 11:00 UTC (1h0m0s left)"},
		{"cooldown over at exactly 4h", func(_ *testing.T, s *State, cfg *Config, _ *Request) time.Time {
			s.startCooldown(t0.Add(-4*time.Hour), cfg)
			return t0
		}, GateCooldown, CodeOK, ""},
		{"cooldown tightened after the loss applies", func(_ *testing.T, s *State, cfg *Config, _ *Request) time.Time {
			s.startCooldown(t0.Add(-4*time.Hour), cfg)
			cfg.CooldownMinutes = 300
			return t0
		}, GateCooldown, CodeCooldownActive, "11:00 UTC"},
		{"blackout", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.BlackoutUntil = t0.Add(12 * time.Minute)
			return t0
		}, GateCooldown, CodeBlackoutActive, "12m0s left"},
		{"overlay not acknowledged", func(_ *testing.T, s *State, _ *Config, _ *Request) time.Time {
			s.AckPending = true
			return t0
		}, GateCooldown, CodeAckRequired, "acknowledge"},
	})
}

func TestGateK(t *testing.T) {
	t.Parallel()
	runGateCases(t, []gateCase{
		{"no stop", func(_ *testing.T, _ *State, _ *Config, req *Request) time.Time {
			req.Stop = 0
			return t0
		}, GateRisk, CodeStopLossRequired, "stop-loss"},
		{"stop above a buy", func(_ *testing.T, _ *State, _ *Config, req *Request) time.Time {
			req.Stop = 108_600
			return t0
		}, GateRisk, CodeStopLossWrongSide, "a BUY at 1.08500 needs its stop below entry; the stop is 1.08600"},
		// 5.00 lots × 20 pips = 1,000.00 USD = exactly 1% of 100,000.00.
		{"exactly 1%", func(_ *testing.T, _ *State, _ *Config, req *Request) time.Time {
			req.Lots = 500
			return t0
		}, GateRisk, CodeOK, ""},
		{"one cent over 1%", func(_ *testing.T, _ *State, _ *Config, req *Request) time.Time {
			req.Lots = 500
			req.Account.Equity = 9_999_999
			return t0
		}, GateRisk, CodeRiskTooHigh, "risk 1000.00 USD, 1.01% of equity 99999.99 USD; the limit is 1.00% (999.99 USD)"},
		{"tightened to 0.5%", func(_ *testing.T, _ *State, cfg *Config, req *Request) time.Time {
			req.Lots, cfg.MaxRiskBasisPoints = 300, 50
			return t0
		}, GateRisk, CodeRiskTooHigh, "the limit is 0.50%"},
		// USDJPY 1.00 lot, 50 pips: 50,000 JPY ÷ 151.5 = 330.04 USD on 30,000.00 → 1.11%.
		{"JPY pair on a USD account", func(t *testing.T, s *State, _ *Config, req *Request) time.Time {
			require.NoError(t, s.AddSignal(Signal{ID: "j", Symbol: "USDJPY", Timeframe: M15, Direction: Buy, IssuedAt: t0}, t0))
			*req = Request{Symbol: "USDJPY", Timeframe: M15, Direction: Buy, Lots: 100, Entry: 151_500, Stop: 151_000,
				Spec: specUSDJPY, Account: Account{Currency: "USD", Equity: 3_000_000}, Rate: Rate{Num: 1000, Den: 151_500}}
			return t0
		}, GateRisk, CodeRiskTooHigh, "330.04 USD, 1.11%"},
		// XAUUSD 0.10 lot, 10 USD stop = 100 USD = 15,150 JPY on a 2,000,000 JPY account: 0.76%.
		{"gold on a JPY account", func(t *testing.T, s *State, _ *Config, req *Request) time.Time {
			require.NoError(t, s.AddSignal(Signal{ID: "g", Symbol: "XAUUSD", Timeframe: M15, Direction: Sell, IssuedAt: t0}, t0))
			*req = Request{Symbol: "XAUUSD", Timeframe: M15, Direction: Sell, Lots: 10, Entry: 235_000, Stop: 236_000,
				Spec: specXAUUSD, Account: Account{Currency: "JPY", Equity: 2_000_000}, Rate: Rate{Num: 151_500, Den: 1000}}
			return t0
		}, GateRisk, CodeOK, ""},
		// DE40 2.00 lots × 60 points = 120 EUR × 1.085 = 130.20 USD on 10,000.00 USD: 1.31%.
		{"index in EUR on a USD account", func(t *testing.T, s *State, _ *Config, req *Request) time.Time {
			require.NoError(t, s.AddSignal(Signal{ID: "d", Symbol: "DE40", Timeframe: M15, Direction: Buy, IssuedAt: t0}, t0))
			*req = Request{Symbol: "DE40", Timeframe: M15, Direction: Buy, Lots: 200, Entry: 1_800_000, Stop: 1_794_000,
				Spec: specDE40, Account: Account{Currency: "USD", Equity: 1_000_000}, Rate: Rate{Num: 1085, Den: 1000}}
			return t0
		}, GateRisk, CodeRiskTooHigh, "130.20 USD, 1.31%"},
	})
}

func TestCheckInvalidRequestAndMissingState(t *testing.T) {
	t.Parallel()
	s, cfg, req := okState(t), Defaults(), okRequest()
	req.Timeframe = "M7"
	d := engine.Check(&s, &cfg, &req, t0)
	require.False(t, d.Allowed)
	require.Nil(t, d.Violation, "a malformed request is a 422, not a violation")
	for _, g := range d.Gates {
		require.Equal(t, CodeRequestInvalid, g.Code)
		require.Contains(t, g.Reason, "tf")
	}

	req = okRequest()
	d = engine.Check(nil, &cfg, &req, t0)
	require.False(t, d.Allowed)
	for _, letter := range []string{GateSignal, GateEquity, GateCooldown} {
		require.Equal(t, CodeStateUnavailable, gate(d, letter).Code)
	}
	require.Nil(t, d.Violation)
}

func TestCheckPicksTheMostSevereViolation(t *testing.T) {
	t.Parallel()
	s, cfg, req := okState(t), Defaults(), okRequest()
	s.Signals = nil          // B: L1
	req.Lots = 1000          // K: L2
	s.RealisedMilliR = -2000 // E: L3
	d := engine.Check(&s, &cfg, &req, t0)
	require.Len(t, d.Failed(), 3)
	require.Equal(t, CodeLossLock, d.Violation.Code)
	require.Equal(t, GateEquity, d.Violation.Gate)
	require.Equal(t, L3, d.Violation.Level)
	require.Empty(t, d.SignalID)
}
