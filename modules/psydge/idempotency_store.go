package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// idemRow is an idempotency_keys row as the protocol reads it: the request's hash and, once
// answered, the stored answer (status 0 while in flight).
type idemRow struct {
	Hash     []byte          `bun:"request_hash"`
	Status   int             `bun:"status"`
	Response json.RawMessage `bun:"response"`
}

// claimIdempotencyKey claims the user's key for a request, or takes over one whose answer has
// expired but is not deleted yet. It reports false when the key is held (in flight or answered).
func claimIdempotencyKey(ctx context.Context, db bun.IDB, userID int64, key string, hash []byte, now time.Time) (bool, error) {
	res, err := db.NewRaw(`INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = 0, response = NULL,
			trade_id = NULL, completed_at = NULL, expires_at = NULL, created_at = EXCLUDED.created_at
		WHERE idempotency_keys.expires_at <= EXCLUDED.created_at`,
		userID, key, hash, now).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("psydge: claim idempotency key: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// idempotencyKeyOf reads the user's key; database.ErrNotFound when there is none.
func idempotencyKeyOf(ctx context.Context, db bun.IDB, userID int64, key string) (*idemRow, error) {
	var row idemRow
	err := db.NewRaw("SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = ? AND key = ?", userID, key).
		Scan(ctx, &row.Hash, &row.Status, &row.Response)
	if err != nil {
		return nil, fmt.Errorf("psydge: read idempotency key: %w", database.NoRows(err))
	}
	return &row, nil
}

// freeIdempotencyKey deletes the user's key if it is still in flight and names no trade.
func freeIdempotencyKey(ctx context.Context, db bun.IDB, userID int64, key string) error {
	_, err := db.NewRaw("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status = 0 AND trade_id IS NULL", userID, key).Exec(ctx)
	return err
}

// tieIdempotencyKey names the trade a key's placement wrote (in that trade's transaction).
func tieIdempotencyKey(ctx context.Context, db bun.IDB, userID int64, key string, tradeID int64) error {
	_, err := db.NewRaw("UPDATE idempotency_keys SET trade_id = ? WHERE user_id = ? AND key = ?", tradeID, userID, key).Exec(ctx)
	return err
}

// answerIdempotencyKey records an in-flight key's answer and when it expires.
func answerIdempotencyKey(ctx context.Context, db bun.IDB, userID int64, key string, status int, body []byte, now, expires time.Time) error {
	_, err := db.NewRaw("UPDATE idempotency_keys SET status = ?, response = ?, completed_at = ?, expires_at = ? WHERE user_id = ? AND key = ? AND status = 0",
		status, string(body), now, expires, userID, key).Exec(ctx)
	return err
}

// deleteExpiredIdempotencyKeys deletes every answer past its expiry.
func deleteExpiredIdempotencyKeys(ctx context.Context, db bun.IDB, now time.Time) (int64, error) {
	res, err := db.NewRaw("DELETE FROM idempotency_keys WHERE expires_at <= ?", now).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("psydge: delete expired idempotency keys: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// freeStaleIdempotencyKeys deletes keys in flight since before cutoff whose trade does not
// exist (nothing reached the broker under them).
func freeStaleIdempotencyKeys(ctx context.Context, db bun.IDB, cutoff time.Time) (int64, error) {
	res, err := db.NewRaw(`DELETE FROM idempotency_keys k WHERE k.status = 0 AND k.created_at < ?
		AND NOT EXISTS (SELECT 1 FROM trades t WHERE t.id = k.trade_id AND t.user_id = k.user_id)`, cutoff).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("psydge: free stale idempotency keys: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// staleKey is a key in flight since before the cutoff that names its trade.
type staleKey struct {
	UserID  int64  `bun:"user_id"`
	Key     string `bun:"key"`
	TradeID int64  `bun:"trade_id"`
}

func staleIdempotencyKeys(ctx context.Context, db bun.IDB, cutoff time.Time) ([]staleKey, error) {
	var out []staleKey
	if err := db.NewRaw("SELECT user_id, key, trade_id FROM idempotency_keys WHERE status = 0 AND created_at < ? AND trade_id IS NOT NULL", cutoff).Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("psydge: stale idempotency keys: %w", err)
	}
	return out, nil
}
