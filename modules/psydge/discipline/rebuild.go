package discipline

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// TradeRecord is a trade as Postgres keeps it (the seed's Trade row), in the engine's units.
type TradeRecord struct {
	ClientID    string    `json:"client_id"`
	Symbol      string    `json:"symbol"`
	Timeframe   Timeframe `json:"tf"`
	Direction   Direction `json:"dir"`
	Entry       int64     `json:"entry"`
	InitialStop int64     `json:"initial_stop"`
	Stop        int64     `json:"stop"`
	Exit        int64     `json:"exit"`
	Lots        int64     `json:"lots"`
	RiskMinor   int64     `json:"risk_minor"`
	SignalID    string    `json:"signal_id,omitempty"`
	Filled      bool      `json:"filled"`
	OpenedAt    time.Time `json:"opened_at"`
	// ClosedAt is zero while the trade is open.
	ClosedAt time.Time `json:"closed_at"`
}

// Closed reports whether the trade has been closed.
func (t *TradeRecord) Closed() bool { return !t.ClosedAt.IsZero() }

// R is a closed trade's result in thousandths of R (see TradeR).
func (t *TradeRecord) R() (int64, error) { return TradeR(t.Direction, t.Entry, t.InitialStop, t.Exit) }

// Record is what Rebuild needs from Postgres for one user:
//   - Trades: every open trade, and every trade closed in the current trading day or within
//     MaxCooldownMinutes before now (a loss from yesterday may still be cooling down);
//   - Violations: every violation of the current trading day, and every EXTERNAL_EXECUTION
//     (so an already reported position is not reported again);
//   - LastAckAt: when the trader last acknowledged an overlay;
//   - Signals: GO signals issued within the last DefaultSignalBars bars of D1, if kept.
type Record struct {
	Trades     []TradeRecord `json:"trades"`
	Violations []Violation   `json:"violations"`
	LastAckAt  time.Time     `json:"last_ack_at"`
	Signals    []Signal      `json:"signals"`
}

// Rebuild reconstructs a lost gate state from the durable record by replaying it through the
// same transitions the live state went through. It errors on a record it cannot trust rather
// than return a more permissive state; the caller keeps refusing (nil state) until it succeeds.
// Signals that were not kept are simply absent, so gate B refuses until a new GO signal comes:
// a lost state costs an opportunity, never a rule.
func Rebuild(now time.Time, cfg *Config, rec Record) (State, error) {
	s := NewState(now)
	today := s.Day
	for _, sig := range rec.Signals {
		if err := s.AddSignal(sig, now); err != nil {
			return State{}, fmt.Errorf("discipline: rebuild: signal %q: %w", sig.ID, err)
		}
	}
	trades := slices.Clone(rec.Trades)
	slices.SortStableFunc(trades, func(a, b TradeRecord) int { return a.ClosedAt.Compare(b.ClosedAt) })
	for _, t := range trades {
		if t.ClientID == "" || !t.Direction.Valid() || int64(t.Direction)*(t.Entry-t.InitialStop) <= 0 {
			return State{}, fmt.Errorf("discipline: rebuild: trade %q is malformed", t.ClientID)
		}
		if t.SignalID != "" {
			for i := range s.Signals {
				if s.Signals[i].ID == t.SignalID {
					s.Signals[i].UsedBy = t.ClientID
				}
			}
		}
		if !t.Closed() {
			stop := t.Stop
			if stop == 0 {
				stop = t.InitialStop
			}
			s.Open = append(s.Open, OpenTrade{
				ClientID: t.ClientID, Symbol: t.Symbol, Timeframe: t.Timeframe, Direction: t.Direction,
				Entry: t.Entry, InitialStop: t.InitialStop, Stop: stop, Lots: t.Lots, RiskMinor: t.RiskMinor,
				SignalID: t.SignalID, OpenedAt: t.OpenedAt, Filled: t.Filled,
			})
			continue
		}
		if t.ClosedAt.After(now) {
			return State{}, fmt.Errorf("discipline: rebuild: trade %q closes at %s, after now", t.ClientID, utc(t.ClosedAt))
		}
		r, err := t.R()
		if err != nil {
			return State{}, fmt.Errorf("discipline: rebuild: trade %q: %w", t.ClientID, err)
		}
		if t.Exit <= 0 {
			return State{}, fmt.Errorf("discipline: rebuild: closed trade %q has no exit price", t.ClientID)
		}
		s.remember(t.ClientID)
		if TradingDay(t.ClosedAt) == today {
			s.RealisedMilliR += r
			s.ClosedToday++
			if r < 0 {
				s.LossesToday++
			}
		}
		if r < 0 {
			s.startCooldown(t.ClosedAt, cfg)
		}
	}

	ack := false
	vs := slices.Clone(rec.Violations)
	slices.SortStableFunc(vs, func(a, b Violation) int { return a.At.Compare(b.At) })
	for _, v := range vs {
		if v.Code == CodeExternalExecution && v.Ref != "" && !slices.Contains(s.ExternalSeen, v.Ref) {
			s.ExternalSeen = append(s.ExternalSeen, v.Ref)
		}
		if v.At.After(now) {
			return State{}, fmt.Errorf("discipline: rebuild: violation %s at %s is after now", v.Code, utc(v.At))
		}
		if v.Level >= L2 && v.At.After(rec.LastAckAt) {
			ack = true
		}
		if TradingDay(v.At) != today {
			// Counts restart with the day, but a blackout from just before the roll still runs.
			if v.Level >= L3 {
				s.BlackoutUntil = later(s.BlackoutUntil, v.At.Add(BlackoutDuration))
			}
			continue
		}
		// The replayed level is never lower than the one recorded at the time.
		v.Level = max(v.Level, s.Escalate(v.Code, v.At))
		if v.Level == LevelNone {
			continue
		}
		if v.At.After(rec.LastAckAt) {
			ack = ack || v.Level >= L2
		}
		s.applyViolation(v)
	}
	// applyViolation raises the flag for every L2+; only the ones after the last
	// acknowledgement still need one.
	s.AckPending = ack
	if n := len(s.ExternalSeen) - maxExternalSeen; n > 0 {
		s.ExternalSeen = slices.Delete(s.ExternalSeen, 0, n)
	}
	s.Roll(now)
	s.Rev = 1
	return s, nil
}

// BrokerPosition is an open position as the broker (MetaApi) lists it. ClientID is the client
// id Psydge attached to its order; positions opened in MT4/MT5 directly have none or another.
type BrokerPosition struct {
	ID        string    `json:"id"`
	Symbol    string    `json:"symbol"`
	ClientID  string    `json:"client_id"`
	Direction Direction `json:"dir"`
	Lots      int64     `json:"lots"`
	OpenedAt  time.Time `json:"opened_at"`
}

// ExternalPositions returns the broker positions Psydge did not place and has not reported
// yet: execution happens only through Psydge, so each is an EXTERNAL_EXECUTION violation.
func (s *State) ExternalPositions(positions []BrokerPosition) []BrokerPosition {
	var out []BrokerPosition
	for _, p := range positions {
		if p.ClientID != "" && (s.openIndex(p.ClientID) >= 0 || slices.Contains(s.Recent, p.ClientID)) {
			continue
		}
		if slices.Contains(s.ExternalSeen, p.ID) {
			continue
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b BrokerPosition) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// RecordExternal logs a foreign position as an EXTERNAL_EXECUTION violation (always L4: the
// session locks to the end of the trading day) and remembers it so the next poll is quiet.
func (s *State) RecordExternal(p BrokerPosition, now time.Time) Violation {
	v := s.RecordViolation(Violation{Code: CodeExternalExecution, At: now, Ref: p.ID})
	if !slices.Contains(s.ExternalSeen, p.ID) {
		s.ExternalSeen = append(s.ExternalSeen, p.ID)
		if n := len(s.ExternalSeen) - maxExternalSeen; n > 0 {
			s.ExternalSeen = slices.Delete(s.ExternalSeen, 0, n)
		}
	}
	return v
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
