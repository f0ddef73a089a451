package snapify

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Tenant is a store's identity as store-owned queries take it. It can only be obtained from a
// loaded Store, so every product, category, order and analytics query names its store: a
// query without one does not compile.
type Tenant struct{ id int64 }

// Tenant returns the store as a query scope.
func (s *Store) Tenant() Tenant { return Tenant{id: s.ID} }

// ID is the store's id, for job arguments and logs.
func (t Tenant) ID() int64 { return t.id }

func storeBySlug(ctx context.Context, db bun.IDB, slug string) (*Store, error) {
	s := new(Store)
	if err := db.NewSelect().Model(s).Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store %q: %w", slug, database.NoRows(err))
	}
	return s, nil
}

func storeByID(ctx context.Context, db bun.IDB, id int64) (*Store, error) {
	s := new(Store)
	if err := db.NewSelect().Model(s).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store %d: %w", id, database.NoRows(err))
	}
	return s, nil
}

// storeByDomain finds the store a custom domain is active for (ActiveDomain): proven, Pro, live.
func storeByDomain(ctx context.Context, db bun.IDB, domain string) (*Store, error) {
	s := new(Store)
	if err := db.NewSelect().Model(s).Where("custom_domain = ?", domain).
		Where("domain_verified_at IS NOT NULL AND tier = 'pro' AND suspended_at IS NULL").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store at %q: %w", domain, database.NoRows(err))
	}
	return s, nil
}

// ownedStore is the seller API's only way to a store: another seller's store is not found,
// never forbidden, so store addresses cannot be probed.
func ownedStore(ctx context.Context, db bun.IDB, ownerID int64, slug string) (*Store, error) {
	s := new(Store)
	if err := db.NewSelect().Model(s).Where("slug = ?", slug).Where("owner_id = ?", ownerID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store %q of user %d: %w", slug, ownerID, database.NoRows(err))
	}
	return s, nil
}

func productBySlug(ctx context.Context, db bun.IDB, t Tenant, slug string) (*Product, error) {
	p := new(Product)
	if err := db.NewSelect().Model(p).Where("store_id = ?", t.id).Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: product %q of store %d: %w", slug, t.id, database.NoRows(err))
	}
	return p, nil
}

func productByID(ctx context.Context, db bun.IDB, t Tenant, id int64) (*Product, error) {
	p := new(Product)
	if err := db.NewSelect().Model(p).Where("store_id = ?", t.id).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: product %d of store %d: %w", id, t.id, database.NoRows(err))
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

func listProducts(ctx context.Context, db bun.IDB, t Tenant, q productQuery) ([]Product, int, error) {
	var out []Product
	sel := db.NewSelect().Model(&out).Where("store_id = ?", t.id).OrderExpr("created_at DESC, id DESC")
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
		return nil, 0, fmt.Errorf("snapify: products of store %d: %w", t.id, err)
	}
	return out, n, nil
}

func listCategories(ctx context.Context, db bun.IDB, t Tenant) ([]Category, error) {
	var out []Category
	if err := db.NewSelect().Model(&out).Where("store_id = ?", t.id).OrderExpr("position, name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: categories of store %d: %w", t.id, err)
	}
	return out, nil
}

func categoryBySlug(ctx context.Context, db bun.IDB, t Tenant, slug string) (*Category, error) {
	c := new(Category)
	if err := db.NewSelect().Model(c).Where("store_id = ?", t.id).Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: category %q of store %d: %w", slug, t.id, database.NoRows(err))
	}
	return c, nil
}

func categoryByID(ctx context.Context, db bun.IDB, t Tenant, id int64) (*Category, error) {
	c := new(Category)
	if err := db.NewSelect().Model(c).Where("store_id = ?", t.id).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: category %d of store %d: %w", id, t.id, database.NoRows(err))
	}
	return c, nil
}

func orderByID(ctx context.Context, db bun.IDB, t Tenant, id int64) (*Order, error) {
	o := new(Order)
	if err := db.NewSelect().Model(o).Where("store_id = ?", t.id).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: order %d of store %d: %w", id, t.id, database.NoRows(err))
	}
	return o, nil
}

func orderByNumber(ctx context.Context, db bun.IDB, t Tenant, number string) (*Order, error) {
	o := new(Order)
	if err := db.NewSelect().Model(o).Where("store_id = ?", t.id).Where("number = ?", number).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: order %s of store %d: %w", number, t.id, database.NoRows(err))
	}
	return o, nil
}

func listOrders(ctx context.Context, db bun.IDB, t Tenant, status string, limit, offset int) ([]Order, int, error) {
	var out []Order
	sel := db.NewSelect().Model(&out).Where("store_id = ?", t.id).OrderExpr("created_at DESC, id DESC").Limit(limit).Offset(offset)
	if status != "" {
		sel = sel.Where("status = ?", status)
	}
	n, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: orders of store %d: %w", t.id, err)
	}
	return out, n, nil
}

func cityPage(ctx context.Context, db bun.IDB, t Tenant, citySlug string) (*CityPageRow, error) {
	c := new(CityPageRow)
	if err := db.NewSelect().Model(c).Where("store_id = ?", t.id).Where("city_slug = ?", citySlug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: city page %q of store %d: %w", citySlug, t.id, database.NoRows(err))
	}
	return c, nil
}

// StoreBySlug loads a store by its address, suspended or not.
func (m *Module) StoreBySlug(ctx context.Context, slug string) (*Store, error) {
	return storeBySlug(ctx, m.d.DB, slug)
}
