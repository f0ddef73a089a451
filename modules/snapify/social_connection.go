package snapify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/snapify/social"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/alorig/alorig/shared/web"
	"github.com/uptrace/bun"
)

// A store's Facebook Page and Instagram account: the seller pastes the Page id, the Page access
// token (from Meta Business Suite or the Graph API Explorer, with pages_manage_posts,
// pages_read_engagement, and for Instagram instagram_basic, instagram_content_publish and
// instagram_manage_insights) and, optionally, the Instagram professional account's id. The
// token is checked against Meta before it is kept, and kept sealed with the platform keyring.

// Connection statuses.
const (
	socialConnected      = "connected"
	socialNeedsReconnect = "needs_reconnect" // Meta refused the token or a permission; posting waits
)

// SocialConnection is a store's Page and Instagram account. The token never leaves the server.
type SocialConnection struct {
	bun.BaseModel `bun:"table:social_connections"`
	StoreID       int64     `bun:"store_id,pk" json:"-"`
	PageID        string    `bun:"page_id" json:"page_id"`
	PageName      string    `bun:"page_name" json:"page_name"`
	IGUserID      string    `bun:"ig_user_id" json:"instagram_user_id,omitempty"`
	IGUsername    string    `bun:"ig_username" json:"instagram_username,omitempty"`
	TokenSealed   []byte    `bun:"page_token_sealed" json:"-"`
	Status        string    `bun:"status" json:"status" enum:"connected,needs_reconnect"`
	LastError     string    `bun:"last_error" json:"last_error,omitempty" doc:"why Meta refused the token, when status is needs_reconnect"`
	ConnectedAt   time.Time `bun:"connected_at" json:"connected_at"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`
}

// platforms are where the connection posts.
func (c *SocialConnection) platforms() []string {
	if c.IGUserID != "" {
		return []string{platformFacebook, platformInstagram}
	}
	return []string{platformFacebook}
}

// Errors of social posting that the seller API answers (socialProblem).
var (
	ErrSocialProOnly   = errors.New("posting to Facebook and Instagram is a Pro feature: upgrade the store to Pro (Rs 2,500 a month) to connect a Page")
	ErrNoSocial        = errors.New("this store has no Facebook Page connected")
	ErrNoSocialPost    = errors.New("no such social post in this store")
	ErrSocialPostMoved = errors.New("only a queued post can be cancelled; this one is being published or is done")
	// ErrSocialImageHost: the module's media URLs are not absolute, so Meta cannot fetch the
	// pictures; posting is paused until the public address is configured.
	ErrSocialImageHost = errors.New("snapify: social posting needs absolute public image URLs that Meta can fetch: set ALORIG_SNAPIFY_PUBLIC_URL (https) or S3 storage (ALORIG_SNAPIFY_S3_*)")
)

// SocialGraphError is Meta refusing the token or ids given to connect (Field says which).
type SocialGraphError struct {
	Field string
	Cause error
}

func (e *SocialGraphError) Error() string {
	var api *social.APIError
	msg := e.Cause.Error()
	if errors.As(e.Cause, &api) {
		msg = api.Message
	}
	switch {
	case errors.Is(e.Cause, social.ErrTokenExpired):
		return "Meta refused this token (expired, revoked or not a token): " + msg
	case errors.Is(e.Cause, social.ErrPermission):
		return "this token lacks a permission social posting needs (pages_manage_posts, pages_read_engagement; for Instagram instagram_content_publish, instagram_manage_insights): " + msg
	}
	return "Meta does not let this token use this id: " + msg
}
func (e *SocialGraphError) Unwrap() error { return e.Cause }

// SocialUnavailableError is Meta not answering (throttling, an outage, the network).
type SocialUnavailableError struct{ Cause error }

func (e *SocialUnavailableError) Error() string {
	return "Meta's Graph API did not answer; try again in a few minutes"
}
func (e *SocialUnavailableError) Unwrap() error { return e.Cause }

// SocialConnectInput connects a store's Page (and Instagram account).
type SocialConnectInput struct {
	PageID          string `json:"page_id" required:"true" doc:"the Facebook Page's numeric id"`
	PageAccessToken string `json:"page_access_token" required:"true" doc:"a Page access token of that Page (long-lived); stored encrypted, never shown again"`
	InstagramUserID string `json:"instagram_user_id,omitempty" doc:"the numeric id of the Instagram professional account linked to the Page; empty posts to Facebook only"`
}

var graphIDRe = regexp.MustCompile(`^[0-9]{1,32}$`)

// Validate checks the shapes Meta would refuse, before asking it.
func (in *SocialConnectInput) Validate() []web.FieldError {
	in.PageID, in.InstagramUserID = strings.TrimSpace(in.PageID), strings.TrimSpace(in.InstagramUserID)
	in.PageAccessToken = strings.TrimSpace(in.PageAccessToken)
	var errs []web.FieldError
	if !graphIDRe.MatchString(in.PageID) {
		errs = append(errs, web.FieldError{Field: "page_id", Reason: "must be the Page's numeric id (digits only, at most 32)"})
	}
	if n := len(in.PageAccessToken); n < 20 || n > 1024 || strings.ContainsAny(in.PageAccessToken, " \t\r\n") {
		errs = append(errs, web.FieldError{Field: "page_access_token", Reason: "must be a Page access token: 20 to 1024 characters, no spaces"})
	}
	if in.InstagramUserID != "" && !graphIDRe.MatchString(in.InstagramUserID) {
		errs = append(errs, web.FieldError{Field: "instagram_user_id", Reason: "must be the Instagram account's numeric id (digits only, at most 32)"})
	}
	return errs
}

// socialSettings answers GET and PUT /api/v1/stores/{store}/social.
type socialSettings struct {
	Connection  *SocialConnection `json:"connection" doc:"null when no Page is connected"`
	PostsPerDay int               `json:"posts_per_day" doc:"at most this many posts go out in any 24 hours"`
	ImagesReady bool              `json:"images_ready" doc:"false when the server's image addresses are not public, so nothing can be posted"`
}

// requirePro refuses social posting to a Free store.
func requirePro(s *Store) error {
	if s.Tier != "pro" {
		return ErrSocialProOnly
	}
	return nil
}

func socialConnection(ctx context.Context, db bun.IDB, t storeScope) (*SocialConnection, error) {
	c := new(SocialConnection)
	if err := tenant.Select(db.NewSelect().Model(c), t, "store_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: social connection of store %d: %w", t.ID(), database.NoRows(err))
	}
	return c, nil
}

// tokenAD binds a sealed token to its row and column.
func tokenAD(storeID int64) []byte {
	return secret.AD("social_connections", storeID, "page_token_sealed")
}

// SealedFields lists the encrypted columns rotate-keys re-encrypts.
func (m *Module) SealedFields() []secret.Field {
	return []secret.Field{{Table: "social_connections", Column: "page_token_sealed", IDColumn: "store_id"}}
}

// pageToken opens a connection's sealed token.
func (m *Module) pageToken(c *SocialConnection) (string, error) {
	pt, err := m.d.Keyring.Open(c.TokenSealed, tokenAD(c.StoreID))
	if err != nil {
		return "", fmt.Errorf("snapify: open the Page token of store %d: %w", c.StoreID, err)
	}
	return string(pt), nil
}

// SocialSettings is the store's connection, without its token.
func (m *Module) SocialSettings(ctx context.Context, s *Store) (*socialSettings, error) {
	if err := requirePro(s); err != nil {
		return nil, err
	}
	out := &socialSettings{PostsPerDay: m.postsPerDay(), ImagesReady: m.socialImagesReady()}
	c, err := socialConnection(ctx, m.d.DB, s.Scope())
	switch {
	case err == nil:
		out.Connection = c
	case !errors.Is(err, database.ErrNotFound):
		return nil, err
	}
	return out, nil
}

// ConnectSocial checks the token against Meta (it must read the Page, and the Instagram
// account when one is named) and keeps it sealed, replacing any earlier connection.
func (m *Module) ConnectSocial(ctx context.Context, s *Store, in SocialConnectInput) (*socialSettings, error) {
	if err := requirePro(s); err != nil {
		return nil, err
	}
	page, err := m.social.Page(ctx, in.PageAccessToken, in.PageID)
	if err != nil {
		return nil, graphConnectError("page_id", err)
	}
	var ig social.IGUser
	if in.InstagramUserID != "" {
		if ig, err = m.social.IGUser(ctx, in.PageAccessToken, in.InstagramUserID); err != nil {
			return nil, graphConnectError("instagram_user_id", err)
		}
	}
	sealed, err := m.d.Keyring.Seal([]byte(in.PageAccessToken), tokenAD(s.Scope().ID()))
	if err != nil {
		return nil, fmt.Errorf("snapify: seal the Page token: %w", err)
	}
	now := m.d.Clock.Now()
	c := &SocialConnection{StoreID: s.Scope().ID(), PageID: in.PageID, PageName: page.Name, IGUserID: in.InstagramUserID,
		IGUsername: ig.Username, TokenSealed: sealed, Status: socialConnected, ConnectedAt: now, UpdatedAt: now}
	if _, err := m.d.DB.NewInsert().Model(c).On("CONFLICT (store_id) DO UPDATE").
		Set("page_id = EXCLUDED.page_id, page_name = EXCLUDED.page_name, ig_user_id = EXCLUDED.ig_user_id").
		Set("ig_username = EXCLUDED.ig_username, page_token_sealed = EXCLUDED.page_token_sealed").
		Set("status = EXCLUDED.status, last_error = '', connected_at = EXCLUDED.connected_at, updated_at = EXCLUDED.updated_at").
		Exec(ctx); err != nil {
		return nil, fmt.Errorf("snapify: save the social connection of store %d: %w", c.StoreID, err)
	}
	return m.SocialSettings(ctx, s)
}

// graphConnectError tells a refused token or id (the seller's to fix, 422) from Meta not
// answering (503).
func graphConnectError(field string, err error) error {
	switch {
	case social.NeedsReconnect(err):
		return &SocialGraphError{Field: "page_access_token", Cause: err}
	case social.Retryable(err):
		return &SocialUnavailableError{Cause: err}
	}
	return &SocialGraphError{Field: field, Cause: err}
}

// DisconnectSocial forgets the store's Page and its token. Queued posts wait (and expire after
// a week) until a Page is connected again.
func (m *Module) DisconnectSocial(ctx context.Context, s *Store) error {
	if err := requirePro(s); err != nil {
		return err
	}
	res, err := tenant.Delete(m.d.DB.NewDelete().Model((*SocialConnection)(nil)), s.Scope(), "store_id").Exec(ctx)
	if err != nil {
		return fmt.Errorf("snapify: delete the social connection of store %d: %w", s.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoSocial
	}
	return nil
}

// markNeedsReconnect records that Meta refused the store's token; nothing is posted for the
// store until the seller connects again.
func (m *Module) markNeedsReconnect(ctx context.Context, t storeScope, cause error) error {
	reason := cause.Error()
	var api *social.APIError
	if errors.As(cause, &api) {
		reason = fmt.Sprintf("Meta refused the Page token (code %d): %s", api.Code, api.Message)
	}
	_, err := tenant.Update(m.d.DB.NewUpdate().Model((*SocialConnection)(nil)), t, "store_id").
		Set("status = ?", socialNeedsReconnect).Set("last_error = ?", reason).Set("updated_at = ?", m.d.Clock.Now()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("snapify: mark the social connection of store %d: %w", t.ID(), err)
	}
	m.d.Log.WarnContext(ctx, "snapify: social connection needs reconnecting", "store", t.ID(), "reason", reason)
	return nil
}

// postsPerDay is the per-store allowance in any 24 hours.
func (m *Module) postsPerDay() int {
	if n := m.d.Config.Snapify.SocialPostsPerDay; n > 0 {
		return n
	}
	return defaultPostsPerDay
}

// defaultPostsPerDay keeps a store's followers from being flooded when many products arrive at
// once; Instagram itself allows 50 in 24 hours.
const defaultPostsPerDay = 3

// socialImageURL is the absolute address Meta downloads a post's picture from.
func (m *Module) socialImageURL(key string) (string, error) {
	if m.files == nil {
		return "", ErrSocialImageHost
	}
	u := m.files.URL(key)
	if social.CheckImageURL(u) != nil {
		return "", ErrSocialImageHost
	}
	return u, nil
}

// socialImagesReady reports whether media URLs are absolute, so Meta can fetch them.
func (m *Module) socialImagesReady() bool {
	_, err := m.socialImageURL("snapify/probe.jpg")
	return err == nil
}

// socialProblem answers the social errors, then the module's others.
func socialProblem(err error) error {
	var (
		graph *SocialGraphError
		down  *SocialUnavailableError
	)
	switch {
	case errors.Is(err, ErrSocialProOnly):
		return web.Forbidden(ErrSocialProOnly.Error()).WithCode("PRO_REQUIRED")
	case errors.Is(err, ErrNoSocial):
		return web.NotFound(ErrNoSocial.Error()).WithCode("NO_SOCIAL_CONNECTION")
	case errors.Is(err, ErrNoSocialPost):
		return web.NotFound(ErrNoSocialPost.Error())
	case errors.Is(err, ErrSocialPostMoved):
		return web.Conflict(ErrSocialPostMoved.Error()).WithCode("POST_NOT_QUEUED")
	case errors.As(err, &graph):
		return web.Invalid(web.FieldError{Field: graph.Field, Reason: graph.Error()}).WithCode("META_REFUSED")
	case errors.As(err, &down):
		return web.NewProblem(http.StatusServiceUnavailable, down.Error()).WithCode("META_UNAVAILABLE")
	}
	return problem(err)
}
