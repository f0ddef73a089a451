package psydge

import (
	"context"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
)

func mergeSignals(s *discipline.State, sigs []discipline.Signal, now time.Time) {
	for _, sig := range sigs {
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
	mergeSignals(&l.State, t.signals, now)
	d := m.engine.Check(&l.State, &l.Config.Config, &t.req, now)
	return checkResult(&d, t), nil
}
