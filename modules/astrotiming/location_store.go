package astrotiming

import (
	"context"
	"strconv"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Caps on what one caller may keep: each saved location costs the nightly job a day of hours, and
// each webhook up to MaxSearchLimit scheduled deliveries, so neither may grow without bound.
const (
	MaxSavedLocations = 100
	MaxWebhooksPerKey = 25
)

// SavedLocation is a row of locations: a named place a user keeps (the nightly job
// pre-computes its hours).
type SavedLocation struct {
	bun.BaseModel `bun:"table:locations"`
	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64     `bun:"user_id" json:"-"`
	Name          string    `bun:"name" json:"name"`
	Latitude      float64   `bun:"latitude" json:"lat"`
	Longitude     float64   `bun:"longitude" json:"lng"`
	Timezone      string    `bun:"timezone" json:"tz"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
}

// Place is the engine's view of the location.
func (l *SavedLocation) Place() (engine.Place, error) {
	return engine.ParsePlace(strconv.FormatFloat(l.Latitude, 'f', -1, 64), strconv.FormatFloat(l.Longitude, 'f', -1, 64), l.Timezone)
}

func locationByID(ctx context.Context, db bun.IDB, userID, id int64) (*SavedLocation, error) {
	l := new(SavedLocation)
	err := db.NewSelect().Model(l).Where("id = ?", id).Where("user_id = ?", userID).Scan(ctx)
	if err != nil {
		return nil, database.NoRows(err)
	}
	return l, nil
}

// The queries of locations. Every one is scoped to the owning user; a missing row is
// database.ErrNotFound.

func listLocations(ctx context.Context, db bun.IDB, userID int64) ([]SavedLocation, error) {
	out := []SavedLocation{}
	err := db.NewSelect().Model(&out).Where("user_id = ?", userID).Order("id").Scan(ctx)
	return out, err
}

func countLocations(ctx context.Context, db bun.IDB, userID int64) (int, error) {
	return db.NewSelect().Model((*SavedLocation)(nil)).Where("user_id = ?", userID).Count(ctx)
}

func insertLocation(ctx context.Context, db bun.IDB, l *SavedLocation) error {
	_, err := db.NewInsert().Model(l).Returning("id").Exec(ctx)
	return err
}

func updateLocation(ctx context.Context, db bun.IDB, l *SavedLocation) error {
	_, err := db.NewUpdate().Model(l).Column("name", "latitude", "longitude", "timezone").WherePK().Exec(ctx)
	return err
}

func deleteLocation(ctx context.Context, db bun.IDB, userID, id int64) error {
	res, err := db.NewDelete().Model((*SavedLocation)(nil)).Where("id = ?", id).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return database.ErrNotFound
	}
	return nil
}

// distinctPlaces is one saved location per place as the hours see it (coordinates rounded to
// engine.CoordDecimals, and zone), the lowest id of each: every user's locations, for the
// nightly job.
func distinctPlaces(ctx context.Context, db bun.IDB) ([]SavedLocation, error) {
	var locs []SavedLocation
	err := db.NewRaw(`SELECT DISTINCT ON (round(latitude::numeric, 3), round(longitude::numeric, 3), timezone) *
		FROM locations ORDER BY round(latitude::numeric, 3), round(longitude::numeric, 3), timezone, id`).Scan(ctx, &locs)
	return locs, err
}
