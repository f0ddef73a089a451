package astrotiming

import (
	"context"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Webhook is a row of webhooks.
type Webhook struct {
	bun.BaseModel `bun:"table:webhooks"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	APIKeyID      int64      `bun:"api_key_id" json:"api_key_id"`
	URL           string     `bun:"url" json:"url"`
	Secret        []byte     `bun:"secret" json:"-"`
	Activity      string     `bun:"activity" json:"activity"`
	Latitude      float64    `bun:"latitude" json:"lat"`
	Longitude     float64    `bun:"longitude" json:"lng"`
	Timezone      string     `bun:"timezone" json:"tz"`
	MinScore      int        `bun:"min_score" json:"min_score"`
	Days          int        `bun:"days" json:"days"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	DisabledAt    *time.Time `bun:"disabled_at" json:"disabled_at,omitempty"`
}

// The queries of webhooks. A webhook belongs to an API key; the user's webhooks are those of
// their keys. A missing row is database.ErrNotFound.

// ownedBy restricts a query to the webhooks of the user's API keys.
const ownedBy = "api_key_id IN (SELECT id FROM api_keys WHERE user_id = ?)"

func countLiveWebhooks(ctx context.Context, db bun.IDB, apiKeyID int64) (int, error) {
	return db.NewSelect().Model((*Webhook)(nil)).Where("api_key_id = ?", apiKeyID).Where("disabled_at IS NULL").Count(ctx)
}

func insertWebhook(ctx context.Context, db bun.IDB, w *Webhook) error {
	_, err := db.NewInsert().Model(w).Returning("id").Exec(ctx)
	return err
}

func setWebhookSecret(ctx context.Context, db bun.IDB, id int64, sealed []byte) error {
	_, err := db.NewUpdate().Model((*Webhook)(nil)).Set("secret = ?", sealed).Where("id = ?", id).Exec(ctx)
	return err
}

func listWebhooks(ctx context.Context, db bun.IDB, userID int64) ([]Webhook, error) {
	out := []Webhook{}
	err := db.NewSelect().Model(&out).Where(ownedBy, userID).Order("id").Scan(ctx)
	return out, err
}

// disableWebhook marks one of the user's live webhooks disabled at now.
func disableWebhook(ctx context.Context, db bun.IDB, userID, id int64, now time.Time) error {
	res, err := db.NewUpdate().Model((*Webhook)(nil)).Set("disabled_at = ?", now).Where("id = ?", id).
		Where("disabled_at IS NULL").Where(ownedBy, userID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return database.ErrNotFound
	}
	return nil
}

// deliverableWebhook is a webhook still live whose key is not revoked (the delivery job runs
// without a user, so it is not scoped to one).
func deliverableWebhook(ctx context.Context, db bun.IDB, id int64) (*Webhook, error) {
	w := new(Webhook)
	err := db.NewSelect().Model(w).Where("id = ?", id).Where("disabled_at IS NULL").
		Where("api_key_id IN (SELECT id FROM api_keys WHERE revoked_at IS NULL)").Scan(ctx)
	if err != nil {
		return nil, database.NoRows(err)
	}
	return w, nil
}

// recordDelivery keeps the last attempt per webhook and window (status 0: no answer).
func recordDelivery(ctx context.Context, db bun.IDB, webhookID int64, windowStart time.Time, status int, delivered *time.Time) error {
	_, err := db.NewRaw(`INSERT INTO webhook_deliveries (webhook_id, window_start, status, delivered_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (webhook_id, window_start) DO UPDATE SET status = EXCLUDED.status, delivered_at = EXCLUDED.delivered_at`,
		webhookID, windowStart, status, delivered).Exec(ctx)
	return err
}
