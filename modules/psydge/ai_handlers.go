package psydge

import (
	"net/http"
	"strconv"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

type aiListParams struct {
	Limit    int    `query:"limit" doc:"how many, at most 100 (default 20)"`
	BeforeID int64  `query:"before_id" doc:"the page after: next_before of the previous page"`
	Role     string `query:"role" enum:"trade_supervisor,pre_entry_validator,behavioral_predictor,session_debrief,weekly_report" doc:"only this role"`
}

func (m *Module) getAISettings(c echo.Context) error {
	v, err := m.AISettingsOf(c.Request().Context(), uid(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (m *Module) putAISettings(c echo.Context) error {
	var req AISettingsRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	v, err := m.SetAISettings(c.Request().Context(), uid(c), &req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (m *Module) listAIInteractions(c echo.Context) error {
	var before int64
	if s := c.QueryParam("before_id"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return problemField("before_id", "must be a positive whole number (next_before of the previous page)")
		}
		before = n
	}
	role := c.QueryParam("role")
	if _, ok := roleColumns[role]; role != "" && role != "weekly_report" && !ok {
		return problemField("role", "must be trade_supervisor, pre_entry_validator, behavioral_predictor, session_debrief or weekly_report")
	}
	page, err := m.AIInteractions(c.Request().Context(), uid(c), before, role, limitParam(c, 20, 100))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}
