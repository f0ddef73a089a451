package astrotiming

import (
	"fmt"
	"net/http"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

func (m *Module) putHome(c echo.Context) error {
	var in LocationInput
	in.Name = "home"
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	_, err := m.d.DB.NewRaw("UPDATE users SET latitude = ?, longitude = ?, timezone = ?, updated_at = ? WHERE id = ?",
		in.place.Lat, in.place.Lng, in.place.Zone.String(), m.d.Clock.Now(), caller(c).UserID).Exec(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: set home of user %d: %w", caller(c).UserID, err)
	}
	return c.JSON(http.StatusOK, Home{Lat: in.place.Lat, Lng: in.place.Lng, TZ: in.place.Zone.String()})
}

func (m *Module) getHome(c echo.Context) error {
	h, err := m.homeOf(c.Request().Context(), caller(c).UserID)
	if err != nil {
		return notFoundOr(err, "home location: set one with PUT /api/v1/home")
	}
	return c.JSON(http.StatusOK, h)
}

func (m *Module) getBriefing(c echo.Context) error {
	b := new(Briefing)
	err := m.d.DB.NewSelect().Model(b).Where("user_id = ?", caller(c).UserID).Order("date DESC").Limit(1).Scan(c.Request().Context())
	if err != nil {
		return notFoundOr(database.NoRows(err), "briefing yet: it is made 30 minutes before sunrise at your home location")
	}
	return c.JSON(http.StatusOK, b)
}
