package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"testing"

	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// `alorig billing grant` gives a plan through the module's billing, so Psydge's tier moves
// with it; granting the free plan revokes; unknown plans, users and modules that sell nothing
// are refused by name, and production refuses the command.
func TestBillingGrantCommand(t *testing.T) {
	t.Parallel()
	url := testkit.DatabaseURL(t, "psydge")
	env := map[string]string{"ALORIG_DATABASE_URL": testkit.ServerURL(), "ALORIG_PSYDGE_DATABASE_URL": url,
		"ALORIG_REDIS_URL": testkit.RedisURL(), "ALORIG_ADMIN_ADDR": "off", "ALORIG_ENCRYPTION_KEYS": testkit.TestKeys,
		"ALORIG_PSYDGE_PAPER_FEED": "off"}
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`INSERT INTO users (email, created_at, updated_at) VALUES ('grant@example.com', now(), now())`)
	require.NoError(t, err)
	tier := func() string {
		var s string
		require.NoError(t, db.QueryRow(`SELECT subscription_tier FROM users WHERE email = 'grant@example.com'`).Scan(&s))
		return s
	}
	grant := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"billing", "grant", "--app=psydge"}, args...), getenv(env), &out, io.Discard)
		return out.String(), err
	}

	out, err := grant("--user=grant@example.com", "--plan=vista", "--until=720h")
	require.NoError(t, err)
	require.Contains(t, out, "now holds vista until ")
	require.Equal(t, "vista", tier())

	_, err = grant("--user=grant@example.com", "--plan=gold")
	require.ErrorContains(t, err, `no plan "gold"`)
	_, err = grant("--user=nobody@example.com", "--plan=vista")
	require.ErrorContains(t, err, "no user with email")
	require.Equal(t, 2, exitCode(run(context.Background(), []string{"billing", "grant", "--app=psydge"}, getenv(env), io.Discard, io.Discard)))
	require.Equal(t, 2, exitCode(run(context.Background(), []string{"billing"}, getenv(env), io.Discard, io.Discard)))

	out, err = grant("--user=grant@example.com", "--plan=core")
	require.NoError(t, err)
	require.Contains(t, out, "grant revoked")
	require.Equal(t, "core", tier())

	prod := productionEnv(map[string]string{"ALORIG_PSYDGE_DATABASE_URL": url})
	err = run(context.Background(), []string{"billing", "grant", "--app=psydge", "--user=1", "--plan=vista"}, getenv(prod), io.Discard, io.Discard)
	require.ErrorContains(t, err, "refused with ALORIG_ENV=production")
}
