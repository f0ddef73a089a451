package discipline

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// StateVersion is the layout version written to the "v" field of the Redis hash.
const StateVersion = "1"

// Field names of the Redis hash psydge:gate:{user_id}. The gate letter prefixes the fields a
// gate reads; the UI reads e_open_risk_mr and h_cooldown_until directly.
const (
	fVersion      = "v"
	fRev          = "rev"
	fDay          = "day"
	fSignals      = "b_signals"
	fRealised     = "e_realised_mr"
	fOpenRisk     = "e_open_risk_mr"
	fOpen         = "e_open"
	fClosedToday  = "e_closed_today"
	fLossesToday  = "e_losses_today"
	fRecent       = "e_recent"
	fLastLoss     = "h_last_loss_at"
	fCooldown     = "h_cooldown_until"
	fBlackout     = "h_blackout_until"
	fSessionLock  = "e_session_lock_until"
	fAck          = "ack_pending"
	fViolations   = "violations_today"
	fLockBreaks   = "lock_breaks_today"
	fMaxLevel     = "max_level_today"
	fExternalSeen = "external_seen"
)

var requiredFields = []string{fVersion, fRev, fDay, fSignals, fRealised, fOpenRisk, fOpen, fClosedToday,
	fLossesToday, fRecent, fLastLoss, fCooldown, fBlackout, fSessionLock, fAck, fViolations, fLockBreaks,
	fMaxLevel, fExternalSeen}

// ErrNoState means the hash is empty or gone (Redis flushed or evicted): rebuild the state from
// Postgres with Rebuild. It never means "no restrictions".
var ErrNoState = errors.New("discipline: gate state missing")

// ErrStateCorrupt means the hash exists but cannot be trusted; treat it like ErrNoState.
var ErrStateCorrupt = errors.New("discipline: gate state corrupt")

// Times are Unix nanoseconds (0 = none) so a round trip is exact: a cooldown never ends a
// fraction of a second early because of encoding.
func encTime(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return strconv.FormatInt(t.UnixNano(), 10)
}

func encJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Every encoded type is plain data; json.Marshal cannot fail on it.
		panic(fmt.Sprintf("discipline: encode state: %v", err))
	}
	return string(b)
}

// Encode renders s as the fields of the Redis hash (HSET key field value …).
func (s *State) Encode() map[string]string {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	nonNil := func(v []string) []string {
		if v == nil {
			return []string{}
		}
		return v
	}
	signals, open := s.Signals, s.Open
	if signals == nil {
		signals = []Signal{}
	}
	if open == nil {
		open = []OpenTrade{}
	}
	return map[string]string{
		fVersion:      StateVersion,
		fRev:          strconv.FormatInt(s.Rev, 10),
		fDay:          strconv.Itoa(s.Day),
		fSignals:      encJSON(signals),
		fRealised:     strconv.FormatInt(s.RealisedMilliR, 10),
		fOpenRisk:     strconv.FormatInt(s.OpenRiskMilliR(), 10),
		fOpen:         encJSON(open),
		fClosedToday:  strconv.Itoa(s.ClosedToday),
		fLossesToday:  strconv.Itoa(s.LossesToday),
		fRecent:       encJSON(nonNil(s.Recent)),
		fLastLoss:     encTime(s.LastLossAt),
		fCooldown:     encTime(s.CooldownUntil),
		fBlackout:     encTime(s.BlackoutUntil),
		fSessionLock:  encTime(s.SessionLockUntil),
		fAck:          b(s.AckPending),
		fViolations:   strconv.Itoa(s.ViolationsToday),
		fLockBreaks:   strconv.Itoa(s.LockBreaksToday),
		fMaxLevel:     strconv.Itoa(int(s.MaxLevelToday)),
		fExternalSeen: encJSON(nonNil(s.ExternalSeen)),
	}
}

// DecodeState reads the Redis hash back. An empty map is ErrNoState; a missing field, a value
// that does not parse, or an open-risk figure that disagrees with the open trades is
// ErrStateCorrupt. Either way the caller rebuilds from Postgres; there is no lenient mode.
func DecodeState(h map[string]string) (State, error) {
	if len(h) == 0 {
		return State{}, ErrNoState
	}
	for _, f := range requiredFields {
		if _, ok := h[f]; !ok {
			return State{}, fmt.Errorf("%w: field %s missing", ErrStateCorrupt, f)
		}
	}
	if h[fVersion] != StateVersion {
		return State{}, fmt.Errorf("%w: layout version %q, want %s", ErrStateCorrupt, h[fVersion], StateVersion)
	}
	var s State
	var firstErr error
	note := func(f string, err error) {
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%w: field %s: %v", ErrStateCorrupt, f, err)
		}
	}
	i64 := func(f string) int64 {
		v, err := strconv.ParseInt(h[f], 10, 64)
		note(f, err)
		return v
	}
	count := func(f string) int {
		v := i64(f)
		if v < 0 || v > 1<<30 {
			note(f, fmt.Errorf("%d out of range", v))
		}
		return int(v)
	}
	tm := func(f string) time.Time {
		v := i64(f)
		if v == 0 {
			return time.Time{}
		}
		return time.Unix(0, v).UTC()
	}
	level := func(f string) Level {
		v := i64(f)
		if v < 0 || v > int64(L4) {
			note(f, fmt.Errorf("level %d out of range", v))
		}
		return Level(v)
	}
	js := func(f string, dst any) { note(f, json.Unmarshal([]byte(h[f]), dst)) }

	s.Rev = i64(fRev)
	s.Day = count(fDay)
	s.RealisedMilliR = i64(fRealised)
	s.ClosedToday = count(fClosedToday)
	s.LossesToday = count(fLossesToday)
	s.LastLossAt = tm(fLastLoss)
	s.CooldownUntil = tm(fCooldown)
	s.BlackoutUntil = tm(fBlackout)
	s.SessionLockUntil = tm(fSessionLock)
	switch h[fAck] {
	case "0":
	case "1":
		s.AckPending = true
	default:
		note(fAck, fmt.Errorf("%q is not 0 or 1", h[fAck]))
	}
	s.ViolationsToday = count(fViolations)
	s.LockBreaksToday = count(fLockBreaks)
	s.MaxLevelToday = level(fMaxLevel)
	js(fSignals, &s.Signals)
	js(fOpen, &s.Open)
	js(fRecent, &s.Recent)
	js(fExternalSeen, &s.ExternalSeen)
	if firstErr != nil {
		return State{}, firstErr
	}
	if s.Day < 19700101 || s.Day > 99991231 {
		return State{}, fmt.Errorf("%w: day %d", ErrStateCorrupt, s.Day)
	}
	for _, t := range s.Open {
		if !t.Direction.Valid() || t.riskPoints() <= 0 || t.ClientID == "" {
			return State{}, fmt.Errorf("%w: open trade %q is malformed", ErrStateCorrupt, t.ClientID)
		}
	}
	if want := i64(fOpenRisk); want != s.OpenRiskMilliR() {
		return State{}, fmt.Errorf("%w: open risk %d disagrees with open trades (%d)", ErrStateCorrupt, want, s.OpenRiskMilliR())
	}
	return s, nil
}
