// Package gcal is a small Google Calendar API v3 client: events.insert and events.patch with
// an OAuth 2.0 Bearer access token, and Google's OAuth 2.0 endpoints (oauth.go): the consent
// screen with PKCE, the code exchange, the refresh grant and revocation. Base URLs are
// configurable so tests and staging can point it at a fake.
package gcal

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

// Config says where Google is and which OAuth client asks for and refreshes tokens.
type Config struct {
	BaseURL      string // https://www.googleapis.com/calendar/v3
	TokenURL     string // https://oauth2.googleapis.com/token
	ClientID     string
	ClientSecret string
	AuthURL      string // https://accounts.google.com/o/oauth2/v2/auth
	RevokeURL    string // https://oauth2.googleapis.com/revoke
	RedirectURL  string // where the consent screen sends the user back (registered with Google)
}

// Client talks to the Calendar API.
type Client struct {
	cfg Config
	hc  *http.Client
}

// New builds a client; hc nil means a client with a 20 s timeout.
func New(cfg Config, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 20 * time.Second}
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Client{cfg: cfg, hc: hc}
}

// CanRefresh reports whether an OAuth client is configured to refresh access tokens.
func (c *Client) CanRefresh() bool { return c.cfg.ClientID != "" && c.cfg.ClientSecret != "" }

// EventTime is a timed start or end (RFC 3339 dateTime with an IANA zone for display).
type EventTime struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone,omitempty"`
}

// At builds an EventTime.
func At(t time.Time, zone string) EventTime {
	return EventTime{DateTime: t.Format(time.RFC3339), TimeZone: zone}
}

// Event is the part of the Events resource we write and read.
type Event struct {
	ID           string    `json:"id,omitempty"`
	Summary      string    `json:"summary,omitempty"`
	Description  string    `json:"description,omitempty"`
	Start        EventTime `json:"start"`
	End          EventTime `json:"end"`
	Transparency string    `json:"transparency,omitempty"`
	HTMLLink     string    `json:"htmlLink,omitempty"`
	Status       string    `json:"status,omitempty"`
}

// Error is a non-2xx answer from Google.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("google calendar: HTTP %d: %s", e.Status, e.Message)
}

// ErrUnauthorized is wrapped by a 401: the access token is invalid or expired.
var ErrUnauthorized = errors.New("google calendar: access token rejected")

// Unwrap makes a 401 match ErrUnauthorized.
func (e *Error) Unwrap() error {
	if e.Status == http.StatusUnauthorized {
		return ErrUnauthorized
	}
	return nil
}

// InsertEvent is events.insert: POST /calendars/{calendarId}/events.
func (c *Client) InsertEvent(ctx context.Context, token, calendarID string, ev Event) (*Event, error) {
	u := c.cfg.BaseURL + "/calendars/" + url.PathEscape(calendarID) + "/events"
	return c.send(ctx, http.MethodPost, u, token, ev)
}

// PatchEvent is events.patch: PATCH /calendars/{calendarId}/events/{eventId}.
func (c *Client) PatchEvent(ctx context.Context, token, calendarID, eventID string, ev Event) (*Event, error) {
	u := c.cfg.BaseURL + "/calendars/" + url.PathEscape(calendarID) + "/events/" + url.PathEscape(eventID)
	ev.ID = ""
	return c.send(ctx, http.MethodPatch, u, token, ev)
}

func (c *Client) send(ctx context.Context, method, u, token string, ev Event) (*Event, error) {
	if token == "" {
		return nil, fmt.Errorf("google calendar: %w: no access token", ErrUnauthorized)
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	var out Event
	if err := c.do(req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *Client) do(req *http.Request, out any) error {
	res, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("google calendar: %s %s: %w", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode/100 != 2 {
		var ge struct {
			Error json.RawMessage `json:"error"`
		}
		msg := strings.TrimSpace(string(b))
		if json.Unmarshal(b, &ge) == nil && len(ge.Error) > 0 {
			var inner struct {
				Message string `json:"message"`
			}
			if json.Unmarshal(ge.Error, &inner) == nil && inner.Message != "" {
				msg = inner.Message
			} else {
				msg = string(ge.Error)
			}
		}
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return &Error{Status: res.StatusCode, Message: msg}
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("google calendar: decode %s: %w", req.URL.Path, err)
	}
	return nil
}
