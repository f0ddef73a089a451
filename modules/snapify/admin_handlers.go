package snapify

import (
	"net/http"
	"strings"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Handlers of the admin API, /api/v1/admin (snapify:admin only, routes.go).

func (m *Module) adminListStores(c echo.Context) error {
	out, err := m.AdminStores(c.Request().Context(), c.QueryParam("filter"), c.QueryParam("q"), pageParam(c))
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, storeList{Stores: out})
}

func (m *Module) adminVerify(c echo.Context) error {
	var req verifyStoreRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	// Required: a POST to ".../verify" with an empty object must not silently remove the badge.
	if req.Verified == nil {
		return web.Invalid(web.FieldError{Field: "verified", Reason: "is required: true sets the badge, false clears it"})
	}
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	return m.answerStore(c)(m.SetVerified(c.Request().Context(), id, *req.Verified))
}

func (m *Module) adminSuspend(c echo.Context) error {
	var req suspendRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if r := strings.TrimSpace(req.Reason); len(r) < 3 || len(r) > 500 {
		return web.Invalid(web.FieldError{Field: "reason", Reason: "say why, in 3 to 500 characters (the seller is shown it)"})
	}
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	return m.answerStore(c)(m.Suspend(c.Request().Context(), id, req.Reason))
}

func (m *Module) adminUnsuspend(c echo.Context) error {
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	return m.answerStore(c)(m.Unsuspend(c.Request().Context(), id))
}

func (m *Module) adminPlan(c echo.Context) error {
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	var req planRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	return m.answerStore(c)(m.AdminSetPlan(c.Request().Context(), id, req.Plan))
}

// answerStore answers a store an admin changed, or the error.
func (m *Module) answerStore(c echo.Context) func(*Store, error) error {
	return func(s *Store, err error) error {
		if err != nil {
			return problem(err)
		}
		return c.JSON(http.StatusOK, s)
	}
}

func (m *Module) adminModerate(c echo.Context) error {
	id, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	var req moderateRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if req.Status != "blocked" && req.Status != "active" {
		return web.Invalid(web.FieldError{Field: "status", Reason: `must be "blocked" or "active"`})
	}
	p, err := m.Moderate(c.Request().Context(), id, req.Status, req.Note)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, p)
}

func (m *Module) adminMetrics(c echo.Context) error {
	out, err := m.Metrics(c.Request().Context())
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, out)
}
