package psydge

import (
	"net/http"
	"strings"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

func (m *Module) listViolations(c echo.Context) error {
	vs, err := m.Violations(c.Request().Context(), uid(c), limitParam(c, 100, 500))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, vs)
}

func (m *Module) listScores(c echo.Context) error {
	ss, err := m.Scores(c.Request().Context(), uid(c), limitParam(c, 30, 366))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ss)
}

// todayScore is the running score of the current trading day, computed from the record.
func (m *Module) todayScore(c echo.Context) error {
	row, err := m.scoreOf(c.Request().Context(), uid(c), m.d.Clock.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, row)
}

func (m *Module) listReflections(c echo.Context) error {
	rs, err := m.Reflections(c.Request().Context(), uid(c), limitParam(c, 30, 366))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rs)
}

// ReflectionRequest is the body of POST /api/v1/reflections.
type ReflectionRequest struct {
	SessionNotes string `json:"session_notes" doc:"1 to 20000 characters"`
}

func (r *ReflectionRequest) Validate() []web.FieldError {
	if n := len(strings.TrimSpace(r.SessionNotes)); n == 0 || n > 20_000 {
		return []web.FieldError{{Field: "session_notes", Reason: "between 1 and 20000 characters"}}
	}
	return nil
}

func (m *Module) createReflection(c echo.Context) error {
	var req ReflectionRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	r, err := m.Reflect(c.Request().Context(), uid(c), strings.TrimSpace(req.SessionNotes))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

func (m *Module) listPatterns(c echo.Context) error {
	ps, err := m.Patterns(c.Request().Context(), uid(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ps)
}
