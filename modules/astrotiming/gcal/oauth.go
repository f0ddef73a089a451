package gcal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Scope is the one permission AstroTiming asks for: create and change events, read nothing
// else of the user's calendars.
const Scope = "https://www.googleapis.com/auth/calendar.events"

// ErrGrantRevoked is wrapped when Google refuses a refresh token (invalid_grant): the user
// revoked access, or the grant expired. Only connecting again helps.
var ErrGrantRevoked = errors.New("google calendar: the authorisation was revoked or has expired; connect the calendar again")

// ErrTokenUnknown is wrapped when the revocation endpoint does not know the token (it was
// revoked already, or expired): for the caller, the same result as a revocation.
var ErrTokenUnknown = errors.New("google: token already revoked or expired")

// CanConnect reports whether the consent flow can run: an OAuth client and its endpoints.
func (c *Client) CanConnect() bool {
	return c.CanRefresh() && c.cfg.AuthURL != "" && c.cfg.TokenURL != "" && c.cfg.RedirectURL != ""
}

func (c *Client) oauth() *oauth2.Config {
	return &oauth2.Config{
		ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
		Scopes: []string{Scope},
		// Google takes the client's credentials in the form body (as its own Go endpoint does).
		Endpoint: oauth2.Endpoint{AuthURL: c.cfg.AuthURL, TokenURL: c.cfg.TokenURL, AuthStyle: oauth2.AuthStyleInParams},
	}
}

// withClient makes the oauth2 package use this client's HTTP client (and its timeout).
func (c *Client) withClient(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.hc)
}

// AuthCodeURL is the consent screen's address for one attempt: state comes back unchanged,
// the verifier's S256 challenge binds the code to whoever holds the verifier (PKCE, RFC 7636),
// access_type=offline asks for a refresh token and prompt=consent makes Google issue one again
// when the user connects a second time.
func (c *Client) AuthCodeURL(state, verifier string) string {
	return c.oauth().AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("prompt", "consent"), oauth2.SetAuthURLParam("include_granted_scopes", "true"))
}

// NewVerifier is a fresh PKCE code verifier (32 random bytes, base64url: 43 characters).
func NewVerifier() string { return oauth2.GenerateVerifier() }

// Exchange trades an authorisation code and its verifier for tokens
// (grant_type=authorization_code).
func (c *Client) Exchange(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	if !c.CanConnect() {
		return nil, errors.New("google calendar: no OAuth client configured")
	}
	tok, err := c.oauth().Exchange(c.withClient(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, oauthError("exchange the authorisation code", err)
	}
	return tok, nil
}

// Refresh gets a new access token with a refresh token (grant_type=refresh_token). Google
// may return a new refresh token; when it does not, the answer carries the old one.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (*oauth2.Token, error) {
	if !c.CanRefresh() {
		return nil, errors.New("google calendar: no OAuth client configured to refresh tokens")
	}
	// An expired token makes the source ask the token endpoint at once.
	old := &oauth2.Token{RefreshToken: refreshToken, Expiry: time.Unix(1, 0)}
	tok, err := c.oauth().TokenSource(c.withClient(ctx), old).Token()
	if err != nil {
		return nil, oauthError("refresh the access token", err)
	}
	if tok.AccessToken == "" {
		return nil, errors.New("google calendar: token endpoint returned no access_token")
	}
	return tok, nil
}

func oauthError(what string, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode == "invalid_grant" {
			return fmt.Errorf("google: %s: %w (%s)", what, ErrGrantRevoked, re.ErrorDescription)
		}
		desc := re.ErrorDescription
		if len(desc) > 200 {
			desc = desc[:200]
		}
		code := re.ErrorCode
		if code == "" && re.Response != nil {
			code = "HTTP " + re.Response.Status
		}
		return fmt.Errorf("google: %s: %s %s", what, code, desc)
	}
	return fmt.Errorf("google: %s: %w", what, err)
}

// Revoke asks Google to revoke a token (POST revoke, form token=…). Revoking the refresh token
// also ends the access tokens issued from it. A token Google no longer knows gives
// ErrTokenUnknown.
func (c *Client) Revoke(ctx context.Context, token string) error {
	if c.cfg.RevokeURL == "" {
		return errors.New("google: no revocation endpoint configured")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.RevokeURL,
		strings.NewReader(url.Values{"token": {token}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("google: revoke: %w", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode/100 == 2 {
		return nil
	}
	var oe struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(b, &oe)
	if res.StatusCode == http.StatusBadRequest && oe.Error == "invalid_token" {
		return fmt.Errorf("%w (%s)", ErrTokenUnknown, oe.Description)
	}
	return fmt.Errorf("google: revoke: HTTP %d %s %s", res.StatusCode, oe.Error, oe.Description)
}
