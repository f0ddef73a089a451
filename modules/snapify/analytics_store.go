package snapify

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// AnalyticsSummary is a store's traffic and sales over a period.
type AnalyticsSummary struct {
	Days         int              `json:"days"`
	Views        int              `json:"views"`
	Visitors     int              `json:"visitors"`
	Orders       int              `json:"orders"`
	RevenuePaisa int64            `json:"revenue_paisa"`
	TopProducts  []analyticsCount `json:"top_products"`
	Referrers    []analyticsCount `json:"referrers"`
	Cities       []analyticsCount `json:"cities"`
}

type analyticsCount struct {
	Name  string `bun:"name" json:"name"`
	Count int    `bun:"n" json:"count"`
}

// storeAnalytics reads a store's traffic and sales since a time. Visitors are counted per day (the
// hash salt changes daily), then summed.
func storeAnalytics(ctx context.Context, db bun.IDB, t storeScope, days int, since time.Time) (*AnalyticsSummary, error) {
	out := &AnalyticsSummary{Days: days, TopProducts: []analyticsCount{}, Referrers: []analyticsCount{}, Cities: []analyticsCount{}}
	err := db.NewRaw(`SELECT coalesce(sum(v), 0) FROM (
		SELECT count(DISTINCT visitor_hash) AS v FROM analytics_events WHERE store_id = ? AND created_at >= ?
		GROUP BY date_trunc('day', created_at)) d`, t.ID(), since).Scan(ctx, &out.Visitors)
	if err != nil {
		return nil, fmt.Errorf("snapify: visitors of store %d: %w", t.ID(), err)
	}
	if err := db.NewRaw("SELECT count(*) FROM analytics_events WHERE store_id = ? AND created_at >= ?", t.ID(), since).Scan(ctx, &out.Views); err != nil {
		return nil, fmt.Errorf("snapify: views of store %d: %w", t.ID(), err)
	}
	if err := db.NewRaw(`SELECT count(*), coalesce(sum(total_paisa), 0) FROM orders WHERE store_id = ? AND created_at >= ? AND status NOT IN ('cancelled', 'returned')`,
		t.ID(), since).Scan(ctx, &out.Orders, &out.RevenuePaisa); err != nil {
		return nil, fmt.Errorf("snapify: orders of store %d: %w", t.ID(), err)
	}
	for _, q := range []struct {
		dst *[]analyticsCount
		sql string
	}{
		{&out.TopProducts, `SELECT p.title AS name, count(*) AS n FROM analytics_events a JOIN products p ON p.id = a.product_id AND p.store_id = a.store_id
			WHERE a.store_id = ? AND a.created_at >= ? GROUP BY p.title ORDER BY n DESC, name LIMIT 10`},
		{&out.Referrers, `SELECT referrer AS name, count(*) AS n FROM analytics_events WHERE store_id = ? AND created_at >= ? AND referrer <> ''
			GROUP BY referrer ORDER BY n DESC, name LIMIT 10`},
		{&out.Cities, `SELECT city AS name, count(*) AS n FROM analytics_events WHERE store_id = ? AND created_at >= ? AND city <> ''
			GROUP BY city ORDER BY n DESC, name LIMIT 10`},
	} {
		if err := db.NewRaw(q.sql, t.ID(), since).Scan(ctx, q.dst); err != nil {
			return nil, fmt.Errorf("snapify: analytics of store %d: %w", t.ID(), err)
		}
	}
	return out, nil
}
