package auth

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

const (
	ctxUser    = "auth.user"
	ctxSession = "auth.session"
	ctxAPIKey  = "auth.apikey"
)

// CookieName is the session cookie of a module.
func (s *Service) CookieName() string { return s.cfg.Module + "_session" }

// CSRFCookieName is the readable cookie that carries the CSRF token to browser scripts.
func (s *Service) CSRFCookieName() string { return s.cfg.Module + "_csrf" }

// Middleware resolves the caller from a Bearer token or the session cookie, and enforces CSRF
// on unsafe requests authenticated by cookie. It does not require a user: see RequireUser.
func (s *Service) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			token, byCookie := "", false
			if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
				token = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
			} else if ck, err := r.Cookie(s.CookieName()); err == nil {
				token, byCookie = ck.Value, true
			}
			if token == "" {
				return next(c)
			}
			u, sess, err := s.Authenticate(r.Context(), token)
			if errors.Is(err, ErrUnauthenticated) {
				if byCookie {
					return next(c) // a stale cookie is just an anonymous visitor
				}
				return web.Unauthorized("the bearer token is invalid or expired").WithCode("INVALID_TOKEN")
			}
			if err != nil {
				return err
			}
			if byCookie && unsafeMethod(r.Method) {
				presented := r.Header.Get("X-CSRF-Token")
				if presented == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
					presented = r.FormValue("csrf_token")
				}
				if !CheckCSRF(sess, presented) {
					return web.Forbidden("missing or wrong CSRF token: send the X-CSRF-Token header").WithCode("CSRF")
				}
			}
			c.Set(ctxUser, u)
			c.Set(ctxSession, sess)
			return next(c)
		}
	}
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// CurrentUser returns the signed-in user, or nil.
func CurrentUser(c echo.Context) *User {
	u, _ := c.Get(ctxUser).(*User)
	return u
}

// CurrentSession returns the session of the request, or nil.
func CurrentSession(c echo.Context) *Session {
	s, _ := c.Get(ctxSession).(*Session)
	return s
}

// CurrentAPIKey returns the API key of the request, or nil.
func CurrentAPIKey(c echo.Context) *APIKey {
	k, _ := c.Get(ctxAPIKey).(*APIKey)
	return k
}

// RequireUser answers 401 when nobody is signed in.
func RequireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if CurrentUser(c) == nil {
			return web.Unauthorized("sign in first: send a Bearer token or the session cookie").WithCode("UNAUTHENTICATED")
		}
		return next(c)
	}
}

// RequireAPIKey authenticates X-API-Key, charges its rate and quota, and sets the
// X-RateLimit-* headers; 429 with Retry-After when spent. Every request asks the database and
// Redis on its own; a busy API uses an APIKeyGate (NewAPIKeyGate), whose Middleware is this
// with verified keys kept in memory and charges batched.
func (s *Service) RequireAPIKey() echo.MiddlewareFunc {
	return requireKey(func(c echo.Context) (*APIKey, error) {
		return admit(c, s.AuthenticateAPIKey, s.ChargeAPIKey, nil)
	})
}

// Middleware answers 401 without a valid X-API-Key, else admits the request as Admit does.
func (g *APIKeyGate) Middleware() echo.MiddlewareFunc { return requireKey(g.Admit) }

// Admit verifies the request's X-API-Key and charges it: the key, or the answer to return (401
// INVALID_API_KEY, 429 RATE_LIMITED with Retry-After). The X-RateLimit-* headers are set
// either way, and CurrentAPIKey gives the key to the handlers. A module that also admits
// signed-in users calls it only when the header is present.
func (g *APIKeyGate) Admit(c echo.Context) (*APIKey, error) {
	return admit(c, g.Authenticate, g.Charge, g.forget)
}

func requireKey(admitFn func(echo.Context) (*APIKey, error)) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if _, err := admitFn(c); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// admit is the one path of a keyed request: verify, charge, headers, answer. forget (may be
// nil) drops a key that the charge found revoked from the caller's memory.
func admit(c echo.Context, verify func(context.Context, string) (*APIKey, error),
	charge func(context.Context, *APIKey) (Quota, error), forget func(string)) (*APIKey, error) {
	ctx := c.Request().Context()
	presented := c.Request().Header.Get("X-API-Key")
	invalid := web.Unauthorized("send a valid key in the X-API-Key header").WithCode("INVALID_API_KEY")
	k, err := verify(ctx, presented)
	if errors.Is(err, ErrInvalidKey) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	q, err := charge(ctx, k)
	if errors.Is(err, ErrInvalidKey) {
		if forget != nil {
			forget(presented)
		}
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	limit, remaining, reset := q.Limit, q.Remaining, q.Reset
	if q.Reason == "daily" {
		limit, remaining, reset = k.DailyQuota, 0, q.RetryAfter
	}
	detail := "per-minute rate limit reached for this key"
	if q.Reason == "daily" {
		detail = "daily quota of this key is used up; it resets at 00:00 UTC"
	}
	if err := RateLimitAnswer(c, q.Allowed, limit, remaining, reset, q.RetryAfter, detail); err != nil {
		return nil, err
	}
	c.Set(ctxAPIKey, k)
	return k, nil
}

// RateLimitAnswer writes X-RateLimit-Limit, -Remaining and -Reset (whole seconds, rounded up)
// and, when the request is not allowed, returns the 429 RATE_LIMITED problem with detail and
// Retry-After (at least 1 s). The API key gate uses it, and so do a module's other limits
// (a signed-in user's rate), so every limited answer looks the same.
func RateLimitAnswer(c echo.Context, allowed bool, limit, remaining int, reset, retryAfter time.Duration, detail string) error {
	h := c.Response().Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.Itoa(ceilSeconds(reset)))
	if allowed {
		return nil
	}
	p := web.NewProblem(http.StatusTooManyRequests, detail)
	p.RetryAfter = max(1, ceilSeconds(retryAfter))
	return p.WithCode("RATE_LIMITED")
}

func ceilSeconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }

// SetSessionCookies writes the session cookie (HttpOnly) and the CSRF cookie (readable).
func (s *Service) SetSessionCookies(c echo.Context, iss Issued) {
	c.SetCookie(&http.Cookie{Name: s.CookieName(), Value: iss.Token, Path: "/", Expires: iss.ExpiresAt,
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
	c.SetCookie(&http.Cookie{Name: s.CSRFCookieName(), Value: iss.CSRFToken, Path: "/", Expires: iss.ExpiresAt,
		Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookies removes both cookies.
func (s *Service) ClearSessionCookies(c echo.Context) {
	for _, name := range []string{s.CookieName(), s.CSRFCookieName()} {
		c.SetCookie(&http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: name == s.CookieName(), Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
	}
}

// Problem maps the service's errors to HTTP answers; other errors pass through.
func Problem(err error) error {
	var rl *RateLimitError
	switch {
	case errors.As(err, &rl):
		p := web.NewProblem(http.StatusTooManyRequests, "too many attempts; wait and try again")
		p.RetryAfter = max(1, ceilSeconds(rl.RetryAfter))
		return p.WithCode("RATE_LIMITED")
	case errors.Is(err, ErrInvalidCredentials):
		return web.Unauthorized(ErrInvalidCredentials.Error()).WithCode("INVALID_CREDENTIALS")
	case errors.Is(err, ErrEmailTaken):
		return web.Conflict(ErrEmailTaken.Error()).WithCode("EMAIL_TAKEN")
	case errors.Is(err, ErrUnauthenticated):
		return web.Unauthorized(ErrUnauthenticated.Error()).WithCode("UNAUTHENTICATED")
	case errors.Is(err, ErrWrongPassword):
		return web.Forbidden(ErrWrongPassword.Error()).WithCode("WRONG_PASSWORD")
	case errors.Is(err, ErrNoPassword):
		return web.Conflict(ErrNoPassword.Error()).WithCode("NO_PASSWORD")
	case errors.Is(err, ErrResetInvalid):
		return web.BadRequest(ErrResetInvalid.Error()).WithCode("RESET_CODE_INVALID")
	case errors.Is(err, ErrMailDown):
		return web.NewProblem(http.StatusServiceUnavailable, ErrMailDown.Error()).WithCode("MAIL_NOT_CONFIGURED")
	case errors.Is(err, ErrTierNotGranted):
		return web.Forbidden(ErrTierNotGranted.Error()).WithCode("TIER_NOT_GRANTED")
	case errors.Is(err, ErrAnonymousKeys):
		return web.Forbidden(ErrAnonymousKeys.Error()).WithCode("ANONYMOUS_ACCOUNT")
	case errors.Is(err, ErrTooManyKeys):
		return web.Conflict(ErrTooManyKeys.Error()).WithCode("TOO_MANY_KEYS").With("max_active_keys", MaxActiveKeys)
	case errors.Is(err, ErrNotFound):
		return web.NotFound("not found")
	}
	return err
}
