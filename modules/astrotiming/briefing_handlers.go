package astrotiming

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (m *Module) getBriefing(c echo.Context) error {
	b, err := m.LatestBriefing(c.Request().Context(), caller(c).UserID)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, b)
}
