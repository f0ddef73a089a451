package discipline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestTradeR(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dir                     Direction
		entry, stop, exit, want int64
	}{
		{Buy, 100, 90, 90, -1000},
		{Buy, 100, 90, 130, 3000},
		{Buy, 100, 90, 100, 0},
		{Buy, 100, 90, 85, -1500}, // slipped past the stop
		{Buy, 100, 70, 99, -34},   // −0.0333R rounds down
		{Sell, 100, 110, 120, -2000},
		{Sell, 100, 110, 95, 500},
		{Sell, 100, 130, 110, -334},
	} {
		got, err := TradeR(tc.dir, tc.entry, tc.stop, tc.exit)
		require.NoError(t, err)
		require.Equal(t, tc.want, got, "%+v", tc)
	}
	_, err := TradeR(Buy, 100, 110, 120)
	require.Error(t, err)
}

func reserveOK(t *testing.T, s *State, cfg *Config, req *Request, id string, now time.Time) Decision {
	t.Helper()
	d, err := engine.CheckAndReserve(s, cfg, req, id, now)
	require.NoError(t, err)
	require.True(t, d.Allowed, "%+v", d.Failed())
	return d
}

func TestReserveFillCloseCycle(t *testing.T) {
	t.Parallel()
	cfg, req := Defaults(), okRequest()
	s := okState(t)
	reserveOK(t, &s, &cfg, &req, "psy-1", t0)
	require.Equal(t, int64(1000), s.OpenRiskMilliR())
	require.Equal(t, "psy-1", s.Signals[0].UsedBy)

	// The same signal cannot carry a second trade.
	d := engine.Check(&s, &cfg, &req, t0.Add(time.Minute))
	require.Equal(t, CodeSignalUsed, gate(d, GateSignal).Code)
	require.ErrorIs(t, s.Reserve(&d, &req, "psy-2", t0), ErrNotAllowed)

	require.ErrorIs(t, s.Fill("psy-1", 108_200), ErrBadFill)
	require.NoError(t, s.Fill("psy-1", 108_510)) // one point of slippage: R is now 210 points
	require.ErrorIs(t, s.MoveStop("psy-1", 108_250), ErrStopWidened)
	require.NoError(t, s.MoveStop("psy-1", 108_405))
	require.Equal(t, int64(500), s.OpenRiskMilliR())

	ct, err := s.Close(&cfg, "psy-1", 108_405, t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, int64(-500), ct.RMilli)
	require.Equal(t, int64(-500), s.RealisedMilliR)
	require.Equal(t, 1, s.LossesToday)
	require.Empty(t, s.Open)
	require.Equal(t, t0.Add(5*time.Hour), s.CooldownUntil)
	_, err = s.Close(&cfg, "psy-1", 1, t0)
	require.ErrorIs(t, err, ErrTradeNotFound)

	require.NoError(t, s.AddSignal(goSignal("sig-2", t0.Add(4*time.Hour+55*time.Minute)), t0.Add(5*time.Hour)))
	d = engine.Check(&s, &cfg, &req, t0.Add(5*time.Hour-time.Second))
	require.Equal(t, CodeCooldownActive, gate(d, GateCooldown).Code)
	reserveOK(t, &s, &cfg, &req, "psy-3", t0.Add(5*time.Hour))
	// A closed trade's client id cannot be reused: the broker would match the wrong position.
	d.Allowed = true
	require.ErrorIs(t, s.Reserve(&d, &req, "psy-1", t0.Add(5*time.Hour)), ErrDuplicateTrade)
}

func TestReleaseGivesBackRiskAndSignal(t *testing.T) {
	t.Parallel()
	cfg, req := Defaults(), okRequest()
	s := okState(t)
	reserveOK(t, &s, &cfg, &req, "psy-1", t0)
	require.NoError(t, s.Release("psy-1"))
	require.Zero(t, s.OpenRiskMilliR())
	require.Empty(t, s.Signals[0].UsedBy)
	require.ErrorIs(t, s.Release("psy-1"), ErrTradeNotFound)
	reserveOK(t, &s, &cfg, &req, "psy-2", t0)
	d := engine.Check(&s, &cfg, &req, t0)
	d.Allowed = true
	require.ErrorIs(t, s.Reserve(&d, &req, "psy-2", t0), ErrDuplicateTrade)
}

func TestTwoLossesLockTheDayAndAWinBanksIt(t *testing.T) {
	t.Parallel()
	cfg, req := Defaults(), okRequest()
	cfg.CooldownMinutes = 240
	s := NewState(t0)
	now := t0
	for i, exit := range []int64{108_300, 108_300} {
		id := string(rune('a' + i))
		require.NoError(t, s.AddSignal(goSignal("s"+id, now), now))
		reserveOK(t, &s, &cfg, &req, id, now)
		_, err := s.Close(&cfg, id, exit, now.Add(10*time.Minute))
		require.NoError(t, err)
		now = now.Add(4*time.Hour + 10*time.Minute)
	}
	require.Equal(t, int64(-2000), s.RealisedMilliR)
	require.NoError(t, s.AddSignal(goSignal("s3", now), now))
	d := engine.Check(&s, &cfg, &req, now)
	require.Equal(t, CodeLossLock, d.Violation.Code)
}

func TestExternalPositions(t *testing.T) {
	t.Parallel()
	cfg, req := Defaults(), okRequest()
	s := okState(t)
	reserveOK(t, &s, &cfg, &req, "psy-1", t0)
	positions := []BrokerPosition{
		{ID: "1001", Symbol: "EURUSD", ClientID: "psy-1"},
		{ID: "1002", Symbol: "XAUUSD"},
		{ID: "1003", Symbol: "EURUSD", ClientID: "EA-scalper"},
	}
	ext := s.ExternalPositions(positions)
	require.Len(t, ext, 2)
	require.Equal(t, "1002", ext[0].ID)
	v := s.RecordExternal(ext[0], t0)
	require.Equal(t, CodeExternalExecution, v.Code)
	require.Equal(t, L4, v.Level)
	require.Equal(t, "1002", v.Ref)
	lvl, _ := s.ActiveLock(t0)
	require.Equal(t, L4, lvl)
	require.Len(t, s.ExternalPositions(positions), 1, "a reported position is not reported again")

	// A Psydge trade the broker still lists just after Psydge closed it is not foreign.
	_, err := s.Close(&cfg, "psy-1", 108_600, t0.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, []BrokerPosition{positions[2]}, s.ExternalPositions(positions))
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	cfg, req := Defaults(), okRequest()
	s := okState(t)
	reserveOK(t, &s, &cfg, &req, "psy-1", t0)
	require.NoError(t, s.MoveStop("psy-1", 108_400))
	s.startCooldown(t0.Add(-time.Hour+time.Nanosecond), &cfg)
	s.RecordViolation(Violation{Code: CodeRiskTooHigh, At: t0})
	s.RecordViolation(Violation{Code: CodeCooldownActive, At: t0})
	s.ExternalSeen = []string{"77"}

	h := s.Encode()
	require.Equal(t, "500", h["e_open_risk_mr"])
	got, err := DecodeState(h)
	require.NoError(t, err)
	require.True(t, got.CooldownUntil.Equal(s.CooldownUntil), "nanoseconds survive")
	require.True(t, got.BlackoutUntil.Equal(s.BlackoutUntil))
	require.True(t, got.SessionLockUntil.Equal(s.SessionLockUntil))
	// Compare what the gates see rather than time.Location pointers.
	for _, now := range []time.Time{t0, t0.Add(31 * time.Minute), t0.Add(5 * time.Hour)} {
		a, b := engine.Check(&s, &cfg, &req, now), engine.Check(&got, &cfg, &req, now)
		require.Equal(t, a.Gates, b.Gates)
	}
	require.Equal(t, s.Encode(), got.Encode())
}

func TestDecodeRefusesToGuess(t *testing.T) {
	t.Parallel()
	_, err := DecodeState(nil)
	require.ErrorIs(t, err, ErrNoState)
	s := okState(t)
	good := s.Encode()
	for field, bad := range map[string]string{
		"v": "0", "e_realised_mr": "x", "h_blackout_until": "soon", "ack_pending": "yes", "e_open": "{", "day": "12",
		"e_open_risk_mr": "1000", "h_cooldown_until": "", "violations_today": "-1",
	} {
		h := map[string]string{}
		for k, v := range good {
			h[k] = v
		}
		h[field] = bad
		_, err := DecodeState(h)
		require.ErrorIs(t, err, ErrStateCorrupt, field)
	}
	delete(good, "h_cooldown_until")
	_, err = DecodeState(good)
	require.ErrorIs(t, err, ErrStateCorrupt)
}

// A state rebuilt from the Postgres record must refuse at least everything the live one does,
// at every moment of the day.
func TestRebuildMatchesLiveState(t *testing.T) {
	t.Parallel()
	cfg, req := Defaults(), okRequest()
	cfg.CooldownMinutes = 300
	live := NewState(t0)
	var rec Record
	now := t0
	addSig := func(id string) {
		sig := goSignal(id, now)
		require.NoError(t, live.AddSignal(sig, now))
		rec.Signals = append(rec.Signals, sig)
	}
	addSig("s1")
	d := reserveOK(t, &live, &cfg, &req, "a", now)
	require.NoError(t, live.Fill("a", 108_500))
	now = now.Add(20 * time.Minute)
	ct, err := live.Close(&cfg, "a", 108_350, now)
	require.NoError(t, err)
	rec.Trades = append(rec.Trades, TradeRecord{ClientID: "a", Symbol: "EURUSD", Timeframe: M15, Direction: Buy, Entry: 108_500,
		InitialStop: 108_300, Stop: 108_300, Exit: 108_350, Lots: 100, RiskMinor: d.RiskMinor, SignalID: "s1", Filled: true,
		OpenedAt: t0, ClosedAt: now})
	require.Equal(t, int64(-750), ct.RMilli)
	for _, code := range []string{CodeCooldownActive, CodeNoGoSignal} {
		now = now.Add(time.Minute)
		rec.Violations = append(rec.Violations, live.RecordViolation(Violation{Code: code, At: now}))
	}
	rec.LastAckAt = now.Add(-time.Hour)
	now = now.Add(time.Minute)
	addSig("s2")
	live.AckPending = false // acknowledged just now
	rec.LastAckAt = now

	rebuilt, err := Rebuild(now, &cfg, rec)
	require.NoError(t, err)
	require.Equal(t, live.RealisedMilliR, rebuilt.RealisedMilliR)
	require.Equal(t, live.ViolationsToday, rebuilt.ViolationsToday)
	require.Equal(t, live.LockBreaksToday, rebuilt.LockBreaksToday)
	require.True(t, live.CooldownUntil.Equal(rebuilt.CooldownUntil))
	for step := time.Duration(0); step < 26*time.Hour; step += 7 * time.Minute {
		a := engine.Check(&live, &cfg, &req, now.Add(step))
		b := engine.Check(&rebuilt, &cfg, &req, now.Add(step))
		require.Equal(t, a.Allowed, b.Allowed, "at +%s", step)
		for i := range a.Gates {
			require.Equal(t, a.Gates[i].Code, b.Gates[i].Code, "at +%s gate %s", step, a.Gates[i].Gate)
		}
	}

	// An empty record is a fresh user: refused only for want of a signal, never "open".
	fresh, err := Rebuild(now, &cfg, Record{})
	require.NoError(t, err)
	d = engine.Check(&fresh, &cfg, &req, now)
	require.Equal(t, CodeNoGoSignal, gate(d, GateSignal).Code)

	_, err = Rebuild(now, &cfg, Record{Trades: []TradeRecord{{ClientID: "x", Direction: Buy, Entry: 100, InitialStop: 110, ClosedAt: now}}})
	require.Error(t, err)
}

func TestRebuildReplaysLocksAndYesterdaysCooldown(t *testing.T) {
	t.Parallel()
	cfg := Defaults()
	now := at(t, "2026-03-04T09:00:00Z") // day 20260304
	rec := Record{
		Trades: []TradeRecord{
			// Closed yesterday evening (New York day 20260304 already), a loss: cooldown until 01:00.
			{ClientID: "y", Direction: Sell, Entry: 100, InitialStop: 110, Exit: 110, OpenedAt: now.Add(-11 * time.Hour), ClosedAt: now.Add(-10 * time.Hour)},
			// Still open at full risk.
			{ClientID: "o", Direction: Buy, Entry: 200, InitialStop: 190, Stop: 190, OpenedAt: now.Add(-time.Hour)},
		},
		Violations: []Violation{
			{Code: CodeExternalExecution, Level: L4, At: now.Add(-2 * time.Hour), Ref: "p9"},
		},
	}
	s, err := Rebuild(now, &cfg, rec)
	require.NoError(t, err)
	require.Equal(t, int64(-1000), s.RealisedMilliR, "23:00 UTC on 3 March is 18:00 New York: already the 4 March trading day")
	require.Equal(t, int64(1000), s.OpenRiskMilliR())
	lvl, until := s.ActiveLock(now)
	require.Equal(t, L4, lvl)
	require.Equal(t, TradingDayEnd(now), until)
	require.True(t, s.AckPending)
	require.Equal(t, []string{"p9"}, s.ExternalSeen)
	require.Equal(t, now.Add(-6*time.Hour), s.CooldownUntil)
}
