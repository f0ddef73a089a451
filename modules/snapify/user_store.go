package snapify

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/uptrace/bun"
)

// Queries of the users table, as far as Snapify writes it: a seller is a user known by the
// WhatsApp number they proved.

// upsertSellerByPhone is the id of the user with phone, adding a member with that number on
// its first sign-in (a returning seller's row only has its updated_at moved).
func upsertSellerByPhone(ctx context.Context, db bun.IDB, phone rules.Phone, now time.Time) (int64, error) {
	var id int64
	err := db.NewRaw(`INSERT INTO users (phone, display_name, role, created_at, updated_at) VALUES (?, '', 'member', ?, ?)
		ON CONFLICT (phone) DO UPDATE SET updated_at = EXCLUDED.updated_at RETURNING id`, phone.E164(), now, now).Scan(ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("snapify: seller for %s: %w", phone.National(), err)
	}
	return id, nil
}
