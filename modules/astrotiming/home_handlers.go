package astrotiming

import (
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

func (m *Module) putHome(c echo.Context) error {
	var in LocationInput
	in.Name = "home"
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	h, err := m.SetHome(c.Request().Context(), caller(c).UserID, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}

func (m *Module) getHome(c echo.Context) error {
	h, err := m.Home(c.Request().Context(), caller(c).UserID)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, h)
}
