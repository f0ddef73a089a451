package web

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/alorig/alorig/shared/cache"
)

// Check is one readiness probe: a database, a Redis keyspace, an outside service.
type Check struct {
	Module string
	Name   string
	// Run returns nil when ready. Optional checks report but never make /readyz fail: they
	// describe outside services the module can work without (an offline stand-in is used).
	Run      func(ctx context.Context) error
	Optional bool
	// Note is shown when the check passes (e.g. "offline stand-in: paper broker").
	Note string
}

// Platform serves the endpoints every listener and host answers.
type Platform struct {
	checks []Check
	ask    func(ctx context.Context, host string) (string, bool, error)

	// The TLS ask endpoint makes a database lookup per unknown name, and anyone who can open
	// a TLS connection with a made-up SNI makes the edge call it. Counted in memory (not in
	// Redis, which a flood must not fill) per calling address and in total, per minute.
	askPerIP, askTotal *cache.Local[string, int]
	askPerIPLimit      int
	askTotalLimit      int
}

// Default ceilings of /internal/tls/ask per minute. Real asks are rare: one per certificate
// issued for a new custom domain (renewals included), so a short burst is plenty.
const (
	DefaultAskPerIP = 60
	DefaultAskTotal = 300
)

// NewPlatform builds the platform handler; ask may be nil.
func NewPlatform(checks []Check, ask func(ctx context.Context, host string) (string, bool, error)) *Platform {
	p := &Platform{checks: checks, ask: ask}
	p.SetAskLimits(DefaultAskPerIP, DefaultAskTotal, time.Now)
	return p
}

// SetAskLimits sets how many /internal/tls/ask calls one address and all together may make
// per minute of now, before the endpoint answers 429.
func (p *Platform) SetAskLimits(perIP, total int, now func() time.Time) {
	p.askPerIPLimit, p.askTotalLimit = perIP, total
	p.askPerIP = cache.NewLocal[string, int](10_000, time.Minute, now)
	p.askTotal = cache.NewLocal[string, int](1, time.Minute, now)
}

// allowAsk counts one ask from r's peer; the total only counts asks the peer was allowed.
func (p *Platform) allowAsk(r *http.Request) bool {
	inc := func(n int, _ bool) int { return n + 1 }
	if p.askPerIP.Update(peerIP(r), inc) > p.askPerIPLimit {
		return false
	}
	return p.askTotal.Update("", inc) <= p.askTotalLimit
}

// peerIP is the address of the connection's other end. Forwarded headers are ignored on
// purpose: the only rightful caller of the ask endpoint is the edge proxy itself.
func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// localCaller reports a request made on this machine rather than relayed by a proxy: a
// loopback peer and no forwarding header (a proxy on the same machine adds them).
func localCaller(r *http.Request) bool {
	ip, err := netip.ParseAddr(peerIP(r))
	if err != nil || !ip.Unmap().IsLoopback() {
		return false
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-IP", "Forwarded"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}

// SetAsk sets the custom-domain question used by /internal/tls/ask.
func (p *Platform) SetAsk(ask func(ctx context.Context, host string) (string, bool, error)) {
	p.ask = ask
}

type checkResult struct {
	Module string `json:"module"`
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Error  string `json:"error,omitempty"`
	Note   string `json:"note,omitempty"`
}

func (p *Platform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch r.URL.Path {
	case "/healthz":
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	case "/readyz":
		p.ready(w, r, localCaller(r))
	case "/internal/tls/ask":
		if !p.allowAsk(r) {
			w.Header().Set("Retry-After", strconv.Itoa(60))
			WriteProblem(w, r, NewProblem(http.StatusTooManyRequests, "too many domain checks; try again in a minute").WithCode("RATE_LIMITED"))
			return
		}
		domain := CanonicalHost(r.URL.Query().Get("domain"))
		if domain == "" || p.ask == nil {
			WriteProblem(w, r, NotFound("unknown domain"))
			return
		}
		module, ok, err := p.ask(r.Context(), domain)
		if err != nil {
			WriteProblem(w, r, NewProblem(http.StatusServiceUnavailable, "cannot check the domain right now"))
			return
		}
		if !ok {
			WriteProblem(w, r, NotFound("unknown domain"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"domain": domain, "module": module})
	}
}

// ReadyDetails answers /readyz with every check's error and note, whoever asks: for the admin
// listener, which is loopback-only or behind a token.
func (p *Platform) ReadyDetails() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		p.ready(w, r, true)
	})
}

// ready runs every check. Errors and notes name hosts, paths and connection strings, so only
// a caller on this machine (or the admin listener) sees them; anyone else gets ok or failing
// per check and the same status code.
func (p *Platform) ready(w http.ResponseWriter, r *http.Request, details bool) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	results := make([]checkResult, len(p.checks))
	var wg sync.WaitGroup
	for i, c := range p.checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := checkResult{Module: c.Module, Name: c.Name, OK: true, Note: c.Note}
			if err := c.Run(ctx); err != nil {
				res.OK = false
				res.Error = err.Error()
				res.Note = ""
			}
			results[i] = res
		}()
	}
	wg.Wait()
	if !details {
		for i := range results {
			results[i].Error, results[i].Note = "", ""
		}
	}
	status := http.StatusOK
	for i, res := range results {
		if !res.OK && !p.checks[i].Optional {
			status = http.StatusServiceUnavailable
		}
	}
	word := "ready"
	if status != http.StatusOK {
		word = "not ready"
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": word, "checks": results})
}
