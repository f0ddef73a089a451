package psydge

import (
	"net/http"
	"strconv"
	"time"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

func uid(c echo.Context) int64 { return auth.CurrentUser(c).ID }

// limitParam reads ?limit=, def when absent or not positive, at most most.
func limitParam(c echo.Context, def, most int) int {
	n, err := strconv.Atoi(c.QueryParam("limit"))
	if err != nil || n <= 0 {
		return def
	}
	return min(n, most)
}

// ProfileRequest is the body of PATCH /api/v1/profile.
type ProfileRequest struct {
	Timezone string `json:"timezone" doc:"an IANA time zone such as Asia/Karachi"`
}

func (r *ProfileRequest) Validate() []web.FieldError {
	if _, err := time.LoadLocation(r.Timezone); err != nil || r.Timezone == "" {
		return []web.FieldError{{Field: "timezone", Reason: "must be an IANA time zone such as Asia/Karachi"}}
	}
	return nil
}

func (m *Module) getProfile(c echo.Context) error {
	p, err := m.Profile(c.Request().Context(), uid(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (m *Module) patchProfile(c echo.Context) error {
	var req ProfileRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	p, err := m.SetTimezone(c.Request().Context(), uid(c), req.Timezone)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}
