package testkit

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/secret"
)

// Epoch is the instant fake clocks start at unless a test sets another: a Wednesday inside the
// London session.
var Epoch = time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC)

// TestKeys is a fixed two-key keyring for tests: "k2" is primary, "k1" an older key.
const TestKeys = "k2:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=,k1:ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="

// Env is a running set of modules on throwaway databases and Redis namespaces.
type Env struct {
	T       testing.TB
	Config  *config.Config
	Clock   *clock.Fake
	Runtime *platform.Runtime
	Handler http.Handler
}

// EnvOption adjusts the environment before the modules are opened.
type EnvOption func(env map[string]string)

// WithEnv sets an ALORIG_… variable for the test's config.
func WithEnv(key, value string) EnvOption { return func(m map[string]string) { m[key] = value } }

// Start opens the modules of registry (each on its own fresh database and Redis namespace)
// and builds the real Host dispatcher for surface "web".
func Start(t testing.TB, registry map[string]platform.Constructor, opts ...EnvOption) *Env {
	t.Helper()
	env := map[string]string{
		"ALORIG_DATABASE_URL":    ServerURL(),
		"ALORIG_REDIS_URL":       RedisURL(),
		"ALORIG_ENCRYPTION_KEYS": TestKeys,
		"ALORIG_ADMIN_ADDR":      "off",
	}
	var apps []string
	for _, name := range config.Names() {
		if _, ok := registry[name]; !ok {
			continue
		}
		apps = append(apps, name)
		up := strings.ToUpper(name)
		env["ALORIG_"+up+"_DATABASE_URL"] = DatabaseURL(t, name)
		env["ALORIG_"+up+"_REDIS_PREFIX"] = name + ":t" + randomSuffix() + ":"
	}
	for _, o := range opts {
		o(env)
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("testkit: config: %v", err)
	}
	cfg.Apps = apps
	kr, err := secret.Parse(cfg.EncryptionKeys)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(Epoch)
	rt, err := platform.Open(context.Background(), cfg, platform.Options{Role: platform.RoleServe, Apps: apps,
		Registry: registry, Log: Logger(t), Clock: clk, Keyring: kr, FetchPollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("testkit: open modules: %v", err)
	}
	e := &Env{T: t, Config: cfg, Clock: clk, Runtime: rt}
	e.Handler = rt.Handler("web")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rt.Stop(ctx)
		// Redis namespaces of this test are removed with the databases.
		for _, m := range rt.Mounted {
			if keys, _ := m.KV.Keys(context.Background(), "*"); len(keys) > 0 {
				_, _ = m.KV.Del(context.Background(), keys...)
			}
		}
		rt.Close()
	})
	return e
}

// Mounted returns the named module as opened.
func (e *Env) Mounted(name string) *platform.Mounted {
	for _, m := range e.Runtime.Mounted {
		if m.Module.Name() == name {
			return m
		}
	}
	e.T.Fatalf("testkit: module %s is not mounted", name)
	return nil
}

// StartWorkers runs River for the mounted modules until the test ends.
func (e *Env) StartWorkers() {
	e.T.Helper()
	if err := e.Runtime.StartWorkers(context.Background()); err != nil {
		e.T.Fatal(err)
	}
}

// Scenario is one row of an HTTP table.
type Scenario struct {
	Name        string
	Method      string
	Host        string
	Path        string
	Header      map[string]string
	Body        string
	Status      int
	Contains    []string
	NotContains []string
	// Check, when set, inspects the answer further.
	Check func(t testing.TB, res *http.Response, body string)
}

// Do sends one request through the dispatcher and returns the answer and body.
func (e *Env) Do(method, host, path string, header map[string]string, body string) (*http.Response, string) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, "http://"+host+path, rd)
	req.Host = host
	req.RemoteAddr = "192.0.2.10:40000"
	if body != "" && header["Content-Type"] == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res, string(b)
}

// Run runs a scenario table; rows run in order because later rows may rely on earlier ones.
func (e *Env) Run(t *testing.T, rows []Scenario) {
	for _, sc := range rows {
		method := sc.Method
		if method == "" {
			method = http.MethodGet
		}
		name := sc.Name
		if name == "" {
			name = method + " " + sc.Host + sc.Path
		}
		t.Run(name, func(t *testing.T) {
			res, body := e.Do(method, sc.Host, sc.Path, sc.Header, sc.Body)
			if res.StatusCode != sc.Status {
				t.Fatalf("%s %s%s: status %d, want %d; body: %s", method, sc.Host, sc.Path, res.StatusCode, sc.Status, truncate(body))
			}
			for _, want := range sc.Contains {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q: %s", want, truncate(body))
				}
			}
			for _, bad := range sc.NotContains {
				if strings.Contains(body, bad) {
					t.Errorf("body contains forbidden %q: %s", bad, truncate(body))
				}
			}
			if sc.Check != nil {
				sc.Check(t, res, body)
			}
		})
	}
}

func truncate(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}
