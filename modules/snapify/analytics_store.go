package snapify

import (
	"context"
	"fmt"
	"math"
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
	ByDay        []AnalyticsDay   `json:"by_day" doc:"oldest first, one entry a day (Asia/Karachi), today last; the totals above are their sums"`
}

// AnalyticsDay is one day (Pakistan time) of a store: page views, visitors, orders placed
// (cancelled and returned ones excluded) and their value, and orders per visitor.
type AnalyticsDay struct {
	Date         string    `bun:"day" json:"date" format:"date"`
	Views        int       `bun:"views" json:"views"`
	Visitors     int       `bun:"visitors" json:"visitors" doc:"distinct visitors that day"`
	Orders       int       `bun:"orders" json:"orders"`
	RevenuePaisa int64     `bun:"revenue_paisa" json:"revenue_paisa"`
	Conversion   float64   `bun:"-" json:"conversion" doc:"orders per visitor that day (0.05 is 5 %), 0 without visitors"`
	Since        time.Time `bun:"since" json:"-"`
}

// pktDays is a WITH clause naming d(day, since, until): the last ? days in Pakistan time,
// today (the day of ? there) included, each with the instants it begins and ends. Its
// arguments are pktDaysArgs. The seller's analytics and the admin's metrics count by it.
const pktDays = `d AS (SELECT g.day, g.day::timestamp AT TIME ZONE '` + metricsTZ + `' AS since,
		(g.day + 1)::timestamp AT TIME ZONE '` + metricsTZ + `' AS until
	FROM (SELECT generate_series((?::timestamptz AT TIME ZONE '` + metricsTZ + `')::date - (?::int - 1),
		(?::timestamptz AT TIME ZONE '` + metricsTZ + `')::date, '1 day')::date AS day) g)`

func pktDaysArgs(now time.Time, days int) []any { return []any{now, days, now} }

// analyticsByDay is every day of the last days of a store (today included), zeros where
// nothing happened. A visitor's hash changes at midnight UTC (five in the morning in
// Pakistan), so a buyer browsing across it is two visitors that day.
func analyticsByDay(ctx context.Context, db bun.IDB, t storeScope, now time.Time, days int) ([]AnalyticsDay, error) {
	out := []AnalyticsDay{}
	args := append(pktDaysArgs(now, days), t.ID(), t.ID())
	err := db.NewRaw(`WITH `+pktDays+`
		SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.since, v.views, v.visitors, o.orders, o.revenue_paisa
		FROM d
		CROSS JOIN LATERAL (SELECT count(*) AS views, count(DISTINCT visitor_hash) AS visitors FROM analytics_events
			WHERE store_id = ? AND created_at >= d.since AND created_at < d.until) v
		CROSS JOIN LATERAL (SELECT count(*) AS orders, coalesce(sum(total_paisa), 0) AS revenue_paisa FROM orders
			WHERE store_id = ? AND created_at >= d.since AND created_at < d.until AND status NOT IN ('cancelled', 'returned')) o
		ORDER BY d.day`, args...).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("snapify: analytics by day of store %d: %w", t.ID(), err)
	}
	for i := range out {
		if out[i].Visitors > 0 {
			out[i].Conversion = math.Round(float64(out[i].Orders)/float64(out[i].Visitors)*10000) / 10000
		}
	}
	return out, nil
}

type analyticsCount struct {
	Name  string `bun:"name" json:"name"`
	Count int    `bun:"n" json:"count"`
}

// storeAnalytics reads a store's traffic and sales over the last days days in Pakistan time
// (today included): the series by day, the totals as its sums (visitors are counted per day, as
// the hash salt changes daily), and the top lists over the same days.
func storeAnalytics(ctx context.Context, db bun.IDB, t storeScope, days int, now time.Time) (*AnalyticsSummary, error) {
	byDay, err := analyticsByDay(ctx, db, t, now, days)
	if err != nil {
		return nil, err
	}
	out := &AnalyticsSummary{Days: days, TopProducts: []analyticsCount{}, Referrers: []analyticsCount{}, Cities: []analyticsCount{}, ByDay: byDay}
	since := now
	if len(byDay) > 0 {
		since = byDay[0].Since
	}
	for _, d := range byDay {
		out.Views += d.Views
		out.Visitors += d.Visitors
		out.Orders += d.Orders
		out.RevenuePaisa += d.RevenuePaisa
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
