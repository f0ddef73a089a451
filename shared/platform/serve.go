package platform

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/shared/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"riverqueue.com/riverui"
)

// Listen binds addr, turning "address already in use" into an actionable message; setting
// names the flag or variable that moves this listener.
func Listen(addr, setting string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("cannot listen on %s: the port is already in use (stop the other process, or set %s)", addr, setting)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}

// The server's timeouts, shared with the hot path (Runtime.HotListener).
const (
	readHeaderTimeout = 10 * time.Second
	writeTimeout      = 10 * time.Minute
	idleTimeout       = 120 * time.Second
)

// NewServer wraps h with the platform's timeouts.
//
// There is deliberately no ReadTimeout: it bounds the whole request body, and an 8 MB photo on
// a 3G link takes minutes, so any one value either cuts real uploads or lets slow clients hold
// connections for as long. Instead headers must arrive within ReadHeaderTimeout, and each
// request's body and handler are bounded per route by web.Deadline (ALORIG_REQUEST_TIMEOUT,
// and ALORIG_UPLOAD_TIMEOUT on routes with web.AllowBody), which sets the connection's read
// deadline and cancels the request's context; web.BodyLimit bounds the size. WriteTimeout is
// generous for the same reason (a large answer to a slow phone); WebSocket connections are
// hijacked and clear their own deadlines.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           web.HotHandoff(h),
		ReadHeaderTimeout: readHeaderTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ConnContext:       web.ConnContext, // web.WriteWhole sends a cached page in one packet
	}
}

// Run serves on the listeners until ctx is cancelled (SIGTERM/SIGINT), then shuts down
// gracefully: stop accepting, let in-flight requests finish within the grace period, stop
// modules (WebSocket close frames) and River workers, and return nil.
func (rt *Runtime) Run(ctx context.Context, servers map[net.Listener]*http.Server) error {
	errc := make(chan error, len(servers))
	for ln, srv := range servers {
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	rt.Log.Info("shutting down", "grace", rt.shutdownGrace())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rt.shutdownGrace())
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil {
			rt.Log.Warn("shutdown", "err", err)
		}
	}
	// Hijacked WebSocket connections are not tracked by Shutdown: Stop closes them with close
	// frames (Closer), then stops River so running jobs finish.
	rt.Stop(sctx)
	rt.Close()
	return runErr
}

// AdminHandler serves /metrics, /readyz with details, profiles and River UI for the mounted modules. When token is set, every
// request must carry it as a Bearer token.
func (rt *Runtime) AdminHandler(ctx context.Context, reg *prometheus.Registry, token string) (http.Handler, error) {
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	jg := &jobGauge{dbs: map[string]*sql.DB{}}
	reg.MustRegister(jg)
	for _, m := range rt.Mounted {
		name := m.Module.Name()
		reg.MustRegister(collectors.NewDBStatsCollector(m.DB.DB, name))
		jg.dbs[name] = m.DB.DB
		client, err := river.NewClient(riverdatabasesql.New(m.DB.DB), &river.Config{Logger: quietRiver(m.Log)})
		if err != nil {
			return nil, err
		}
		prefix := "/riverui/" + name
		ui, err := riverui.NewHandler(&riverui.HandlerOpts{
			Endpoints: riverui.NewEndpoints(client, nil), Logger: quietRiver(m.Log), Prefix: prefix,
		})
		if err != nil {
			return nil, fmt.Errorf("%s: River UI: %w", name, err)
		}
		if err := ui.Start(ctx); err != nil {
			return nil, fmt.Errorf("%s: River UI: %w", name, err)
		}
		mux.Handle(prefix+"/", ui)
	}
	// Workers have no public listener: their container health check asks here.
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	// Readiness with every check's error and note: the admin listener is loopback or behind
	// the token, so the details that public hosts keep to callers on the machine are shown
	// here. A worker has no public listener, so this is its only /readyz.
	mux.Handle("/readyz", web.NewPlatform(rt.checks(), nil).ReadyDetails())
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	// Profiles of the running process (CPU, heap, goroutines), behind the same token.
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "alorig admin: /metrics, /readyz, /debug/pprof/")
		for _, m := range rt.Mounted {
			fmt.Fprintf(w, "River UI: /riverui/%s/\n", m.Module.Name())
		}
	})
	if token == "" {
		return mux, nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" { // container health checks carry no token
			mux.ServeHTTP(w, r)
			return
		}
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", "Bearer")
			http.Error(w, "admin token required", http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	}), nil
}

// CheckAdminAddr refuses a non-loopback admin listener without a token.
func CheckAdminAddr(cfg *config.Config) error {
	if cfg.AdminAddr == "" || cfg.AdminAddr == "off" {
		return nil
	}
	if !config.IsLoopbackAddr(cfg.AdminAddr) && cfg.AdminToken == "" {
		return fmt.Errorf("ALORIG_ADMIN_ADDR %s is not loopback: set ALORIG_ADMIN_TOKEN too", cfg.AdminAddr)
	}
	return nil
}

// jobGauge reports River jobs by module and state at scrape time.
type jobGauge struct {
	dbs map[string]*sql.DB
}

var jobDesc = prometheus.NewDesc("alorig_river_jobs", "River jobs by module and state.", []string{"module", "state"}, nil)

func (g *jobGauge) Describe(ch chan<- *prometheus.Desc) { ch <- jobDesc }

func (g *jobGauge) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for module, db := range g.dbs {
		rows, err := db.QueryContext(ctx, "SELECT state::text, count(*) FROM river_job GROUP BY state")
		if err != nil {
			continue
		}
		for rows.Next() {
			var state string
			var n float64
			if rows.Scan(&state, &n) == nil {
				ch <- prometheus.MustNewConstMetric(jobDesc, prometheus.GaugeValue, n, module, state)
			}
		}
		rows.Close()
	}
}
