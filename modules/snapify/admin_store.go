package snapify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Queries of the admin API, which reads and changes stores and products across tenants (the
// callers hold snapify:admin).

// allStores lists stores by id; filter is "unverified", "suspended" or "" and q matches slug
// or name.
func allStores(ctx context.Context, db bun.IDB, filter, q string, limit, offset int) ([]Store, error) {
	var out []Store
	sel := db.NewSelect().Model(&out).Order("id").Limit(limit).Offset(offset)
	switch filter {
	case "unverified":
		sel = sel.Where("NOT verified")
	case "suspended":
		sel = sel.Where("suspended_at IS NOT NULL")
	}
	if q = strings.TrimSpace(q); q != "" {
		sel = sel.Where("(slug ILIKE ? OR name ILIKE ?)", "%"+escapeLike(q)+"%", "%"+escapeLike(q)+"%")
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: admin stores: %w", err)
	}
	return out, nil
}

// lockStoreDomain locks store id's row and returns its custom domain; a missing store is
// database.ErrNotFound.
func lockStoreDomain(ctx context.Context, tx bun.IDB, id int64) (*string, error) {
	var domain *string
	if err := tx.NewRaw("SELECT custom_domain FROM stores WHERE id = ? FOR UPDATE", id).Scan(ctx, &domain); err != nil {
		return nil, fmt.Errorf("snapify: admin store %d: %w", id, database.NoRows(err))
	}
	return domain, nil
}

// updateStoreColumns applies set to store id and reads the row back.
func updateStoreColumns(ctx context.Context, tx bun.IDB, id int64, now time.Time, set func(q *bun.UpdateQuery) *bun.UpdateQuery) (*Store, error) {
	s := new(Store)
	q := set(tx.NewUpdate().Model(s).Set("updated_at = ?", now).Where("id = ?", id).Returning("*"))
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: admin update store %d: %w", id, database.NoRows(err))
	}
	return s, nil
}

// productStoreID is the store a product belongs to, or database.ErrNotFound.
func productStoreID(ctx context.Context, db bun.IDB, productID int64) (int64, error) {
	var storeID int64
	if err := db.NewRaw("SELECT store_id FROM products WHERE id = ?", productID).Scan(ctx, &storeID); err != nil {
		return 0, database.NoRows(err)
	}
	return storeID, nil
}

// moderateProduct sets a product's status and moderation note.
func moderateProduct(ctx context.Context, tx bun.IDB, t storeScope, id int64, status, note string, now time.Time) (*Product, error) {
	p := new(Product)
	if err := tx.NewUpdate().Model(p).Set("status = ?", status).Set("moderation_note = ?", note).
		Set("updated_at = ?", now).Where("store_id = ?", t.ID()).Where("id = ?", id).Returning("*").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: moderate product %d: %w", id, err)
	}
	return p, nil
}

// platformMetrics counts the admin dashboard's headline numbers as of now.
func platformMetrics(ctx context.Context, db bun.IDB, now time.Time) (*PlatformMetrics, error) {
	var out PlatformMetrics
	err := db.NewRaw(`SELECT
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
		return nil, fmt.Errorf("snapify: platform metrics: %w", err)
	}
	return &out, nil
}
