package database_test

import (
	"context"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// With statement_timeout on the pool, PostgreSQL itself cancels a query that runs too long,
// even when the caller's context has no deadline.
func TestStatementTimeoutIsEnforcedByTheServer(t *testing.T) {
	t.Parallel()
	url := database.WithStatementTimeout(testkit.DatabaseURL(t, "asms"), 200*time.Millisecond)
	require.Contains(t, url, "statement_timeout=200")
	db, err := database.Open(url, 1)
	require.NoError(t, err)
	defer db.Close()

	var setting string
	require.NoError(t, db.QueryRowContext(context.Background(), "SHOW statement_timeout").Scan(&setting))
	require.Equal(t, "200ms", setting)
	start := time.Now()
	_, err = db.ExecContext(context.Background(), "SELECT pg_sleep(3)")
	require.Error(t, err)
	require.True(t, database.IsStatementTimeout(err), "cancelled by the server: %v", err)
	require.Less(t, time.Since(start), 2*time.Second)

	require.Equal(t, "postgres://h/db", database.WithStatementTimeout("postgres://h/db", 0), "0 leaves the URL alone")
	require.NotContains(t, database.Redact("postgres://alorig:s3cret@h/db"), "s3cret")
}
