package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
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
}

// NewPlatform builds the platform handler; ask may be nil.
func NewPlatform(checks []Check, ask func(ctx context.Context, host string) (string, bool, error)) *Platform {
	return &Platform{checks: checks, ask: ask}
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
		p.ready(w, r)
	case "/internal/tls/ask":
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

func (p *Platform) ready(w http.ResponseWriter, r *http.Request) {
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
