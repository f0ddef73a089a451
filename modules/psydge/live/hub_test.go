package live_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/psydge/live"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"
)

func startHub(t *testing.T, cfg live.Config) (*live.Hub, *httptest.Server, *cache.Keyspace) {
	t.Helper()
	cfg.KV = testkit.Keyspace(t, "psydge")
	cfg.Log = testkit.Logger(t)
	h := live.New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go h.Run(ctx)
	<-h.Ready()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = h.Serve(w, r, live.Identity{User: 7}, strings.Split(r.URL.Query().Get("symbols"), ","))
	}))
	t.Cleanup(srv.Close)
	return h, srv, cfg.KV
}

func TestSlowClientIsDroppedNotTheServer(t *testing.T) {
	t.Parallel()
	h, srv, kv := startHub(t, live.Config{SendBuffer: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	slow, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	require.NoError(t, err)
	defer slow.CloseNow()
	fast, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	require.NoError(t, err)
	defer fast.CloseNow()
	require.Eventually(t, func() bool { n, _, _ := h.Stats(); return n == 2 }, 5*time.Second, 10*time.Millisecond)

	// The slow client never reads; big frames fill its socket, then its queue.
	big := strings.Repeat("x", 256<<10)
	go func() {
		for {
			if _, _, err := fast.Read(ctx); err != nil {
				return
			}
		}
	}()
	for i := 0; i < 200; i++ {
		require.NoError(t, live.PublishUser(ctx, kv, 7, "ai_message", big))
		if _, _, dropped := h.Stats(); dropped > 0 {
			break
		}
	}
	require.Eventually(t, func() bool { _, _, d := h.Stats(); return d >= 1 }, 5*time.Second, 10*time.Millisecond)
	// The server keeps serving: a new client connects and gets a price. It belongs to the same
	// user, so frames published before the drop may still reach it first: skip those. On a
	// loaded machine that backlog of 256 KiB frames can outrun the new client too, which is then
	// dropped by the same rule; the server is still serving, so the test connects again.
	rctx, rcancel := context.WithTimeout(ctx, 5*time.Second)
	defer rcancel()
	go func() { // until it is read: the registration may trail the handshake by a moment
		for rctx.Err() == nil {
			_ = live.PublishPrice(rctx, kv, "EURUSD", map[string]float64{"bid": 1.1})
			time.Sleep(20 * time.Millisecond)
		}
	}()
	for gotPrice := false; !gotPrice; {
		again, _, err := websocket.Dial(rctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"?symbols=EURUSD", nil)
		require.NoError(t, err, "the server accepts a new connection after dropping a slow one")
		again.SetReadLimit(1 << 20)
		for {
			_, msg, err := again.Read(rctx)
			if err != nil {
				require.NoError(t, rctx.Err(), "no price reached a new connection in time")
				break // dropped while the backlog drained: connect again
			}
			if strings.Contains(string(msg), `"type":"price"`) {
				gotPrice = true
				break
			}
			require.Contains(t, string(msg), `"type":"ai_message"`)
		}
		again.CloseNow()
	}
}

func dial(ctx context.Context, t *testing.T, srv *httptest.Server) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// Subscribe frames past the bucket get an error frame; a client that keeps on is closed.
func TestSubscribeFramesAreThrottled(t *testing.T) {
	t.Parallel()
	var snapshots atomic.Int64
	_, srv, _ := startHub(t, live.Config{FrameBurst: 2, FrameRate: 0.001, FrameStrikes: 3,
		Snapshot: func(context.Context, int64, []string) [][]byte { snapshots.Add(1); return nil }})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := dial(ctx, t, srv)
	sub := []byte(`{"type":"subscribe","symbols":["EURUSD"]}`)
	for range 3 {
		require.NoError(t, c.Write(ctx, websocket.MessageText, sub))
	}
	_, msg, err := c.Read(ctx)
	require.NoError(t, err)
	require.Contains(t, string(msg), `"RATE_LIMITED"`)
	require.Equal(t, int64(3), snapshots.Load(), "the connect and two subscribes read a snapshot; the third did not")
	for range 2 {
		_ = c.Write(ctx, websocket.MessageText, sub)
	}
	for {
		if _, _, err = c.Read(ctx); err != nil {
			break
		}
	}
	require.Equal(t, websocket.StatusPolicyViolation, websocket.CloseStatus(err), err)
}

// A connection whose session ended is closed by the periodic check even when no
// revocation message was heard; connections without a session are never checked.
func TestEndedSessionIsClosedByTheCheck(t *testing.T) {
	t.Parallel()
	var dead atomic.Bool
	h := live.New(live.Config{KV: testkit.Keyspace(t, "psydge"), Log: testkit.Logger(t), SessionCheck: 50 * time.Millisecond,
		SessionsValid: func(_ context.Context, ids []int64) (map[int64]bool, error) {
			return map[int64]bool{42: !dead.Load()}, nil
		}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go h.Run(ctx)
	<-h.Ready()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := live.Identity{User: 7}
		if r.URL.Query().Get("session") != "" {
			id.Session = 42
		}
		_ = h.Serve(w, r, id, nil)
	}))
	t.Cleanup(srv.Close)
	withSession, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"?session=1", nil)
	require.NoError(t, err)
	defer withSession.CloseNow()
	without := dial(ctx, t, srv)
	time.Sleep(150 * time.Millisecond) // several checks while the session lives
	dead.Store(true)
	rctx, rcancel := context.WithTimeout(ctx, 3*time.Second)
	defer rcancel()
	_, _, err = withSession.Read(rctx)
	require.Equal(t, websocket.StatusPolicyViolation, websocket.CloseStatus(err), err)
	n, _, _ := h.Stats()
	require.Eventually(t, func() bool { n, _, _ = h.Stats(); return n == 1 }, 3*time.Second, 10*time.Millisecond)
	_ = without
}
