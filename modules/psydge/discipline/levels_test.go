package discipline

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBaseLevels(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]Level{
		CodeNoGoSignal: L1, CodeSymbolNotWhitelisted: L1, CodeOutsideSession: L1, CodeSignalExpired: L1,
		CodeRiskTooHigh: L2, CodeStopLossRequired: L2, CodeDailyRiskExceeded: L2, CodeStopWidened: L2,
		CodeLossLock: L3, CodeProfitLock: L3, CodeCooldownActive: L3, CodeSessionLocked: L3, CodeBlackoutActive: L3,
		CodeExternalExecution: L4,
		CodeStateUnavailable:  LevelNone, CodeRequestInvalid: LevelNone, CodeRiskUncomputable: LevelNone, CodeOK: LevelNone,
	} {
		require.Equal(t, want, BaseLevel(code), code)
	}
}

func TestEscalationLadder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		history  []string // codes already recorded today
		code     string
		want     Level
		lockedTo Level
	}{
		{"first procedural slip is an alert", nil, CodeNoGoSignal, L1, LevelNone},
		{"second is still an alert", []string{CodeOutsideSession}, CodeNoGoSignal, L1, LevelNone},
		{"third of the day is an overlay", []string{CodeOutsideSession, CodeNoGoSignal}, CodeNoGoSignal, L2, LevelNone},
		{"fourth stays an overlay", []string{CodeOutsideSession, CodeNoGoSignal, CodeNoGoSignal}, CodeOutsideSession, L2, LevelNone},
		{"fifth is a blackout", []string{CodeOutsideSession, CodeNoGoSignal, CodeNoGoSignal, CodeNoGoSignal}, CodeOutsideSession, L3, L3},
		{"sixth locks the session", []string{CodeOutsideSession, CodeNoGoSignal, CodeNoGoSignal, CodeNoGoSignal, CodeNoGoSignal}, CodeOutsideSession, L4, L4},
		{"oversizing starts at overlay", nil, CodeRiskTooHigh, L2, LevelNone},
		{"trading through a lock starts at blackout", nil, CodeLossLock, L3, L3},
		{"second lock-breaking attempt locks the session", []string{CodeCooldownActive}, CodeLossLock, L4, L4},
		{"outside execution locks at once", nil, CodeExternalExecution, L4, L4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewState(t0)
			now := t0
			for _, c := range tc.history {
				s.RecordViolation(Violation{Code: c, At: now})
				now = now.Add(time.Minute)
			}
			s.BlackoutUntil, s.SessionLockUntil = time.Time{}, time.Time{} // isolate the new violation's effect
			require.Equal(t, tc.want, s.Escalate(tc.code, now))
			v := s.RecordViolation(Violation{Code: tc.code, At: now})
			require.Equal(t, tc.want, v.Level)
			require.Equal(t, len(tc.history)+1, s.ViolationsToday)
			lvl, until := s.ActiveLock(now)
			require.Equal(t, tc.lockedTo, lvl)
			require.Equal(t, tc.want >= L2, s.AckPending)
			switch tc.lockedTo {
			case L3:
				require.Equal(t, now.Add(BlackoutDuration), until)
			case L4:
				require.Equal(t, TradingDayEnd(now), until)
				require.Equal(t, now.Add(BlackoutDuration), s.BlackoutUntil)
			}
		})
	}
}

func TestLocksExpire(t *testing.T) {
	t.Parallel()
	cfg, req := Defaults(), okRequest()
	s := okState(t)
	s.RecordViolation(Violation{Code: CodeLossLock, At: t0})
	s.Acknowledge()
	d := engine.Check(&s, &cfg, &req, t0.Add(29*time.Minute))
	require.Equal(t, CodeBlackoutActive, gate(d, GateCooldown).Code)
	d = engine.Check(&s, &cfg, &req, t0.Add(30*time.Minute))
	require.True(t, gate(d, GateCooldown).Passed, gate(d, GateCooldown).Reason)

	s = okState(t)
	s.RecordViolation(Violation{Code: CodeExternalExecution, At: t0, Ref: "p1"})
	s.Acknowledge()
	end := TradingDayEnd(t0)
	d = engine.Check(&s, &cfg, &req, end.Add(-time.Second))
	require.Equal(t, CodeSessionLocked, gate(d, GateEquity).Code)
	d = engine.Check(&s, &cfg, &req, end)
	require.True(t, gate(d, GateEquity).Passed)

	// The day counters start again after the roll.
	s.Roll(end)
	require.Zero(t, s.ViolationsToday)
	lvl, _ := s.ActiveLock(end)
	require.Equal(t, LevelNone, lvl)
	require.Equal(t, L1, s.Escalate(CodeNoGoSignal, end))
}

func TestAcknowledgementDoesNotShortenABlackout(t *testing.T) {
	t.Parallel()
	cfg, req := Defaults(), okRequest()
	s := okState(t)
	s.RecordViolation(Violation{Code: CodeCooldownActive, At: t0})
	require.True(t, s.AckPending)
	s.Acknowledge()
	require.False(t, s.AckPending)
	d := engine.Check(&s, &cfg, &req, t0.Add(time.Minute))
	require.Equal(t, CodeBlackoutActive, gate(d, GateCooldown).Code)
}

func TestTextForms(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Violation{Code: CodeLossLock, Level: L3, At: t0})
	require.NoError(t, err)
	require.Contains(t, string(b), `"level":"L3"`)
	var v Violation
	require.NoError(t, json.Unmarshal(b, &v))
	require.Equal(t, L3, v.Level)
	require.Error(t, json.Unmarshal([]byte(`{"level":"L5"}`), &v))

	var r Request
	require.NoError(t, json.Unmarshal([]byte(`{"symbol":"EURUSD","dir":"sell"}`), &r))
	require.Equal(t, Sell, r.Direction)
	require.Error(t, json.Unmarshal([]byte(`{"dir":"up"}`), &r))
	b, err = json.Marshal(OpenTrade{Direction: Buy})
	require.NoError(t, err)
	require.Contains(t, string(b), `"dir":"BUY"`)
}
