// Command alorig hosts Alorig's six products as modules of one binary. This file is the
// composition root: it reads the command line and the environment, builds every dependency by
// hand, and hands them to the platform runtime.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/migrations"
	"github.com/alorig/alorig/modules"
	"github.com/alorig/alorig/shared/billing"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/ephemeris"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/prometheus/client_golang/prometheus"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `alorig — Psydge, Snapify, Site Builder, Observer OS, AstroTiming and ASMS in one binary.

Usage:
  alorig serve       --apps=LIST [--surface=web|ws|cms|all] [--addr=HOST:PORT] [--with-worker]
  alorig worker      --apps=LIST
  alorig migrate     --app=NAME | --all [--status]
  alorig seed        --app=NAME | --all
  alorig rotate-keys --app=NAME
  alorig billing grant --app=NAME --user=EMAIL|ID --plan=PLAN [--until=RFC3339|DURATION]
  alorig health      [--url=http://127.0.0.1:PORT/healthz]
  alorig version

LIST is a comma-separated list of psydge, snapify, sitebuilder, observer, astrotiming, asms, or all.
Every flag has an environment twin (ALORIG_APPS, ALORIG_ADDR, …); see config/alorig.env.example.
Run "alorig COMMAND --help" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if code := exitCode(err); code != 0 {
		fmt.Fprintln(os.Stderr, "alorig:", oneLine(err))
		os.Exit(code)
	}
}

// usageError is a command line the program cannot read (an unknown command or flag, a missing
// or extra argument): exit status 2, as flag and most Unix tools use, where 1 means a command
// that was understood failed.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// exitCode is the process's exit status for run's error: 0 also for help that was asked for.
func exitCode(err error) int {
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		return 2
	}
	return 1
}

func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

func run(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageErrorf("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version":
		printVersion(stdout, getenv)
		return nil
	case "health":
		return health(ctx, rest, getenv, stdout, stderr)
	}
	if cmd == "billing" {
		// One subcommand today; the word keeps room for others (show, revoke).
		if len(rest) == 0 || rest[0] != "grant" {
			fmt.Fprint(stderr, usage)
			return usageErrorf("billing: the subcommand is grant")
		}
		rest = rest[1:]
	}
	inv, err := parseCommand(cmd, rest, getenv, stdout, stderr)
	if err != nil {
		return err
	}
	cfg, status := inv.cfg, inv.status

	log := newLogger(cfg.LogLevel, stderr)
	clk, fixed, err := clock.Parse(cfg.Clock)
	if err != nil {
		return err
	}
	if fixed {
		log.Warn("clock is not the system clock", "ALORIG_CLOCK", cfg.Clock, "now", clk.Now().UTC().Format(time.RFC3339))
	}
	keys := cfg.EncryptionKeys
	if keys == "" {
		keys = config.DevelopmentKeys
		log.Warn("ALORIG_ENCRYPTION_KEYS is not set: using the development key (refused in production)")
	}
	keyring, err := secret.Parse(keys)
	if err != nil {
		return err
	}

	switch cmd {
	case "migrate":
		return migrate(ctx, cfg, log, stdout, status)
	case "seed":
		if cfg.Production() {
			// Demo accounts with known passwords, and their keys in the log, have no place there.
			return errors.New("seed: refused with ALORIG_ENV=production: it creates demo accounts and logs their passwords and API keys")
		}
		return withRuntime(ctx, cfg, log, clk, keyring, platform.RoleSeed, nil, func(rt *platform.Runtime) error {
			if err := rt.CheckSchemas(ctx); err != nil {
				return err
			}
			return rt.Seed(ctx)
		})
	case "rotate-keys":
		return withRuntime(ctx, cfg, log, clk, keyring, platform.RoleMigrate, nil, func(rt *platform.Runtime) error {
			return rotateKeys(ctx, rt, stdout)
		})
	case "billing":
		if cfg.Production() {
			return errors.New("billing grant: refused with ALORIG_ENV=production: plans there come from Stripe")
		}
		return withRuntime(ctx, cfg, log, clk, keyring, platform.RoleMigrate, nil, func(rt *platform.Runtime) error {
			return billingGrant(ctx, rt, inv.grant, clk, stdout)
		})
	case "worker":
		return worker(ctx, cfg, log, clk, keyring)
	default:
		return serve(ctx, cfg, log, clk, keyring, stdout)
	}
}

// invocation is a subcommand's command line resolved against the environment: what the
// command goes on to use, and nothing else.
type invocation struct {
	cfg    *config.Config // Apps resolved; serve's Surface, Addr and WithWorker applied
	status bool           // migrate --status
	grant  grantFlags     // billing grant
}

// commandFlags declares cmd's flags over cfg. Each flag is one the command reads: serve and
// worker take --apps (a list), migrate, seed and rotate-keys take --app (and --all).
func commandFlags(cmd string, cfg *config.Config) (*flag.FlagSet, *cmdFlags, error) {
	fs := flag.NewFlagSet("alorig "+cmd, flag.ContinueOnError)
	f := &cmdFlags{}
	switch cmd {
	case "serve", "worker":
		fs.StringVar(&f.apps, "apps", strings.Join(cfg.Apps, ","), "modules to run: comma-separated names or all (ALORIG_APPS)")
		if cmd == "serve" {
			fs.StringVar(&cfg.Surface, "surface", cfg.Surface, "web, ws (psydge), cms (sitebuilder) or all; default web for one module, all for several (ALORIG_SURFACE)")
			fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address; default the module's port, or :8080 for several (ALORIG_ADDR)")
			fs.BoolVar(&cfg.WithWorker, "with-worker", cfg.WithWorker, "also run River workers and periodic jobs (ALORIG_WITH_WORKER)")
		}
	case "billing":
		f.one = true
		fs.StringVar(&f.app, "app", cfg.App, "the module that sells the plan: psydge or astrotiming (ALORIG_APP)")
		fs.StringVar(&f.grant.user, "user", "", "the user: email or id")
		fs.StringVar(&f.grant.plan, "plan", "", "the plan (psydge: vista; astrotiming: developer, premium); the free plan revokes")
		fs.StringVar(&f.grant.until, "until", "", "when the grant ends: an RFC 3339 time or a duration such as 720h (default: until revoked)")
	case "migrate", "seed", "rotate-keys":
		f.one = true
		fs.StringVar(&f.app, "app", cfg.App, "the module (ALORIG_APP)")
		if cmd != "rotate-keys" {
			fs.BoolVar(&f.all, "all", false, "every module")
		}
		if cmd == "migrate" {
			fs.BoolVar(&f.status, "status", false, "list applied and pending migrations; change nothing")
		}
	default:
		return nil, nil, usageErrorf("unknown command %q", cmd)
	}
	return fs, f, nil
}

type cmdFlags struct {
	apps, app        string
	one, all, status bool
	grant            grantFlags
}

// parseFlags parses args into fs. Help that was asked for goes to stdout and ends the program
// with status 0; a command line fs cannot read gets the flags on stderr and status 2 (main
// prints the error itself, once).
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	printUsage := func(w io.Writer) {
		fs.SetOutput(w)
		fmt.Fprintf(w, "Usage of %s:\n", fs.Name())
		fs.PrintDefaults()
	}
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		printUsage(stdout)
		return flag.ErrHelp
	case err != nil:
		printUsage(stderr)
		return usageError{err}
	case fs.NArg() > 0:
		return usageErrorf("%s: unexpected argument %q", strings.TrimPrefix(fs.Name(), "alorig "), fs.Arg(0))
	}
	return nil
}

// parseCommand reads cmd's flags over the environment's configuration.
func parseCommand(cmd string, args []string, getenv config.Getenv, stdout, stderr io.Writer) (*invocation, error) {
	cfg, cfgErr := config.Load(getenv)
	fs, f, err := commandFlags(cmd, cfg)
	if err != nil {
		fmt.Fprint(stderr, usage)
		return nil, err
	}
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return nil, err
	}
	if cfgErr != nil {
		return nil, cfgErr
	}
	if !f.one {
		list, err := config.ParseApps(f.apps)
		if err != nil {
			return nil, usageErrorf("--apps: %w", err)
		}
		cfg.Apps = list
		return &invocation{cfg: cfg}, nil
	}
	switch {
	case f.all && f.app != "":
		return nil, usageErrorf("%s: give --app=NAME or --all, not both", cmd)
	case f.all:
		cfg.Apps = config.Names()
	case f.app == "":
		return nil, usageErrorf("%s: name a module with --app=NAME (one of %s)%s", cmd, strings.Join(config.Names(), ", "),
			map[bool]string{true: "", false: " or use --all"}[cmd == "rotate-keys" || cmd == "billing"])
	default:
		list, err := config.ParseApps(f.app)
		if err != nil {
			return nil, usageErrorf("--app: %w", err)
		}
		if len(list) != 1 && cmd == "rotate-keys" {
			return nil, usageErrorf("rotate-keys: name one module")
		}
		cfg.Apps = list
	}
	if cmd == "billing" {
		if len(cfg.Apps) != 1 || f.grant.user == "" || f.grant.plan == "" {
			return nil, usageErrorf("billing grant: give --app=NAME (one module), --user and --plan")
		}
	}
	return &invocation{cfg: cfg, status: f.status, grant: f.grant}, nil
}

// newLogger writes JSON lines at level, which config.Load has checked.
func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func withRuntime(ctx context.Context, cfg *config.Config, log *slog.Logger, clk clock.Clock, kr *secret.Keyring,
	role platform.Role, reg *prometheus.Registry, fn func(*platform.Runtime) error) error {
	rt, err := platform.Open(ctx, cfg, platform.Options{Role: role, Apps: cfg.Apps, Registry: modules.Registry(),
		Log: log, Clock: clk, Keyring: kr, Metrics: reg})
	if err != nil {
		return err
	}
	defer rt.Close()
	if err := rt.Ping(ctx); err != nil {
		return err
	}
	return fn(rt)
}

func migrate(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer, status bool) error {
	for _, name := range cfg.Apps {
		mc := cfg.Modules[name]
		if !status {
			created, err := database.EnsureDatabase(ctx, mc.DatabaseURL)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if created {
				fmt.Fprintf(stdout, "%s: created database %s\n", name, mc.Database)
			}
		}
		db, err := database.Open(mc.DatabaseURL, 2)
		if err != nil {
			return err
		}
		src, err := migrations.For(name)
		if err != nil {
			db.Close()
			return err
		}
		if status {
			st, err := database.GetStatus(ctx, db, src)
			db.Close()
			if err != nil {
				return fmt.Errorf("%s: %w (has `alorig migrate --app=%s` created %s?)", name, err, name, mc.Database)
			}
			fmt.Fprintf(stdout, "%s (%s):\n", name, mc.Database)
			for _, a := range st.Applied {
				fmt.Fprintf(stdout, "  applied  %s\n", a)
			}
			for _, p := range st.Pending {
				fmt.Fprintf(stdout, "  pending  %s\n", p)
			}
			fmt.Fprintf(stdout, "  river    %d applied, %d pending\n", len(st.RiverApplied), len(st.RiverPending))
			continue
		}
		applied, err := database.Migrate(ctx, db, src, log)
		db.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(applied) == 0 {
			fmt.Fprintf(stdout, "%s: up to date\n", name)
		}
		for _, a := range applied {
			fmt.Fprintf(stdout, "%s: applied %s\n", name, a)
		}
	}
	return nil
}

func rotateKeys(ctx context.Context, rt *platform.Runtime, stdout io.Writer) error {
	for _, m := range rt.Mounted {
		s, ok := m.Module.(platform.Sealer)
		if !ok || len(s.SealedFields()) == 0 {
			fmt.Fprintf(stdout, "%s: no encrypted fields\n", m.Module.Name())
			continue
		}
		for _, f := range s.SealedFields() {
			rep, err := secret.Rotate(ctx, m.DB, rt.Keyring, f, 500)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: %s.%s re-encrypted %d, already on key %s %d\n", m.Module.Name(), f.Table, f.Column,
				rep.Rotated, rt.Keyring.Primary(), rep.Unchanged)
		}
	}
	return nil
}

func worker(ctx context.Context, cfg *config.Config, log *slog.Logger, clk clock.Clock, kr *secret.Keyring) error {
	reg := prometheus.NewRegistry()
	rt, err := platform.Open(ctx, cfg, platform.Options{Role: platform.RoleWorker, Apps: cfg.Apps, Registry: modules.Registry(),
		Log: log, Clock: clk, Keyring: kr, Metrics: reg})
	if err != nil {
		return err
	}
	if err := startChecks(ctx, rt); err != nil {
		rt.Close()
		return err
	}
	if err := rt.StartWorkers(ctx); err != nil {
		rt.Stop(context.Background())
		rt.Close()
		return err
	}
	servers, err := adminServers(ctx, rt, reg)
	if err != nil {
		rt.Stop(context.Background())
		rt.Close()
		return err
	}
	log.Info("worker running", "apps", rt.Describe())
	return rt.Run(ctx, servers)
}

func startChecks(ctx context.Context, rt *platform.Runtime) error {
	if err := rt.Ping(ctx); err != nil {
		return err
	}
	return rt.CheckSchemas(ctx)
}

func adminServers(ctx context.Context, rt *platform.Runtime, reg *prometheus.Registry) (map[net.Listener]*http.Server, error) {
	servers := map[net.Listener]*http.Server{}
	cfg := rt.Config
	if cfg.AdminAddr == "" || cfg.AdminAddr == "off" {
		return servers, nil
	}
	if err := platform.CheckAdminAddr(cfg); err != nil {
		return nil, err
	}
	h, err := rt.AdminHandler(ctx, reg, cfg.AdminToken)
	if err != nil {
		return nil, err
	}
	ln, err := platform.Listen(cfg.AdminAddr, "ALORIG_ADMIN_ADDR to another address, or off")
	if err != nil {
		return nil, fmt.Errorf("admin listener: %w", err)
	}
	servers[ln] = platform.NewServer(h)
	return servers, nil
}

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger, clk clock.Clock, kr *secret.Keyring, stdout io.Writer) error {
	start := time.Now()
	if err := cfg.ValidateSurface(); err != nil {
		return err
	}
	addr, err := cfg.ListenAddr()
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	rt, err := platform.Open(ctx, cfg, platform.Options{Role: platform.RoleServe, Apps: cfg.Apps, Registry: modules.Registry(),
		Log: log, Clock: clk, Keyring: kr, Metrics: reg})
	if err != nil {
		return err
	}
	fail := func(err error) error {
		rt.Stop(context.Background())
		rt.Close()
		return err
	}
	if err := startChecks(ctx, rt); err != nil {
		return fail(err)
	}
	ln, err := platform.Listen(addr, "--addr")
	if err != nil {
		return fail(err)
	}
	servers, err := adminServers(ctx, rt, reg)
	if err != nil {
		ln.Close()
		return fail(err)
	}
	offer := sourceOffer(cfg.SourceURL)
	h := offer.Wrap(rt.Handler(cfg.EffectiveSurface()))
	ln = rt.HotListener(ln, offer.Headers()...)
	servers[ln] = platform.NewServer(h)
	if err := rt.StartBackground(ctx); err != nil {
		ln.Close()
		return fail(err)
	}
	if cfg.WithWorker {
		if err := rt.StartWorkers(ctx); err != nil {
			ln.Close()
			return fail(err)
		}
	}
	log.Info("serving", "apps", rt.Describe(), "surface", cfg.EffectiveSurface(), "addr", ln.Addr().String(),
		"admin", cfg.AdminAddr, "with_worker", cfg.WithWorker, "ready_in", time.Since(start).String())
	if !cfg.Production() {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		for _, m := range rt.Mounted {
			host := m.Module.Name() + ".localhost"
			if s := cfg.EffectiveSurface(); s == "ws" || s == "cms" {
				host = s + "." + host
			}
			fmt.Fprintf(stdout, "  %-12s http://%s:%s/\n", m.Module.Name(), host, port)
		}
	}
	return rt.Run(ctx, servers)
}

func health(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("alorig health", flag.ContinueOnError)
	// A configuration error is the server's to report; the check only needs the address.
	cfg, _ := config.Load(getenv)
	def := cfg.HealthURL
	if def == "" {
		def = defaultHealthURL(cfg)
	}
	url := fs.String("url", def, "the URL to check (ALORIG_HEALTH_URL)")
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %s does not answer: %w", *url, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %s", *url, res.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// defaultHealthURL derives the port the container's serve listens on from the same env the
// serve command reads, so a Docker HEALTHCHECK needs no arguments.
func defaultHealthURL(cfg *config.Config) string {
	if cfg.Addr != "" {
		host, port, err := net.SplitHostPort(cfg.Addr)
		if err == nil {
			if host == "" || host == "0.0.0.0" || host == "::" {
				host = "127.0.0.1"
			}
			return "http://" + net.JoinHostPort(host, port) + "/healthz"
		}
	}
	if len(cfg.Apps) > 0 {
		if addr, err := cfg.ListenAddr(); err == nil {
			return "http://127.0.0.1" + addr + "/healthz"
		}
	}
	return "http://127.0.0.1:8080/healthz"
}

// grantFlags are billing grant's flags.
type grantFlags struct{ user, plan, until string }

// billingGrant gives a user a plan without Stripe, through the module's own billing, so the
// module's state (Psydge's tier, AstroTiming's keys) moves with it. It is the only way to
// grant a plan: no HTTP route does.
func billingGrant(ctx context.Context, rt *platform.Runtime, g grantFlags, clk clock.Clock, stdout io.Writer) error {
	m := rt.Mounted[0].Module
	seller, ok := m.(billing.Seller)
	if !ok {
		return usageErrorf("billing grant: %s sells no plans (%s do)", m.Name(), strings.Join(config.BillingModules, ", "))
	}
	b := seller.Billing()
	var until *time.Time
	if g.until != "" {
		t, err := time.Parse(time.RFC3339, g.until)
		if err != nil {
			d, derr := time.ParseDuration(g.until)
			if derr != nil || d <= 0 {
				return usageErrorf("billing grant: --until=%q: want an RFC 3339 time or a positive duration such as 720h", g.until)
			}
			t = clk.Now().Add(d)
		}
		until = &t
	}
	id, err := b.UserID(ctx, g.user)
	if err != nil {
		return err
	}
	if err := b.Grant(ctx, id, g.plan, until); err != nil {
		return err
	}
	end := "until revoked"
	if until != nil {
		end = "until " + until.UTC().Format(time.RFC3339)
	}
	if g.plan == b.Free() {
		end = "(grant revoked)"
	}
	fmt.Fprintf(stdout, "%s: user %d now holds %s %s\n", m.Name(), id, g.plan, end)
	return nil
}

// sourceOffer is the AGPL offer every listener makes at /source (see NOTICE).
func sourceOffer(url string) web.SourceOffer {
	return web.SourceOffer{URL: url, Version: version,
		Libraries: []web.Library{{Name: "libswe (Swiss Ephemeris)", Version: ephemeris.Version(), Licence: ephemeris.Licence}}}
}

// printVersion names the build, the linked Swiss Ephemeris and its licence, and where the
// source is offered. A configuration that does not load still gets an answer: the default
// source address.
func printVersion(w io.Writer, getenv config.Getenv) {
	src := config.DefaultSourceURL
	if cfg, err := config.Load(getenv); err == nil {
		src = cfg.SourceURL
	}
	fmt.Fprintln(w, "alorig", version)
	fmt.Fprintf(w, "libswe %s (Swiss Ephemeris, linked): %s\n", ephemeris.Version(), ephemeris.Licence)
	fmt.Fprintln(w, "licence: AGPL-3.0 for the program as built, since it links libswe; see NOTICE")
	fmt.Fprintln(w, "source:", src)
}
