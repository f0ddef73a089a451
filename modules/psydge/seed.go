package psydge

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/auth"
)

// Demo account created by `alorig seed --app=psydge` (docs/psydge.md walks through it).
const (
	DemoEmail    = "demo@psydge.localhost"
	DemoPassword = "demo-password-1"
)

// fixedClock primes the paper feed in the past so warmUp can walk history up to now.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// Seed creates the demo trader with a paper account, the locked rules, one closed winning
// trade of yesterday and yesterday's score. Idempotent.
func (m *Module) Seed(ctx context.Context) error {
	now := m.d.Clock.Now()
	u, err := m.d.Accounts.Register(ctx, DemoEmail, DemoPassword, "Demo trader")
	var id int64
	switch {
	case errors.Is(err, auth.ErrEmailTaken):
		if err := m.d.DB.NewRaw("SELECT id FROM users WHERE email = ?", DemoEmail).Scan(ctx, &id); err != nil {
			return fmt.Errorf("psydge: seed: find demo user: %w", err)
		}
	case err != nil:
		return fmt.Errorf("psydge: seed: demo user: %w", err)
	default:
		id = u.ID
	}
	if _, err := m.d.DB.NewRaw("UPDATE users SET timezone = 'Europe/London' WHERE id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: seed: timezone: %w", err)
	}
	if _, err := liveConnection(ctx, m.d.DB, id); isNotFound(err) {
		c := &Connection{UserID: id, Broker: "paper", Server: "psydge-paper", AccountNumber: fmt.Sprintf("PAPER-%d", id), Status: "connected",
			Currency: "USD", PaperBalance: 10_000_00, CreatedAt: now, UpdatedAt: now}
		if _, err := m.d.DB.NewInsert().Model(c).Exec(ctx); err != nil {
			return fmt.Errorf("psydge: seed: connection: %w", err)
		}
	}
	row, err := configOrDefault(ctx, m.d.DB, id, now)
	if err != nil {
		return err
	}
	if err := saveConfig(ctx, m.d.DB, row); err != nil {
		return err
	}
	m.ticketsChanged(ctx, id) // a running server may hold the demo trader's context
	// Yesterday: one EURUSD buy closed at +2R, so the history and score screens are not empty.
	opened := now.Add(-24 * time.Hour).Truncate(time.Hour)
	closed := opened.Add(90 * time.Minute)
	r := int64(2000)
	profit := int64(200_00)
	_, err = m.d.DB.NewRaw(`INSERT INTO trades (user_id, client_id, symbol, timeframe, direction, digits, entry, initial_sl, sl, tp, exit_price, lot,
		currency, risk_minor, risk_bp, r_result_milli, profit_minor, strategy, filled, status, position_id, close_reason, opened_at, closed_at, updated_at)
		VALUES (?, ?, 'EURUSD', 'M15', 'BUY', 5, 108500, 108400, 108400, 108700, 108700, 100, 'USD', 10000, 100, ?, ?, 'intraday_momentum', true, 'closed', 'demo', 'take_profit', ?, ?, ?)
		ON CONFLICT (client_id) DO NOTHING`, id, fmt.Sprintf("demo_%d", id), r, profit, opened, closed, closed).Exec(ctx)
	if err != nil {
		return fmt.Errorf("psydge: seed: trade: %w", err)
	}
	if _, err := m.storeScore(ctx, id, closed); err != nil {
		return err
	}
	_ = discipline.Defaults
	return nil
}
