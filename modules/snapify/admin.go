package snapify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"
)

const permAdmin auth.Permission = "snapify:admin"

// adminPolicy: only users.role = 'admin' reach the admin API.
var adminPolicy = auth.Policy{"admin": {permAdmin}}

func (m *Module) adminListStores(c echo.Context) error {
	var out []Store
	q := m.d.DB.NewSelect().Model(&out).Order("id").Limit(100).Offset((pageParam(c) - 1) * 100)
	switch c.QueryParam("filter") {
	case "unverified":
		q = q.Where("NOT verified")
	case "suspended":
		q = q.Where("suspended_at IS NOT NULL")
	}
	if s := strings.TrimSpace(c.QueryParam("q")); s != "" {
		q = q.Where("(slug ILIKE ? OR name ILIKE ?)", "%"+escapeLike(s)+"%", "%"+escapeLike(s)+"%")
	}
	if err := q.Scan(c.Request().Context()); err != nil {
		return fmt.Errorf("snapify: admin stores: %w", err)
	}
	if out == nil {
		out = []Store{}
	}
	return c.JSON(http.StatusOK, storeList{Stores: out})
}

// adminStoreChange updates one store and drops its cached pages in the same transaction.
func (m *Module) adminStoreChange(c echo.Context, set func(q *bun.UpdateQuery) *bun.UpdateQuery) error {
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var s *Store
	var oldDomain *string
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewRaw("SELECT custom_domain FROM stores WHERE id = ? FOR UPDATE", id).Scan(ctx, &oldDomain); err != nil {
			return fmt.Errorf("snapify: admin store %d: %w", id, database.NoRows(err))
		}
		s = new(Store)
		q := set(tx.NewUpdate().Model(s).Set("updated_at = ?", m.d.Clock.Now()).Where("id = ?", id).Returning("*"))
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("snapify: admin update store %d: %w", id, database.NoRows(err))
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if errors.Is(err, database.ErrNotFound) {
		return web.NotFound("no such store")
	}
	if err != nil {
		return err
	}
	if oldDomain != nil {
		_ = m.forgetDomain(ctx, *oldDomain)
	}
	return c.JSON(http.StatusOK, s)
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
	return m.adminStoreChange(c, func(q *bun.UpdateQuery) *bun.UpdateQuery { return q.Set("verified = ?", *req.Verified) })
}

func (m *Module) adminSuspend(c echo.Context) error {
	var req suspendRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if r := strings.TrimSpace(req.Reason); len(r) < 3 || len(r) > 500 {
		return web.Invalid(web.FieldError{Field: "reason", Reason: "say why, in 3 to 500 characters (the seller is shown it)"})
	}
	// A suspended store's domain claim is released, not just hidden: the domain stops being
	// served and certified at once, and its owner can point it elsewhere.
	return m.adminStoreChange(c, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("suspended_at = ?", m.d.Clock.Now()).Set("suspended_reason = ?", strings.TrimSpace(req.Reason)).
			Set("custom_domain = NULL, domain_token = '', domain_claimed_at = NULL, domain_verified_at = NULL")
	})
}

// adminPlan grants or removes Pro. Until billing exists this is the only way to Pro.
func (m *Module) adminPlan(c echo.Context) error {
	id, err := web.PathID(c, "store_id")
	if err != nil {
		return err
	}
	var req planRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	s, err := platformStore(ctx, m.d.DB, id)
	if errors.Is(err, database.ErrNotFound) {
		return web.NotFound("no such store")
	}
	if err != nil {
		return err
	}
	if err := m.setPlan(ctx, s, req.Plan); err != nil {
		return apiError(err, "store")
	}
	return c.JSON(http.StatusOK, s)
}

func (m *Module) adminUnsuspend(c echo.Context) error {
	return m.adminStoreChange(c, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("suspended_at = NULL").Set("suspended_reason = ''")
	})
}

// adminModerate blocks a product (gone from pages and search; the seller cannot re-activate it)
// or restores it.
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
	ctx := c.Request().Context()
	var storeID int64
	if err := m.d.DB.NewRaw("SELECT store_id FROM products WHERE id = ?", id).Scan(ctx, &storeID); err != nil {
		if errors.Is(database.NoRows(err), database.ErrNotFound) {
			return web.NotFound("no such product")
		}
		return err
	}
	s, err := platformStore(ctx, m.d.DB, storeID)
	if err != nil {
		return err
	}
	var p *Product
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p = new(Product)
		if err := tx.NewUpdate().Model(p).Set("status = ?", req.Status).Set("moderation_note = ?", strings.TrimSpace(req.Note)).
			Set("updated_at = ?", m.d.Clock.Now()).Where("store_id = ?", s.ID).Where("id = ?", id).Returning("*").Scan(ctx); err != nil {
			return fmt.Errorf("snapify: moderate product %d: %w", id, err)
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// PlatformMetrics are the admin dashboard's headline numbers.
type PlatformMetrics struct {
	Stores          int   `json:"stores"`
	ProStores       int   `json:"pro_stores"`
	VerifiedStores  int   `json:"verified_stores"`
	SuspendedStores int   `json:"suspended_stores"`
	Products        int   `json:"products"`
	BlockedProducts int   `json:"blocked_products"`
	Orders30d       int   `json:"orders_30d"`
	GMV30dPaisa     int64 `json:"gmv_30d_paisa"`
	Views7d         int   `json:"views_7d"`
}

func (m *Module) adminMetrics(c echo.Context) error {
	ctx := c.Request().Context()
	now := m.d.Clock.Now()
	var out PlatformMetrics
	err := m.d.DB.NewRaw(`SELECT
		(SELECT count(*) FROM stores), (SELECT count(*) FROM stores WHERE tier = 'pro'),
		(SELECT count(*) FROM stores WHERE verified), (SELECT count(*) FROM stores WHERE suspended_at IS NOT NULL),
		(SELECT count(*) FROM products), (SELECT count(*) FROM products WHERE status = 'blocked'),
		(SELECT count(*) FROM orders WHERE created_at >= ?),
		(SELECT coalesce(sum(total_paisa), 0) FROM orders WHERE created_at >= ? AND status NOT IN ('cancelled', 'returned')),
		(SELECT count(*) FROM analytics_events WHERE created_at >= ?)`,
		now.AddDate(0, 0, -30), now.AddDate(0, 0, -30), now.AddDate(0, 0, -7)).
		Scan(ctx, &out.Stores, &out.ProStores, &out.VerifiedStores, &out.SuspendedStores, &out.Products, &out.BlockedProducts,
			&out.Orders30d, &out.GMV30dPaisa, &out.Views7d)
	if err != nil {
		return fmt.Errorf("snapify: platform metrics: %w", err)
	}
	return c.JSON(http.StatusOK, out)
}
