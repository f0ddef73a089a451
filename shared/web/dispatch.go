package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/cache"
)

// Bounds of the in-process answers to host lookups. Unknown names are chosen by whoever sends
// a Host header or a TLS SNI, so "no" answers live only here, few and briefly: never in the
// shared Redis, where a flood of random names would crowd out every module's keys.
const (
	claimedTTL      = time.Minute
	claimedCapacity = 100_000
	unknownTTL      = time.Minute
	unknownCapacity = 10_000
)

// HostClaim is how a module claims hosts it only knows from its database: Snapify's custom
// domains, Site Builder's sites. It answers whether host is one of its own.
type HostClaim func(ctx context.Context, host string) (bool, error)

// Dispatcher picks a module's handler by the request's Host. It is the shape echo v5's
// NewVirtualHostHandler takes, so the upgrade from v4 stays mechanical.
type Dispatcher struct {
	exact     map[string]http.Handler // mounted hosts
	elsewhere map[string]string       // hosts of registered but unmounted modules → module
	claims    []*claim
	platform  http.Handler // /healthz, /readyz, /internal/tls/ask on every host

	claimed *cache.Local[string, *claim]   // host → the lookup that owns it
	unknown *cache.Local[string, struct{}] // hosts no lookup owns
}

type claim struct {
	module  string
	claim   HostClaim
	handler http.Handler
}

// NewDispatcher returns an empty dispatcher. platform serves the health endpoints.
func NewDispatcher(platform http.Handler) *Dispatcher {
	return NewDispatcherWithClock(platform, time.Now)
}

// NewDispatcherWithClock is NewDispatcher with the clock its cached lookups expire by.
func NewDispatcherWithClock(platform http.Handler, now func() time.Time) *Dispatcher {
	return &Dispatcher{
		exact:     map[string]http.Handler{},
		elsewhere: map[string]string{},
		platform:  platform,
		claimed:   cache.NewLocal[string, *claim](claimedCapacity, claimedTTL, now),
		unknown:   cache.NewLocal[string, struct{}](unknownCapacity, unknownTTL, now),
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
	d.claims = append(d.claims, &claim{module: module, claim: fn, handler: h})
}

// ForgetHost drops a cached lookup, for when a custom domain changes.
func (d *Dispatcher) ForgetHost(host string) {
	host = CanonicalHost(host)
	d.claimed.Delete(host)
	d.unknown.Delete(host)
}

// UnknownHosts is how many "no" answers are held in memory (at most 10,000).
func (d *Dispatcher) UnknownHosts() int { return d.unknown.Len() }

// ClaimedBy asks the lookups whether any mounted module owns host (for the TLS ask endpoint).
func (d *Dispatcher) ClaimedBy(ctx context.Context, host string) (string, bool, error) {
	host = CanonicalHost(host)
	if _, ok := d.exact[host]; ok {
		return "", false, nil // static names get certificates from the Caddyfile, not on demand
	}
	c, err := d.find(ctx, host)
	if err != nil || c == nil {
		return "", false, err
	}
	return c.module, true, nil
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
	c, err := d.find(ctx, host)
	if err != nil || c == nil {
		return nil
	}
	return c.handler
}

// find asks the lookups which one owns host, remembering the answer for a minute: a "yes" for
// up to 100,000 names, a "no" for up to 10,000 (the least recently asked make room). A failed
// lookup is not remembered: the database may be back on the next request.
func (d *Dispatcher) find(ctx context.Context, host string) (*claim, error) {
	if len(d.claims) == 0 || host == "" {
		return nil, nil
	}
	if c, ok := d.claimed.Get(host); ok {
		return c, nil
	}
	if _, ok := d.unknown.Get(host); ok {
		return nil, nil
	}
	for _, c := range d.claims {
		ok, err := c.claim(ctx, host)
		if err != nil {
			return nil, err
		}
		if ok {
			d.claimed.Set(host, c)
			return c, nil
		}
	}
	d.unknown.Set(host, struct{}{})
	return nil, nil
}
