package psydge

import (
	"context"

	"github.com/alorig/alorig/modules/psydge/live"
)

func (m *Module) pushUser(ctx context.Context, userID int64, typ string, data any) {
	if err := live.PublishUser(ctx, m.d.KV, userID, typ, data); err != nil {
		m.d.Log.Debug("live push failed", "user", userID, "type", typ, "err", err)
	}
}

func (m *Module) pushGate(ctx context.Context, userID int64, l *loaded) {
	m.pushUser(ctx, userID, "gate", m.gateStatus(ctx, userID, l))
}
