package astrotiming

import (
	"encoding/json"
	"time"

	"github.com/uptrace/bun"
)

// Briefing is a row of briefings: the day's summary made 30 minutes before a user's sunrise.
type Briefing struct {
	bun.BaseModel `bun:"table:briefings"`
	UserID        int64           `bun:"user_id,pk" json:"-"`
	Date          time.Time       `bun:"date,pk,type:date" json:"-"`
	Body          json.RawMessage `bun:"body,type:jsonb" json:"briefing"`
	CreatedAt     time.Time       `bun:"created_at" json:"created_at"`
}
