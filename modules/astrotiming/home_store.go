package astrotiming

import (
	"context"
	"strconv"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
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

func (m *Module) homeOf(ctx context.Context, userID int64) (*Home, error) {
	h := new(Home)
	err := m.d.DB.NewRaw("SELECT id, latitude, longitude, timezone FROM users WHERE id = ? AND latitude IS NOT NULL AND longitude IS NOT NULL", userID).Scan(ctx, h)
	if err != nil {
		return nil, database.NoRows(err)
	}
	return h, nil
}
