package astrotiming

import (
	"context"
	"strconv"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Home is a user's home location (users.latitude/longitude/timezone): the briefing, the ICS
// feed's windows and the web page default to it.
type Home struct {
	UserID int64   `bun:"id" json:"-"`
	Lat    float64 `bun:"latitude" json:"lat"`
	Lng    float64 `bun:"longitude" json:"lng"`
	TZ     string  `bun:"timezone" json:"tz"`
}

// Place is the engine's view of the home.
func (h Home) Place() (engine.Place, error) {
	p, err := engine.ParsePlace(strconv.FormatFloat(h.Lat, 'f', -1, 64), strconv.FormatFloat(h.Lng, 'f', -1, 64), h.TZ)
	if err != nil {
		return p, err
	}
	p.Lat, p.Lng = engine.RoundCoord(p.Lat), engine.RoundCoord(p.Lng)
	return p, nil
}

// The home columns of users (the platform's table; AstroTiming reads and writes only these).
// A user without a home is database.ErrNotFound.

func homeByUser(ctx context.Context, db bun.IDB, userID int64) (*Home, error) {
	h := new(Home)
	err := db.NewRaw("SELECT id, latitude, longitude, timezone FROM users WHERE id = ? AND latitude IS NOT NULL AND longitude IS NOT NULL", userID).Scan(ctx, h)
	if err != nil {
		return nil, database.NoRows(err)
	}
	return h, nil
}

func setHome(ctx context.Context, db bun.IDB, userID int64, h Home, now time.Time) error {
	_, err := db.NewRaw("UPDATE users SET latitude = ?, longitude = ?, timezone = ?, updated_at = ? WHERE id = ?",
		h.Lat, h.Lng, h.TZ, now, userID).Exec(ctx)
	return err
}

// homesWithoutBriefing are the homes of active users with no briefing yet for their local
// today at now.
func homesWithoutBriefing(ctx context.Context, db bun.IDB, now time.Time) ([]Home, error) {
	var homes []Home
	err := db.NewRaw(`SELECT u.id, u.latitude, u.longitude, u.timezone FROM users u
		WHERE u.latitude IS NOT NULL AND u.longitude IS NOT NULL AND u.disabled_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM briefings b WHERE b.user_id = u.id AND b.date >= (? AT TIME ZONE u.timezone)::date)`,
		now).Scan(ctx, &homes)
	return homes, err
}
