// Package whatsapp is Snapify's client for the WhatsApp Business Cloud API (Meta's Graph API):
// sending text, interactive and template messages, downloading media that buyers and sellers
// send, and checking webhook signatures. The base URL is configurable so tests and the demo
// run against the fake in the whatsapptest package.
package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultAPIBase and DefaultAPIVersion are used when the Config leaves them empty.
const (
	DefaultAPIBase    = "https://graph.facebook.com"
	DefaultAPIVersion = "v21.0"
)

// Config holds what the Cloud API needs. Token and PhoneNumberID come from the seller-facing
// WhatsApp Business account; AppSecret is the Meta app's secret used to sign webhooks.
type Config struct {
	Token         string
	PhoneNumberID string
	APIBase       string
	APIVersion    string
	AppSecret     string
}

// ErrNotConfigured is returned by every call of a client built without credentials, so the
// app keeps working (and says why messages are not going out) instead of failing at start-up.
var ErrNotConfigured = errors.New("WhatsApp is not configured: set ALORIG_SNAPIFY_WHATSAPP_TOKEN and ALORIG_SNAPIFY_WHATSAPP_PHONE_NUMBER_ID")

// Sentinel errors an *APIError unwraps to, so callers branch with errors.Is.
var (
	// ErrOutsideWindow: the recipient has not written in the last 24 hours, so only an approved
	// template may be sent (Graph error 131047).
	ErrOutsideWindow = errors.New("whatsapp: recipient is outside the 24-hour customer service window; send a template message")
	// ErrRateLimited: too many messages overall (130429, 4, 80007) or to one user (131056).
	ErrRateLimited = errors.New("whatsapp: rate limited")
	// ErrUnauthorized: the access token is invalid or expired (190) or lacks permission (10, 200).
	ErrUnauthorized = errors.New("whatsapp: access token rejected")
	// ErrTemplate: the template is unknown, paused, or its parameters do not match (132xxx).
	ErrTemplate = errors.New("whatsapp: template rejected")
	// ErrInvalidMessage is returned before any request when a message breaks Meta's limits,
	// and by the API for invalid parameters (100, 131008, 131009).
	ErrInvalidMessage = errors.New("whatsapp: invalid message")
)

// APIError is the Graph API's error object.
type APIError struct {
	HTTPStatus int
	Code       int
	Subcode    int
	Type       string
	Message    string
	Details    string
	FBTraceID  string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "whatsapp: graph error %d", e.Code)
	if e.Subcode != 0 {
		fmt.Fprintf(&b, "/%d", e.Subcode)
	}
	fmt.Fprintf(&b, " (HTTP %d): %s", e.HTTPStatus, e.Message)
	if e.Details != "" {
		fmt.Fprintf(&b, ": %s", e.Details)
	}
	if e.FBTraceID != "" {
		fmt.Fprintf(&b, " [fbtrace_id %s]", e.FBTraceID)
	}
	return b.String()
}

// Unwrap maps Meta's numeric codes onto the package's sentinels.
func (e *APIError) Unwrap() error {
	switch {
	case e.Code == 131047:
		return ErrOutsideWindow
	case e.Code == 130429 || e.Code == 131056 || e.Code == 4 || e.Code == 80007:
		return ErrRateLimited
	case e.Code == 190 || e.Code == 10 || e.Code == 200:
		return ErrUnauthorized
	case e.Code >= 132000 && e.Code < 133000:
		return ErrTemplate
	case e.Code == 100 || e.Code == 131008 || e.Code == 131009:
		return ErrInvalidMessage
	}
	return nil
}

// Client talks to the Cloud API. Build it with New; the zero value is not usable.
type Client struct {
	cfg        Config
	http       *http.Client
	configured bool
}

// New returns a client. When Token or PhoneNumberID is empty the client is still returned, but
// Configured reports false and every call returns ErrNotConfigured. httpClient may be nil.
func New(cfg Config, httpClient *http.Client) *Client {
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 20 * time.Second}
	}
	return &Client{
		cfg:        cfg,
		http:       httpClient,
		configured: cfg.Token != "" && cfg.PhoneNumberID != "",
	}
}

// Configured reports whether the client has credentials to send.
func (c *Client) Configured() bool { return c.configured }

// sendResponse is the success body of POST /{phone_number_id}/messages.
type sendResponse struct {
	Contacts []struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	} `json:"contacts"`
	Messages []struct {
		ID            string `json:"id"`
		MessageStatus string `json:"message_status"`
	} `json:"messages"`
}

type errorEnvelope struct {
	Error *struct {
		Message      string `json:"message"`
		Type         string `json:"type"`
		Code         int    `json:"code"`
		ErrorSubcode int    `json:"error_subcode"`
		ErrorData    struct {
			Details string `json:"details"`
		} `json:"error_data"`
		FBTraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// post sends one message payload and returns the wamid Meta assigned.
func (c *Client) post(ctx context.Context, payload any) (string, error) {
	if !c.configured {
		return "", ErrNotConfigured
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("whatsapp: encode message: %w", err)
	}
	endpoint := c.cfg.APIBase + "/" + c.cfg.APIVersion + "/" + url.PathEscape(c.cfg.PhoneNumberID) + "/messages"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("whatsapp: build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("whatsapp: send message: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("whatsapp: read send response: %w", err)
	}
	if resp.StatusCode >= 300 {
		return "", parseError(resp.StatusCode, raw)
	}
	var out sendResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return "", fmt.Errorf("whatsapp: decode send response: %w", err)
	}
	if len(out.Messages) == 0 || out.Messages[0].ID == "" {
		return "", fmt.Errorf("whatsapp: send response has no message id: %s", truncate(raw, 200))
	}
	return out.Messages[0].ID, nil
}

func parseError(status int, raw []byte) error {
	var env errorEnvelope
	if err := json.Unmarshal(raw, &env); err != nil || env.Error == nil {
		return &APIError{HTTPStatus: status, Message: "unexpected response: " + truncate(raw, 200)}
	}
	e := env.Error
	return &APIError{
		HTTPStatus: status,
		Code:       e.Code,
		Subcode:    e.ErrorSubcode,
		Type:       e.Type,
		Message:    e.Message,
		Details:    e.ErrorData.Details,
		FBTraceID:  e.FBTraceID,
	}
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
