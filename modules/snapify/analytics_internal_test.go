package snapify

import (
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// TestPageViewsNeverWaitOnRedisForTheSalt points analytics at a Redis that accepts connections
// and never answers (the worst kind of slow): a hundred concurrent page views must still hash
// their visitor at once, and none may queue behind another's Redis call.
func TestPageViewsNeverWaitOnRedisForTheSalt(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	kv, err := cache.Open("redis://"+ln.Addr().String(), 3, "stalled:", 4)
	require.NoError(t, err)
	clk := clock.NewFake(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	a := newAnalytics(nil, kv, clk, slog.New(slog.DiscardHandler))

	start := time.Now()
	var wg sync.WaitGroup
	hashes := make([][]byte, 100)
	for i := range hashes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hashes[i] = a.visitorHash("203.0.113.9", "phone", clk.Now())
		}()
	}
	wg.Wait()
	require.Less(t, time.Since(start), 500*time.Millisecond, "page views waited on Redis for the day's salt")
	// One visitor is one hash within the process, even before Redis answers.
	for _, h := range hashes {
		require.Equal(t, hashes[0], h)
	}
	// The next day gets another salt, again without waiting.
	clk.Advance(24 * time.Hour)
	start = time.Now()
	next := a.visitorHash("203.0.113.9", "phone", clk.Now())
	require.Less(t, time.Since(start), 100*time.Millisecond)
	require.NotEqual(t, hashes[0], next)
}

// TestDaySaltIsSharedThroughRedis: with Redis answering, two processes settle on one salt.
func TestDaySaltIsSharedThroughRedis(t *testing.T) {
	t.Parallel()
	kv, err := cache.Open(testkit.RedisURL(), 3, "salt-"+time.Now().Format("150405.000000000")+":", 4)
	require.NoError(t, err)
	clk := clock.NewFake(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	a := newAnalytics(nil, kv, clk, slog.New(slog.DiscardHandler))
	b := newAnalytics(nil, kv, clk, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _, _ = kv.Del(t.Context(), "analytics:salt:2026-12-03") })
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		ha, hb := a.visitorHash("203.0.113.9", "phone", clk.Now()), b.visitorHash("203.0.113.9", "phone", clk.Now())
		if string(ha) == string(hb) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("two processes never agreed on the day's salt")
}
