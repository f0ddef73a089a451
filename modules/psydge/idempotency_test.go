package psydge

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/stretchr/testify/require"
)

// countingBroker counts the orders that reach the broker and runs after() once each succeeded.
type countingBroker struct {
	broker.Broker
	placed *atomic.Int64
	after  func()
}

func (b countingBroker) PlaceMarket(ctx context.Context, o broker.MarketOrder) (broker.TradeResult, error) {
	res, err := b.Broker.PlaceMarket(ctx, o)
	if err == nil {
		b.placed.Add(1)
		if b.after != nil {
			b.after()
		}
	}
	return res, err
}

func (h *harness) countOrders(after func()) *atomic.Int64 {
	var n atomic.Int64
	h.m.brokers.wrap = func(b broker.Broker) broker.Broker { return countingBroker{Broker: b, placed: &n, after: after} }
	return &n
}

// The broker fills the order but the trade record cannot be updated after it: the answer is a
// 202 that is kept, and a retry with the same key replays it instead of ordering again.
func TestRetryAfterRecordFailureDoesNotOrderTwice(t *testing.T) {
	h := start(t)
	token, userID := h.signUp("idem-db@example.com")
	h.connectPaper(token)
	placed := h.countOrders(nil)
	ctx := context.Background()
	_, err := h.m.d.DB.NewRaw(`CREATE FUNCTION refuse_trade_update() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'the disk is full'; END $$`).Exec(ctx)
	require.NoError(t, err)
	_, err = h.m.d.DB.NewRaw(`CREATE TRIGGER refuse_trade_update BEFORE UPDATE ON trades FOR EACH ROW WHEN (NEW.status <> 'pending')
		EXECUTE FUNCTION refuse_trade_update()`).Exec(ctx)
	require.NoError(t, err)

	tk := h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY"))
	st, body, _ := h.do("POST", "/api/v1/trades", token, tk, "Idempotency-Key", "db-1")
	require.Equal(t, 202, st, body)
	require.Equal(t, StatusPending, decode[Trade](t, body).Status)
	require.Equal(t, int64(1), placed.Load())

	st2, body2, hdr := h.do("POST", "/api/v1/trades", token, tk, "Idempotency-Key", "db-1")
	require.Equal(t, 202, st2, body2)
	require.Equal(t, "true", hdr.Get("Idempotent-Replayed"))
	require.JSONEq(t, body, body2)
	require.Equal(t, int64(1), placed.Load(), "the retry did not reach the broker")

	// The reservation is still held: the order may be live until sync settles it.
	_, body, _ = h.do("GET", "/api/v1/gates", token, "")
	require.Equal(t, 1, decode[GateStatus](t, body).OpenTrades)
	_ = userID
}

// The client goes away right after the broker filled its order: the placement still finishes
// and stores its answer, and the retry replays it.
func TestRetryAfterClientDisconnectDoesNotOrderTwice(t *testing.T) {
	h := start(t)
	token, userID := h.signUp("idem-gone@example.com")
	connID := h.connectPaper(token)
	reqCtx, hangUp := context.WithCancel(context.Background())
	placed := h.countOrders(hangUp)

	tk := h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY"))
	req := httptest.NewRequest("POST", "http://"+host+"/api/v1/trades", strings.NewReader(tk)).WithContext(reqCtx)
	req.Host = host
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", "gone-1")
	h.env.Handler.ServeHTTP(httptest.NewRecorder(), req)
	require.Equal(t, int64(1), placed.Load())

	st, body, hdr := h.do("POST", "/api/v1/trades", token, tk, "Idempotency-Key", "gone-1")
	require.Equal(t, 201, st, body)
	require.Equal(t, "true", hdr.Get("Idempotent-Replayed"))
	tr := decode[Trade](t, body)
	require.Equal(t, StatusOpen, tr.Status, "the record was completed although the client left")
	require.Equal(t, int64(1), placed.Load(), "the retry did not reach the broker")
	ps, err := h.m.brokers.paper[connID].Positions(context.Background())
	require.NoError(t, err)
	require.Len(t, ps, 1)
	got, err := tradeOf(context.Background(), h.m.d.DB, userID, tr.ID)
	require.NoError(t, err)
	require.Equal(t, StatusOpen, got.Status)
}

// Keys expire 24 hours after their answer; keys a crash left in flight are settled from
// their trade row, or freed when none was written.
func TestIdempotencyKeysExpireAndStaleKeysAreSettled(t *testing.T) {
	h := start(t)
	token, userID := h.signUp("idem-job@example.com")
	h.connectPaper(token)
	placed := h.countOrders(nil)
	ctx := context.Background()
	db := h.m.d.DB

	tk := h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY"))
	st, body, _ := h.do("POST", "/api/v1/trades", token, tk, "Idempotency-Key", "done")
	require.Equal(t, 201, st, body)
	tr := decode[Trade](t, body)

	// A crash after the trade row was written (trade_id set, no answer) and one before it.
	now := h.env.Clock.Now()
	_, err := db.NewRaw(`INSERT INTO idempotency_keys (user_id, key, request_hash, created_at, trade_id) VALUES
		(?, 'crashed-after', '\x00', ?, ?), (?, 'crashed-before', '\x00', ?, NULL), (?, 'young', '\x00', ?, NULL)`,
		userID, now, tr.ID, userID, now, userID, now.Add(4*time.Minute)).Exec(ctx)
	require.NoError(t, err)
	st, body, _ = h.do("POST", "/api/v1/trades", token, tk, "Idempotency-Key", "crashed-after")
	require.Equal(t, 422, st, body) // another body's hash: the key is taken either way

	h.env.Clock.Advance(6 * time.Minute)
	got, err := h.m.reconcileIdempotency(ctx)
	require.NoError(t, err)
	require.Equal(t, IdemReconciled{Expired: 0, Freed: 1, Settled: 1}, got)
	var status int
	var resp json.RawMessage
	require.NoError(t, db.NewRaw("SELECT status, response FROM idempotency_keys WHERE user_id = ? AND key = 'crashed-after'", userID).Scan(ctx, &status, &resp))
	require.Equal(t, 201, status)
	require.Equal(t, tr.ID, decode[Trade](t, string(resp)).ID)
	n, err := db.NewSelect().Table("idempotency_keys").Where("user_id = ?", userID).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, n, "done, crashed-after and the young key remain")

	// 24 hours after its answer the key is deleted, and may name a new request.
	h.env.Clock.Advance(idemTTL)
	got, err = h.m.reconcileIdempotency(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(2), got.Expired)
	require.Equal(t, int64(1), got.Freed, "the young key, stale now")
	n, err = db.NewSelect().Table("idempotency_keys").Where("user_id = ?", userID).Count(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, int64(1), placed.Load())
}

// An expired answer not yet deleted by the job no longer binds the key.
func TestExpiredIdempotencyKeyIsClaimedAfresh(t *testing.T) {
	h := start(t)
	token, _ := h.signUp("idem-exp@example.com")
	h.connectPaper(token)
	tk := h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY"))
	st, body, _ := h.do("POST", "/api/v1/trades", token, tk, "Idempotency-Key", "old")
	require.Equal(t, 201, st, body)
	h.env.Clock.Advance(idemTTL + time.Minute)
	st, body, hdr := h.do("POST", "/api/v1/trades", token, h.ticket("0.20", ""), "Idempotency-Key", "old")
	require.NotEqual(t, 422, st, body)
	require.Empty(t, hdr.Get("Idempotent-Replayed"))
}
