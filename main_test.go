package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/shared/cache"
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

// `make run` migrates and seeds every module, then serves them all in one process with the
// worker (`serve --apps=all --with-worker`, surface "all"). Psydge's paper feed must run in
// that process: prices arrive and a paper account answers, as the README's walkthrough and
// the trade panel expect. (The feed once ran only for surface "web", so this process answered
// `{}` for prices and 503 BROKER_UNAVAILABLE for the account.)
func TestMakeRunServesThePaperFeed(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ALORIG_ENV": "development", "ALORIG_DATABASE_URL": testkit.ServerURL(),
		"ALORIG_REDIS_URL": testkit.RedisURL(), "ALORIG_ENCRYPTION_KEYS": testkit.TestKeys, "ALORIG_ADMIN_ADDR": "off"}
	tag := strconv.FormatInt(time.Now().UnixNano(), 36)
	for _, name := range config.Names() {
		up := strings.ToUpper(name)
		env["ALORIG_"+up+"_DATABASE_URL"] = testkit.EmptyDatabaseURL(t, "run_"+name)
		env["ALORIG_"+up+"_REDIS_PREFIX"] = name + ":trun" + tag + ":"
	}
	t.Cleanup(func() { dropRedisPrefixes(t, env) })
	ctx := context.Background()
	require.NoError(t, run(ctx, []string{"migrate", "--all"}, getenv(env), io.Discard, io.Discard))
	require.NoError(t, run(ctx, []string{"seed", "--all"}, getenv(env), io.Discard, io.Discard))

	// The Makefile's command line, on a free loopback port: serve prints each module's address.
	out := &lineWriter{lines: make(chan string, 16)}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- run(sctx, []string{"serve", "--apps=all", "--with-worker", "--addr=127.0.0.1:0"}, getenv(env), out, io.Discard)
	}()
	t.Cleanup(func() {
		stop()
		require.NoError(t, <-done, "a stop request ends serve cleanly")
	})
	var base string
	for base == "" {
		select {
		case l := <-out.lines:
			if f := strings.Fields(l); len(f) == 2 && f[0] == "psydge" {
				_, port, _ := strings.Cut(strings.TrimPrefix(strings.TrimSuffix(f[1], "/"), "http://"), ":")
				base = "http://127.0.0.1:" + port
			}
		case err := <-done:
			t.Fatalf("serve ended before listening: %v", err)
		case <-time.After(60 * time.Second):
			t.Fatal("serve printed no psydge address within 60 s")
		}
	}
	call := func(method, path, token, body string) (int, string) {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Host = "psydge.localhost"
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	// A new trader connects the paper broker, as in docs/psydge.md.
	code, body := call(http.MethodPost, "/api/v1/auth/register", "", `{"email":"run@example.com","password":"correct horse battery"}`)
	require.Equal(t, http.StatusCreated, code, body)
	var signedIn struct{ Token string }
	require.NoError(t, json.Unmarshal([]byte(body), &signedIn))
	require.NotEmpty(t, signedIn.Token, body)
	code, body = call(http.MethodPost, "/api/v1/broker-connections", signedIn.Token, `{"broker":"paper"}`)
	require.Equal(t, http.StatusCreated, code, body)

	var prices map[string]struct{ Bid, Ask float64 }
	require.Eventually(t, func() bool {
		code, body := call(http.MethodGet, "/api/v1/prices?symbols=EURUSD,XAUUSD", signedIn.Token, "")
		return code == http.StatusOK && json.Unmarshal([]byte(body), &prices) == nil && len(prices) == 2
	}, 10*time.Second, 100*time.Millisecond, "the paper feed publishes prices")
	require.Greater(t, prices["EURUSD"].Ask, prices["EURUSD"].Bid)

	code, body = call(http.MethodGet, "/api/v1/account", signedIn.Token, "")
	require.Equal(t, http.StatusOK, code, "the paper account lives in this process: %s", body)
	require.Contains(t, body, `"currency":"USD"`)

	// The seeded demo trader's paper account answers too.
	code, body = call(http.MethodPost, "/api/v1/auth/login", "", `{"email":"demo@psydge.localhost","password":"demo-password-1"}`)
	require.Equal(t, http.StatusOK, code, body)
	require.NoError(t, json.Unmarshal([]byte(body), &signedIn))
	code, body = call(http.MethodGet, "/api/v1/account", signedIn.Token, "")
	require.Equal(t, http.StatusOK, code, body)
}

// lineWriter hands serve's stdout over line by line.
type lineWriter struct {
	mu    sync.Mutex
	buf   []byte
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		select {
		case w.lines <- string(w.buf[:i]):
		default:
		}
		w.buf = w.buf[i+1:]
	}
}

// dropRedisPrefixes deletes the keys the test's modules left under their Redis prefixes.
func dropRedisPrefixes(t *testing.T, env map[string]string) {
	cfg, err := config.Load(getenv(env))
	require.NoError(t, err)
	for _, name := range config.Names() {
		mc := cfg.Modules[name]
		kv, err := cache.Open(cfg.RedisURL, mc.RedisDB, mc.RedisPrefix, 0)
		if err != nil {
			continue
		}
		if keys, _ := kv.Keys(context.Background(), "*"); len(keys) > 0 {
			_, _ = kv.Del(context.Background(), keys...)
		}
		kv.Close()
	}
}
