package astrotiming

import (
	"context"

	"github.com/uptrace/bun"
)

// The platform's api_keys table (shared/auth owns it); AstroTiming only reads the plans a
// user's keys carry.

// liveKeyTiers are the distinct tiers of the user's keys that are not revoked.
func liveKeyTiers(ctx context.Context, db bun.IDB, userID int64) ([]string, error) {
	var tiers []string
	err := db.NewRaw("SELECT DISTINCT tier FROM api_keys WHERE user_id = ? AND revoked_at IS NULL", userID).Scan(ctx, &tiers)
	return tiers, err
}
