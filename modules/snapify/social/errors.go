package social

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinels an *APIError unwraps to, so the publishing job decides with errors.Is whether to
// retry, wait, ask the seller to reconnect, or give up on one post.
var (
	// ErrTokenExpired: the Page access token expired, was revoked, or the password changed
	// (code 190 or 102, subcodes 458-467). Only the seller can fix it, by connecting again.
	ErrTokenExpired = errors.New("social: the Page access token has expired or was revoked; connect the Page again")
	// ErrPermission: the token lacks a permission the call needs (codes 3, 10, 200-299), e.g.
	// pages_manage_posts or instagram_content_publish. Also the seller's to fix.
	ErrPermission = errors.New("social: the Page access token lacks a permission this needs")
	// ErrRateLimited: application, user, Page or custom throttling (codes 4, 17, 32, 341, 613,
	// 80001-80014), or Instagram's 24-hour publishing limit. Wait RetryAfter, then try again.
	ErrRateLimited = errors.New("social: rate limited by Meta")
	// ErrTemporary: Meta's own trouble (codes 1, 2, HTTP 5xx, is_transient). Try again soon.
	ErrTemporary = errors.New("social: temporary Graph API failure")
	// ErrNotReady: an Instagram container published before it was FINISHED (9007/2207027).
	ErrNotReady = errors.New("social: the Instagram media is not ready to publish yet")
	// ErrRefused: Meta refused this request for good (bad parameter, unreachable image,
	// duplicate post, policy block). Retrying the same request cannot help.
	ErrRefused = errors.New("social: Meta refused the request")
	// ErrBadInput is returned before any request for an argument Meta would refuse (an empty
	// or malformed id, an image URL Meta cannot fetch, a caption over 2,200 characters).
	ErrBadInput = errors.New("social: invalid argument")
)

// APIError is the Graph API's error object: {"error": {"message", "type", "code",
// "error_subcode", "error_user_title", "error_user_msg", "is_transient", "fbtrace_id"}}.
type APIError struct {
	HTTPStatus int
	Code       int
	Subcode    int
	Type       string
	Message    string
	UserTitle  string
	UserMsg    string
	Transient  bool
	FBTraceID  string
	// RetryAfter is Meta's estimate of when a throttled app may call again, read from the
	// X-Business-Use-Case-Usage or X-App-Usage header; zero when Meta gave none.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "social: graph error %d", e.Code)
	if e.Subcode != 0 {
		fmt.Fprintf(&b, "/%d", e.Subcode)
	}
	fmt.Fprintf(&b, " (HTTP %d): %s", e.HTTPStatus, e.Message)
	if e.UserMsg != "" && e.UserMsg != e.Message {
		fmt.Fprintf(&b, ": %s", e.UserMsg)
	}
	if e.FBTraceID != "" {
		fmt.Fprintf(&b, " [fbtrace_id %s]", e.FBTraceID)
	}
	return b.String()
}

// Unwrap maps Meta's codes (developers.facebook.com/docs/graph-api/guides/error-handling) onto
// the package's sentinels.
func (e *APIError) Unwrap() error {
	switch {
	case e.Code == 190 || e.Code == 102 || (e.Subcode >= 458 && e.Subcode <= 467):
		return ErrTokenExpired
	case e.Code == 3 || e.Code == 10 || (e.Code >= 200 && e.Code <= 299):
		return ErrPermission
	case e.Code == 4 || e.Code == 17 || e.Code == 32 || e.Code == 341 || e.Code == 613 ||
		(e.Code >= 80001 && e.Code <= 80014) || e.Subcode == 2207042:
		return ErrRateLimited
	case e.Code == 9007 || e.Subcode == 2207027:
		return ErrNotReady
	case e.Code == 1 || e.Code == 2 || e.Transient || e.HTTPStatus >= 500:
		return ErrTemporary
	}
	return ErrRefused
}

// Retryable reports whether trying the same call later may succeed without the seller doing
// anything: throttling, Meta's own trouble, media still processing, or a network failure.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrRateLimited) || errors.Is(err, ErrTemporary) || errors.Is(err, ErrNotReady) {
		return true
	}
	var api *APIError
	return !errors.As(err, &api) && !errors.Is(err, ErrBadInput)
}

// NeedsReconnect reports whether the seller must connect the Page again (new token or
// permissions) before anything can be posted.
func NeedsReconnect(err error) bool {
	return errors.Is(err, ErrTokenExpired) || errors.Is(err, ErrPermission)
}
