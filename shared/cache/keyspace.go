// Package cache gives each module a Redis client bound to its own logical database, reached
// only through a Keyspace that prefixes every key and channel. The raw client is never handed
// out, so no module can write an unprefixed key or touch another module's keys.
package cache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/redis/go-redis/v9"
)

// Nil is returned by reads of a missing key.
var Nil = redis.Nil

// go-redis logs its own dial retries to stderr; callers already report a Redis that does not
// answer as one clear error, so its internal log goes to slog at debug level.
func init() { redis.SetLogger(debugLogger{}) }

type debugLogger struct{}

func (debugLogger) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// Keyspace is a module's view of Redis.
type Keyspace struct {
	client *redis.Client
	prefix string
}

// Open connects a keyspace to db on the server at redisURL with the given prefix ("psydge:").
func Open(redisURL string, db int, prefix string, poolSize int) (*Keyspace, error) {
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		// The URL carries the password. url.Parse's error quotes the whole URL, and a password
		// with an unescaped "/" or "@" is cut at it, so the error cannot be redacted reliably:
		// say what is wrong without it. go-redis's own errors quote parts of the URL: mask it.
		if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
			return nil, errors.New("redis url: not a valid URL: want redis://[user:password@]host:port[/db], with special characters of the password %-escaped")
		}
		return nil, fmt.Errorf("redis url %s: %w", config.RedactURL(redisURL), config.RedactError(err, redisURL))
	}
	if db == 0 || db == 1 {
		return nil, errors.New("redis DBs 0 and 1 belong to IGNY8")
	}
	if !strings.HasSuffix(prefix, ":") || len(prefix) < 2 {
		return nil, fmt.Errorf("redis prefix %q must end with a colon", prefix)
	}
	opts.DB = db
	if poolSize > 0 {
		opts.PoolSize = poolSize
	}
	opts.DialTimeout = 2 * time.Second
	opts.ReadTimeout = 2 * time.Second
	opts.WriteTimeout = 2 * time.Second
	return &Keyspace{client: redis.NewClient(opts), prefix: prefix}, nil
}

// Prefix is the keyspace's prefix.
func (k *Keyspace) Prefix() string { return k.prefix }

// DB is the logical database number.
func (k *Keyspace) DB() int { return k.client.Options().DB }

// Key joins parts under the prefix: Key("gate", "42") is "psydge:gate:42".
func (k *Keyspace) Key(parts ...string) string { return k.prefix + strings.Join(parts, ":") }

func (k *Keyspace) full(key string) string {
	if strings.HasPrefix(key, k.prefix) {
		return key
	}
	return k.prefix + key
}

func (k *Keyspace) fullAll(keys []string) []string {
	out := make([]string, len(keys))
	for i, key := range keys {
		out[i] = k.full(key)
	}
	return out
}

// Ping checks that Redis answers.
func (k *Keyspace) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return k.client.Ping(ctx).Err()
}

// Close releases the connections.
func (k *Keyspace) Close() error { return k.client.Close() }

func (k *Keyspace) Get(ctx context.Context, key string) (string, error) {
	return k.client.Get(ctx, k.full(key)).Result()
}

func (k *Keyspace) GetBytes(ctx context.Context, key string) ([]byte, error) {
	return k.client.Get(ctx, k.full(key)).Bytes()
}

func (k *Keyspace) Set(ctx context.Context, key string, value any, ttl time.Duration) error {
	return k.client.Set(ctx, k.full(key), value, ttl).Err()
}

func (k *Keyspace) SetNX(ctx context.Context, key string, value any, ttl time.Duration) (bool, error) {
	return k.client.SetNX(ctx, k.full(key), value, ttl).Result()
}

func (k *Keyspace) Del(ctx context.Context, keys ...string) (int64, error) {
	return k.client.Del(ctx, k.fullAll(keys)...).Result()
}

func (k *Keyspace) Exists(ctx context.Context, keys ...string) (int64, error) {
	return k.client.Exists(ctx, k.fullAll(keys)...).Result()
}

func (k *Keyspace) Expire(ctx context.Context, key string, ttl time.Duration) error {
	return k.client.Expire(ctx, k.full(key), ttl).Err()
}

func (k *Keyspace) ExpireAt(ctx context.Context, key string, at time.Time) error {
	return k.client.ExpireAt(ctx, k.full(key), at).Err()
}

func (k *Keyspace) TTL(ctx context.Context, key string) (time.Duration, error) {
	return k.client.PTTL(ctx, k.full(key)).Result()
}

func (k *Keyspace) Incr(ctx context.Context, key string) (int64, error) {
	return k.client.Incr(ctx, k.full(key)).Result()
}

func (k *Keyspace) IncrBy(ctx context.Context, key string, n int64) (int64, error) {
	return k.client.IncrBy(ctx, k.full(key), n).Result()
}

func (k *Keyspace) HSet(ctx context.Context, key string, values ...any) error {
	return k.client.HSet(ctx, k.full(key), values...).Err()
}

func (k *Keyspace) HGet(ctx context.Context, key, field string) (string, error) {
	return k.client.HGet(ctx, k.full(key), field).Result()
}

func (k *Keyspace) HGetAll(ctx context.Context, key string) (map[string]string, error) {
	return k.client.HGetAll(ctx, k.full(key)).Result()
}

func (k *Keyspace) HDel(ctx context.Context, key string, fields ...string) error {
	return k.client.HDel(ctx, k.full(key), fields...).Err()
}

func (k *Keyspace) SAdd(ctx context.Context, key string, members ...any) error {
	return k.client.SAdd(ctx, k.full(key), members...).Err()
}

func (k *Keyspace) SRem(ctx context.Context, key string, members ...any) error {
	return k.client.SRem(ctx, k.full(key), members...).Err()
}

func (k *Keyspace) SMembers(ctx context.Context, key string) ([]string, error) {
	return k.client.SMembers(ctx, k.full(key)).Result()
}

// Publish sends a message on a prefixed channel.
func (k *Keyspace) Publish(ctx context.Context, channel string, message any) error {
	return k.client.Publish(ctx, k.full(channel), message).Err()
}

// Subscribe listens on prefixed channels. Messages arrive with the prefix removed from
// Channel, so callers see the same names they published with.
func (k *Keyspace) Subscribe(ctx context.Context, channels ...string) *Subscription {
	return &Subscription{ps: k.client.Subscribe(ctx, k.fullAll(channels)...), prefix: k.prefix}
}

// Subscription wraps a pub/sub connection.
type Subscription struct {
	ps     *redis.PubSub
	prefix string
}

// Message is one received message.
type Message struct {
	Channel string
	Payload string
}

// Ready waits until the server confirms the subscription, so nothing published after it
// returns can be missed.
func (s *Subscription) Ready(ctx context.Context) error {
	_, err := s.ps.Receive(ctx)
	return err
}

// Receive blocks for the next message.
func (s *Subscription) Receive(ctx context.Context) (Message, error) {
	m, err := s.ps.ReceiveMessage(ctx)
	if err != nil {
		return Message{}, err
	}
	return Message{Channel: strings.TrimPrefix(m.Channel, s.prefix), Payload: m.Payload}, nil
}

// Close ends the subscription.
func (s *Subscription) Close() error { return s.ps.Close() }

// Script is a Lua script run against prefixed keys.
type Script struct{ s *redis.Script }

// NewScript wraps Lua source. Scripts must touch only the keys passed in KEYS, which the
// keyspace prefixes.
func NewScript(src string) *Script { return &Script{s: redis.NewScript(src)} }

// Run evaluates the script (EVALSHA, falling back to EVAL).
func (k *Keyspace) Run(ctx context.Context, script *Script, keys []string, args ...any) (any, error) {
	return script.s.Run(ctx, k.client, k.fullAll(keys), args...).Result()
}

// Pipe is a pipeline whose commands are prefixed like the keyspace's.
type Pipe struct {
	p redis.Pipeliner
	k *Keyspace
}

func (p *Pipe) Set(ctx context.Context, key string, value any, ttl time.Duration) {
	p.p.Set(ctx, p.k.full(key), value, ttl)
}
func (p *Pipe) HSet(ctx context.Context, key string, values ...any) {
	p.p.HSet(ctx, p.k.full(key), values...)
}
func (p *Pipe) Del(ctx context.Context, keys ...string) { p.p.Del(ctx, p.k.fullAll(keys)...) }
func (p *Pipe) Expire(ctx context.Context, key string, ttl time.Duration) {
	p.p.Expire(ctx, p.k.full(key), ttl)
}
func (p *Pipe) Publish(ctx context.Context, channel string, message any) {
	p.p.Publish(ctx, p.k.full(channel), message)
}

// Pipelined runs fn's commands in one MULTI/EXEC transaction round trip.
func (k *Keyspace) Pipelined(ctx context.Context, fn func(*Pipe)) error {
	_, err := k.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		fn(&Pipe{p: p, k: k})
		return nil
	})
	return err
}

// Keys lists this keyspace's keys matching a pattern (SCAN, never KEYS), prefix removed.
// Meant for maintenance and tests, not request paths.
func (k *Keyspace) Keys(ctx context.Context, pattern string) ([]string, error) {
	var out []string
	iter := k.client.Scan(ctx, 0, k.full(pattern), 500).Iterator()
	for iter.Next(ctx) {
		out = append(out, strings.TrimPrefix(iter.Val(), k.prefix))
	}
	return out, iter.Err()
}

// PoolStats exposes connection pool counters for metrics.
func (k *Keyspace) PoolStats() *redis.PoolStats { return k.client.PoolStats() }
