// Package testkit gives tests real parts, fast: a throwaway PostgreSQL database per test cloned
// from a migrated template, a Redis namespace per test, a controllable clock, and HTTP scenario
// tables run through the real Host dispatcher. Tests read ALORIG_DATABASE_URL and
// ALORIG_REDIS_URL (make test sets them) and default to the standard local ports.
package testkit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/migrations"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// ServerURL is the PostgreSQL server tests use.
func ServerURL() string {
	if u := os.Getenv("ALORIG_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// RedisURL is the Redis server tests use.
func RedisURL() string {
	if u := os.Getenv("ALORIG_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379"
}

// Logger is a quiet logger for tests: warnings and errors only, to the test log.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var templates sync.Map // module → template database name (once per test binary)

// templateName is derived from the migration files, so a schema change builds a new template
// instead of cloning a stale one.
func templateName(module string, src []fs.FS) (string, error) {
	h := sha256.New()
	for _, f := range src {
		err := fs.WalkDir(f, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(f, path)
			h.Write([]byte(path))
			h.Write(b)
			return err
		})
		if err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("tpl_%s_%x", module, h.Sum(nil)[:6]), nil
}

// ensureTemplate builds the migrated template database once per schema version. An advisory
// lock on the server serialises test binaries that race to build the same one.
func ensureTemplate(ctx context.Context, module string) (string, error) {
	if name, ok := templates.Load(module); ok {
		return name.(string), nil
	}
	src, err := migrations.For(module)
	if err != nil {
		return "", err
	}
	name, err := templateName(module, src)
	if err != nil {
		return "", err
	}
	admin, err := sql.Open("pgx", database.WithDatabase(ServerURL(), "postgres"))
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("testkit: PostgreSQL at %s does not answer: %w (run `make test`, or set ALORIG_DATABASE_URL)", database.Redact(ServerURL()), err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(77001)"); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(77001)") //nolint:errcheck
	// A finished template carries a comment; a half-built one (a run that died while
	// migrating) has none and is rebuilt. Marking it with datistemplate would need a superuser,
	// and the owner may clone its own database without it.
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database
		WHERE datname = $1 AND shobj_description(oid, 'pg_database') = 'alorig testkit template')`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		_ = database.DropDatabase(ctx, ServerURL(), name)
		url := database.WithDatabase(ServerURL(), name)
		if _, err := database.EnsureDatabase(ctx, url); err != nil {
			return "", err
		}
		db, err := database.Open(url, 2)
		if err != nil {
			return "", err
		}
		_, err = database.Migrate(ctx, db, src, slog.New(slog.DiscardHandler))
		db.Close()
		if err != nil {
			return "", fmt.Errorf("testkit: migrate template %s: %w", name, err)
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`COMMENT ON DATABASE %q IS 'alorig testkit template'`, name)); err != nil {
			return "", err
		}
	}
	templates.Store(module, name)
	return name, nil
}

// DatabaseURL creates a fresh database for module cloned from its migrated template and
// returns its URL; it is dropped when the test ends.
func DatabaseURL(t testing.TB, module string) string {
	t.Helper()
	ctx := context.Background()
	tpl, err := ensureTemplate(ctx, module)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	name := fmt.Sprintf("t_%s_%s", module, randomSuffix())
	admin, err := sql.Open("pgx", database.WithDatabase(ServerURL(), "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for attempt := 0; ; attempt++ {
		_, err = admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %q TEMPLATE %q`, name, tpl))
		// Another test binary may be connected to the template for a moment: retry briefly.
		if err == nil || attempt > 50 || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("testkit: clone %s: %v", tpl, err)
	}
	t.Cleanup(func() { _ = database.DropDatabase(context.Background(), ServerURL(), name) })
	return database.WithDatabase(ServerURL(), name)
}

// DB returns a bun handle on a fresh migrated database for module.
func DB(t testing.TB, module string) *bun.DB {
	t.Helper()
	db, err := database.Open(DatabaseURL(t, module), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// EmptyDatabaseURL names a database that does not exist yet (for migrate tests); it is
// dropped when the test ends.
func EmptyDatabaseURL(t testing.TB, prefix string) string {
	t.Helper()
	name := fmt.Sprintf("t_%s_%s", prefix, randomSuffix())
	t.Cleanup(func() { _ = database.DropDatabase(context.Background(), ServerURL(), name) })
	return database.WithDatabase(ServerURL(), name)
}

// Keyspace returns a Redis keyspace on module's DB whose prefix is unique to this test
// ("psydge:t1a2b3:"), emptied when the test ends.
func Keyspace(t testing.TB, module string) *cache.Keyspace {
	t.Helper()
	mc := moduleConfig(module)
	kv, err := cache.Open(RedisURL(), mc.RedisDB, fmt.Sprintf("%st%s:", mc.RedisPrefix, randomSuffix()), 8)
	if err != nil {
		t.Fatal(err)
	}
	if err := kv.Ping(context.Background()); err != nil {
		t.Fatalf("testkit: Redis at %s does not answer: %v (run `make test`, or set ALORIG_REDIS_URL)", RedisURL(), err)
	}
	t.Cleanup(func() {
		keys, _ := kv.Keys(context.Background(), "*")
		if len(keys) > 0 {
			_, _ = kv.Del(context.Background(), keys...)
		}
		kv.Close()
	})
	return kv
}

func moduleConfig(module string) config.Module {
	for _, m := range config.Defaults {
		if m.Name == module {
			m.RedisPrefix = m.Name + ":"
			return m
		}
	}
	panic("testkit: unknown module " + module)
}
