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

// storeFilter narrows the admin's store list; zero values mean any.
type storeFilter struct {
	Q        string // words of the slug or name
	Status   string // "live" or "suspended"
	Plan     string // "free" or "pro"
	City     string // the store's city, any case
	Verified *bool
}

// allStores is one page of stores, newest first, and how many match.
func allStores(ctx context.Context, db bun.IDB, f storeFilter, limit, offset int) ([]Store, int, error) {
	out := []Store{}
	sel := db.NewSelect().Model(&out).Order("id DESC").Limit(limit).Offset(offset)
	switch f.Status {
	case "live":
		sel = sel.Where("suspended_at IS NULL")
	case "suspended":
		sel = sel.Where("suspended_at IS NOT NULL")
	}
	if f.Plan != "" {
		sel = sel.Where("tier = ?", f.Plan)
	}
	if c := strings.TrimSpace(f.City); c != "" {
		sel = sel.Where("lower(trim(city)) = lower(?)", c)
	}
	if f.Verified != nil {
		sel = sel.Where("verified = ?", *f.Verified)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		sel = sel.Where("(slug ILIKE ? OR name ILIKE ?)", "%"+escapeLike(q)+"%", "%"+escapeLike(q)+"%")
	}
	total, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: admin stores: %w", err)
	}
	return out, total, nil
}

// lockStore reads store id and locks its row for the rest of the transaction; a missing store
// is database.ErrNotFound. It grants no tenant scope: the admin acts by id on any store.
func lockStore(ctx context.Context, tx bun.IDB, id int64) (*Store, error) {
	s := new(Store)
	if err := tx.NewSelect().Model(s).Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: admin lock store %d: %w", id, database.NoRows(err))
	}
	return s, nil
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

// moderationQueue is one page of products awaiting an admin, newest change first, and how many
// wait. queue "pending": products no admin has looked at since they last changed (an
// approve or block writes an audit row, and a seller's edit moves updated_at past it);
// "blocked": products moderation blocked.
func moderationQueue(ctx context.Context, db bun.IDB, queue string, limit, offset int) ([]Product, int, error) {
	out := []Product{}
	sel := db.NewSelect().Model(&out).Order("updated_at DESC", "id DESC").Limit(limit).Offset(offset)
	if queue == "blocked" {
		sel = sel.Where("status = 'blocked'")
	} else {
		sel = sel.Where("status <> 'blocked'").Where(`NOT EXISTS (SELECT 1 FROM admin_audit a
			WHERE a.target_type = 'product' AND a.target_id = product.id AND a.created_at >= product.updated_at)`)
	}
	total, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: moderation queue: %w", err)
	}
	return out, total, nil
}

// storesByID reads the stores with the given ids.
func storesByID(ctx context.Context, db bun.IDB, ids []int64) (map[int64]*Store, error) {
	out := map[int64]*Store{}
	if len(ids) == 0 {
		return out, nil
	}
	var list []Store
	if err := db.NewSelect().Model(&list).Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: stores by id: %w", err)
	}
	for i := range list {
		out[list[i].ID] = &list[i]
	}
	return out, nil
}

// lockAnyProduct reads product id (any store) and locks its row; a missing product is
// database.ErrNotFound.
func lockAnyProduct(ctx context.Context, tx bun.IDB, id int64) (*Product, error) {
	p := new(Product)
	if err := tx.NewSelect().Model(p).Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: admin lock product %d: %w", id, database.NoRows(err))
	}
	return p, nil
}

// storeOwner is the seller's account as the admin sees it.
type storeOwner struct {
	ID          int64   `bun:"id" json:"id"`
	DisplayName string  `bun:"display_name" json:"display_name"`
	Phone       *string `bun:"phone" json:"phone" doc:"the WhatsApp number the seller proved, E.164"`
	Role        string  `bun:"role" json:"role"`
}

func ownerOf(ctx context.Context, db bun.IDB, uid int64) (*storeOwner, error) {
	o := new(storeOwner)
	if err := db.NewRaw("SELECT id, display_name, phone, role FROM users WHERE id = ?", uid).Scan(ctx, o); err != nil {
		return nil, fmt.Errorf("snapify: owner %d: %w", uid, database.NoRows(err))
	}
	return o, nil
}

// storeSales counts a store's orders and GMV since a time (cancelled and returned orders are
// not sales).
func storeSales(ctx context.Context, db bun.IDB, storeID int64, since time.Time) (orders int, gmv int64, err error) {
	err = db.NewRaw(`SELECT count(*), coalesce(sum(total_paisa), 0) FROM orders
		WHERE store_id = ? AND created_at >= ? AND status NOT IN ('cancelled', 'returned')`, storeID, since).Scan(ctx, &orders, &gmv)
	if err != nil {
		return 0, 0, fmt.Errorf("snapify: sales of store %d: %w", storeID, err)
	}
	return orders, gmv, nil
}

// MetricsDay is one day (Pakistan time) of the platform: stores opened, orders placed and
// their GMV (orders later cancelled or returned excluded).
type MetricsDay struct {
	Date      string `bun:"day" json:"date" format:"date"`
	NewStores int    `bun:"new_stores" json:"new_stores"`
	Orders    int    `bun:"orders" json:"orders"`
	GMVPaisa  int64  `bun:"gmv_paisa" json:"gmv_paisa"`
}

// MetricsCity is one city's stores, active products, orders and GMV over the period; the
// city is the store's own.
type MetricsCity struct {
	City     string `bun:"city" json:"city"`
	Stores   int    `bun:"stores" json:"stores"`
	Products int    `bun:"products" json:"products"`
	Orders   int    `bun:"orders" json:"orders"`
	GMVPaisa int64  `bun:"gmv_paisa" json:"gmv_paisa"`
}

// metricsTZ is the day boundary of the series: Snapify's sellers and buyers are in Pakistan.
const metricsTZ = "Asia/Karachi"

// metricsByDay is every day of the last days (today included), zeros where nothing happened.
func metricsByDay(ctx context.Context, db bun.IDB, now time.Time, days int) ([]MetricsDay, error) {
	out := []MetricsDay{}
	err := db.NewRaw(`WITH `+pktDays+`
		SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
			(SELECT count(*) FROM stores s WHERE (s.created_at AT TIME ZONE ?)::date = d.day) AS new_stores,
			count(o.id) AS orders, coalesce(sum(o.total_paisa), 0) AS gmv_paisa
		FROM d LEFT JOIN orders o ON (o.created_at AT TIME ZONE ?)::date = d.day AND o.status NOT IN ('cancelled', 'returned')
		GROUP BY d.day ORDER BY d.day`,
		append(pktDaysArgs(now, days), metricsTZ, metricsTZ)...).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("snapify: metrics by day: %w", err)
	}
	return out, nil
}

// metricsByCity is the cities of stores, most GMV since since first, at most 20.
func metricsByCity(ctx context.Context, db bun.IDB, since time.Time) ([]MetricsCity, error) {
	out := []MetricsCity{}
	err := db.NewRaw(`SELECT coalesce(nullif(trim(s.city), ''), '—') AS city, count(*) AS stores,
			coalesce(sum(s.product_count), 0) AS products,
			coalesce(sum(o.n), 0) AS orders, coalesce(sum(o.gmv), 0) AS gmv_paisa
		FROM stores s LEFT JOIN LATERAL (SELECT count(*) AS n, sum(total_paisa) AS gmv FROM orders
			WHERE store_id = s.id AND created_at >= ? AND status NOT IN ('cancelled', 'returned')) o ON true
		GROUP BY 1 ORDER BY gmv_paisa DESC, stores DESC, city LIMIT 20`, since).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("snapify: metrics by city: %w", err)
	}
	return out, nil
}
