package database

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// Tracking tables live in each module database; the names are the same everywhere because
// every module has a database of its own.
const (
	migrationsTable = "alorig_migrations"
	locksTable      = "alorig_migration_locks"
)

// ErrSchemaBehind is returned when a database lacks migrations this binary carries.
var ErrSchemaBehind = errors.New("schema is behind")

// Status is what `migrate --status` prints.
type Status struct {
	Applied      []string
	Pending      []string
	RiverApplied []int
	RiverPending []int
}

// Behind reports whether anything is pending.
func (s Status) Behind() bool { return len(s.Pending) > 0 || len(s.RiverPending) > 0 }

func loadMigrations(sources []fs.FS) (*migrate.Migrations, error) {
	ms := migrate.NewMigrations()
	for _, src := range sources {
		if err := ms.Discover(src); err != nil {
			return nil, fmt.Errorf("read embedded migrations: %w", err)
		}
	}
	return ms, nil
}

func migrator(db *bun.DB, sources []fs.FS) (*migrate.Migrator, error) {
	ms, err := loadMigrations(sources)
	if err != nil {
		return nil, err
	}
	return migrate.NewMigrator(db, ms, migrate.WithTableName(migrationsTable), migrate.WithLocksTableName(locksTable)), nil
}

// lockKey derives the advisory lock id from the database name so that two migrate runs on the
// same database serialise while runs on different databases do not wait for each other.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("alorig-migrate:" + name))
	return int64(h.Sum64() >> 1)
}

// Migrate applies the module's pending SQL migrations and then River's, holding a PostgreSQL
// advisory lock for the whole run so concurrent runs are safe. It returns the names applied
// (the migrate command prints them; the log has them at debug level).
func Migrate(ctx context.Context, db *bun.DB, sources []fs.FS, log *slog.Logger) ([]string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	var dbName string
	if err := conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&dbName); err != nil {
		return nil, err
	}
	key := lockKey(dbName)
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", key); err != nil {
		return nil, fmt.Errorf("take migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", key) //nolint:errcheck // the session ends with conn anyway

	m, err := migrator(db, sources)
	if err != nil {
		return nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("create %s: %w", migrationsTable, err)
	}
	var applied []string
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply migrations to %s: %w", dbName, err)
	}
	for _, mig := range group.Migrations {
		applied = append(applied, mig.Name+"_"+mig.Comment)
		log.Debug("migration applied", "database", dbName, "migration", mig.Name+"_"+mig.Comment)
	}

	rm, err := rivermigrate.New(riverdatabasesql.New(db.DB), &rivermigrate.Config{Logger: quiet(log)})
	if err != nil {
		return nil, err
	}
	res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("apply River migrations to %s: %w", dbName, err)
	}
	for _, v := range res.Versions {
		name := fmt.Sprintf("river_%03d_%s", v.Version, strings.ReplaceAll(v.Name, " ", "_"))
		applied = append(applied, name)
		log.Debug("migration applied", "database", dbName, "migration", name)
	}
	return applied, nil
}

// GetStatus lists applied and pending migrations without changing anything.
func GetStatus(ctx context.Context, db *bun.DB, sources []fs.FS) (Status, error) {
	var st Status
	m, err := migrator(db, sources)
	if err != nil {
		return st, err
	}
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT to_regclass(?) IS NOT NULL", migrationsTable).Scan(&exists); err != nil {
		return st, err
	}
	if exists {
		ms, err := m.MigrationsWithStatus(ctx)
		if err != nil {
			return st, err
		}
		for _, mig := range ms {
			if mig.IsApplied() {
				st.Applied = append(st.Applied, mig.Name+"_"+mig.Comment)
			} else {
				st.Pending = append(st.Pending, mig.Name+"_"+mig.Comment)
			}
		}
	} else {
		ms, err := loadMigrations(sources)
		if err != nil {
			return st, err
		}
		for _, mig := range ms.Sorted() {
			st.Pending = append(st.Pending, mig.Name+"_"+mig.Comment)
		}
	}
	rm, err := rivermigrate.New(riverdatabasesql.New(db.DB), &rivermigrate.Config{Logger: quiet(nil)})
	if err != nil {
		return st, err
	}
	done := map[int]bool{}
	var riverExists bool
	if err := db.QueryRowContext(ctx, "SELECT to_regclass('river_migration') IS NOT NULL").Scan(&riverExists); err != nil {
		return st, err
	}
	if riverExists {
		existing, err := rm.ExistingVersions(ctx)
		if err != nil {
			return st, err
		}
		for _, v := range existing {
			done[v.Version] = true
			st.RiverApplied = append(st.RiverApplied, v.Version)
		}
	}
	for _, v := range rm.AllVersions() {
		if !done[v.Version] {
			st.RiverPending = append(st.RiverPending, v.Version)
		}
	}
	return st, nil
}

// CheckCurrent refuses a schema that is behind this binary, naming the command that fixes it.
func CheckCurrent(ctx context.Context, module string, db *bun.DB, sources []fs.FS) error {
	st, err := GetStatus(ctx, db, sources)
	if err != nil {
		return fmt.Errorf("%s: read migration status: %w", module, err)
	}
	if st.Behind() {
		pending := append([]string{}, st.Pending...)
		for _, v := range st.RiverPending {
			pending = append(pending, fmt.Sprintf("river_%03d", v))
		}
		return fmt.Errorf("%s: %w (%d pending: %s): run `alorig migrate --app=%s`", module, ErrSchemaBehind, len(pending), strings.Join(pending, ", "), module)
	}
	return nil
}

// quiet keeps River's migrator from logging every step at info: Migrate logs what it applied.
func quiet(log *slog.Logger) *slog.Logger {
	if log == nil {
		log = slog.Default()
	}
	return slog.New(levelFilter{log.Handler(), slog.LevelWarn})
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}
