package snapify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAnalyticsByDayInPakistanTime: the seller's analytics count views, visitors and orders
// by day as Pakistan keeps days (UTC+5), every day of the window present, the totals equal to
// the days' sums, and another seller's store out of reach.
func TestAnalyticsByDayInPakistanTime(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	ctx := context.Background()
	db := env.Mounted("snapify").DB
	// The clock is testkit.Epoch, 10:00 UTC on 11 March 2026: 15:00 in Pakistan.
	require.Equal(t, time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC), env.Clock.Now().UTC())

	// Two orders placed now on the buyer's page; one is moved to late on 10 March, Pakistan time.
	for range 2 {
		res, body := env.Do("GET", host, "/ali-fabrics/order?product=chikankari-lawn-kurti-off-white&qty=1&opt_size=L", nil, "")
		require.Equal(t, 200, res.StatusCode, body)
		post := url.Values{"product": {"chikankari-lawn-kurti-off-white"}, "qty": {"1"}, "opt_size": {"L"},
			"idempotency_key": {between(body, `name="idempotency_key" value="`, `"`)},
			"name":            {"Ayesha Khan"}, "phone": {"0300-7654321"}, "address": {"House 12, Street 4, Model Town"}, "city": {"Lahore"}}
		res, body = env.Do("POST", host, "/ali-fabrics/order", form(post), post.Encode())
		require.Equal(t, 200, res.StatusCode, body)
	}
	var total int64
	require.NoError(t, db.NewRaw(`UPDATE orders SET created_at = '2026-03-10 18:00:00+00' WHERE id = (SELECT min(id) FROM orders)
		RETURNING total_paisa`).Scan(ctx, &total))

	view := func(store, at, visitor string) {
		t.Helper()
		_, err := db.NewRaw(`INSERT INTO analytics_events (store_id, page, path, visitor_hash, created_at)
			SELECT id, 'store', '/', ?, ? FROM stores WHERE slug = ?`, []byte(visitor), at, store).Exec(ctx)
		require.NoError(t, err)
	}
	view("ali-fabrics", "2026-03-10 19:30:00+00", "a") // 00:30 on 11 March in Pakistan: today
	view("ali-fabrics", "2026-03-11 09:00:00+00", "a") // the same visitor again today
	view("ali-fabrics", "2026-03-11 09:30:00+00", "b")
	view("ali-fabrics", "2026-03-10 18:30:00+00", "c") // 23:30 on 10 March in Pakistan
	view("ali-fabrics", "2026-03-04 19:00:00+00", "d") // midnight starting 5 March: the window's first instant
	view("ali-fabrics", "2026-03-04 18:59:59+00", "e") // a second earlier: outside the window
	view("karachi-gadgets", "2026-03-11 09:00:00+00", "f")

	tok := signIn(t, env, "+923001234567")
	res, body := env.Do("GET", host, "/api/v1/stores/ali-fabrics/analytics?days=7", bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	type day struct {
		Date         string  `json:"date"`
		Views        int     `json:"views"`
		Visitors     int     `json:"visitors"`
		Orders       int     `json:"orders"`
		RevenuePaisa int64   `json:"revenue_paisa"`
		Conversion   float64 `json:"conversion"`
	}
	var got struct {
		Days, Views, Visitors, Orders int
		RevenuePaisa                  int64 `json:"revenue_paisa"`
		ByDay                         []day `json:"by_day"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &got), body)
	require.Equal(t, []day{
		{Date: "2026-03-05", Views: 1, Visitors: 1},
		{Date: "2026-03-06"}, {Date: "2026-03-07"}, {Date: "2026-03-08"}, {Date: "2026-03-09"},
		{Date: "2026-03-10", Views: 1, Visitors: 1, Orders: 1, RevenuePaisa: total, Conversion: 1},
		{Date: "2026-03-11", Views: 3, Visitors: 2, Orders: 1, RevenuePaisa: total, Conversion: 0.5},
	}, got.ByDay)
	require.Equal(t, 7, got.Days)
	require.Equal(t, 5, got.Views)
	require.Equal(t, 4, got.Visitors)
	require.Equal(t, 2, got.Orders)
	require.Equal(t, 2*total, got.RevenuePaisa)

	// A cancelled order is no sale, on its day or in the totals.
	_, err := db.NewRaw(`UPDATE orders SET status = 'cancelled' WHERE id = (SELECT max(id) FROM orders)`).Exec(ctx)
	require.NoError(t, err)
	res, body = env.Do("GET", host, "/api/v1/stores/ali-fabrics/analytics?days=1", bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	got.ByDay = nil
	require.NoError(t, json.Unmarshal([]byte(body), &got), body)
	require.Equal(t, []day{{Date: "2026-03-11", Views: 3, Visitors: 2}}, got.ByDay)
	require.Equal(t, 0, got.Orders)

	// The window is bounded, and the series is the store's own: another seller sees no such store.
	res, body = env.Do("GET", host, "/api/v1/stores/ali-fabrics/analytics?days=91", bearer(tok), "")
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, body)
	require.Contains(t, body, `"field":"days"`)
	other := signIn(t, env, "+923211112222")
	res, body = env.Do("GET", host, "/api/v1/stores/ali-fabrics/analytics?days=7", bearer(other), "")
	require.Equal(t, http.StatusNotFound, res.StatusCode, body)
	res, body = env.Do("GET", host, "/api/v1/stores/karachi-gadgets/analytics?days=7", bearer(other), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `"views":1,`)
}
