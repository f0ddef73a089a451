package snapify

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

func productBySlug(ctx context.Context, db bun.IDB, t storeScope, slug string) (*Product, error) {
	p := new(Product)
	if err := tenant.Select(db.NewSelect().Model(p), t, "store_id").Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: product %q of store %d: %w", slug, t.ID(), database.NoRows(err))
	}
	return p, nil
}

func productByID(ctx context.Context, db bun.IDB, t storeScope, id int64) (*Product, error) {
	p := new(Product)
	if err := tenant.Select(db.NewSelect().Model(p), t, "store_id").Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: product %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return p, nil
}

// productQuery lists products of a store, newest first.
type productQuery struct {
	CategoryID *int64
	ActiveOnly bool
	ExcludeID  int64
	Limit      int
	Offset     int
}

func listProducts(ctx context.Context, db bun.IDB, t storeScope, q productQuery) ([]Product, int, error) {
	var out []Product
	sel := tenant.Select(db.NewSelect().Model(&out), t, "store_id").OrderExpr("created_at DESC, id DESC")
	if q.CategoryID != nil {
		sel = sel.Where("category_id = ?", *q.CategoryID)
	}
	if q.ActiveOnly {
		sel = sel.Where("status = 'active'")
	}
	if q.ExcludeID != 0 {
		sel = sel.Where("id <> ?", q.ExcludeID)
	}
	if q.Limit <= 0 {
		q.Limit = 24
	}
	sel = sel.Limit(q.Limit).Offset(q.Offset)
	n, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: products of store %d: %w", t.ID(), err)
	}
	return out, n, nil
}
