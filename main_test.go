package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func getenv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestCLIErrorsNameTheProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--apps=psydge,bogus"}, "unknown module bogus"},
		{[]string{"migrate"}, "name a module with --app=NAME"},
		{[]string{"migrate", "--app=asms", "--all"}, "not both"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"serve", "--apps=asms", "--surface=ws"}, "asms has no such surface"},
		{[]string{"serve", "--nope"}, "flag provided but not defined"},
		{[]string{}, "no command given"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), tc.args, getenv(map[string]string{"ALORIG_ADMIN_ADDR": "off"}), &out, &errb)
		require.Error(t, err, tc.args)
		require.Contains(t, err.Error()+errb.String(), tc.want, tc.args)
	}
}

func TestMigrateCreatesTheModuleDatabase(t *testing.T) {
	t.Parallel()
	url := testkit.EmptyDatabaseURL(t, "cli_asms")
	env := map[string]string{"ALORIG_DATABASE_URL": testkit.ServerURL(), "ALORIG_ASMS_DATABASE_URL": url}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"migrate", "--app=asms"}, getenv(env), &out, io.Discard))
	require.Contains(t, out.String(), "asms: created database "+database.NameOf(url))
	require.Contains(t, out.String(), "asms: applied 20261125000100_tenancy")

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"migrate", "--app=asms"}, getenv(env), &out, io.Discard))
	require.Equal(t, "asms: up to date\n", out.String())

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"migrate", "--app=asms", "--status"}, getenv(env), &out, io.Discard))
	require.Contains(t, out.String(), "applied  20261125000000_accounts")
	require.NotContains(t, out.String(), "pending  ")
}

func TestServeRefusesASchemaBehind(t *testing.T) {
	t.Parallel()
	url := testkit.EmptyDatabaseURL(t, "cli_behind")
	_, err := database.EnsureDatabase(context.Background(), url)
	require.NoError(t, err)
	env := map[string]string{"ALORIG_DATABASE_URL": testkit.ServerURL(), "ALORIG_ASMS_DATABASE_URL": url,
		"ALORIG_REDIS_URL": testkit.RedisURL(), "ALORIG_ADMIN_ADDR": "off", "ALORIG_ADDR": "127.0.0.1:0"}
	err = run(context.Background(), []string{"serve", "--apps=asms"}, getenv(env), io.Discard, io.Discard)
	require.ErrorContains(t, err, "run `alorig migrate --app=asms`")
}

// `alorig serve --apps=asms` listens on 8022 and answers asms hosts only.
func TestServeOneModuleOnItsPort(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ALORIG_DATABASE_URL": testkit.ServerURL(), "ALORIG_ASMS_DATABASE_URL": testkit.DatabaseURL(t, "asms"),
		"ALORIG_REDIS_URL": testkit.RedisURL(), "ALORIG_ADMIN_ADDR": "off"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--apps=asms"}, getenv(env), io.Discard, io.Discard) }()
	get := func(host string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:8022/", nil)
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	require.Eventually(t, func() bool { code, _ := get("asms.alorig.com"); return code == 200 }, 10*time.Second, 50*time.Millisecond)
	code, body := get("asms.localhost")
	require.Equal(t, 200, code)
	require.True(t, strings.Contains(body, "ASMS"))
	code, _ = get("psydge.com")
	require.Equal(t, http.StatusMisdirectedRequest, code)
	code, _ = get("example.org")
	require.Equal(t, http.StatusNotFound, code)
	cancel()
	require.NoError(t, <-done, "a stop request ends serve cleanly")
}

// productionEnv is a production configuration that passes config's checks.
func productionEnv(extra map[string]string) map[string]string {
	env := map[string]string{"ALORIG_ENV": "production", "ALORIG_ENCRYPTION_KEYS": testkit.TestKeys,
		"ALORIG_DATABASE_URL": "postgres://alorig:s3cret-Pw@127.0.0.1:1/?sslmode=disable", "ALORIG_TRUSTED_PROXIES": "none",
		"ALORIG_SNAPIFY_PUBLIC_URL": "https://snapify.pk", "ALORIG_ASTROTIMING_PUBLIC_URL": "https://astrotiming.com", "ALORIG_ADMIN_ADDR": "off"}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func TestSeedRefusesProduction(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"seed", "--all"}, getenv(productionEnv(nil)), io.Discard, io.Discard)
	require.ErrorContains(t, err, "refused with ALORIG_ENV=production")
}

// A start-up error about Redis names the server without its password.
func TestStartupErrorsRedactTheRedisPassword(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ALORIG_DATABASE_URL": testkit.ServerURL(), "ALORIG_ASMS_DATABASE_URL": testkit.DatabaseURL(t, "asms"),
		"ALORIG_REDIS_URL": "redis://default:r3dis-s3cret@127.0.0.1:1", "ALORIG_ADMIN_ADDR": "off", "ALORIG_ADDR": "127.0.0.1:0"}
	err := run(context.Background(), []string{"serve", "--apps=asms"}, getenv(env), io.Discard, io.Discard)
	require.ErrorContains(t, err, "Redis at redis://default:xxxxx@127.0.0.1:1 does not answer")
	require.NotContains(t, err.Error(), "r3dis-s3cret")
}

// Help that was asked for goes to stdout and exits 0; a command line that cannot be read gets
// the flags on stderr and exits 2; a command that was understood but failed exits 1.
func TestHelpGoesToStdoutAndUsageErrorsExit2(t *testing.T) {
	t.Parallel()
	env := getenv(map[string]string{"ALORIG_ADMIN_ADDR": "off"})
	for _, cmd := range []string{"serve", "worker", "migrate", "seed", "rotate-keys", "health"} {
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{cmd, "--help"}, env, &out, &errb)
		require.Equal(t, 0, exitCode(err), "%s --help: %v", cmd, err)
		require.Contains(t, out.String(), "Usage of alorig "+cmd+":", cmd)
		require.Empty(t, errb.String(), "%s --help writes nothing to stderr", cmd)

		out.Reset()
		errb.Reset()
		err = run(context.Background(), []string{cmd, "--nope"}, env, &out, &errb)
		require.Equal(t, 2, exitCode(err), "%s --nope: %v", cmd, err)
		require.Contains(t, errb.String(), "Usage of alorig "+cmd+":", cmd)
		require.Empty(t, out.String(), cmd)
	}
	for _, args := range [][]string{{}, {"frobnicate"}, {"migrate"}, {"migrate", "--app=asms", "--all"},
		{"serve", "--apps=bogus"}, {"worker", "extra"}} {
		err := run(context.Background(), args, env, io.Discard, io.Discard)
		require.Equal(t, 2, exitCode(err), "%v: %v", args, err)
	}
	err := run(context.Background(), []string{"serve", "--apps=asms"}, getenv(map[string]string{"ALORIG_ENV": "staging"}), io.Discard, io.Discard)
	require.Equal(t, 1, exitCode(err), "a bad environment is not a usage error: %v", err)
}

// Every flag a subcommand lists changes what the command does: a flag that is parsed and then
// ignored (as --apps once was for migrate, seed and rotate-keys) fails here. Each command's
// baseline is its shortest valid command line; each flag gets a value that differs from it.
func TestEveryListedFlagIsRead(t *testing.T) {
	t.Parallel()
	env := getenv(map[string]string{"ALORIG_ADMIN_ADDR": "off"})
	table := map[string]struct {
		base  []string
		flags map[string][]string // flag name → a command line setting it
	}{
		"serve": {[]string{"--apps=asms"}, map[string][]string{
			"apps": {"--apps=psydge"}, "surface": {"--apps=asms", "--surface=all"},
			"addr": {"--apps=asms", "--addr=127.0.0.1:1"}, "with-worker": {"--apps=asms", "--with-worker"}}},
		"worker":      {[]string{"--apps=asms"}, map[string][]string{"apps": {"--apps=psydge"}}},
		"migrate":     {[]string{"--app=asms"}, map[string][]string{"app": {"--app=psydge"}, "all": {"--all"}, "status": {"--app=asms", "--status"}}},
		"seed":        {[]string{"--app=asms"}, map[string][]string{"app": {"--app=psydge"}, "all": {"--all"}}},
		"rotate-keys": {[]string{"--app=asms"}, map[string][]string{"app": {"--app=psydge"}}},
	}
	resolved := func(cmd string, args []string) string {
		inv, err := parseCommand(cmd, args, env, io.Discard, io.Discard)
		require.NoError(t, err, "%s %v", cmd, args)
		c := inv.cfg
		return fmt.Sprint(c.Apps, c.Surface, c.Addr, c.WithWorker, inv.status)
	}
	for cmd, tc := range table {
		cfg, err := config.Load(env)
		require.NoError(t, err)
		fs, _, err := commandFlags(cmd, cfg)
		require.NoError(t, err)
		base := resolved(cmd, tc.base)
		fs.VisitAll(func(f *flag.Flag) {
			args, ok := tc.flags[f.Name]
			require.True(t, ok, "%s lists --%s, which this test does not know: add it to the table", cmd, f.Name)
			require.NotEqual(t, base, resolved(cmd, args), "%s --%s changes nothing the command uses", cmd, f.Name)
		})
		for name := range tc.flags {
			require.NotNil(t, fs.Lookup(name), "%s has no --%s", cmd, name)
		}
	}
}
