package astrotiming

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/modules/astrotiming/gcal"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/secret"
)

// The Google Calendar consent flow: authorisation code with PKCE (S256). Each attempt has a
// random state kept in Redis for OAuthStateTTL with the signed-in session that started it and
// the PKCE verifier; the callback takes it out in one step (single use) and must come from
// the same session, so a code cannot be planted into someone else's account and a state
// cannot be replayed.

// OAuthStateTTL is how long a consent attempt may take.
const OAuthStateTTL = 10 * time.Minute

// oauthAttempt is what a state stands for.
type oauthAttempt struct {
	UserID    int64  `json:"u"`
	SessionID int64  `json:"s"`
	Verifier  string `json:"v"`
}

func oauthStateKey(state string) string { return "oauth:google:" + state }

// takeScript reads and deletes a key in one step (GETDEL, kept as a script so Redis 6.0
// servers answer too).
var takeScript = cache.NewScript(`local v = redis.call('GET', KEYS[1]) if v then redis.call('DEL', KEYS[1]) end return v`)

// StartGoogleConnect begins a consent attempt for the signed-in session and returns the
// address of Google's consent screen. The caller must hold a premium plan (the route checks).
func (m *Module) StartGoogleConnect(ctx context.Context, userID, sessionID int64) (string, error) {
	if !m.gcal.CanConnect() {
		return "", ErrGoogleNotConfigured
	}
	if sessionID == 0 {
		return "", ErrSessionRequired
	}
	state := randomToken("")
	a := oauthAttempt{UserID: userID, SessionID: sessionID, Verifier: gcal.NewVerifier()}
	b, err := json.Marshal(a)
	if err != nil {
		return "", err
	}
	if err := m.d.KV.Set(ctx, oauthStateKey(state), b, OAuthStateTTL); err != nil {
		return "", fmt.Errorf("astrotiming: keep consent state: %w", err)
	}
	return m.gcal.AuthCodeURL(state, a.Verifier), nil
}

// FinishGoogleConnect completes the attempt named by state for the signed-in session: it
// spends the state, checks it belongs to this session, exchanges the code with the verifier
// and keeps the tokens sealed. googleErr is the callback's error parameter (the user said no,
// or Google refused the request).
func (m *Module) FinishGoogleConnect(ctx context.Context, userID, sessionID int64, state, code, googleErr string) error {
	if state == "" || len(state) > 100 {
		return ErrOAuthState
	}
	v, err := m.d.KV.Run(ctx, takeScript, []string{oauthStateKey(state)})
	if err != nil && !errors.Is(err, cache.Nil) {
		return fmt.Errorf("astrotiming: read consent state: %w", err)
	}
	raw, _ := v.(string)
	var a oauthAttempt
	if raw == "" || json.Unmarshal([]byte(raw), &a) != nil || a.UserID != userID || a.SessionID != sessionID || sessionID == 0 {
		return ErrOAuthState
	}
	if googleErr != "" {
		return &ConsentError{Code: googleErr}
	}
	if code == "" || len(code) > 2048 {
		return &ConsentError{Code: "invalid_request"}
	}
	tier, err := m.userTier(ctx, userID)
	if err != nil {
		return err
	}
	if !engine.PlanAtLeast(tier, engine.PlanPremium) {
		return &PlanError{Need: engine.PlanPremium, Have: tier}
	}
	tok, err := m.gcal.Exchange(ctx, code, a.Verifier)
	if err != nil {
		m.d.Log.Warn("astrotiming: Google code exchange failed", "user", userID, "err", err)
		return &ConsentError{Code: "exchange_failed", Cause: err}
	}
	scope, _ := tok.Extra("scope").(string)
	if scope != "" && !strings.Contains(" "+scope+" ", " "+gcal.Scope+" ") {
		// The user unticked the calendar box on the consent screen: nothing could be written.
		_ = m.gcal.Revoke(ctx, tok.AccessToken)
		return &ConsentError{Code: "scope_refused"}
	}
	access, err := m.d.Keyring.Seal([]byte(tok.AccessToken), secret.AD("calendar_links", userID, "google_access_token"))
	if err != nil {
		return err
	}
	var refresh []byte
	if tok.RefreshToken != "" {
		if refresh, err = m.d.Keyring.Seal([]byte(tok.RefreshToken), secret.AD("calendar_links", userID, "google_refresh_token")); err != nil {
			return err
		}
	}
	now := m.d.Clock.Now()
	var expiry *time.Time
	if tok.ExpiresIn > 0 {
		e := now.Add(time.Duration(tok.ExpiresIn) * time.Second)
		expiry = &e
	}
	if err := setGoogleConnection(ctx, m.d.DB, userID, "primary", access, refresh, expiry, scope, now); err != nil {
		return fmt.Errorf("astrotiming: keep Google tokens of user %d: %w", userID, err)
	}
	return nil
}

// DisconnectGoogle revokes the user's grant at Google (the refresh token, which ends its
// access tokens; the access token when there is none) and forgets the tokens. The tokens are
// forgotten even when Google cannot be reached; revoked says whether Google confirmed.
func (m *Module) DisconnectGoogle(ctx context.Context, userID int64) (revoked bool, err error) {
	l, err := googleTokensOf(ctx, m.d.DB, userID)
	if errors.Is(err, database.ErrNotFound) {
		return false, ErrNoGoogle
	}
	if err != nil {
		return false, err
	}
	var tok []byte
	if len(l.Refresh) > 0 {
		tok, err = m.d.Keyring.Open(l.Refresh, secret.AD("calendar_links", userID, "google_refresh_token"))
	} else {
		tok, err = m.d.Keyring.Open(l.Access, secret.AD("calendar_links", userID, "google_access_token"))
	}
	if err == nil {
		err = m.gcal.Revoke(ctx, string(tok))
		revoked = err == nil || errors.Is(err, gcal.ErrTokenUnknown)
		if !revoked {
			m.d.Log.Warn("astrotiming: Google revocation failed; tokens forgotten anyway", "user", userID, "err", err)
		}
	}
	if err := clearGoogle(ctx, m.d.DB, userID, m.d.Clock.Now()); err != nil {
		return false, fmt.Errorf("astrotiming: forget Google tokens of user %d: %w", userID, err)
	}
	return revoked, nil
}

// CalendarStatus is what the user has connected.
func (m *Module) CalendarStatus(ctx context.Context, userID int64) (CalendarStatus, error) {
	s, err := calendarStatusOf(ctx, m.d.DB, userID)
	if err != nil {
		return s, fmt.Errorf("astrotiming: calendar status of user %d: %w", userID, err)
	}
	return s, nil
}
