package psydge

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/uptrace/bun"
)

// recordOf loads what discipline.Rebuild needs: live trades, trades closed since the longest
// cooldown before now, the violations of the day plus every EXTERNAL_EXECUTION, the last ack.
func recordOf(ctx context.Context, db bun.IDB, userID int64, now time.Time) (discipline.Record, *ConfigRow, error) {
	var rec discipline.Record
	cfg, err := configOrDefault(ctx, db, userID, now)
	if err != nil {
		return rec, nil, err
	}
	since := now.Add(-discipline.MaxCooldownMinutes * time.Minute)
	dayStart, _ := discipline.TradingDayBounds(now)
	if dayStart.After(since) {
		dayStart = since
	}
	var ts []Trade
	err = db.NewSelect().Model(&ts).Where("user_id = ?", userID).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("status IN (?)", bun.In(liveStatuses)).WhereOr("status = ? AND closed_at >= ?", StatusClosed, dayStart)
		}).Scan(ctx)
	if err != nil {
		return rec, nil, fmt.Errorf("psydge: rebuild trades of user %d: %w", userID, err)
	}
	for i := range ts {
		rec.Trades = append(rec.Trades, ts[i].Record())
	}
	var vs []ViolationRow
	err = db.NewSelect().Model(&vs).Where("user_id = ?", userID).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("created_at >= ?", dayStart).WhereOr("violation_code = ?", discipline.CodeExternalExecution)
		}).Where("created_at <= ?", now).Order("created_at").Scan(ctx)
	if err != nil {
		return rec, nil, fmt.Errorf("psydge: rebuild violations of user %d: %w", userID, err)
	}
	for i := range vs {
		rec.Violations = append(rec.Violations, vs[i].engine())
	}
	if cfg.LastAckAt != nil {
		rec.LastAckAt = *cfg.LastAckAt
	}
	var sigs []SignalRow
	err = db.NewSelect().Model(&sigs).Where("user_id IS NULL OR user_id = ?", userID).
		Where("valid_until > ?", now).Where("issued_at <= ?", now).Order("issued_at").Limit(16).Scan(ctx)
	if err != nil {
		return rec, nil, fmt.Errorf("psydge: rebuild signals of user %d: %w", userID, err)
	}
	for i := range sigs {
		rec.Signals = append(rec.Signals, sigs[i].engine())
	}
	return rec, cfg, nil
}

func dayActivity(ctx context.Context, db bun.IDB, userID int64, from, to time.Time) (discipline.DayActivity, error) {
	var act discipline.DayActivity
	var ts []Trade
	err := db.NewSelect().Model(&ts).Where("user_id = ?", userID).
		Where("status NOT IN (?)", bun.In([]string{StatusRejected, StatusFailed})).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("opened_at >= ? AND opened_at < ?", from, to).WhereOr("closed_at >= ? AND closed_at < ?", from, to)
		}).Order("opened_at").Scan(ctx)
	if err != nil {
		return act, fmt.Errorf("psydge: activity trades of user %d: %w", userID, err)
	}
	for i := range ts {
		act.Trades = append(act.Trades, ts[i].Record())
	}
	var vs []ViolationRow
	err = db.NewSelect().Model(&vs).Where("user_id = ?", userID).Where("created_at >= ? AND created_at < ?", from, to).Order("created_at").Scan(ctx)
	if err != nil {
		return act, fmt.Errorf("psydge: activity violations of user %d: %w", userID, err)
	}
	for i := range vs {
		act.Violations = append(act.Violations, vs[i].engine())
	}
	return act, nil
}
