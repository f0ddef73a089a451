package snapify

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

// storeByDomain finds the store a custom domain is active for (ActiveDomain): proven, Pro, live.
func storeByDomain(ctx context.Context, db bun.IDB, domain string) (*Store, error) {
	s := new(Store)
	if err := db.NewSelect().Model(s).Where("custom_domain = ?", domain).
		Where("domain_verified_at IS NOT NULL AND tier = 'pro' AND suspended_at IS NULL").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store at %q: %w", domain, database.NoRows(err))
	}
	return s, nil
}

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

func listCategories(ctx context.Context, db bun.IDB, t storeScope) ([]Category, error) {
	var out []Category
	if err := tenant.Select(db.NewSelect().Model(&out), t, "store_id").OrderExpr("position, name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: categories of store %d: %w", t.ID(), err)
	}
	return out, nil
}

func categoryBySlug(ctx context.Context, db bun.IDB, t storeScope, slug string) (*Category, error) {
	c := new(Category)
	if err := tenant.Select(db.NewSelect().Model(c), t, "store_id").Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: category %q of store %d: %w", slug, t.ID(), database.NoRows(err))
	}
	return c, nil
}

func categoryByID(ctx context.Context, db bun.IDB, t storeScope, id int64) (*Category, error) {
	c := new(Category)
	if err := tenant.Select(db.NewSelect().Model(c), t, "store_id").Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: category %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return c, nil
}

func orderByID(ctx context.Context, db bun.IDB, t storeScope, id int64) (*Order, error) {
	o := new(Order)
	if err := tenant.Select(db.NewSelect().Model(o), t, "store_id").Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: order %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return o, nil
}

func orderByNumber(ctx context.Context, db bun.IDB, t storeScope, number string) (*Order, error) {
	o := new(Order)
	if err := tenant.Select(db.NewSelect().Model(o), t, "store_id").Where("number = ?", number).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: order %s of store %d: %w", number, t.ID(), database.NoRows(err))
	}
	return o, nil
}

func listOrders(ctx context.Context, db bun.IDB, t storeScope, status string, limit, offset int) ([]Order, int, error) {
	var out []Order
	sel := tenant.Select(db.NewSelect().Model(&out), t, "store_id").OrderExpr("created_at DESC, id DESC").Limit(limit).Offset(offset)
	if status != "" {
		sel = sel.Where("status = ?", status)
	}
	n, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: orders of store %d: %w", t.ID(), err)
	}
	return out, n, nil
}

func cityPage(ctx context.Context, db bun.IDB, t storeScope, citySlug string) (*CityPageRow, error) {
	c := new(CityPageRow)
	if err := tenant.Select(db.NewSelect().Model(c), t, "store_id").Where("city_slug = ?", citySlug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: city page %q of store %d: %w", citySlug, t.ID(), database.NoRows(err))
	}
	return c, nil
}
