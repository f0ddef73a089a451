package psydge

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Profile is what GET /api/v1/profile shows of a users row.
type Profile struct {
	ID               int64  `json:"id"`
	Email            string `json:"email"`
	Timezone         string `json:"timezone"`
	SubscriptionTier string `json:"subscription_tier"`
	BrokerLinked     bool   `json:"broker_credentials_stored"`
}

func profileOf(ctx context.Context, db bun.IDB, userID int64) (*Profile, error) {
	p := &Profile{ID: userID}
	var email *string
	err := db.NewRaw("SELECT email, timezone, subscription_tier, broker_credentials IS NOT NULL FROM users WHERE id = ?", userID).
		Scan(ctx, &email, &p.Timezone, &p.SubscriptionTier, &p.BrokerLinked)
	if err != nil {
		return nil, fmt.Errorf("psydge: profile %d: %w", userID, database.NoRows(err))
	}
	if email != nil {
		p.Email = *email
	}
	return p, nil
}

func setTimezone(ctx context.Context, db bun.IDB, userID int64, tz string, now time.Time) error {
	if _, err := db.NewRaw("UPDATE users SET timezone = ?, updated_at = ? WHERE id = ?", tz, now, userID).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: update timezone: %w", err)
	}
	return nil
}

// storeCredentials keeps the user's sealed broker credentials.
func storeCredentials(ctx context.Context, db bun.IDB, userID int64, sealed []byte, now time.Time) error {
	if _, err := db.NewRaw("UPDATE users SET broker_credentials = ?, updated_at = ? WHERE id = ?", sealed, now, userID).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: store credentials: %w", err)
	}
	return nil
}

// sealedCredentials reads the user's sealed broker credentials (empty when none).
func sealedCredentials(ctx context.Context, db bun.IDB, userID int64) ([]byte, error) {
	var sealed []byte
	if err := db.NewRaw("SELECT broker_credentials FROM users WHERE id = ?", userID).Scan(ctx, &sealed); err != nil {
		return nil, fmt.Errorf("psydge: credentials of user %d: %w", userID, database.NoRows(err))
	}
	return sealed, nil
}

// isProvisionedFor reports whether the platform provisioned the MetaApi account for the user.
func isProvisionedFor(ctx context.Context, db bun.IDB, userID int64, accountID string) (bool, error) {
	ok, err := db.NewSelect().Table("metaapi_provisioned_accounts").Where("account_id = ?", accountID).Where("user_id = ?", userID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("psydge: provisioned MetaApi account of user %d: %w", userID, err)
	}
	return ok, nil
}
