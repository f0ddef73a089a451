package astrotiming

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// KeyTier is a key as its tier left it: what PUT /api/v1/billing/keys/{key_id} answers.
type KeyTier struct {
	ID         int64  `bun:"id" json:"id"`
	Prefix     string `bun:"prefix" json:"prefix"`
	Tier       string `bun:"tier" json:"tier"`
	RatePerMin int    `bun:"rate_per_min" json:"rate_per_min"`
	DailyQuota int    `bun:"daily_quota" json:"daily_quota"`
}

// setLiveKeysTier moves every live key of the user to tier t, its limits with it (the
// platform's api_keys table; auth.APIKeyGate re-reads a key within KeyCacheTTL).
func setLiveKeysTier(ctx context.Context, db bun.IDB, userID int64, t auth.Tier) error {
	_, err := db.NewRaw("UPDATE api_keys SET tier = ?, rate_per_min = ?, daily_quota = ? WHERE user_id = ? AND revoked_at IS NULL",
		t.Name, t.PerMinute, t.DailyQuota, userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("astrotiming: move keys of user %d to %s: %w", userID, t.Name, err)
	}
	return nil
}

// setKeyTier moves one live key of the user to tier t.
func setKeyTier(ctx context.Context, db bun.IDB, userID, keyID int64, t auth.Tier) (*KeyTier, error) {
	k := new(KeyTier)
	err := db.NewRaw(`UPDATE api_keys SET tier = ?, rate_per_min = ?, daily_quota = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL
		RETURNING id, prefix, tier, rate_per_min, daily_quota`, t.Name, t.PerMinute, t.DailyQuota, keyID, userID).Scan(ctx, k)
	if err != nil {
		if database.NoRows(err) == database.ErrNotFound {
			return nil, ErrNoSuchKey
		}
		return nil, fmt.Errorf("astrotiming: set tier of key %d: %w", keyID, err)
	}
	return k, nil
}
