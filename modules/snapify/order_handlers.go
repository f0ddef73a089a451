package snapify

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Handlers of a store's orders and analytics, as the seller sees them.

func (m *Module) apiListOrders(c echo.Context, s *Store) error {
	status := c.QueryParam("status")
	if status != "" {
		if _, ok := transitions[OrderStatus(status)]; !ok && status != string(StatusCancelled) && status != string(StatusReturned) {
			return web.Invalid(web.FieldError{Field: "status", Reason: "unknown order status"})
		}
	}
	page, err := m.Orders(c.Request().Context(), s, status, pageParam(c))
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, page)
}

func (m *Module) apiGetOrder(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "order_id")
	if err != nil {
		return err
	}
	o, err := m.Order(c.Request().Context(), s, id)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, orderAnswer{Order: o, Next: o.Status.Next()})
}

func (m *Module) apiOrderStatus(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "order_id")
	if err != nil {
		return err
	}
	var req orderStatusRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if len(req.TrackingNumber) > 60 {
		return web.Invalid(web.FieldError{Field: "tracking_number", Reason: "must be at most 60 characters"})
	}
	o, err := m.SetOrderStatus(c.Request().Context(), s.Scope(), id, OrderStatus(req.Status), strings.TrimSpace(req.TrackingNumber))
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, orderAnswer{Order: o, Next: o.Status.Next()})
}

func (m *Module) apiAnalytics(c echo.Context, s *Store) error {
	days, err := strconv.Atoi(c.QueryParam("days"))
	if c.QueryParam("days") == "" {
		days, err = 7, nil
	}
	if err != nil || days < 1 || days > 90 {
		return web.Invalid(web.FieldError{Field: "days", Reason: "must be 1 to 90"})
	}
	sum, err := m.Analytics(c.Request().Context(), s.Scope(), days)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, sum)
}
