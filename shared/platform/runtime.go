package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/migrations"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/jobs"
	"github.com/alorig/alorig/shared/mail"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
)

// Mounted is one module opened in this process.
type Mounted struct {
	Deps
	Module Module
	echo   *echo.Echo
}

// Runtime holds the modules this process mounts.
type Runtime struct {
	Config   *config.Config
	Log      *slog.Logger
	Clock    clock.Clock
	Keyring  *secret.Keyring
	Role     Role
	Mounted  []*Mounted
	Metrics  *web.Metrics
	registry map[string]Constructor
	workers  []*jobs.Worker
	platform *web.Platform
	disp     *web.Dispatcher
	hot      []web.HotRoute // modules answering from memory on the hot path (HotListener)
	poll     time.Duration
	// bgStop ends the platform's own goroutines (session-cache channels) started by
	// StartBackground; bgDone closes when they have.
	bgStop context.CancelFunc
	bgDone chan struct{}
}

// Options are what Open needs beyond the config.
type Options struct {
	Role     Role
	Apps     []string
	Registry map[string]Constructor
	Log      *slog.Logger
	Clock    clock.Clock
	Keyring  *secret.Keyring
	Metrics  *prometheus.Registry
	// FetchPollInterval shortens River's polling in tests.
	FetchPollInterval time.Duration
}

// poolSize is the bun pool per module for a process role and surface; the sum over the
// documented compose layout stays under 60 server connections (see README).
func poolSize(cfg *config.Config, role Role, surface string) int {
	if cfg.DBMaxConns > 0 {
		return cfg.DBMaxConns
	}
	switch {
	case role == RoleWorker:
		return 1
	case role == RoleServe && (surface == "ws" || surface == "cms"):
		return 2
	case role == RoleMigrate || role == RoleSeed:
		return 2
	}
	return 3
}

// dbURL adds PostgreSQL's statement_timeout to the pools of long-running processes (serve and
// worker), so the server cancels a runaway query even when no request context does. migrate
// and seed run without one: a migration may legitimately build an index for minutes.
func dbURL(cfg *config.Config, role Role, url string) string {
	if role == RoleServe || role == RoleWorker {
		return database.WithStatementTimeout(url, cfg.StatementTimeout)
	}
	return url
}

// Open opens every named module: its database pool, Redis keyspace, River insert client,
// accounts, and the module itself. It does not check schemas; see CheckSchemas.
func Open(ctx context.Context, cfg *config.Config, o Options) (*Runtime, error) {
	rt := &Runtime{Config: cfg, Log: o.Log, Clock: o.Clock, Keyring: o.Keyring, Role: o.Role, registry: o.Registry, poll: o.FetchPollInterval}
	if o.Metrics != nil {
		rt.Metrics = web.NewMetrics(o.Metrics)
	}
	// One mailer for the process; without SMTP it logs in development and refuses in production.
	mailer, err := mail.New(mail.Config{URL: cfg.SMTPURL, From: cfg.MailFrom, Production: cfg.Production(), Log: o.Log,
		SendGridKey: cfg.SendGridKey, SendGridURL: cfg.SendGridBaseURL})
	if err != nil {
		return nil, err
	}
	for _, name := range o.Apps {
		ctor, ok := o.Registry[name]
		if !ok {
			rt.Close()
			return nil, fmt.Errorf("unknown module %q", name)
		}
		mc := cfg.Modules[name]
		log := o.Log.With("module", name)
		db, err := database.Open(dbURL(cfg, o.Role, mc.DatabaseURL), poolSize(cfg, o.Role, cfg.EffectiveSurface()))
		if err != nil {
			rt.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		kv, err := cache.Open(cfg.RedisURL, mc.RedisDB, mc.RedisPrefix, 0)
		if err != nil {
			db.Close()
			rt.Close()
			return nil, fmt.Errorf("%s: %w", name, config.RedactError(err, cfg.RedisURL))
		}
		workers := river.NewWorkers()
		inserter, err := jobs.NewInserter(db, workers, log)
		if err != nil {
			db.Close()
			kv.Close()
			rt.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		accounts := auth.New(db, kv, o.Clock, auth.Config{Module: name, Title: mc.Title, Secure: cfg.Production(),
			IdleTimeout: cfg.SessionIdle, Mailer: mailer, PublicURL: mc.PublicURL, Log: log})
		addCleanupWorker(workers, name, accounts)
		d := Deps{Role: o.Role, Surface: cfg.EffectiveSurface(), Module: mc, Config: cfg, DB: db, KV: kv, Jobs: inserter,
			Workers: workers, Clock: o.Clock, Keyring: o.Keyring, Accounts: accounts, Mailer: mailer, Log: log}
		m, err := ctor(d)
		if err != nil {
			db.Close()
			kv.Close()
			rt.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rt.Mounted = append(rt.Mounted, &Mounted{Deps: d, Module: m})
	}
	return rt, nil
}

// Ping checks every mounted module's database and Redis once, with errors that say what to do.
func (rt *Runtime) Ping(ctx context.Context) error {
	var errs []error
	for _, m := range rt.Mounted {
		if err := database.Ping(ctx, m.DB); err != nil {
			errs = append(errs, fmt.Errorf("%s: database %s does not answer: %v (is PostgreSQL running, and has `alorig migrate --app=%s` created it?)",
				m.Module.Name(), database.Redact(m.Deps.Module.DatabaseURL), err, m.Module.Name()))
		}
		if err := m.KV.Ping(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: Redis at %s does not answer: %v (is Redis running? set ALORIG_REDIS_URL)", m.Module.Name(),
				config.RedactURL(rt.Config.RedisURL), config.RedactError(err, rt.Config.RedisURL)))
		}
	}
	return errors.Join(errs...)
}

// CheckSchemas refuses to go on when any mounted module's database is behind this binary.
func (rt *Runtime) CheckSchemas(ctx context.Context) error {
	var errs []error
	for _, m := range rt.Mounted {
		src, err := migrations.For(m.Module.Name())
		if err != nil {
			return err
		}
		if err := database.CheckCurrent(ctx, m.Module.Name(), m.DB, src); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Handler builds the Host dispatcher for a surface: each mounted module's echo behind its
// host names, hosts of registered-but-unmounted modules answering 421.
func (rt *Runtime) Handler(surface string) http.Handler {
	rt.platform = web.NewPlatform(rt.checks(), nil)
	d := web.NewDispatcher(rt.platform)
	mounted := map[string]bool{}
	dev := !rt.Config.Production()
	for _, m := range rt.Mounted {
		name := m.Module.Name()
		mounted[name] = true
		if surface == "web" || surface == "all" {
			e := rt.newEcho(m)
			m.Module.Web(e)
			m.echo = e
			hosts := slices.Clone(m.Deps.Module.Hosts)
			if dev {
				hosts = append(hosts, name+".localhost")
			}
			d.Mount(e, hosts...)
			if hr, ok := m.Module.(web.HotResponder); ok {
				rt.hot = append(rt.hot, web.HotRoute{Module: name, Route: "/*", Hosts: hosts, Log: m.Log, Responder: hr})
			}
			if hc, ok := m.Module.(HostClaimer); ok {
				d.Claim(name, hc.ClaimHost, e)
			}
		}
		extra := m.Deps.Module.Surface
		if extra == "" || (surface != extra && surface != "all") {
			continue
		}
		s, ok := m.Module.(Surfaced)
		if !ok {
			continue
		}
		e := rt.newEcho(m)
		s.Surface(extra, e)
		hosts := slices.Clone(m.Deps.Module.SurfaceHost)
		if dev {
			hosts = append(hosts, extra+"."+name+".localhost")
			if surface == extra {
				// A process serving only this surface also answers the module's dev name.
				hosts = append(hosts, name+".localhost")
			}
		}
		d.Mount(e, hosts...)
	}
	for _, name := range config.Names() {
		if mounted[name] {
			continue
		}
		mc := rt.Config.Modules[name]
		d.NotMounted(name, append(append(slices.Clone(mc.Hosts), mc.SurfaceHost...), name+".localhost")...)
	}
	rt.platform.SetAsk(d.ClaimedBy)
	rt.disp = d
	return d
}

// checks are the readiness probes of the mounted modules: each one's database and Redis, then
// the outside services the module names (Checker).
func (rt *Runtime) checks() []web.Check {
	var checks []web.Check
	for _, m := range rt.Mounted {
		checks = append(checks,
			web.Check{Module: m.Module.Name(), Name: "database", Run: m.DB.PingContext},
			web.Check{Module: m.Module.Name(), Name: "redis", Run: m.KV.Ping})
		if ch, ok := m.Module.(Checker); ok {
			checks = append(checks, ch.Checks()...)
		}
	}
	return checks
}

func (rt *Runtime) newEcho(m *Mounted) *echo.Echo {
	e := web.NewEcho(web.Options{Module: m.Module.Name(), Production: rt.Config.Production(), BodyLimit: rt.Config.BodyLimit,
		TrustedProxies: rt.Config.TrustedProxies, Log: m.Log, Metrics: rt.Metrics,
		RequestTimeout: rt.Config.RequestTimeout, UploadTimeout: rt.Config.UploadTimeout})
	e.Use(m.Accounts.Middleware())
	return e
}

// HotListener wraps ln so the mounted modules that answer from memory (web.HotResponder:
// Snapify's cached pages) serve those answers before net/http; call it after Handler. The
// server for it must come from NewServer, whose timeouts it shares.
// header is added to every hot answer, as the handlers wrapping the dispatcher add it to theirs.
func (rt *Runtime) HotListener(ln net.Listener, header ...web.HotHeader) net.Listener {
	if len(rt.hot) == 0 || !rt.Config.HotPath {
		return ln
	}
	return web.NewHotListener(ln, web.HotOptions{Routes: rt.hot, Production: rt.Config.Production(), Header: header,
		TrustedProxies: rt.Config.TrustedProxies, Metrics: rt.Metrics,
		ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout, WriteTimeout: writeTimeout})
}

// Dispatcher returns the dispatcher built by Handler.
func (rt *Runtime) Dispatcher() *web.Dispatcher { return rt.disp }

// StartBackground starts modules' in-process goroutines, and each module's session cache
// (which only a process that serves requests needs).
func (rt *Runtime) StartBackground(ctx context.Context) error {
	if rt.bgStop == nil {
		bctx, stop := context.WithCancel(context.WithoutCancel(ctx))
		rt.bgStop, rt.bgDone = stop, make(chan struct{})
		var wg sync.WaitGroup
		for _, m := range rt.Mounted {
			wg.Go(func() { _ = m.Accounts.Run(bctx) })
		}
		go func() { wg.Wait(); close(rt.bgDone) }()
	}
	for _, m := range rt.Mounted {
		if b, ok := m.Module.(Background); ok {
			if err := b.Start(ctx); err != nil {
				return fmt.Errorf("%s: start: %w", m.Module.Name(), err)
			}
		}
	}
	return nil
}

// StartWorkers runs River for every mounted module: queues plus leader-elected periodic jobs.
func (rt *Runtime) StartWorkers(ctx context.Context) error {
	for _, m := range rt.Mounted {
		periodic := []*river.PeriodicJob{cleanupJob(m.Module.Name())}
		if p, ok := m.Module.(Periodic); ok {
			periodic = append(periodic, p.PeriodicJobs()...)
		}
		w, err := jobs.NewWorker(ctx, jobs.WorkerConfig{Module: m.Module.Name(), DatabaseURL: dbURL(rt.Config, RoleWorker, m.Deps.Module.DatabaseURL),
			MaxConns: rt.Config.RiverMaxConns, Workers: m.Workers, Periodic: periodic, Log: quietRiver(m.Log), FetchPollInterval: rt.poll})
		if err != nil {
			return err
		}
		if err := w.Start(ctx); err != nil {
			return fmt.Errorf("%s: start worker: %w", m.Module.Name(), err)
		}
		rt.workers = append(rt.workers, w)
		m.Log.Info("worker started", "periodic_jobs", len(periodic))
	}
	return nil
}

// Workers returns the running River workers.
func (rt *Runtime) Workers() []*jobs.Worker { return rt.workers }

// Stop ends workers and background goroutines within ctx, then closes modules.
func (rt *Runtime) Stop(ctx context.Context) {
	for _, w := range rt.workers {
		if err := w.Stop(ctx); err != nil {
			rt.Log.Warn("worker stop", "module", w.Module, "err", err)
		}
	}
	rt.workers = nil
	if rt.bgStop != nil {
		rt.bgStop()
		select {
		case <-rt.bgDone:
		case <-ctx.Done():
		}
		rt.bgStop = nil
	}
	for _, m := range rt.Mounted {
		if b, ok := m.Module.(Background); ok {
			if err := b.Stop(ctx); err != nil {
				m.Log.Warn("background stop", "err", err)
			}
		}
		if c, ok := m.Module.(Closer); ok {
			if err := c.Close(ctx); err != nil {
				m.Log.Warn("close", "err", err)
			}
		}
	}
}

// Close releases pools.
func (rt *Runtime) Close() {
	for _, m := range rt.Mounted {
		m.DB.Close()
		m.KV.Close()
	}
}

// Seed runs each mounted module's demo data.
func (rt *Runtime) Seed(ctx context.Context) error {
	for _, m := range rt.Mounted {
		s, ok := m.Module.(Seeder)
		if !ok {
			m.Log.Info("no demo data for this module")
			continue
		}
		if err := s.Seed(ctx); err != nil {
			return fmt.Errorf("%s: seed: %w", m.Module.Name(), err)
		}
		m.Log.Info("demo data ready")
	}
	return nil
}

// quietRiver keeps River's per-job info logs out of the access log stream.
func quietRiver(log *slog.Logger) *slog.Logger {
	return slog.New(minLevel{log.Handler(), slog.LevelWarn})
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.Handler.Enabled(ctx, l)
}

// Describe lists mounted module names.
func (rt *Runtime) Describe() string {
	var names []string
	for _, m := range rt.Mounted {
		names = append(names, m.Module.Name())
	}
	return strings.Join(names, ",")
}

// shutdownGrace bounds how long in-flight work may take once a stop is asked for.
func (rt *Runtime) shutdownGrace() time.Duration {
	if rt.Config.ShutdownGrace > 0 {
		return rt.Config.ShutdownGrace
	}
	return 20 * time.Second
}
