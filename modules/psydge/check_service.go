package psydge

import (
	"context"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
)

// mergeSignals prepares the gate state's GO signals for deciding on t: the state keeps the
// signals it was given earlier (and a rebuild reads every live one), so first the unused ones
// the user may not count now are dropped (Vista's, when billing no longer entitles the user
// to Vista), then t's signals are added. A used signal stays: it can no longer pass gate B,
// and it is what a release returns and what keeps one signal to one trade.
func mergeSignals(s *discipline.State, t *ticket, now time.Time) {
	kept := s.Signals[:0]
	for i := range s.Signals {
		if s.Signals[i].UsedBy != "" || usableSignal(&s.Signals[i], t.vista) {
			kept = append(kept, s.Signals[i])
		}
	}
	if len(kept) != len(s.Signals) {
		clear(s.Signals[len(kept):])
		s.Signals = kept
		s.Rev++
	}
	for _, sig := range t.signals {
		known := false
		for _, have := range s.Signals {
			if have.ID == sig.ID {
				known = true
				break
			}
		}
		if !known {
			_ = s.AddSignal(sig, now)
		}
	}
}

// CheckResult is the answer of the dry run and of a refused placement.
type CheckResult struct {
	Allowed    bool                    `json:"allowed"`
	Gates      []discipline.GateResult `json:"gates"`
	RiskMinor  int64                   `json:"risk_minor"`
	RiskPct    float64                 `json:"risk_pct"`
	Currency   string                  `json:"currency"`
	EntryPrice float64                 `json:"entry_price"`
	SignalID   string                  `json:"signal_id,omitempty"`
}

func checkResult(d *discipline.Decision, t *ticket) CheckResult {
	return CheckResult{Allowed: d.Allowed, Gates: d.Gates[:], RiskMinor: d.RiskMinor, RiskPct: float64(d.RiskBasisPoints) / 100,
		Currency: t.req.Account.Currency, EntryPrice: fromPoints(t.req.Entry, t.req.Spec.Digits), SignalID: d.SignalID}
}

// Check is the dry run: the same decision placement would take, recording nothing.
func (m *Module) Check(ctx context.Context, userID int64, tr *TicketRequest) (CheckResult, error) {
	t, err := m.resolve(ctx, userID, tr, true)
	if err != nil {
		return CheckResult{}, err
	}
	l, err := m.loadStateWith(ctx, userID, t.cfg)
	if err != nil {
		return CheckResult{}, err
	}
	now := m.d.Clock.Now()
	mergeSignals(&l.State, t, now)
	d := m.engine.Check(&l.State, &l.Config.Config, &t.req, now)
	return checkResult(&d, t), nil
}
