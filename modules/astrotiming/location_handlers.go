package astrotiming

import (
	"net/http"
	"strings"

	"github.com/alorig/alorig/modules/astrotiming/engine"
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
	out, err := m.Locations(c.Request().Context(), caller(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"locations": out})
}

func (m *Module) createLocation(c echo.Context) error {
	var in LocationInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	l, err := m.CreateLocation(c.Request().Context(), caller(c).UserID, in)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusCreated, l)
}

func (m *Module) getLocation(c echo.Context) error {
	id, err := web.PathID(c, "location_id")
	if err != nil {
		return err
	}
	l, err := m.Location(c.Request().Context(), caller(c).UserID, id)
	if err != nil {
		return problem(err)
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
	l, err := m.ReplaceLocation(c.Request().Context(), caller(c).UserID, id, in)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, l)
}

func (m *Module) deleteLocation(c echo.Context) error {
	id, err := web.PathID(c, "location_id")
	if err != nil {
		return err
	}
	if err := m.DeleteLocation(c.Request().Context(), caller(c).UserID, id); err != nil {
		return problem(err)
	}
	return c.NoContent(http.StatusNoContent)
}
