package asms

import (
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// landing is the module's public landing page.
func (m *Module) landing(c echo.Context) error {
	return web.Render(c, http.StatusOK, landing.Landing(landing.Page{
		Module: "asms", Title: "ASMS", Tagline: "School management for the 74-school pilot",
		Summary: "One system from Head Office to Branch to School: students and guardians, admissions, attendance, gradebook and report cards, discipline, courses and scheduling, and the LMS core.",
		Features: []string{
			"Head Office → Branch → School tenancy: each user sees only the schools their role reaches",
			"Ten roles, from HO Admin to Support Staff",
		},
	}))
}
