package discipline

import (
	"fmt"
	"time"
)

// Level is a step on the violation ladder.
type Level int8

const (
	LevelNone Level = iota
	// L1 alert: the refusal is shown and logged, nothing else changes.
	L1
	// L2 overlay: the panel is covered until the trader acknowledges; no order passes gate H
	// until then.
	L2
	// L3 blackout: like L2, and no order passes for BlackoutDuration.
	L3
	// L4 session lock: like L3, and no order passes until the trading day ends (17:00 New
	// York). The blackout still runs past the roll, so an L4 at 16:59 is not a one-minute lock.
	L4
)

// BlackoutDuration is how long an L3 blackout refuses every order.
const BlackoutDuration = 30 * time.Minute

func (l Level) String() string {
	if l >= L1 && l <= L4 {
		return fmt.Sprintf("L%d", int8(l))
	}
	return "none"
}

// MarshalText writes "L1"…"L4" or "none".
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads "L1"…"L4" or "none".
func (l *Level) UnmarshalText(b []byte) error {
	switch s := string(b); s {
	case "none", "":
		*l = LevelNone
	case "L1", "L2", "L3", "L4":
		*l = Level(s[1] - '0')
	default:
		return fmt.Errorf("discipline: level %q: want L1..L4 or none", s)
	}
	return nil
}

// Violation is one refused attempt (or one trade placed outside Psydge), with the level the
// escalation policy gave it.
type Violation struct {
	Code  string    `json:"code"`
	Gate  string    `json:"gate,omitempty"`
	Level Level     `json:"level"`
	At    time.Time `json:"at"`
	// Ref identifies what was attempted: a broker position id for EXTERNAL_EXECUTION, the
	// client id for STOP_WIDENED, empty for a refused order.
	Ref string `json:"ref,omitempty"`
}

// BaseLevel is the lowest level a violation with this code can get, by what breaking that
// rule says about the trader's state: procedural slips (no signal, wrong symbol, wrong hour)
// start at L1; risk slips (oversizing, no stop) at L2; trying to trade through a lock or a
// pause, which is the self-destructive pattern Psydge exists to stop, at L3; trading behind
// Psydge's back at L4. Codes that are not the trader's doing (STATE_UNAVAILABLE,
// REQUEST_INVALID, RISK_UNCOMPUTABLE) are LevelNone: refused, but not violations.
func BaseLevel(code string) Level {
	switch code {
	case CodeNoGoSignal, CodeSignalExpired, CodeSignalDirection, CodeSignalUsed, CodeSignalNotFound,
		CodeSignalNotYetValid, CodeSymbolNotWhitelisted, CodeTimeframeNotWhitelisted, CodeOutsideSession:
		return L1
	case CodeRiskTooHigh, CodeStopLossRequired, CodeStopLossWrongSide, CodeDailyRiskExceeded, CodeStopWidened:
		return L2
	case CodeLossLock, CodeProfitLock, CodeSessionLocked, CodeBlackoutActive, CodeAckRequired, CodeCooldownActive:
		return L3
	case CodeExternalExecution:
		return L4
	}
	return LevelNone
}

// countLevel escalates by how many violations the trading day has seen, this one included.
func countLevel(n int) Level {
	switch {
	case n >= 6:
		return L4
	case n == 5:
		return L3
	case n >= 3:
		return L2
	}
	return L1
}

// Escalate returns the level a violation with code would get if recorded at now on s:
// the highest of its BaseLevel, the count rule (1st–2nd of the day L1, 3rd–4th L2, 5th L3,
// 6th and later L4) and the repeat rule (a second lock-breaking attempt, BaseLevel L3, in the
// same trading day is L4).
func (s *State) Escalate(code string, now time.Time) Level {
	base := BaseLevel(code)
	if base == LevelNone {
		return LevelNone
	}
	n, breaks := 1, 0
	if s != nil && s.Day == TradingDay(now) {
		n += s.ViolationsToday
		breaks = s.LockBreaksToday
	}
	lvl := max(base, countLevel(n))
	if base == L3 && breaks >= 1 {
		lvl = L4
	}
	return lvl
}

// RecordViolation logs a violation on s at v.At: its level is recomputed from s (the caller's
// copy may be stale after a concurrent write) and its effect applied — L2 requires an
// acknowledgement, L3 adds a blackout, L4 locks to the end of the trading day. It returns the
// violation as recorded, for the Postgres log.
func (s *State) RecordViolation(v Violation) Violation {
	s.Roll(v.At)
	lvl := s.Escalate(v.Code, v.At)
	if lvl == LevelNone {
		return Violation{}
	}
	v.Level = lvl
	s.applyViolation(v)
	s.Rev++
	return v
}

func (s *State) applyViolation(v Violation) {
	s.ViolationsToday++
	if BaseLevel(v.Code) == L3 {
		s.LockBreaksToday++
	}
	s.MaxLevelToday = max(s.MaxLevelToday, v.Level)
	if v.Level >= L2 {
		s.AckPending = true
	}
	if v.Level >= L3 {
		if until := v.At.Add(BlackoutDuration); until.After(s.BlackoutUntil) {
			s.BlackoutUntil = until
		}
	}
	if v.Level == L4 {
		if until := TradingDayEnd(v.At); until.After(s.SessionLockUntil) {
			s.SessionLockUntil = until
		}
	}
}

// ActiveLock reports the strongest lock running at now (L4 session lock, L3 blackout or
// LevelNone) and when it ends, for the panel.
func (s *State) ActiveLock(now time.Time) (Level, time.Time) {
	switch {
	case now.Before(s.SessionLockUntil):
		return L4, s.SessionLockUntil
	case now.Before(s.BlackoutUntil):
		return L3, s.BlackoutUntil
	}
	return LevelNone, time.Time{}
}

// Acknowledge records that the trader dismissed the L2/L3 overlay. A running blackout or lock
// is not shortened by it.
func (s *State) Acknowledge() {
	if s.AckPending {
		s.AckPending = false
		s.Rev++
	}
}
