package snapify

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Handlers of the admin API, /api/v1/admin (snapify:admin only, routes.go), and of the admins'
// own sign-in, which answers on the admin host only.

// isAdminHost is Snapify's admin. host (admin.snapify.pk; admin.snapify.localhost in
// development), where the admin app and its sign-in live.
func (m *Module) isAdminHost(host string) bool {
	h := web.CanonicalHost(strings.ToLower(host))
	return strings.HasPrefix(h, "admin.") && m.isOwnHost(h)
}

// adminLogin signs a platform admin in with email and password. Sellers have no password (they
// sign in with a WhatsApp code), and an account without the admin role is refused like a
// wrong password, so the form admits admins only.
func (m *Module) adminLogin(c echo.Context) error {
	if !m.isAdminHost(c.Request().Host) {
		return web.NotFound("admins sign in on Snapify's admin host (admin.snapify.pk)").WithCode("ADMIN_HOST_ONLY")
	}
	var req auth.Login
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	email, why := auth.NormaliseEmail(req.Email)
	if why != "" {
		return web.Invalid(web.FieldError{Field: "email", Reason: why})
	}
	u, iss, err := m.AdminSignIn(c.Request().Context(), email, req.Password, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return auth.Problem(err)
	}
	m.d.Accounts.SetSessionCookies(c, iss)
	return c.JSON(http.StatusOK, auth.SignedIn{User: u, Issued: iss})
}

// actor is the signed-in admin as the audit names them.
func (m *Module) actor(c echo.Context) (adminActor, error) {
	u := auth.CurrentUser(c)
	phone, err := provenPhone(c.Request().Context(), m.d.DB, u.ID)
	if err != nil {
		return adminActor{}, err
	}
	return actorOf(u, phone), nil
}

func (m *Module) adminListStores(c echo.Context) error {
	var f storeFilter
	var bad []web.FieldError
	f.Q, f.City = c.QueryParam("q"), c.QueryParam("city")
	if len(f.Q) > 100 || len(f.City) > 100 {
		bad = append(bad, web.FieldError{Field: "q", Reason: "q and city are at most 100 characters"})
	}
	switch f.Status = c.QueryParam("status"); f.Status {
	case "", "live", "suspended":
	default:
		bad = append(bad, web.FieldError{Field: "status", Reason: `must be "live" or "suspended"`})
	}
	switch f.Plan = c.QueryParam("plan"); f.Plan {
	case "", "free", "pro":
	default:
		bad = append(bad, web.FieldError{Field: "plan", Reason: `must be "free" or "pro"`})
	}
	if v := c.QueryParam("verified"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad = append(bad, web.FieldError{Field: "verified", Reason: `must be "true" or "false"`})
		}
		f.Verified = &b
	}
	// filter is the list's first form (one of two views); status and verified say the same.
	switch c.QueryParam("filter") {
	case "":
	case "unverified":
		no := false
		f.Verified = &no
	case "suspended":
		f.Status = "suspended"
	default:
		bad = append(bad, web.FieldError{Field: "filter", Reason: `must be "unverified" or "suspended"`})
	}
	if len(bad) > 0 {
		return web.Invalid(bad...)
	}
	out, err := m.AdminStores(c.Request().Context(), f, pageParam(c))
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) adminGetStore(c echo.Context) error {
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	out, err := m.AdminStore(c.Request().Context(), id)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, out)
}

// reasonField checks an admin's reason: required ones are 3 to 500 characters, optional ones
// at most 500.
func reasonField(field, reason string, required bool) []web.FieldError {
	r := strings.TrimSpace(reason)
	if (required && len([]rune(r)) < 3) || len([]rune(r)) > 500 {
		why := "say why, in 3 to 500 characters (the seller is shown it)"
		if !required {
			why = "must be at most 500 characters"
		}
		return []web.FieldError{{Field: field, Reason: why}}
	}
	return nil
}

func (m *Module) adminVerify(c echo.Context) error {
	var req verifyStoreRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	a, err := m.actor(c)
	if err != nil {
		return err
	}
	return m.answerStore(c)(m.SetVerified(c.Request().Context(), a, id, *req.Verified, req.Reason))
}

func (m *Module) adminSuspend(c echo.Context) error {
	var req suspendRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	a, err := m.actor(c)
	if err != nil {
		return err
	}
	return m.answerStore(c)(m.Suspend(c.Request().Context(), a, id, req.Reason))
}

func (m *Module) adminUnsuspend(c echo.Context) error {
	// The body is optional: an empty POST lifts the suspension without a note.
	var req unsuspendRequest
	if c.Request().ContentLength != 0 {
		if err := web.BindJSON(c, &req); err != nil {
			return err
		}
	}
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	a, err := m.actor(c)
	if err != nil {
		return err
	}
	return m.answerStore(c)(m.Unsuspend(c.Request().Context(), a, id, req.Reason))
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
	a, err := m.actor(c)
	if err != nil {
		return err
	}
	return m.answerStore(c)(m.AdminSetPlan(c.Request().Context(), a, id, req.Plan, ""))
}

// answerStore answers a store an admin changed with its audit row, or the error.
func (m *Module) answerStore(c echo.Context) func(*storeAction, error) error {
	return func(out *storeAction, err error) error {
		if err != nil {
			return problem(err)
		}
		return c.JSON(http.StatusOK, out)
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
	a, err := m.actor(c)
	if err != nil {
		return err
	}
	out, err := m.Moderate(c.Request().Context(), a, id, req.Status, req.Note)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) adminQueue(c echo.Context) error {
	queue := c.QueryParam("queue")
	switch queue {
	case "":
		queue = "pending"
	case "pending", "blocked":
	default:
		return web.Invalid(web.FieldError{Field: "queue", Reason: `must be "pending" or "blocked"`})
	}
	out, err := m.ModerationQueue(c.Request().Context(), queue, pageParam(c))
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) adminAudit(c echo.Context) error {
	var f auditFilter
	switch f.Action = c.QueryParam("action"); f.Action {
	case "", auditSignIn, auditVerify, auditUnverify, auditSuspend, auditUnsuspend, auditSetPlan, auditApproveProduct, auditBlockProduct:
	default:
		return web.Invalid(web.FieldError{Field: "action", Reason: "must be one of sign_in, verify, unverify, suspend, unsuspend, set_plan, approve_product, block_product"})
	}
	if v := c.QueryParam("store_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return web.Invalid(web.FieldError{Field: "store_id", Reason: "must be a store's id"})
		}
		f.StoreID = n
	}
	out, err := m.AuditLog(c.Request().Context(), f, pageParam(c))
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) adminMetrics(c echo.Context) error {
	days := 30
	if v := c.QueryParam("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 90 {
			return web.Invalid(web.FieldError{Field: "days", Reason: "must be 1 to 90"})
		}
		days = n
	}
	out, err := m.Metrics(c.Request().Context(), days)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, out)
}
