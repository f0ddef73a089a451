package astrotiming

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

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
