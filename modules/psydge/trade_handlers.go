package psydge

import (
	"net/http"
	"strings"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// StopLossRequest is the body of PATCH /api/v1/trades/{id}.
type StopLossRequest struct {
	StopLoss exactNumber `json:"stop_loss" doc:"the new stop-loss price: towards the entry or beyond it into profit"`
}

func (r *StopLossRequest) Validate() []web.FieldError {
	if r.StopLoss == "" {
		return []web.FieldError{{Field: "stop_loss", Reason: "is required"}}
	}
	return nil
}

func (m *Module) checkTrade(c echo.Context) error {
	var req TicketRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	res, err := m.Check(c.Request().Context(), uid(c), &req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (m *Module) placeTrade(c echo.Context) error {
	var req TicketRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	key := strings.TrimSpace(c.Request().Header.Get("Idempotency-Key"))
	if len(key) > 200 {
		return web.Invalid(web.FieldError{Field: "Idempotency-Key", Reason: "at most 200 characters"})
	}
	ans, err := m.PlaceOnce(c.Request().Context(), uid(c), key, &req)
	if err != nil {
		return err
	}
	if ans.Replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	return c.JSONBlob(ans.Status, ans.Body)
}

func (m *Module) listTradesH(c echo.Context) error {
	ts, err := m.Trades(c.Request().Context(), uid(c), c.QueryParam("status"), limitParam(c, 100, 500))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ts)
}

func (m *Module) getTrade(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := m.Trade(c.Request().Context(), uid(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (m *Module) closeTrade(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := m.CloseTrade(c.Request().Context(), uid(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (m *Module) modifyTrade(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var req StopLossRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	t, err := m.ModifyStop(c.Request().Context(), uid(c), id, req.StopLoss)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}
