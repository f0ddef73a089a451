package cache_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/clock"
	"github.com/stretchr/testify/require"
)

func TestLocalExpiresOnTheInjectedClock(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	c := cache.NewLocal[string, int](10, time.Minute, clk.Now)
	c.Set("a", 1)
	v, ok := c.Get("a")
	require.True(t, ok)
	require.Equal(t, 1, v)
	clk.Advance(59 * time.Second)
	_, ok = c.Get("a")
	require.True(t, ok, "still live just before the ttl")
	clk.Advance(time.Second)
	_, ok = c.Get("a")
	require.False(t, ok, "gone at the ttl")
	require.Equal(t, 0, c.Len(), "an expired entry found by Get is reclaimed")

	c.Set("b", 2)
	clk.Advance(30 * time.Second)
	c.Set("b", 3) // a Set renews the ttl
	clk.Advance(45 * time.Second)
	v, ok = c.Get("b")
	require.True(t, ok)
	require.Equal(t, 3, v)
	c.Delete("b")
	_, ok = c.Get("b")
	require.False(t, ok)
}

func TestLocalEvictsTheLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	c := cache.NewLocal[string, int](3, time.Hour, clk.Now)
	c.Set("a", 1)
	c.Set("b", 2)
	c.Set("c", 3)
	_, _ = c.Get("a") // a is now the most recently used; b the least
	c.Set("d", 4)
	require.Equal(t, 3, c.Len())
	_, ok := c.Get("b")
	require.False(t, ok, "the least recently used entry made room")
	for _, k := range []string{"a", "c", "d"} {
		_, ok := c.Get(k)
		require.True(t, ok, k)
	}
}

func TestLocalNeverHoldsMoreThanItsCapacity(t *testing.T) {
	t.Parallel()
	c := cache.NewLocal[string, struct{}](1000, time.Minute, nil)
	for i := range 50_000 {
		c.Set(fmt.Sprintf("k%d", i), struct{}{})
		require.LessOrEqual(t, c.Len(), 1000)
	}
	_, ok := c.Get("k49999")
	require.True(t, ok, "the newest entry is kept")
	_, ok = c.Get("k0")
	require.False(t, ok)
	require.Equal(t, 1, cache.NewLocal[int, int](0, time.Minute, nil).Update(1, func(int, bool) int { return 1 }),
		"a capacity below one still holds one entry")
}

func TestLocalUpdateCountsInFixedWindowsAcrossGoroutines(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	c := cache.NewLocal[string, int](10, time.Minute, clk.Now)
	inc := func(n int, _ bool) int { return n + 1 }
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				c.Update("ip", inc)
			}
		}()
	}
	wg.Wait()
	v, _ := c.Get("ip")
	require.Equal(t, 4000, v, "no increment is lost")
	clk.Advance(40 * time.Second)
	require.Equal(t, 4001, c.Update("ip", inc))
	clk.Advance(20 * time.Second) // the window opened by the first Update has ended
	require.Equal(t, 1, c.Update("ip", inc), "updates do not extend a live entry's window")
}

func TestLocalDeleteFuncDropsOnlyTheMatchingKeys(t *testing.T) {
	t.Parallel()
	type key struct{ group, name string }
	c := cache.NewLocal[key, int](10, time.Minute, nil)
	c.Set(key{"a", "1"}, 1)
	c.Set(key{"a", "2"}, 2)
	c.Set(key{"b", "1"}, 3)
	c.DeleteFunc(func(k key) bool { return k.group == "a" })
	_, ok := c.Get(key{"a", "1"})
	require.False(t, ok)
	_, ok = c.Get(key{"a", "2"})
	require.False(t, ok)
	v, ok := c.Get(key{"b", "1"})
	require.True(t, ok)
	require.Equal(t, 3, v)
	require.Equal(t, 1, c.Len())
}
