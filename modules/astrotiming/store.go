package astrotiming

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
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

// LocationInput is the body of POST/PUT /api/v1/locations.
type LocationInput struct {
	Name string   `json:"name"`
	Lat  *float64 `json:"lat"`
	Lng  *float64 `json:"lng"`
	TZ   string   `json:"tz"`

	place engine.Place
}

// Validate checks the name and the place.
func (in *LocationInput) Validate() []web.FieldError {
	var errs []web.FieldError
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		errs = append(errs, web.FieldError{Field: "name", Reason: "must be 1 to 100 characters"})
	}
	p, err := placeQuery(map[string][]string{"lat": {coordString(in.Lat)}, "lng": {coordString(in.Lng)}, "tz": {in.TZ}}, true)
	if fe := fieldErr(err); fe != nil {
		errs = append(errs, web.FieldError{Field: fe.Field, Reason: fe.Reason})
	}
	in.place = p
	return errs
}

func locationByID(ctx context.Context, db bun.IDB, userID, id int64) (*SavedLocation, error) {
	l := new(SavedLocation)
	err := db.NewSelect().Model(l).Where("id = ?", id).Where("user_id = ?", userID).Scan(ctx)
	if err != nil {
		return nil, database.NoRows(err)
	}
	return l, nil
}

func notFoundOr(err error, what string) error {
	if errors.Is(err, database.ErrNotFound) {
		return web.NotFound("no such " + what)
	}
	return err
}

func (m *Module) listLocations(c echo.Context) error {
	var out []SavedLocation
	err := m.d.DB.NewSelect().Model(&out).Where("user_id = ?", caller(c).UserID).Order("id").Scan(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: list locations: %w", err)
	}
	if out == nil {
		out = []SavedLocation{}
	}
	return c.JSON(http.StatusOK, map[string]any{"locations": out})
}

func (m *Module) createLocation(c echo.Context) error {
	var in LocationInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	n, err := m.d.DB.NewSelect().Model((*SavedLocation)(nil)).Where("user_id = ?", caller(c).UserID).Count(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: count locations: %w", err)
	}
	if n >= MaxSavedLocations {
		return web.Conflict(fmt.Sprintf("you already keep %d locations, the most allowed; delete one first", MaxSavedLocations)).WithCode("LOCATION_LIMIT")
	}
	l := &SavedLocation{UserID: caller(c).UserID, Name: in.Name, Latitude: in.place.Lat, Longitude: in.place.Lng,
		Timezone: in.place.Zone.String(), CreatedAt: m.d.Clock.Now()}
	if _, err := m.d.DB.NewInsert().Model(l).Returning("id").Exec(c.Request().Context()); err != nil {
		if database.IsUniqueViolation(err, "") {
			return web.Conflict("you already have a location with this name").WithCode("DUPLICATE_NAME")
		}
		return fmt.Errorf("astrotiming: create location: %w", err)
	}
	return c.JSON(http.StatusCreated, l)
}

func (m *Module) getLocation(c echo.Context) error {
	id, err := web.PathID(c, "location_id")
	if err != nil {
		return err
	}
	l, err := locationByID(c.Request().Context(), m.d.DB, caller(c).UserID, id)
	if err != nil {
		return notFoundOr(err, "location")
	}
	return c.JSON(http.StatusOK, l)
}

func (m *Module) updateLocation(c echo.Context) error {
	id, err := web.PathID(c, "location_id")
	if err != nil {
		return err
	}
	var in LocationInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	l, err := locationByID(ctx, m.d.DB, caller(c).UserID, id)
	if err != nil {
		return notFoundOr(err, "location")
	}
	l.Name, l.Latitude, l.Longitude, l.Timezone = in.Name, in.place.Lat, in.place.Lng, in.place.Zone.String()
	if _, err := m.d.DB.NewUpdate().Model(l).Column("name", "latitude", "longitude", "timezone").WherePK().Exec(ctx); err != nil {
		if database.IsUniqueViolation(err, "") {
			return web.Conflict("you already have a location with this name").WithCode("DUPLICATE_NAME")
		}
		return fmt.Errorf("astrotiming: update location %d: %w", id, err)
	}
	return c.JSON(http.StatusOK, l)
}

func (m *Module) deleteLocation(c echo.Context) error {
	id, err := web.PathID(c, "location_id")
	if err != nil {
		return err
	}
	res, err := m.d.DB.NewDelete().Model((*SavedLocation)(nil)).Where("id = ?", id).Where("user_id = ?", caller(c).UserID).Exec(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: delete location %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return web.NotFound("no such location")
	}
	return c.NoContent(http.StatusNoContent)
}

// StoredEntry is a row of schedule_entries.
type StoredEntry struct {
	bun.BaseModel `bun:"table:schedule_entries"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64      `bun:"user_id" json:"-"`
	Activity      string     `bun:"activity" json:"activity"`
	Priority      int        `bun:"priority" json:"priority"`
	StartsAt      time.Time  `bun:"starts_at" json:"start"`
	EndsAt        time.Time  `bun:"ends_at" json:"end"`
	Score         int        `bun:"score" json:"tqs_score"`
	Band          string     `bun:"band" json:"band"`
	Unfavorable   bool       `bun:"unfavorable" json:"unfavorable"`
	GoogleEventID *string    `bun:"google_event_id" json:"google_event_id,omitempty"`
	SyncedAt      *time.Time `bun:"synced_at" json:"synced_at,omitempty"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"-"`
}

func (m *Module) saveSchedule(ctx context.Context, userID int64, entries []engine.ScheduleEntry) ([]StoredEntry, error) {
	now := m.d.Clock.Now()
	out := []StoredEntry{}
	for _, e := range entries {
		if e.Assigned == nil {
			continue
		}
		out = append(out, StoredEntry{UserID: userID, Activity: e.Activity, Priority: e.Priority, StartsAt: e.Assigned.Start.UTC(),
			EndsAt: e.Assigned.End.UTC(), Score: e.Score, Band: e.Band, Unfavorable: e.Unfavorable, CreatedAt: now, UpdatedAt: now})
	}
	if len(out) == 0 {
		return out, nil
	}
	if _, err := m.d.DB.NewInsert().Model(&out).Returning("id").Exec(ctx); err != nil {
		return nil, fmt.Errorf("astrotiming: save schedule of user %d: %w", userID, err)
	}
	return out, nil
}

func (m *Module) listSchedule(c echo.Context) error {
	var out []StoredEntry
	err := m.d.DB.NewSelect().Model(&out).Where("user_id = ?", caller(c).UserID).Order("starts_at").Limit(500).Scan(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: list schedule: %w", err)
	}
	if out == nil {
		out = []StoredEntry{}
	}
	return c.JSON(http.StatusOK, map[string]any{"entries": out})
}

func (m *Module) deleteSchedule(c echo.Context) error {
	id, err := web.PathID(c, "schedule_entry_id")
	if err != nil {
		return err
	}
	res, err := m.d.DB.NewDelete().Model((*StoredEntry)(nil)).Where("id = ?", id).Where("user_id = ?", caller(c).UserID).Exec(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: delete schedule entry %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return web.NotFound("no such schedule entry")
	}
	return c.NoContent(http.StatusNoContent)
}

type loggedQuery struct {
	Activity string
	Place    engine.Place
	At       time.Time
	Score    int // -1 for a search
}

// timingQuery is a row of timing_queries.
type timingQuery struct {
	bun.BaseModel `bun:"table:timing_queries"`
	ID            int64     `bun:"id,pk,autoincrement"`
	UserID        *int64    `bun:"user_id"`
	APIKeyID      *int64    `bun:"api_key_id"`
	Kind          string    `bun:"kind"`
	Activity      string    `bun:"activity"`
	Latitude      float64   `bun:"latitude"`
	Longitude     float64   `bun:"longitude"`
	Timezone      string    `bun:"timezone"`
	At            time.Time `bun:"at"`
	Score         *int      `bun:"score"`
	CreatedAt     time.Time `bun:"created_at"`
}

// logQueries records scored requests (the seed's TimingQuery) for usage statistics.
func (m *Module) logQueries(c echo.Context, kind string, qs []loggedQuery) error {
	cl := caller(c)
	now := m.d.Clock.Now()
	rows := make([]timingQuery, len(qs))
	for i, q := range qs {
		r := timingQuery{Kind: kind, Activity: q.Activity, Latitude: q.Place.Lat, Longitude: q.Place.Lng, Timezone: q.Place.Zone.String(), At: q.At.UTC(), CreatedAt: now}
		if cl.UserID != 0 {
			uid := cl.UserID
			r.UserID = &uid
		}
		if cl.Key != nil {
			kid := cl.Key.ID
			r.APIKeyID = &kid
		}
		if q.Score >= 0 {
			s := q.Score
			r.Score = &s
		}
		rows[i] = r
	}
	if _, err := m.d.DB.NewInsert().Model(&rows).Exec(c.Request().Context()); err != nil {
		return fmt.Errorf("astrotiming: log %s queries: %w", kind, err)
	}
	return nil
}

// userTier is the best tier among a user's live keys, "free" without one.
func (m *Module) userTier(ctx context.Context, userID int64) (string, error) {
	var tiers []string
	err := m.d.DB.NewRaw("SELECT DISTINCT tier FROM api_keys WHERE user_id = ? AND revoked_at IS NULL", userID).Scan(ctx, &tiers)
	if err != nil {
		return "", fmt.Errorf("astrotiming: tier of user %d: %w", userID, err)
	}
	best := "free"
	for _, t := range tiers {
		if tierRank(t) > tierRank(best) {
			best = t
		}
	}
	return best, nil
}

// Briefing is a row of briefings: the day's summary made 30 minutes before a user's sunrise.
type Briefing struct {
	bun.BaseModel `bun:"table:briefings"`
	UserID        int64           `bun:"user_id,pk" json:"-"`
	Date          time.Time       `bun:"date,pk,type:date" json:"-"`
	Body          json.RawMessage `bun:"body,type:jsonb" json:"briefing"`
	CreatedAt     time.Time       `bun:"created_at" json:"created_at"`
}

func (m *Module) getBriefing(c echo.Context) error {
	b := new(Briefing)
	err := m.d.DB.NewSelect().Model(b).Where("user_id = ?", caller(c).UserID).Order("date DESC").Limit(1).Scan(c.Request().Context())
	if err != nil {
		return notFoundOr(database.NoRows(err), "briefing yet: it is made 30 minutes before sunrise at your home location")
	}
	return c.JSON(http.StatusOK, b)
}
