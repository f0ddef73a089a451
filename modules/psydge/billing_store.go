package psydge

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// setSubscriptionTier writes the tier billing decided; nothing else writes the column.
func setSubscriptionTier(ctx context.Context, db bun.IDB, userID int64, tier string, now time.Time) error {
	if _, err := db.NewRaw("UPDATE users SET subscription_tier = ?, updated_at = ? WHERE id = ?", tier, now, userID).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: set tier of user %d: %w", userID, err)
	}
	return nil
}
