package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// ConfigRow is a discipline_configs row.
type ConfigRow struct {
	bun.BaseModel   `bun:"table:discipline_configs"`
	UserID          int64             `bun:"user_id,pk"`
	LossLockR       float64           `bun:"loss_lock_r"`
	ProfitLockR     float64           `bun:"profit_lock_r"`
	CooldownHours   float64           `bun:"cooldown_hours"`
	MaxRiskPct      float64           `bun:"max_risk_pct"`
	SessionHours    json.RawMessage   `bun:"session_hours,type:jsonb"`
	SymbolWhitelist json.RawMessage   `bun:"symbol_whitelist,type:jsonb"`
	Config          discipline.Config `bun:"config,type:jsonb"`
	LastAckAt       *time.Time        `bun:"last_ack_at"`
	UpdatedAt       time.Time         `bun:"updated_at"`
}

func configOf(ctx context.Context, db bun.IDB, userID int64) (*ConfigRow, error) {
	row := new(ConfigRow)
	err := db.NewSelect().Model(row).Where("user_id = ?", userID).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: discipline config of user %d: %w", userID, database.NoRows(err))
	}
	return row, nil
}

func newConfigRow(userID int64, cfg discipline.Config, now time.Time) *ConfigRow {
	sessions, _ := json.Marshal(map[string]any{"london": cfg.London, "new_york": cfg.NewYork})
	wl, _ := json.Marshal(cfg.Whitelist)
	return &ConfigRow{
		UserID: userID, LossLockR: float64(cfg.LossLockMilliR) / 1000, ProfitLockR: float64(cfg.ProfitLockMilliR) / 1000,
		CooldownHours: float64(cfg.CooldownMinutes) / 60, MaxRiskPct: float64(cfg.MaxRiskBasisPoints) / 100,
		SessionHours: sessions, SymbolWhitelist: wl, Config: cfg, UpdatedAt: now,
	}
}

func saveConfig(ctx context.Context, db bun.IDB, row *ConfigRow) error {
	_, err := db.NewInsert().Model(row).On("CONFLICT (user_id) DO UPDATE").
		Set("loss_lock_r = EXCLUDED.loss_lock_r, profit_lock_r = EXCLUDED.profit_lock_r, cooldown_hours = EXCLUDED.cooldown_hours").
		Set("max_risk_pct = EXCLUDED.max_risk_pct, session_hours = EXCLUDED.session_hours, symbol_whitelist = EXCLUDED.symbol_whitelist").
		Set("config = EXCLUDED.config, updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("psydge: save discipline config of user %d: %w", row.UserID, err)
	}
	return nil
}

// configOrDefault returns the user's config, or the locked rules when none was saved yet.
func configOrDefault(ctx context.Context, db bun.IDB, userID int64, now time.Time) (*ConfigRow, error) {
	row, err := configOf(ctx, db, userID)
	if err == nil {
		return row, nil
	}
	if !isNotFound(err) {
		return nil, err
	}
	return newConfigRow(userID, discipline.Defaults(), now), nil
}

// setLastAck records when the user last acknowledged the violation overlay.
func setLastAck(ctx context.Context, db bun.IDB, userID int64, at time.Time) error {
	if _, err := db.NewUpdate().Model((*ConfigRow)(nil)).Set("last_ack_at = ?", at).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: acknowledge for user %d: %w", userID, err)
	}
	return nil
}
