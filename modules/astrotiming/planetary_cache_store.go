package astrotiming

import (
	"context"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/uptrace/bun"
)

// upsertPlanetaryDay keeps a place's hours and noon positions (both JSON) for a local date in
// planetary_cache, keyed by date and LocationHash.
func upsertPlanetaryDay(ctx context.Context, db bun.IDB, d engine.Date, p engine.Place, hours, positions []byte, now time.Time) error {
	_, err := db.NewRaw(`INSERT INTO planetary_cache (date, location_hash, latitude, longitude, timezone, hours, positions, computed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (date, location_hash) DO UPDATE
		SET hours = EXCLUDED.hours, positions = EXCLUDED.positions, computed_at = EXCLUDED.computed_at`,
		d.String(), LocationHash(p), p.Lat, p.Lng, p.Zone.String(), string(hours), string(positions), now).Exec(ctx)
	return err
}
