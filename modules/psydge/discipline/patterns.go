package discipline

import (
	"slices"
	"time"
)

// Pattern types the detector reports (the seed's BehavioralPattern.pattern_type).
const (
	PatternRevenge      = "revenge_attempt"
	PatternPostWin      = "post_win_attempt"
	PatternSessionEdge  = "session_edge"
	PatternOversizing   = "oversizing_streak"
	PatternLockBreaking = "lock_breaking"
	PatternExternal     = "external_execution"
)

// Trends.
const (
	TrendRising  = "rising"
	TrendFalling = "falling"
	TrendStable  = "stable"
)

// SessionEdgeWindow is how close to a session open or close an OUTSIDE_SESSION attempt must be
// to count as jumping the gun or overstaying rather than trading at random hours.
const SessionEdgeWindow = 30 * time.Minute

// Pattern is one repeated behaviour found in the history: Recent occurrences in the last
// window, Prior in the window before it, Count their sum.
type Pattern struct {
	Type   string    `json:"type"`
	Count  int       `json:"count"`
	Recent int       `json:"recent"`
	Prior  int       `json:"prior"`
	Trend  string    `json:"trend"`
	LastAt time.Time `json:"last_at"`
}

// DetectPatterns finds behaviours that occurred at least twice in [now−2·window, now) and
// reports each with its trend: rising when the last window has more occurrences than the one
// before, falling when fewer, stable when equal. Rules (all on refused attempts, i.e.
// violations):
//   - revenge_attempt: an attempt within EmotionalWindow after a losing close;
//   - post_win_attempt: an attempt within EmotionalWindow after a winning close;
//   - session_edge: OUTSIDE_SESSION within SessionEdgeWindow before a session opens or after
//     one closed (default session hours);
//   - oversizing_streak: two or more RISK_TOO_HIGH refusals in a row with no accepted trade
//     or other refusal between them, counted once per streak at its last attempt;
//   - lock_breaking: an attempt refused by LOSS_LOCK, PROFIT_LOCK, SESSION_LOCKED,
//     COOLDOWN_ACTIVE or BLACKOUT_ACTIVE;
//   - external_execution: a position opened outside Psydge.
func DetectPatterns(trades []TradeRecord, violations []Violation, now time.Time, window time.Duration) []Pattern {
	from, mid := now.Add(-2*window), now.Add(-window)
	hits := map[string][]time.Time{}
	add := func(kind string, at time.Time) { hits[kind] = append(hits[kind], at) }

	vs := slices.Clone(violations)
	slices.SortStableFunc(vs, func(a, b Violation) int { return a.At.Compare(b.At) })
	def := Defaults()
	for _, v := range vs {
		if v.Code == CodeExternalExecution {
			add(PatternExternal, v.At)
			continue
		}
		if !isAttempt(v.Code) {
			continue
		}
		for i := range trades {
			t := &trades[i]
			if !t.Closed() || !v.At.After(t.ClosedAt) || v.At.Sub(t.ClosedAt) > EmotionalWindow {
				continue
			}
			if r, err := t.R(); err == nil && r < 0 {
				add(PatternRevenge, v.At)
				break
			}
		}
		for i := range trades {
			t := &trades[i]
			if !t.Closed() || !v.At.After(t.ClosedAt) || v.At.Sub(t.ClosedAt) > EmotionalWindow {
				continue
			}
			if r, err := t.R(); err == nil && r > 0 {
				add(PatternPostWin, v.At)
				break
			}
		}
		switch v.Code {
		case CodeOutsideSession:
			_, wasOpen := InSession(&def, v.At.Add(-SessionEdgeWindow))
			_, next, ok := NextSessionOpen(&def, v.At)
			if wasOpen || (ok && next.Sub(v.At) <= SessionEdgeWindow) {
				add(PatternSessionEdge, v.At)
			}
		case CodeLossLock, CodeProfitLock, CodeSessionLocked, CodeCooldownActive, CodeBlackoutActive:
			add(PatternLockBreaking, v.At)
		}
	}

	// Streaks are read from the attempts in time order, accepted trades included, because an
	// accepted trade in between means the trader did resize.
	type attempt struct {
		at       time.Time
		oversize bool
	}
	var seq []attempt
	for _, v := range vs {
		if isAttempt(v.Code) {
			seq = append(seq, attempt{v.At, v.Code == CodeRiskTooHigh})
		}
	}
	for _, t := range trades {
		if !t.OpenedAt.IsZero() {
			seq = append(seq, attempt{t.OpenedAt, false})
		}
	}
	slices.SortStableFunc(seq, func(a, b attempt) int { return a.at.Compare(b.at) })
	run := 0
	for i, a := range seq {
		if a.oversize {
			run++
		} else {
			run = 0
		}
		if run >= 2 && (i+1 == len(seq) || !seq[i+1].oversize) {
			add(PatternOversizing, a.at)
		}
	}

	var out []Pattern
	for _, kind := range []string{PatternRevenge, PatternPostWin, PatternSessionEdge, PatternOversizing, PatternLockBreaking, PatternExternal} {
		p := Pattern{Type: kind}
		for _, at := range hits[kind] {
			switch {
			case at.Before(from) || !at.Before(now):
				continue
			case at.Before(mid):
				p.Prior++
			default:
				p.Recent++
			}
			if at.After(p.LastAt) {
				p.LastAt = at
			}
		}
		p.Count = p.Recent + p.Prior
		if p.Count < 2 {
			continue
		}
		switch {
		case p.Recent > p.Prior:
			p.Trend = TrendRising
		case p.Recent < p.Prior:
			p.Trend = TrendFalling
		default:
			p.Trend = TrendStable
		}
		out = append(out, p)
	}
	return out
}
