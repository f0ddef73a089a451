package cache_test

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

type account struct {
	User int64
	Name string
}

// matchUser: tag "u:<id>" covers that user's entries.
func matchUser(tag string, _ string, v account) bool {
	return tag == "u:"+strconv.FormatInt(v.User, 10)
}

func startNear(t *testing.T, kv *cache.Keyspace, cfg cache.NearConfig) *cache.Near[string, account] {
	t.Helper()
	if cfg.Channel == "" {
		cfg.Channel = "near:test"
	}
	cfg.Log = testkit.Logger(t)
	n := cache.NewNear(kv, cfg, matchUser)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = n.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	require.Eventually(t, func() bool {
		n.Put(n.Token(), "probe", account{}, 0)
		_, ok := n.Get("probe")
		return ok
	}, 5*time.Second, 5*time.Millisecond, "the cache never started serving")
	return n
}

func counted(calls *atomic.Int32, v account) func() (account, error) {
	return func() (account, error) { calls.Add(1); return v, nil }
}

// load is how callers use a Near: the token before the read, the read on a miss, then Put.
func load(n *cache.Near[string, account], key string, fetch func() (account, error)) (account, error) {
	tok := n.Token()
	if v, ok := n.Get(key); ok {
		return v, nil
	}
	v, err := fetch()
	if err != nil {
		return v, err
	}
	n.Put(tok, key, v, 0)
	return v, nil
}

func TestNearReadsThroughUntilItsChannelIsConfirmed(t *testing.T) {
	t.Parallel()
	n := cache.NewNear(testkit.Keyspace(t, "psydge"), cache.NearConfig{Channel: "near:test"}, matchUser)
	var calls atomic.Int32
	for range 3 {
		v, err := load(n, "tok", counted(&calls, account{User: 1, Name: "a"}))
		require.NoError(t, err)
		require.Equal(t, "a", v.Name)
	}
	require.EqualValues(t, 3, calls.Load(), "without Run every read goes to the source")
}

func TestNearCachesAndEveryProcessHearsInvalidations(t *testing.T) {
	t.Parallel()
	kv := testkit.Keyspace(t, "psydge")
	here := startNear(t, kv, cache.NearConfig{})
	there := startNear(t, kv, cache.NearConfig{}) // another process on the same keyspace
	var calls atomic.Int32
	load := func(n *cache.Near[string, account], key string, v account) account {
		got, err := load(n, key, counted(&calls, v))
		require.NoError(t, err)
		return got
	}
	require.Equal(t, "a", load(here, "tok1", account{User: 1, Name: "a"}).Name)
	require.Equal(t, "a", load(here, "tok1", account{User: 1, Name: "changed"}).Name, "the second read is served from memory")
	load(here, "tok2", account{User: 2, Name: "b"})
	require.Equal(t, "a", load(there, "tok1", account{User: 1, Name: "a"}).Name)
	require.EqualValues(t, 3, calls.Load())

	require.NoError(t, there.Invalidate(context.Background(), "u:1"))
	_, ok := there.Get("tok1")
	require.False(t, ok, "the invalidating process drops its entry before Invalidate returns")
	require.Eventually(t, func() bool { _, ok := here.Get("tok1"); return !ok }, 5*time.Second, 5*time.Millisecond,
		"the other process drops it when the message arrives")
	_, ok = here.Get("tok2")
	require.True(t, ok, "another user's entry stays")

	require.NoError(t, here.Invalidate(context.Background(), cache.AllTags))
	_, ok = here.Get("tok2")
	require.False(t, ok)
}

func TestNearDoesNotStoreAReadThatRacedAnInvalidation(t *testing.T) {
	t.Parallel()
	n := startNear(t, testkit.Keyspace(t, "psydge"), cache.NearConfig{})
	tok := n.Token() // the read begins
	require.NoError(t, n.Invalidate(context.Background(), "u:9"))
	n.Put(tok, "tok", account{User: 9, Name: "old"}, 0) // the read ends with what it saw before
	_, ok := n.Get("tok")
	require.False(t, ok)
}

func TestNearEntriesExpire(t *testing.T) {
	t.Parallel()
	n := startNear(t, testkit.Keyspace(t, "psydge"), cache.NearConfig{TTL: time.Minute})
	n.Put(n.Token(), "short", account{User: 1}, 30*time.Millisecond)
	_, ok := n.Get("short")
	require.True(t, ok)
	require.Eventually(t, func() bool { _, ok := n.Get("short"); return !ok }, 2*time.Second, 5*time.Millisecond)
}

func TestNearBoundsItsSize(t *testing.T) {
	t.Parallel()
	n := startNear(t, testkit.Keyspace(t, "psydge"), cache.NearConfig{MaxEntries: 10})
	for i := range 50 {
		n.Put(n.Token(), strconv.Itoa(i), account{User: int64(i)}, 0)
	}
	entries, _, _ := n.Stats()
	require.LessOrEqual(t, entries, 10)
}

func TestNearStopsServingWhenItsChannelGoesQuiet(t *testing.T) {
	t.Parallel()
	n := startNear(t, testkit.Keyspace(t, "psydge"), cache.NearConfig{Heartbeat: 50 * time.Millisecond})
	n.Put(n.Token(), "tok", account{User: 1}, 0)
	_, ok := n.Get("tok")
	require.True(t, ok)
	n.Silence()
	_, ok = n.Get("tok")
	require.False(t, ok, "a channel that has been quiet past the heartbeats may have lost messages")
	// It re-subscribes and serves again, with nothing left from before.
	require.Eventually(t, func() bool {
		n.Put(n.Token(), "fresh", account{User: 2}, 0)
		_, ok := n.Get("fresh")
		return ok
	}, 5*time.Second, 10*time.Millisecond)
	_, ok = n.Get("tok")
	require.False(t, ok)
}

func TestNearFetchErrorsAreNotCached(t *testing.T) {
	t.Parallel()
	n := startNear(t, testkit.Keyspace(t, "psydge"), cache.NearConfig{})
	boom := errors.New("database down")
	_, err := load(n, "tok", func() (account, error) { return account{}, boom })
	require.ErrorIs(t, err, boom)
	_, ok := n.Get("tok")
	require.False(t, ok)
}
