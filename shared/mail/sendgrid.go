package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"strings"
	"time"
)

// SendGridBaseURL is SendGrid's API origin; tests and staging point the client elsewhere.
const SendGridBaseURL = "https://api.sendgrid.com"

// SendGrid is a client of SendGrid's v3 Mail Send API: POST /v3/mail/send with a Bearer API
// key and a JSON body of personalizations, from, subject and content; 202 Accepted means
// SendGrid queued the message.
type SendGrid struct {
	key  string
	base string
	http *http.Client
}

// NewSendGrid returns a client for key; baseURL "" is SendGridBaseURL, hc nil a client with a
// 30 s timeout.
func NewSendGrid(key, baseURL string, hc *http.Client) *SendGrid {
	if baseURL == "" {
		baseURL = SendGridBaseURL
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &SendGrid{key: key, base: strings.TrimRight(baseURL, "/"), http: hc}
}

// SendGridError is an answer other than 202, with SendGrid's error list when it sent one.
type SendGridError struct {
	Status int
	Errors []SendGridErrorItem
}

// SendGridErrorItem is one entry of SendGrid's {"errors":[…]}.
type SendGridErrorItem struct {
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Help    any    `json:"help,omitempty"`
}

func (e *SendGridError) Error() string {
	if len(e.Errors) == 0 {
		return fmt.Sprintf("sendgrid: status %d", e.Status)
	}
	var parts []string
	for _, it := range e.Errors {
		s := it.Message
		if it.Field != "" {
			s = it.Field + ": " + s
		}
		parts = append(parts, s)
	}
	return fmt.Sprintf("sendgrid: status %d: %s", e.Status, strings.Join(parts, "; "))
}

// sgAddress, sgPersonalization, sgContent and sgMail are the v3 request body.
type sgAddress struct {
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

type sgPersonalization struct {
	To []sgAddress `json:"to"`
}

type sgContent struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type sgMail struct {
	Personalizations []sgPersonalization `json:"personalizations"`
	From             sgAddress           `json:"from"`
	Subject          string              `json:"subject"`
	Content          []sgContent         `json:"content"`
}

// Send asks SendGrid to deliver a plain-text message from → to.
func (s *SendGrid) Send(ctx context.Context, from, to *mail.Address, subject, text string) error {
	body, err := json.Marshal(sgMail{
		Personalizations: []sgPersonalization{{To: []sgAddress{{Email: to.Address, Name: to.Name}}}},
		From:             sgAddress{Email: from.Address, Name: from.Name},
		Subject:          subject,
		Content:          []sgContent{{Type: "text/plain", Value: text}},
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/v3/mail/send", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.key)
	req.Header.Set("Content-Type", "application/json")
	res, err := s.http.Do(req)
	if err != nil {
		return fmt.Errorf("sendgrid: %w", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode == http.StatusAccepted || res.StatusCode == http.StatusOK {
		return nil
	}
	e := &SendGridError{Status: res.StatusCode}
	var parsed struct {
		Errors []SendGridErrorItem `json:"errors"`
	}
	if json.Unmarshal(raw, &parsed) == nil {
		e.Errors = parsed.Errors
	}
	return e
}
