package observer

import (
	"github.com/alorig/alorig/shared/auth"
	"github.com/labstack/echo/v4"
)

// Web is the route table: every route of the module is listed here and nowhere else.
func (m *Module) Web(e *echo.Echo) {
	e.GET("/", m.landing)
	// Observer is anonymous-first: POST /api/v1/auth/anonymous is how a visitor starts.
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, nil)
}
