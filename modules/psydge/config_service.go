package psydge

import (
	"context"

	"github.com/alorig/alorig/modules/psydge/discipline"
)

// Config is the user's discipline config (the locked rules until one is saved).
func (m *Module) Config(ctx context.Context, userID int64) (discipline.Config, error) {
	row, err := configOrDefault(ctx, m.d.DB, userID, m.d.Clock.Now())
	if err != nil {
		return discipline.Config{}, err
	}
	return row.Config, nil
}

// TightenConfig stores proposed if it only tightens the current config; a loosened rule is a
// *discipline.RuleError naming it.
func (m *Module) TightenConfig(ctx context.Context, userID int64, proposed discipline.Config) (discipline.Config, error) {
	cur, err := configOrDefault(ctx, m.d.DB, userID, m.d.Clock.Now())
	if err != nil {
		return discipline.Config{}, err
	}
	next, err := discipline.Tighten(cur.Config, proposed)
	if err != nil {
		return discipline.Config{}, err
	}
	row := newConfigRow(userID, next, m.d.Clock.Now())
	row.LastAckAt = cur.LastAckAt
	if err := saveConfig(ctx, m.d.DB, row); err != nil {
		return discipline.Config{}, err
	}
	m.ticketsChanged(ctx, userID)
	if l, err := m.loadState(ctx, userID); err == nil {
		m.pushGate(ctx, userID, l)
	}
	return next, nil
}

// Gates is the user's gate status.
func (m *Module) Gates(ctx context.Context, userID int64) (GateStatus, error) {
	l, err := m.loadState(ctx, userID)
	if err != nil {
		return GateStatus{}, err
	}
	return m.gateStatus(ctx, userID, l), nil
}

// Acknowledge dismisses the L2/L3 overlay (it does not shorten a blackout or a lock).
func (m *Module) Acknowledge(ctx context.Context, userID int64) (*loaded, error) {
	now := m.d.Clock.Now()
	row, err := configOrDefault(ctx, m.d.DB, userID, now)
	if err != nil {
		return nil, err
	}
	if err := saveConfig(ctx, m.d.DB, row); err != nil {
		return nil, err
	}
	if err := setLastAck(ctx, m.d.DB, userID, now); err != nil {
		return nil, err
	}
	m.ticketsChanged(ctx, userID)
	l, err := m.update(ctx, userID, func(l *loaded) error { l.State.Acknowledge(); return nil })
	if err != nil {
		return nil, err
	}
	m.pushGate(ctx, userID, l)
	return l, nil
}
