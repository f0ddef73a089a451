package psydge

import (
	"context"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker/metaapi/metaapitest"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// BenchmarkCheckEndpoint is POST /api/v1/trades/check through the real dispatcher,
// middleware, Postgres and Redis, in process (no network): the server-side cost of one check.
func BenchmarkCheckEndpoint(b *testing.B) {
	h := start(b)
	token, _ := h.signUp("bench@example.com")
	h.connectPaper(token)
	body := h.ticket("0.10", "")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		st, resp, _ := h.do("POST", "/api/v1/trades/check", token, body)
		if st != 200 {
			b.Fatalf("status %d: %s", st, resp)
		}
	}
}

// BenchmarkSweep1000 syncs 1,000 connected MetaApi accounts against the fake MetaApi: one
// sweep per iteration, each account's account info and positions over HTTP, its positions
// into Redis, its live trades and gate state checked. Reports the sweep's wall time.
func BenchmarkSweep1000(b *testing.B) {
	fake := metaapitest.New("tok-s", "acc-s")
	defer fake.Close()
	h := start(b, testkit.WithEnv("ALORIG_PSYDGE_METAAPI_TOKEN", "tok-s"), testkit.WithEnv("ALORIG_PSYDGE_METAAPI_BASE", fake.Terminal.URL),
		testkit.WithEnv("ALORIG_PSYDGE_METAAPI_MARKET_DATA_BASE", fake.MarketData.URL))
	ctx := context.Background()
	db := h.m.d.DB
	var ids []int64
	err := db.NewRaw(`INSERT INTO users (email, created_at, updated_at) SELECT 'sync' || g || '@example.com', now(), now()
		FROM generate_series(1, 1000) g RETURNING id`).Scan(ctx, &ids)
	require.NoError(b, err)
	for _, id := range ids {
		sealed, err := h.m.d.Keyring.Seal([]byte(`{"account_id":"acc-s","token":"tok-s"}`), secret.AD("users", id, "broker_credentials"))
		require.NoError(b, err)
		_, err = db.NewRaw("UPDATE users SET broker_credentials = ? WHERE id = ?", sealed, id).Exec(ctx)
		require.NoError(b, err)
	}
	_, err = db.NewRaw(`INSERT INTO broker_connections (user_id, broker, connection_status, currency, created_at, updated_at)
		SELECT id, 'metaapi', 'connected', 'USD', now(), now() FROM users WHERE email LIKE 'sync%'`).Exec(ctx)
	require.NoError(b, err)
	st, err := h.m.Sweep(ctx, "metaapi") // first sweep rebuilds every gate state
	require.NoError(b, err)
	require.Equal(b, 1000, st.Accounts)
	require.Zero(b, st.Failed)
	b.ResetTimer()
	var total time.Duration
	for b.Loop() {
		st, err := h.m.Sweep(ctx, "metaapi")
		require.NoError(b, err)
		require.Zero(b, st.Failed)
		total += st.Took
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/sweep")
	b.ReportMetric(1000/(total.Seconds()/float64(b.N)), "accounts/s")
}
