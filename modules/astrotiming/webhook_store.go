package astrotiming

import (
	"time"

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
