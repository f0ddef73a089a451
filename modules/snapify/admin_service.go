package snapify

import (
	"context"
	"errors"
	"strings"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// The admin use cases: verify, suspend, set plans, moderate products, count. Callers hold
// snapify:admin (adminPolicy), so stores are reached by id through platformStore.

const permAdmin auth.Permission = "snapify:admin"

// adminPolicy: only users.role = 'admin' reach the admin API.
var adminPolicy = auth.Policy{"admin": {permAdmin}}

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

// AdminStores is one page (1-based, 100 a page) of all stores; filter is "unverified",
// "suspended" or anything else for all, q matches slug or name.
func (m *Module) AdminStores(ctx context.Context, filter, q string, page int) ([]Store, error) {
	out, err := allStores(ctx, m.d.DB, filter, q, 100, (page-1)*100)
	if out == nil && err == nil {
		out = []Store{}
	}
	return out, err
}

// changeStore updates store id with set and drops its cached pages in the same transaction; a
// domain it had is looked up again by the dispatcher. A missing store is ErrNoStore.
func (m *Module) changeStore(ctx context.Context, id int64, set func(q *bun.UpdateQuery) *bun.UpdateQuery) (*Store, error) {
	var s *Store
	var oldDomain *string
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if oldDomain, err = lockStoreDomain(ctx, tx, id); err != nil {
			return err
		}
		if s, err = updateStoreColumns(ctx, tx, id, m.d.Clock.Now(), set); err != nil {
			return err
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoStore
	}
	if err != nil {
		return nil, err
	}
	if oldDomain != nil {
		_ = m.forgetDomain(ctx, *oldDomain)
	}
	return s, nil
}

// SetVerified sets or clears a store's verified badge.
func (m *Module) SetVerified(ctx context.Context, id int64, verified bool) (*Store, error) {
	return m.changeStore(ctx, id, func(q *bun.UpdateQuery) *bun.UpdateQuery { return q.Set("verified = ?", verified) })
}

// Suspend takes a store off the air; the seller is shown reason. Its domain claim is released,
// not just hidden: the domain stops being served and certified at once, and its owner can
// point it elsewhere.
func (m *Module) Suspend(ctx context.Context, id int64, reason string) (*Store, error) {
	return m.changeStore(ctx, id, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("suspended_at = ?", m.d.Clock.Now()).Set("suspended_reason = ?", strings.TrimSpace(reason)).
			Set("custom_domain = NULL, domain_token = '', domain_claimed_at = NULL, domain_verified_at = NULL")
	})
}

// Unsuspend lifts a suspension.
func (m *Module) Unsuspend(ctx context.Context, id int64) (*Store, error) {
	return m.changeStore(ctx, id, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("suspended_at = NULL").Set("suspended_reason = ''")
	})
}

// AdminSetPlan grants or removes Pro. Until billing exists this is the only way to Pro.
func (m *Module) AdminSetPlan(ctx context.Context, id int64, plan string) (*Store, error) {
	s, err := platformStore(ctx, m.d.DB, id)
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoStore
	}
	if err != nil {
		return nil, err
	}
	if err := m.setPlan(ctx, s, plan); err != nil {
		return nil, err
	}
	return s, nil
}

// Moderate blocks a product (gone from pages and search; the seller cannot re-activate it) or
// restores it (status "active"). A missing product is ErrNoListedProduct.
func (m *Module) Moderate(ctx context.Context, productID int64, status, note string) (*Product, error) {
	storeID, err := productStoreID(ctx, m.d.DB, productID)
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoListedProduct
	}
	if err != nil {
		return nil, err
	}
	s, err := platformStore(ctx, m.d.DB, storeID)
	if err != nil {
		return nil, err
	}
	var p *Product
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if p, err = moderateProduct(ctx, tx, s.Scope(), productID, status, strings.TrimSpace(note), m.d.Clock.Now()); err != nil {
			return err
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Metrics are the platform's headline numbers as of now.
func (m *Module) Metrics(ctx context.Context) (*PlatformMetrics, error) {
	return platformMetrics(ctx, m.d.DB, m.d.Clock.Now())
}
