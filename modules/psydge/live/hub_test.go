package live_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
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
		_ = h.Serve(w, r, 7, strings.Split(r.URL.Query().Get("symbols"), ","))
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
	// user, so frames published before the drop may still reach it first: skip those.
	again, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"?symbols=EURUSD", nil)
	require.NoError(t, err)
	defer again.CloseNow()
	again.SetReadLimit(1 << 20)
	rctx, rcancel := context.WithTimeout(ctx, 3*time.Second)
	defer rcancel()
	go func() { // until it is read: the registration may trail the handshake by a moment
		for rctx.Err() == nil {
			_ = live.PublishPrice(rctx, kv, "EURUSD", map[string]float64{"bid": 1.1})
			time.Sleep(20 * time.Millisecond)
		}
	}()
	for {
		_, msg, err := again.Read(rctx)
		require.NoError(t, err)
		if strings.Contains(string(msg), `"type":"price"`) {
			break
		}
		require.Contains(t, string(msg), `"type":"ai_message"`)
	}
}
