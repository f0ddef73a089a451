package gcal

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestInsertPatchRefresh(t *testing.T) {
	t.Parallel()
	f := NewFake()
	defer f.Close()
	c := New(f.Config(), nil)
	ctx := context.Background()
	start := time.Date(2026, 3, 12, 6, 30, 0, 0, time.UTC)
	ev := Event{Summary: "Writing (Mercury hour)", Start: At(start, "Asia/Karachi"), End: At(start.Add(time.Hour), "Asia/Karachi")}

	_, err := c.InsertEvent(ctx, "wrong", "primary", ev)
	require.ErrorIs(t, err, ErrUnauthorized)

	got, err := c.InsertEvent(ctx, f.AccessToken, "primary", ev)
	require.NoError(t, err)
	require.NotEmpty(t, got.ID)

	bad := ev
	bad.End = bad.Start
	_, err = c.InsertEvent(ctx, f.AccessToken, "primary", bad)
	var ge *Error
	require.True(t, errors.As(err, &ge))
	require.Equal(t, 400, ge.Status)
	require.Contains(t, ge.Message, "time range is empty")

	ev.Summary = "Writing, moved"
	_, err = c.PatchEvent(ctx, f.AccessToken, "primary", got.ID, ev)
	require.NoError(t, err)
	_, err = c.PatchEvent(ctx, f.AccessToken, "primary", "nope", ev)
	require.True(t, errors.As(err, &ge))
	require.Equal(t, 404, ge.Status)

	tok, err := c.Refresh(ctx, f.RefreshToken)
	require.NoError(t, err)
	require.NotEqual(t, f.AccessToken, tok.AccessToken)
	require.Equal(t, f.RefreshToken, tok.RefreshToken, "Google keeps the refresh token")
	_, err = c.InsertEvent(ctx, tok.AccessToken, "primary", ev)
	require.NoError(t, err)
	_, err = c.Refresh(ctx, "stolen")
	require.ErrorIs(t, err, ErrGrantRevoked)

	other := New(Config{TokenURL: f.Config().TokenURL, ClientID: f.ClientID, ClientSecret: "guessed"}, nil)
	_, err = other.Refresh(ctx, f.RefreshToken)
	require.ErrorContains(t, err, "invalid_client")

	calls, evs := f.Snapshot("primary")
	require.Equal(t, []string{"POST primary", "PATCH primary/" + got.ID, "TOKEN refresh", "POST primary", "TOKEN refresh"}, calls)
	require.Equal(t, "Writing, moved", evs[got.ID].Summary)
}

// consent follows the consent screen for authURL and returns where Google sends the browser
// back (or the status of Google's own error page).
func consent(t *testing.T, authURL string) (*url.URL, int) {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(authURL)
	require.NoError(t, err)
	defer res.Body.Close()
	if res.StatusCode != http.StatusFound {
		return nil, res.StatusCode
	}
	back, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	return back, res.StatusCode
}

func TestConsentExchangeRevoke(t *testing.T) {
	t.Parallel()
	f := NewFake()
	defer f.Close()
	cfg := f.Config()
	cfg.RedirectURL = "https://astrotiming.example/calendar/google/callback"
	f.Register(cfg.RedirectURL)
	c := New(cfg, nil)
	require.True(t, c.CanConnect())
	ctx := context.Background()

	verifier := NewVerifier()
	back, _ := consent(t, c.AuthCodeURL("state-1", verifier))
	require.Equal(t, "astrotiming.example", back.Host)
	require.Equal(t, "state-1", back.Query().Get("state"))
	code := back.Query().Get("code")
	require.NotEmpty(t, code)

	// The verifier must be the one whose challenge went to the consent screen.
	_, err := c.Exchange(ctx, code, NewVerifier())
	require.ErrorIs(t, err, ErrGrantRevoked)
	require.ErrorContains(t, err, "Invalid code verifier")
	// … and a code is spent by its first redemption.
	_, err = c.Exchange(ctx, code, verifier)
	require.ErrorIs(t, err, ErrGrantRevoked)

	back, _ = consent(t, c.AuthCodeURL("state-2", verifier))
	tok, err := c.Exchange(ctx, back.Query().Get("code"), verifier)
	require.NoError(t, err)
	require.NotEmpty(t, tok.AccessToken)
	require.NotEmpty(t, tok.RefreshToken, "access_type=offline earns a refresh token")
	require.Equal(t, Scope, tok.Extra("scope"))
	start := time.Date(2026, 3, 12, 6, 30, 0, 0, time.UTC)
	_, err = c.InsertEvent(ctx, tok.AccessToken, "primary", Event{Start: At(start, "UTC"), End: At(start.Add(time.Hour), "UTC")})
	require.NoError(t, err)

	// Another redirect URI than the one in the consent request is refused at the exchange.
	back, _ = consent(t, c.AuthCodeURL("state-3", verifier))
	moved := cfg
	moved.RedirectURL = "https://astrotiming.example/elsewhere"
	_, err = New(moved, nil).Exchange(ctx, back.Query().Get("code"), verifier)
	require.ErrorContains(t, err, "redirect_uri_mismatch")
	// An unregistered redirect URI never gets a code: Google shows its own error page.
	_, status := consent(t, New(moved, nil).AuthCodeURL("state-4", verifier))
	require.Equal(t, http.StatusBadRequest, status)

	// Revoking the refresh token ends its access tokens; a second revocation is told apart.
	require.NoError(t, c.Revoke(ctx, tok.RefreshToken))
	_, err = c.InsertEvent(ctx, tok.AccessToken, "primary", Event{Start: At(start, "UTC"), End: At(start.Add(time.Hour), "UTC")})
	require.ErrorIs(t, err, ErrUnauthorized)
	_, err = c.Refresh(ctx, tok.RefreshToken)
	require.ErrorIs(t, err, ErrGrantRevoked)
	require.ErrorIs(t, c.Revoke(ctx, tok.RefreshToken), ErrTokenUnknown)

	// The user refuses.
	f.mu.Lock()
	f.Deny = true
	f.mu.Unlock()
	back, _ = consent(t, c.AuthCodeURL("state-5", verifier))
	require.Equal(t, "access_denied", back.Query().Get("error"))
	require.Equal(t, "state-5", back.Query().Get("state"))
}
