package ai

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/alorig/alorig/shared/clock"
)

// Options configure a Client.
type Options struct {
	// Provider answers calls; nil means the offline provider.
	Provider Provider
	// Speech transcribes voice notes (transcribe.go); nil means the Provider when that is
	// OpenAI, else no transcriber (Transcribe returns ErrNoTranscriber).
	Speech *OpenAI
	// Timeout is the default deadline of a call, retries included (default 30 s).
	Timeout time.Duration
	// MaxRetries bounds the retries after a retryable error (default 3; negative: none).
	MaxRetries int
	// BaseBackoff is the first back-off when the provider names no retry-after (default
	// 500 ms); it doubles per retry, with jitter, up to 8 s.
	BaseBackoff time.Duration
	Clock       clock.Clock
	Log         *slog.Logger
	// Sleep waits d or until ctx ends; tests replace it to see the waits without taking them.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client calls a Provider with deadlines, retries, validation, accounting and audit.
type Client struct {
	o Options
}

// New builds a client.
func New(o Options) *Client {
	if o.Provider == nil {
		o.Provider = Offline{}
	}
	if p, ok := o.Provider.(*OpenAI); ok && o.Speech == nil {
		o.Speech = p
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 3
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = 500 * time.Millisecond
	}
	if o.Clock == nil {
		o.Clock = clock.System{}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return &Client{o: o}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Provider names the provider answering calls ("anthropic", "openai", "offline").
func (c *Client) Provider() string { return c.o.Provider.Name() }

// Model is the provider's default model.
func (c *Client) Model() string { return c.o.Provider.Model() }

// IsOffline reports whether the rules-based provider answers.
func (c *Client) IsOffline() bool { return c.o.Provider.Name() == OfflineName }

// Call runs req and records it with audit (nil: not recorded). The error is one of
// ErrInvalidOutput, ErrTimeout, ErrNoOfflineRules or an *APIError, wrapped.
func (c *Client) Call(ctx context.Context, req *Request, audit Auditor) (*Response, error) {
	timeout := req.Timeout
	if timeout <= 0 {
		timeout = c.o.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Latency is measured on the monotonic clock: it is a measurement, not a business rule.
	started := time.Now()
	p := c.o.Provider
	resp := &Response{Provider: p.Name(), Model: p.Model(), Offline: p.Name() == OfflineName}
	var comp *Completion
	err := checkImages(req.Images)
	if err == nil {
		comp, err = c.attempts(ctx, p, req, resp)
	}
	if comp != nil {
		resp.Text = comp.Text
		if comp.Model != "" {
			resp.Model = comp.Model
		}
		if err == nil && req.Schema != nil {
			resp.JSON, err = req.Schema.Validate(comp.Text)
		} else if err == nil && len(comp.Text) > MaxOutputBytes {
			err = fmt.Errorf("%w: %d bytes, more than %d", ErrInvalidOutput, len(comp.Text), MaxOutputBytes)
		}
	}
	resp.Latency = time.Since(started)
	resp.CostMicroUSD, resp.Priced = Cost(resp.Model, resp.Usage)
	if resp.Offline {
		resp.Priced = true
	}
	if err != nil && ctx.Err() != nil && !errors.Is(err, ErrInvalidOutput) {
		err = fmt.Errorf("%w (%s): %v", ErrTimeout, timeout, err)
	}
	c.audit(ctx, req, resp, err, audit)
	if err != nil {
		return resp, fmt.Errorf("ai: %s: %w", req.Task, err)
	}
	return resp, nil
}

// attempts calls the provider until an answer, a final error, or the deadline, adding every
// attempt's usage to resp.
func (c *Client) attempts(ctx context.Context, p Provider, req *Request, resp *Response) (*Completion, error) {
	for attempt := 0; ; attempt++ {
		resp.Attempts++
		comp, err := p.Complete(ctx, req)
		if comp != nil {
			resp.Usage.InputTokens += comp.Usage.InputTokens
			resp.Usage.OutputTokens += comp.Usage.OutputTokens
		}
		if err == nil {
			return comp, nil
		}
		var ae *APIError
		if !errors.As(err, &ae) || !ae.Retryable() || attempt >= c.o.MaxRetries || c.o.MaxRetries < 0 {
			return comp, err
		}
		wait := c.backoff(ae, attempt)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			// The provider asked for a pause longer than the call may last: waiting would
			// only end in the deadline, so the call ends now with the provider's answer.
			return comp, err
		}
		c.o.Log.Info("ai: retrying", "task", req.Task, "provider", p.Name(), "status", ae.Status, "type", ae.Type, "wait", wait)
		if serr := c.o.Sleep(ctx, wait); serr != nil {
			return comp, err
		}
	}
}

// backoff is the wait before retry n+1: what the provider asked for, else an exponential
// back-off from BaseBackoff with jitter, at most 8 s.
func (c *Client) backoff(ae *APIError, n int) time.Duration {
	if ae.RetryAfter > 0 {
		return ae.RetryAfter
	}
	wait := min(c.o.BaseBackoff<<n, 8*time.Second)
	return wait/2 + rand.N(wait/2+1)
}

// CanTranscribe reports whether voice notes can be transcribed (an OpenAI key is set).
func (c *Client) CanTranscribe() bool { return c.o.Speech != nil }

func (c *Client) audit(ctx context.Context, req *Request, resp *Response, err error, audit Auditor) {
	if audit == nil {
		return
	}
	r := &Record{Task: req.Task, Provider: resp.Provider, Model: resp.Model, InputTokens: resp.Usage.InputTokens,
		OutputTokens: resp.Usage.OutputTokens, CostMicroUSD: resp.CostMicroUSD, Priced: resp.Priced, Latency: resp.Latency,
		Attempts: resp.Attempts, Outcome: OutcomeOK, Ephemeral: req.Ephemeral, At: c.o.Clock.Now()}
	if err != nil {
		r.Outcome, r.Error = outcomeOf(err), err.Error()
	}
	if !req.Ephemeral {
		r.Input, r.Output = req.Input, resp.Text
	} else if err != nil {
		// An error's text may quote the answer (a schema failure does): keep only its kind.
		r.Error = string(r.Outcome)
	}
	// The audit is written even when the call's own deadline has passed.
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if aerr := audit.Audit(actx, r); aerr != nil {
		c.o.Log.Error("ai: audit not recorded", "task", req.Task, "outcome", r.Outcome, "err", aerr)
	}
}
