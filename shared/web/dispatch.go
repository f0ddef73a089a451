package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// HostClaim is how a module claims hosts it only knows from its database: Snapify's custom
// domains, Site Builder's sites. It answers whether host is one of its own.
type HostClaim func(ctx context.Context, host string) (bool, error)

// Dispatcher picks a module's handler by the request's Host. It is the shape echo v5's
// NewVirtualHostHandler takes, so the upgrade from v4 stays mechanical.
type Dispatcher struct {
	exact     map[string]http.Handler // mounted hosts
	elsewhere map[string]string       // hosts of registered but unmounted modules → module
	claims    []claim
	platform  http.Handler // /healthz, /readyz, /internal/tls/ask on every host

	mu       sync.RWMutex
	cache    map[string]cached
	cacheTTL time.Duration
	now      func() time.Time
}

type claim struct {
	module  string
	claim   HostClaim
	handler http.Handler
}

type cached struct {
	handler http.Handler
	expires time.Time
}

// NewDispatcher returns an empty dispatcher. platform serves the health endpoints.
func NewDispatcher(platform http.Handler) *Dispatcher {
	return &Dispatcher{
		exact:     map[string]http.Handler{},
		elsewhere: map[string]string{},
		platform:  platform,
		cache:     map[string]cached{},
		cacheTTL:  time.Minute,
		now:       time.Now,
	}
}

// Mount routes hosts to h.
func (d *Dispatcher) Mount(h http.Handler, hosts ...string) {
	for _, host := range hosts {
		d.exact[strings.ToLower(host)] = h
	}
}

// NotMounted records hosts of a module that exists but is not served by this process, so
// they answer 421 Misdirected Request instead of 404.
func (d *Dispatcher) NotMounted(module string, hosts ...string) {
	for _, host := range hosts {
		if _, mounted := d.exact[strings.ToLower(host)]; !mounted {
			d.elsewhere[strings.ToLower(host)] = module
		}
	}
}

// Claim adds a lookup for hosts that no static name matches.
func (d *Dispatcher) Claim(module string, fn HostClaim, h http.Handler) {
	d.claims = append(d.claims, claim{module: module, claim: fn, handler: h})
}

// ForgetHost drops a cached lookup, for when a custom domain changes.
func (d *Dispatcher) ForgetHost(host string) {
	d.mu.Lock()
	delete(d.cache, host)
	d.mu.Unlock()
}

// ClaimedBy asks the lookups whether any mounted module owns host (for the TLS ask endpoint).
func (d *Dispatcher) ClaimedBy(ctx context.Context, host string) (string, bool, error) {
	host = CanonicalHost(host)
	if _, ok := d.exact[host]; ok {
		return "", false, nil // static names get certificates from the Caddyfile, not on demand
	}
	for _, c := range d.claims {
		ok, err := c.claim(ctx, host)
		if err != nil {
			return "", false, err
		}
		if ok {
			return c.module, true, nil
		}
	}
	return "", false, nil
}

// CanonicalHost lower-cases a Host header and strips its port and a trailing dot.
func CanonicalHost(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	host = strings.TrimSuffix(host, ".")
	for i := 0; i < len(host); i++ {
		if c := host[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(host)
		}
	}
	return host
}

func (d *Dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz", "/readyz", "/internal/tls/ask":
		d.platform.ServeHTTP(w, r)
		return
	}
	host := CanonicalHost(r.Host)
	if h, ok := d.exact[host]; ok {
		h.ServeHTTP(w, r)
		return
	}
	if h := d.lookup(r.Context(), host); h != nil {
		h.ServeHTTP(w, r)
		return
	}
	if module, ok := d.elsewhere[host]; ok {
		WriteProblem(w, r, NewProblem(http.StatusMisdirectedRequest, "the "+module+" module is not served by this process"))
		return
	}
	WriteProblem(w, r, NotFound("no site is served at this host name"))
}

func (d *Dispatcher) lookup(ctx context.Context, host string) http.Handler {
	if len(d.claims) == 0 || host == "" {
		return nil
	}
	now := d.now()
	d.mu.RLock()
	c, ok := d.cache[host]
	d.mu.RUnlock()
	if ok && now.Before(c.expires) {
		return c.handler
	}
	var found http.Handler
	for _, cl := range d.claims {
		ok, err := cl.claim(ctx, host)
		if err != nil {
			// Do not cache failures: the database may be back on the next request.
			return nil
		}
		if ok {
			found = cl.handler
			break
		}
	}
	d.mu.Lock()
	if len(d.cache) > 100_000 {
		clear(d.cache) // bounded: a flood of random Host headers cannot grow memory without end
	}
	d.cache[host] = cached{handler: found, expires: now.Add(d.cacheTTL)}
	d.mu.Unlock()
	return found
}
