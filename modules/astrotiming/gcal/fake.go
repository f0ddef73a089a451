package gcal

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Fake is a local stand-in for the Calendar API and Google's token endpoint. It checks what
// Google checks for these calls: the Bearer token, a JSON body, start and end dateTimes in
// RFC 3339 with the end after the start, an existing event for a patch, and for the token
// grant the client credentials and a known refresh token.
type Fake struct {
	*httptest.Server
	mu           sync.Mutex
	AccessToken  string
	RefreshToken string
	ClientID     string
	ClientSecret string
	Events       map[string]map[string]Event // calendar id → event id → event
	Calls        []string                    // "POST primary", "PATCH primary/ev1", "TOKEN"
	next         int
}

// NewFake starts a fake; Close it when done.
func NewFake() *Fake {
	f := &Fake{AccessToken: "ya29.fake-access", RefreshToken: "1//fake-refresh", ClientID: "client.apps.googleusercontent.com",
		ClientSecret: "fake-secret", Events: map[string]map[string]Event{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("POST /calendar/v3/calendars/{cal}/events", f.insert)
	mux.HandleFunc("PATCH /calendar/v3/calendars/{cal}/events/{id}", f.patch)
	f.Server = httptest.NewServer(mux)
	return f
}

// Config points a client at the fake.
func (f *Fake) Config() Config {
	return Config{BaseURL: f.URL + "/calendar/v3", TokenURL: f.URL + "/token", ClientID: f.ClientID, ClientSecret: f.ClientSecret}
}

func googleError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": status, "message": msg}})
}

func (f *Fake) authorised(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	want := f.AccessToken
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+want {
		googleError(w, http.StatusUnauthorized, "Request had invalid authentication credentials.")
		return false
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		googleError(w, http.StatusBadRequest, "Content-Type must be application/json")
		return false
	}
	return true
}

func checkTimes(ev Event, partial bool) string {
	if partial && ev.Start.DateTime == "" && ev.End.DateTime == "" {
		return ""
	}
	s, err1 := time.Parse(time.RFC3339, ev.Start.DateTime)
	e, err2 := time.Parse(time.RFC3339, ev.End.DateTime)
	if err1 != nil || err2 != nil {
		return "Invalid start or end time."
	}
	if !e.After(s) {
		return "The specified time range is empty."
	}
	return ""
}

func (f *Fake) insert(w http.ResponseWriter, r *http.Request) {
	if !f.authorised(w, r) {
		return
	}
	var ev Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		googleError(w, http.StatusBadRequest, "Parse Error")
		return
	}
	if msg := checkTimes(ev, false); msg != "" {
		googleError(w, http.StatusBadRequest, msg)
		return
	}
	f.mu.Lock()
	f.next++
	ev.ID = fmt.Sprintf("ev%d", f.next)
	ev.Status = "confirmed"
	cal := r.PathValue("cal")
	if f.Events[cal] == nil {
		f.Events[cal] = map[string]Event{}
	}
	f.Events[cal][ev.ID] = ev
	f.Calls = append(f.Calls, "POST "+cal)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(ev)
}

func (f *Fake) patch(w http.ResponseWriter, r *http.Request) {
	if !f.authorised(w, r) {
		return
	}
	var ev Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		googleError(w, http.StatusBadRequest, "Parse Error")
		return
	}
	if msg := checkTimes(ev, true); msg != "" {
		googleError(w, http.StatusBadRequest, msg)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cal, id := r.PathValue("cal"), r.PathValue("id")
	old, ok := f.Events[cal][id]
	if !ok {
		googleError(w, http.StatusNotFound, "Not Found")
		return
	}
	if ev.Summary != "" {
		old.Summary = ev.Summary
	}
	if ev.Description != "" {
		old.Description = ev.Description
	}
	if ev.Start.DateTime != "" {
		old.Start, old.End = ev.Start, ev.End
	}
	f.Events[cal][id] = old
	f.Calls = append(f.Calls, "PATCH "+cal+"/"+id)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(old)
}

func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.PostForm.Get("client_id") != f.ClientID || r.PostForm.Get("client_secret") != f.ClientSecret {
		http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
		return
	}
	if r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("refresh_token") != f.RefreshToken {
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
		return
	}
	f.next++
	f.AccessToken = fmt.Sprintf("ya29.refreshed-%d", f.next)
	f.Calls = append(f.Calls, "TOKEN")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(Token{AccessToken: f.AccessToken, ExpiresIn: 3599, TokenType: "Bearer"})
}

// Snapshot returns the calls and the events of a calendar.
func (f *Fake) Snapshot(cal string) ([]string, map[string]Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	evs := map[string]Event{}
	for k, v := range f.Events[cal] {
		evs[k] = v
	}
	return append([]string(nil), f.Calls...), evs
}
