package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func TestModulesCannotReachEachOthersKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	psydge := testkit.Keyspace(t, "psydge")
	snapify := testkit.Keyspace(t, "snapify")
	require.Equal(t, 2, psydge.DB())
	require.Equal(t, 3, snapify.DB())

	require.NoError(t, psydge.Set(ctx, "gate:1", "locked", time.Minute))
	require.NoError(t, snapify.Set(ctx, "gate:1", "open", time.Minute))
	v, err := psydge.Get(ctx, "gate:1")
	require.NoError(t, err)
	require.Equal(t, "locked", v)

	// Snapify asking for Psydge's full key name still lands inside snapify's own namespace
	// and database.
	_, err = snapify.Get(ctx, psydge.Key("gate", "1"))
	require.ErrorIs(t, err, cache.Nil)
	n, err := snapify.Del(ctx, psydge.Key("gate", "1"))
	require.NoError(t, err)
	require.Zero(t, n)
	v, err = psydge.Get(ctx, "gate:1")
	require.NoError(t, err)
	require.Equal(t, "locked", v, "snapify's delete did not touch psydge's key")

	keys, err := psydge.Keys(ctx, "*")
	require.NoError(t, err)
	require.Equal(t, []string{"gate:1"}, keys, "listing shows only this keyspace")
}

func TestKeyspaceRefusesIGNY8Databases(t *testing.T) {
	t.Parallel()
	for _, db := range []int{0, 1} {
		_, err := cache.Open(testkit.RedisURL(), db, "psydge:", 1)
		require.ErrorContains(t, err, "IGNY8")
	}
	_, err := cache.Open(testkit.RedisURL(), 2, "psydge", 1)
	require.ErrorContains(t, err, "colon")
}

func TestPubSubIsPrefixed(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	kv := testkit.Keyspace(t, "psydge")
	sub := kv.Subscribe(ctx, "prices")
	defer sub.Close()
	require.NoError(t, sub.Ready(ctx))
	require.NoError(t, kv.Publish(ctx, "prices", "EURUSD 1.08"))
	msg, err := sub.Receive(ctx)
	require.NoError(t, err)
	require.Equal(t, "prices", msg.Channel)
	require.Equal(t, "EURUSD 1.08", msg.Payload)
}

func TestRateLimiterGCRA(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	kv := testkit.Keyspace(t, "asms")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	limit := cache.Limit{Burst: 3, Period: time.Minute}
	for i := range 3 {
		res, err := kv.Allow(ctx, "ip:1", limit, now)
		require.NoError(t, err)
		require.True(t, res.Allowed, "request %d within the burst", i+1)
		require.Equal(t, 2-i, res.Remaining)
	}
	res, err := kv.Allow(ctx, "ip:1", limit, now)
	require.NoError(t, err)
	require.False(t, res.Allowed)
	require.Equal(t, 20*time.Second, res.RetryAfter, "one slot frees every 20 s at 3 per minute")

	res, err = kv.Allow(ctx, "ip:2", limit, now)
	require.NoError(t, err)
	require.True(t, res.Allowed, "subjects are independent")

	res, err = kv.Allow(ctx, "ip:1", limit, now.Add(20*time.Second))
	require.NoError(t, err)
	require.True(t, res.Allowed, "after the emission interval one more passes")
	res, err = kv.Allow(ctx, "ip:1", limit, now.Add(20*time.Second))
	require.NoError(t, err)
	require.False(t, res.Allowed)

	_, err = kv.Allow(ctx, "x", cache.Limit{}, now)
	require.Error(t, err)
}

// A Redis URL that does not parse never puts its password in the error, whichever part of
// the URL is wrong.
func TestOpenKeepsThePasswordOutOfURLErrors(t *testing.T) {
	t.Parallel()
	for _, url := range []string{
		"redis://default:s3cret-pw@127.0.0.1:bad",      // url.Parse fails and quotes the URL
		"redis://default:s3cret/pw@127.0.0.1:6379",     // an unescaped / cuts the password
		"redis://default:s3cret-pw@127.0.0.1:6379/1/2", // go-redis: invalid URL path
		"redis://default:s3cret-pw@127.0.0.1:6379/abc", // go-redis quotes the database
		"http://default:s3cret-pw@127.0.0.1:6379",      // wrong scheme
	} {
		_, err := cache.Open(url, 2, "psydge:", 1)
		require.Error(t, err, url)
		require.Contains(t, err.Error(), "redis url", url)
		require.NotContains(t, err.Error(), "s3cret", url)
	}
}
