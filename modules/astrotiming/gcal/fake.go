package gcal

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Fake is a local stand-in for Google's OAuth 2.0 server (consent screen, token and revocation
// endpoints) and the Calendar API. It checks what Google checks:
//
//   - consent: a known client_id, a redirect_uri registered for it (exact string match, else
//     an error page and no redirect), response_type=code, the calendar.events scope, a PKCE
//     S256 code_challenge; access_type=offline is what earns a refresh token.
//   - token: the client's id and secret (form body or Basic), the grant type; for
//     authorization_code a code issued to this client and never redeemed before, the same
//     redirect_uri as the consent request, and a code_verifier whose S256 is the challenge;
//     for refresh_token a refresh token it issued and nobody revoked.
//   - revoke: a form POST with token=; a refresh token takes its access tokens with it, an
//     access token its refresh token (as Google documents); an unknown token is 400
//     invalid_token.
//   - Calendar API: a live Bearer access token, a JSON body, RFC 3339 start and end with the end
//     after the start, an existing event for a patch.
type Fake struct {
	*httptest.Server
	mu sync.Mutex
	// AccessToken and RefreshToken are a pair the fake accepts from the start: tokens a user
	// got elsewhere (PUT /api/v1/calendar/google).
	AccessToken  string
	RefreshToken string
	ClientID     string
	ClientSecret string
	// RedirectURIs are the redirect URIs registered for the client.
	RedirectURIs []string
	// Deny makes the user press "Cancel" on the consent screen.
	Deny   bool
	Events map[string]map[string]Event // calendar id → event id → event
	Calls  []string                    // "AUTH", "TOKEN code", "TOKEN refresh", "REVOKE", "POST primary", "PATCH primary/ev1"
	next   int
	codes  map[string]*grant
	access map[string]string // live access token → the refresh token it came from ("" if none)
	live   map[string]bool   // live refresh tokens
}

type grant struct {
	redirectURI, challenge, scope string
	offline, redeemed             bool
}

// NewFake starts a fake; Close it when done.
func NewFake() *Fake {
	f := &Fake{AccessToken: "ya29.fake-access", RefreshToken: "1//fake-refresh", ClientID: "client.apps.googleusercontent.com",
		ClientSecret: "fake-secret", Events: map[string]map[string]Event{}, codes: map[string]*grant{},
		access: map[string]string{}, live: map[string]bool{}}
	f.access[f.AccessToken] = f.RefreshToken
	f.live[f.RefreshToken] = true
	mux := http.NewServeMux()
	mux.HandleFunc("GET /o/oauth2/v2/auth", f.consent)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("POST /revoke", f.revoke)
	mux.HandleFunc("POST /calendar/v3/calendars/{cal}/events", f.insert)
	mux.HandleFunc("PATCH /calendar/v3/calendars/{cal}/events/{id}", f.patch)
	f.Server = httptest.NewServer(mux)
	return f
}

// Config points a client at the fake.
func (f *Fake) Config() Config {
	return Config{BaseURL: f.URL + "/calendar/v3", TokenURL: f.URL + "/token", ClientID: f.ClientID, ClientSecret: f.ClientSecret,
		AuthURL: f.URL + "/o/oauth2/v2/auth", RevokeURL: f.URL + "/revoke"}
}

// Register adds a redirect URI to the client, as the Google Cloud console does.
func (f *Fake) Register(redirectURI string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.RedirectURIs = append(f.RedirectURIs, redirectURI)
}

// LiveAccessTokens counts the access tokens that still work.
func (f *Fake) LiveAccessTokens() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.access)
}

// RevokeAll ends every token, as a user removing the app in their Google account does.
func (f *Fake) RevokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.access)
	clear(f.live)
}

func googleError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": status, "message": msg}})
}

// writeOAuthError is the OAuth 2.0 error body (RFC 6749 §5.2).
func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (f *Fake) secret(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	f.next++
	return fmt.Sprintf("%s%d.%s", prefix, f.next, base64.RawURLEncoding.EncodeToString(b))
}

// pkceValue is RFC 7636's code_challenge / code_verifier alphabet and length.
var pkceValue = regexp.MustCompile(`^[A-Za-z0-9\-._~]{43,128}$`)

func (f *Fake) consent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Calls = append(f.Calls, "AUTH")
	if q.Get("client_id") != f.ClientID {
		http.Error(w, "Error 401: invalid_client. The OAuth client was not found.", http.StatusUnauthorized)
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(f.RedirectURIs, redirect) {
		http.Error(w, "Error 400: redirect_uri_mismatch", http.StatusBadRequest)
		return
	}
	back, _ := url.Parse(redirect)
	answer := func(v url.Values) {
		if s := q.Get("state"); s != "" {
			v.Set("state", s)
		}
		back.RawQuery = v.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	}
	fail := func(code, desc string) { answer(url.Values{"error": {code}, "error_description": {desc}}) }
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "response_type must be code")
	case !slices.Contains(strings.Fields(q.Get("scope")), Scope):
		fail("invalid_scope", "the calendar.events scope is missing")
	case q.Get("code_challenge_method") != "S256" || !pkceValue.MatchString(q.Get("code_challenge")):
		fail("invalid_request", "code_challenge with code_challenge_method=S256 is required")
	case f.Deny:
		fail("access_denied", "the user refused")
	default:
		code := f.secret("4/code-")
		f.codes[code] = &grant{redirectURI: redirect, challenge: q.Get("code_challenge"), scope: Scope,
			offline: q.Get("access_type") == "offline"}
		answer(url.Values{"code": {code}, "scope": {Scope}})
	}
}

func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || r.ParseForm() != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	form := r.PostForm
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, _ = url.QueryUnescape(u)
		secret, _ = url.QueryUnescape(p)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if id != f.ClientID || secret != f.ClientSecret {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Unauthorized")
		return
	}
	var refresh, scope string
	switch form.Get("grant_type") {
	case "authorization_code":
		f.Calls = append(f.Calls, "TOKEN code")
		g, ok := f.codes[form.Get("code")]
		switch {
		case !ok:
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Malformed auth code.")
			return
		case g.redeemed:
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Bad Request") // Google's words for a code used twice
			return
		}
		g.redeemed = true // a code is spent by its first redemption, good or bad
		if form.Get("redirect_uri") != g.redirectURI {
			writeOAuthError(w, http.StatusBadRequest, "redirect_uri_mismatch", "Bad Request")
			return
		}
		v := form.Get("code_verifier")
		sum := sha256.Sum256([]byte(v))
		if !pkceValue.MatchString(v) || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid code verifier.")
			return
		}
		if g.offline {
			refresh = f.secret("1//refresh-")
			f.live[refresh] = true
		}
		scope = g.scope
	case "refresh_token":
		f.Calls = append(f.Calls, "TOKEN refresh")
		refresh = form.Get("refresh_token")
		if !f.live[refresh] {
			writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Token has been expired or revoked.")
			return
		}
		scope = Scope
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: "+form.Get("grant_type"))
		return
	}
	access := f.secret("ya29.")
	f.access[access] = refresh
	out := map[string]any{"access_token": access, "expires_in": 3599, "token_type": "Bearer", "scope": scope}
	if refresh != "" && form.Get("grant_type") == "authorization_code" {
		out["refresh_token"] = refresh // Google sends the refresh token with the code exchange only
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(out)
}

func (f *Fake) revoke(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || r.ParseForm() != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	tok := r.PostForm.Get("token")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Calls = append(f.Calls, "REVOKE")
	parent, isAccess := f.access[tok]
	switch {
	case f.live[tok]:
		parent = tok
	case isAccess:
	default:
		writeOAuthError(w, http.StatusBadRequest, "invalid_token", "Token expired or revoked")
		return
	}
	delete(f.access, tok)
	if parent != "" {
		delete(f.live, parent)
		for a, p := range f.access {
			if p == parent {
				delete(f.access, a)
			}
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (f *Fake) authorised(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	_, live := f.access[tok]
	f.mu.Unlock()
	if !ok || !live {
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
