// Package mailtest holds a fake SendGrid v3 Mail Send API for tests: it checks what SendGrid
// checks (the Bearer API key, a JSON body, personalizations with recipients, a sender, a
// subject unless every personalization has one, content with a type and a value) and answers
// 202 Accepted, or SendGrid's {"errors":[…]} with the status SendGrid uses.
package mailtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Mail is one message the fake accepted.
type Mail struct {
	To      []string
	From    string
	Subject string
	Text    string
}

// SendGrid is a running fake.
type SendGrid struct {
	URL string
	Key string
	// Fail, when set, is answered instead of 202 (status and SendGrid's error body).
	Fail func() (int, string)

	mu   sync.Mutex
	sent []Mail
}

// NewSendGrid starts a fake that accepts key, until the test ends.
func NewSendGrid(t testing.TB, key string) *SendGrid {
	s := &SendGrid{Key: key}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Sent returns the messages accepted so far.
func (s *SendGrid) Sent() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.sent...)
}

type address struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

func (s *SendGrid) serve(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, msg, field string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": msg, "field": field, "help": nil}}})
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v3/mail/send" {
		fail(http.StatusNotFound, "not found", "")
		return
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		fail(http.StatusUnauthorized, "authorization required", "")
		return
	}
	if auth != "Bearer "+s.Key {
		fail(http.StatusUnauthorized, "The provided authorization grant is invalid, expired, or revoked", "")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		fail(http.StatusUnsupportedMediaType, "Content-Type should be application/json.", "")
		return
	}
	var body struct {
		Personalizations []struct {
			To      []address `json:"to"`
			Subject string    `json:"subject"`
		} `json:"personalizations"`
		From    address `json:"from"`
		Subject string  `json:"subject"`
		Content []struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"content"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 30<<20)).Decode(&body); err != nil {
		fail(http.StatusBadRequest, "Bad Request", "")
		return
	}
	if len(body.Personalizations) == 0 {
		fail(http.StatusBadRequest, "The personalizations field is required and must have at least one personalization.", "personalizations")
		return
	}
	var to []string
	for _, p := range body.Personalizations {
		if len(p.To) == 0 {
			fail(http.StatusBadRequest, "The to array is required for all personalization objects, and must have at least one email object with a valid email address.", "personalizations.0.to")
			return
		}
		for _, a := range p.To {
			if !strings.Contains(a.Email, "@") {
				fail(http.StatusBadRequest, "Does not contain a valid address.", "personalizations.0.to.0.email")
				return
			}
			to = append(to, a.Email)
		}
		if body.Subject == "" && p.Subject == "" {
			fail(http.StatusBadRequest, "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.", "subject")
			return
		}
	}
	if !strings.Contains(body.From.Email, "@") {
		fail(http.StatusBadRequest, "The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.", "from")
		return
	}
	if len(body.Content) == 0 || body.Content[0].Type == "" || body.Content[0].Value == "" {
		fail(http.StatusBadRequest, "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.", "content")
		return
	}
	if s.Fail != nil {
		status, msg := s.Fail()
		fail(status, msg, "")
		return
	}
	s.mu.Lock()
	s.sent = append(s.sent, Mail{To: to, From: body.From.Email, Subject: body.Subject, Text: body.Content[0].Value})
	s.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}
