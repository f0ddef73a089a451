package astrotiming

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Caller is who is using the developer API: an API key (its owner and tier) or a signed-in user.
type Caller struct {
	UserID int64
	Key    *auth.APIKey // nil for a session
}

const ctxCaller = "astrotiming.caller"

func caller(c echo.Context) Caller {
	cl, _ := c.Get(ctxCaller).(Caller)
	return cl
}

// requireCaller admits an X-API-Key (verified and charged against its tier's per-minute rate
// and daily quota by the platform's gate, auth.APIKeyGate) or a signed-in session (limited to
// SessionPerMinute per user). The key wins when both are sent, so a developer testing from a
// browser is metered as in production.
func (m *Module) requireCaller(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if presented := c.Request().Header.Get("X-API-Key"); presented != "" {
			k, err := m.keys.Admit(c)
			if err != nil {
				return err
			}
			c.Set(ctxCaller, Caller{UserID: k.UserID, Key: k})
			return next(c)
		}
		u := auth.CurrentUser(c)
		if u == nil {
			return web.Unauthorized("send an API key in X-API-Key (create one with POST /api/v1/auth/keys) or sign in").WithCode("UNAUTHENTICATED")
		}
		res, err := m.d.KV.Allow(c.Request().Context(), fmt.Sprintf("user:%d", u.ID), cache.PerMinute(SessionPerMinute), m.d.Clock.Now())
		if err != nil {
			return fmt.Errorf("astrotiming: rate limit user %d: %w", u.ID, err)
		}
		if err := auth.RateLimitAnswer(c, res.Allowed, res.Limit, res.Remaining, res.ResetAfter, res.RetryAfter,
			"per-minute rate limit reached for this session"); err != nil {
			return err
		}
		c.Set(ctxCaller, Caller{UserID: u.ID})
		return next(c)
	}
}

// tierOf is the caller's plan: the key's tier, or for a session the best tier among the user's
// live keys (premium features follow the plan the user holds, however they call).
func (m *Module) tierOf(c echo.Context) (string, error) {
	cl := caller(c)
	if cl.Key != nil {
		return cl.Key.Tier, nil
	}
	return m.userTier(c.Request().Context(), cl.UserID)
}

// requirePlan admits a caller whose plan is at least min (403 TIER_REQUIRED otherwise),
// before the handler reads anything.
func (m *Module) requirePlan(min string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			t, err := m.tierOf(c)
			if err != nil {
				return err
			}
			if !engine.PlanAtLeast(t, min) {
				return problem(&PlanError{Need: min, Have: t})
			}
			return next(c)
		}
	}
}

// requireKey admits only a caller with an API key (403 API_KEY_REQUIRED for a session): what
// the route makes belongs to the key.
func (m *Module) requireKey(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if caller(c).Key == nil {
			return problem(ErrAPIKeyRequired)
		}
		return next(c)
	}
}

// KeyCacheTTL is how long a verified API key is trusted without asking the database again (a
// tier or quota changed in the database applies within it). A revocation applies at once: the
// shared gate refuses a key revoked anywhere on its next charge.
const KeyCacheTTL = 10 * time.Second

// userTier is the best of the plan billing holds for the user and their live keys' tiers,
// "free" without either: a premium subscriber without a key still has premium's pages.
func (m *Module) userTier(ctx context.Context, userID int64) (string, error) {
	tiers, err := liveKeyTiers(ctx, m.d.DB, userID)
	if err != nil {
		return "", fmt.Errorf("astrotiming: tier of user %d: %w", userID, err)
	}
	plan, err := m.billing.PlanOf(ctx, userID)
	if err != nil {
		return "", err
	}
	return engine.BestPlan(append(tiers, plan)), nil
}
