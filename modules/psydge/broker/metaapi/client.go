// Package metaapi is a Broker over MetaApi's REST API (metaapi.cloud), which fronts a real
// MT4/MT5 account: the trading-terminal API for account state and trades, and the market-data
// API for historical candles, both authenticated with the `auth-token` header.
package metaapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/shared/clock"
)

// Config configures a Client.
type Config struct {
	// BaseURL is the trading-terminal API, https://mt-client-api-v1.{region}.agiliumtrade.ai.
	BaseURL string
	// MarketDataURL is the historical market-data API,
	// https://mt-market-data-client-api-v1.{region}.agiliumtrade.ai.
	MarketDataURL string
	Token         string
	AccountID     string
	// HTTPClient defaults to one with a 60-second timeout (MetaApi's trade calls wait for the
	// terminal; candles can take longer and should get a context with a longer deadline).
	HTTPClient *http.Client
	Clock      clock.Clock // for Retry-After dates; clock.System{} when nil
	// Sleep waits between rate-limited attempts; tests inject one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxRetries is how many times a 429 answer is retried (default 3).
	MaxRetries int
	// MaxRetryWait is the longest Retry-After honoured; a longer one fails at once with
	// ErrRateLimited rather than hold a request open (default 30s).
	MaxRetryWait time.Duration
}

// RegionURLs returns MetaApi's production URLs for a region such as "new-york" or "london".
func RegionURLs(region string) (baseURL, marketDataURL string) {
	return "https://mt-client-api-v1." + region + ".agiliumtrade.ai",
		"https://mt-market-data-client-api-v1." + region + ".agiliumtrade.ai"
}

// Client is a broker.Broker for one MetaApi account. Safe for concurrent use.
type Client struct {
	base, marketData string
	token, account   string
	http             *http.Client
	clk              clock.Clock
	sleep            func(context.Context, time.Duration) error
	maxRetries       int
	maxRetryWait     time.Duration

	mu       sync.Mutex
	currency string
}

var _ broker.Broker = (*Client)(nil)

// New checks the configuration and builds a Client.
func New(cfg Config) (*Client, error) {
	if cfg.Token == "" || cfg.AccountID == "" {
		return nil, errors.New("metaapi: token and account id are required")
	}
	for _, u := range []string{cfg.BaseURL, cfg.MarketDataURL} {
		p, err := url.Parse(u)
		if err != nil || p.Scheme == "" || p.Host == "" {
			return nil, fmt.Errorf("metaapi: base URL %q must be absolute", u)
		}
	}
	c := &Client{
		base:         strings.TrimRight(cfg.BaseURL, "/"),
		marketData:   strings.TrimRight(cfg.MarketDataURL, "/"),
		token:        cfg.Token,
		account:      cfg.AccountID,
		http:         cfg.HTTPClient,
		clk:          cfg.Clock,
		sleep:        cfg.Sleep,
		maxRetries:   cfg.MaxRetries,
		maxRetryWait: cfg.MaxRetryWait,
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: 60 * time.Second}
	}
	if c.clk == nil {
		c.clk = clock.System{}
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.maxRetries <= 0 {
		c.maxRetries = 3
	}
	if c.maxRetryWait <= 0 {
		c.maxRetryWait = 30 * time.Second
	}
	return c, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// APIError is a non-2xx answer from MetaApi: its HTTP status and its error body
// ({"id", "error", "message", "details"}).
type APIError struct {
	Status     int
	Name       string // MetaApi's error name, e.g. ValidationError, NotFoundError
	Message    string
	Details    json.RawMessage
	RetryAfter time.Duration // for 429
	Op         string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("metaapi: %s: HTTP %d %s: %s", e.Op, e.Status, e.Name, e.Message)
}

// Is maps the status to the broker package's sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case broker.ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case broker.ErrForbidden:
		return e.Status == http.StatusForbidden
	case broker.ErrNotFound:
		return e.Status == http.StatusNotFound
	case broker.ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case broker.ErrUnavailable:
		return e.Status >= 500
	case broker.ErrInvalidRequest:
		return e.Status == http.StatusBadRequest || e.Status == http.StatusUnprocessableEntity
	}
	return false
}

// UnknownOutcomeError is a trade request whose fate is unknown: it matches
// broker.ErrUnknownOutcome and wraps the transport or server error behind it.
type UnknownOutcomeError struct {
	ClientID string
	Err      error
}

func (e *UnknownOutcomeError) Error() string {
	return fmt.Sprintf("metaapi: trade clientId %q may or may not have executed: %v", e.ClientID, e.Err)
}

func (e *UnknownOutcomeError) Is(target error) bool { return target == broker.ErrUnknownOutcome }
func (e *UnknownOutcomeError) Unwrap() error        { return e.Err }

// request describes one call.
type request struct {
	op     string
	method string
	url    string
	body   any
	out    any
	// trade marks a non-idempotent POST whose failures after sending are unknown outcomes.
	trade    bool
	clientID string
}

const maxBody = 8 << 20

func (c *Client) do(ctx context.Context, r request) error {
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("metaapi: %s: encode: %w", r.op, err)
		}
	}
	for attempt := 0; ; attempt++ {
		// A context already over means nothing is sent, so that is not an unknown outcome.
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("metaapi: %s: %w", r.op, err)
		}
		req, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(payload))
		if err != nil {
			return fmt.Errorf("metaapi: %s: %w", r.op, err)
		}
		req.Header.Set("auth-token", c.token)
		req.Header.Set("Accept", "application/json")
		if payload != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.http.Do(req)
		if err != nil {
			if r.trade {
				return &UnknownOutcomeError{ClientID: r.clientID, Err: fmt.Errorf("%s: %w", r.op, err)}
			}
			return fmt.Errorf("metaapi: %s: %w: %w", r.op, broker.ErrUnavailable, err)
		}
		body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		if readErr != nil {
			if r.trade {
				return &UnknownOutcomeError{ClientID: r.clientID, Err: fmt.Errorf("%s: read answer: %w", r.op, readErr)}
			}
			return fmt.Errorf("metaapi: %s: read answer: %w: %w", r.op, broker.ErrUnavailable, readErr)
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if r.out == nil {
				return nil
			}
			if err := json.Unmarshal(body, r.out); err != nil {
				if r.trade {
					return &UnknownOutcomeError{ClientID: r.clientID, Err: fmt.Errorf("%s: decode answer: %w", r.op, err)}
				}
				return fmt.Errorf("metaapi: %s: decode answer: %w", r.op, err)
			}
			return nil
		}
		apiErr := c.apiError(r.op, resp, body)
		if resp.StatusCode == http.StatusTooManyRequests {
			// A 429 is refused before execution, so retrying a trade cannot double it.
			if attempt >= c.maxRetries || apiErr.RetryAfter > c.maxRetryWait {
				return apiErr
			}
			if err := c.sleep(ctx, apiErr.RetryAfter); err != nil {
				return fmt.Errorf("metaapi: %s: waiting out rate limit: %w", r.op, err)
			}
			continue
		}
		if r.trade && resp.StatusCode >= 500 {
			return &UnknownOutcomeError{ClientID: r.clientID, Err: apiErr}
		}
		return apiErr
	}
}

func (c *Client) apiError(op string, resp *http.Response, body []byte) *APIError {
	var wire struct {
		Error    string          `json:"error"`
		Message  string          `json:"message"`
		Details  json.RawMessage `json:"details"`
		Metadata struct {
			RecommendedRetryTime string `json:"recommendedRetryTime"`
		} `json:"metadata"`
	}
	_ = json.Unmarshal(body, &wire) // a proxy's HTML error page still gets a typed error
	e := &APIError{Op: op, Status: resp.StatusCode, Name: wire.Error, Message: wire.Message, Details: wire.Details}
	if e.Name == "" {
		e.Name = http.StatusText(resp.StatusCode)
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		e.RetryAfter = c.retryAfter(resp.Header.Get("Retry-After"), wire.Metadata.RecommendedRetryTime)
	}
	return e
}

// retryAfter reads Retry-After (seconds or an HTTP date), else the body's
// recommendedRetryTime, else one second.
func (c *Client) retryAfter(header, recommended string) time.Duration {
	now := c.clk.Now()
	d := time.Second
	switch {
	case header != "":
		if secs, err := strconv.Atoi(strings.TrimSpace(header)); err == nil {
			d = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(header); err == nil {
			d = t.Sub(now)
		}
	case recommended != "":
		if t, err := time.Parse(time.RFC3339Nano, recommended); err == nil {
			d = t.Sub(now)
		}
	}
	return max(d, 0)
}

func (c *Client) accountURL(path string) string {
	return c.base + "/users/current/accounts/" + url.PathEscape(c.account) + path
}
