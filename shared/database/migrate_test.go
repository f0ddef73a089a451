package database_test

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/alorig/alorig/migrations"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func TestMigrateCreatesAppliesAndIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testkit.EmptyDatabaseURL(t, "mig")
	created, err := database.EnsureDatabase(ctx, url)
	require.NoError(t, err)
	require.True(t, created)
	created, err = database.EnsureDatabase(ctx, url)
	require.NoError(t, err)
	require.False(t, created, "a second run finds the database")

	db, err := database.Open(url, 2)
	require.NoError(t, err)
	defer db.Close()
	src, err := migrations.For("asms")
	require.NoError(t, err)

	st, err := database.GetStatus(ctx, db, src)
	require.NoError(t, err)
	require.True(t, st.Behind())
	require.Contains(t, st.Pending, "20261125000100_tenancy")
	require.ErrorIs(t, database.CheckCurrent(ctx, "asms", db, src), database.ErrSchemaBehind)

	applied, err := database.Migrate(ctx, db, src, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	require.Contains(t, applied, "20261125000000_accounts")
	require.Contains(t, applied, "20261125000100_tenancy")
	require.Contains(t, applied, "river_001_create_river_migration")

	again, err := database.Migrate(ctx, db, src, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	require.Empty(t, again)

	st, err = database.GetStatus(ctx, db, src)
	require.NoError(t, err)
	require.False(t, st.Behind())
	require.Empty(t, st.Pending)
	require.NotEmpty(t, st.RiverApplied)
	require.NoError(t, database.CheckCurrent(ctx, "asms", db, src))
}

func TestMigrateConcurrentRunsApplyOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testkit.EmptyDatabaseURL(t, "migc")
	src, err := migrations.For("observer")
	require.NoError(t, err)

	var wg sync.WaitGroup
	results := make([][]string, 4)
	errs := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := database.EnsureDatabase(ctx, url); err != nil {
				errs[i] = err
				return
			}
			db, err := database.Open(url, 2)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			results[i], errs[i] = database.Migrate(ctx, db, src, slog.New(slog.DiscardHandler))
		}()
	}
	wg.Wait()
	total := 0
	for i := range results {
		require.NoError(t, errs[i])
		total += len(results[i])
	}
	db, err := database.Open(url, 1)
	require.NoError(t, err)
	defer db.Close()
	st, err := database.GetStatus(ctx, db, src)
	require.NoError(t, err)
	require.Equal(t, len(st.Applied)+len(st.RiverApplied), total, "every migration applied exactly once across the four runs")
}

func TestSchemaBehindIsRefusedWithTheCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.DB(t, "asms")
	src, err := migrations.For("asms")
	require.NoError(t, err)
	require.NoError(t, database.CheckCurrent(ctx, "asms", db, src))

	newer := fstest.MapFS{"20991231000000_future.tx.up.sql": {Data: []byte("CREATE TABLE future (id int);")}}
	err = database.CheckCurrent(ctx, "asms", db, append([]fs.FS{}, append(src, newer)...))
	require.True(t, errors.Is(err, database.ErrSchemaBehind))
	require.ErrorContains(t, err, "alorig migrate --app=asms")
	require.ErrorContains(t, err, "20991231000000_future")
}
