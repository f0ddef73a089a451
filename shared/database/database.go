// Package database opens each module's PostgreSQL database through bun over pgx's
// database/sql driver, creates missing databases, and applies embedded migrations.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// ErrNotFound is what stores return when a row does not exist.
var ErrNotFound = errors.New("not found")

// Open returns a bun handle on databaseURL with a pool of at most maxConns connections. It does
// not dial: call Ping to find out whether the server answers.
func Open(databaseURL string, maxConns int) (*bun.DB, error) {
	if maxConns <= 0 {
		maxConns = 3
	}
	sqldb, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", Redact(databaseURL), err)
	}
	sqldb.SetMaxOpenConns(maxConns)
	sqldb.SetMaxIdleConns(maxConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	sqldb.SetConnMaxLifetime(time.Hour)
	return bun.NewDB(sqldb, pgdialect.New(), bun.WithDiscardUnknownColumns()), nil
}

// Ping checks that the database answers, with a short deadline so health checks stay fast.
func Ping(ctx context.Context, db *bun.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// Redact hides the password in a database URL for messages (config.RedactURL, the one helper
// for every URL that may carry a secret).
func Redact(databaseURL string) string { return config.RedactURL(databaseURL) }

// WithStatementTimeout returns databaseURL with PostgreSQL's statement_timeout set to d for
// every connection opened from it (pgx sends query parameters it does not know as run-time
// parameters, in bun's pool and River's pgx pool alike). d <= 0 leaves the URL as it is.
func WithStatementTimeout(databaseURL string, d time.Duration) string {
	if d <= 0 {
		return databaseURL
	}
	u, err := url.Parse(databaseURL)
	if err != nil {
		return databaseURL // Open reports it
	}
	q := u.Query()
	q.Set("statement_timeout", strconv.FormatInt(max(1, d.Milliseconds()), 10))
	u.RawQuery = q.Encode()
	return u.String()
}

// IsStatementTimeout reports whether err is PostgreSQL cancelling a statement, by
// statement_timeout or by a cancelled context (query_canceled, 57014).
func IsStatementTimeout(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "57014"
}

// NameOf returns the database name in a URL.
func NameOf(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

// WithDatabase returns databaseURL pointing at another database on the same server.
func WithDatabase(databaseURL, name string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return databaseURL
	}
	u.Path = "/" + name
	return u.String()
}

// EnsureDatabase creates the database that databaseURL names when it does not exist yet,
// connecting to the server's maintenance database "postgres" to do it. It reports whether it
// created the database.
func EnsureDatabase(ctx context.Context, databaseURL string) (bool, error) {
	name := NameOf(databaseURL)
	if name == "" {
		return false, fmt.Errorf("%s names no database", Redact(databaseURL))
	}
	admin, err := sql.Open("pgx", WithDatabase(databaseURL, "postgres"))
	if err != nil {
		return false, err
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return false, fmt.Errorf("cannot reach PostgreSQL at %s: %w (is it running? set ALORIG_DATABASE_URL)", Redact(databaseURL), err)
	}
	if exists {
		return false, nil
	}
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(name))
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &pgErr) && (pgErr.Code == "42P04" || pgErr.Code == "23505"):
		// Created by a concurrent run: PostgreSQL reports either duplicate_database or, when
		// both commands pass the existence check at once, a unique violation on pg_database.
		return false, nil
	case errors.As(err, &pgErr) && pgErr.Code == "42501":
		return false, fmt.Errorf("database %s does not exist and this role may not create it: run `CREATE DATABASE %s OWNER <role>` as a superuser, or grant CREATEDB", name, quoteIdent(name))
	default:
		return false, fmt.Errorf("create database %s: %w", name, err)
	}
}

// DropDatabase removes a database, ending its open connections first. Tests use it.
func DropDatabase(ctx context.Context, serverURL, name string) error {
	admin, err := sql.Open("pgx", WithDatabase(serverURL, "postgres"))
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)")
	return err
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// IsUniqueViolation reports whether err is PostgreSQL's unique_violation, optionally on a
// named constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		return false
	}
	return constraint == "" || pgErr.ConstraintName == constraint
}

// NoRows maps sql.ErrNoRows to ErrNotFound so callers test one sentinel.
func NoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
