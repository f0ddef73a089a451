package snapify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Sign-in codes: six digits, valid five minutes, one use, five guesses. Three codes per number
// per ten minutes and twenty requests per address per hour keep the WhatsApp bill and
// brute-forcing both bounded.
const (
	codeTTL      = 5 * time.Minute
	codeAttempts = 5
)

var (
	codePerPhone = cache.Limit{Burst: 3, Period: 10 * time.Minute}
	codePerIP    = cache.Limit{Burst: 20, Period: time.Hour}
	verifyPerIP  = cache.PerMinute(20)
)

// ErrBadCode is a wrong, expired, used or over-guessed sign-in code; the answer does not say
// which, so guessing learns nothing.
var ErrBadCode = errors.New("snapify: sign-in code is wrong or expired")

// checkCode compares the stored hash, counts the attempt and deletes the code when it is used
// or its guesses are spent, all inside Redis so two parallel guesses cannot both count as one.
var checkCode = cache.NewScript(`
local h = redis.call('HGET', KEYS[1], 'hash')
if not h then return 0 end
local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if h == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
if n >= tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]) end
return 0`)

func codeHash(phone rules.Phone, code string) string {
	h := sha256.Sum256([]byte(phone.E164() + ":" + code))
	return hex.EncodeToString(h[:])
}

func newCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// SendSignInCode creates a code for phone and sends it on WhatsApp. Without WhatsApp
// configured it returns the code and whatsapp.ErrNotConfigured, and the caller decides whether
// it may be shown (development only).
func (m *Module) SendSignInCode(ctx context.Context, phone rules.Phone, lang string) (string, error) {
	code := newCode()
	key := "signin:" + phone.E164()
	err := m.d.KV.Pipelined(ctx, func(p *cache.Pipe) {
		p.Del(ctx, key)
		p.HSet(ctx, key, "hash", codeHash(phone, code), "attempts", 0)
		p.Expire(ctx, key, codeTTL)
	})
	if err != nil {
		return "", fmt.Errorf("snapify: store sign-in code: %w", err)
	}
	if _, err := m.wa.SendLoginCode(ctx, phone.Digits(), code, lang); err != nil {
		if errors.Is(err, whatsapp.ErrNotConfigured) {
			return code, err
		}
		_, _ = m.d.KV.Del(ctx, key)
		return "", fmt.Errorf("snapify: send sign-in code: %w", err)
	}
	return "", nil
}

// VerifySignInCode spends a code and returns the seller's user id, creating the user on
// first sign-in.
func (m *Module) VerifySignInCode(ctx context.Context, phone rules.Phone, code string) (int64, error) {
	ok, err := m.d.KV.Run(ctx, checkCode, []string{"signin:" + phone.E164()}, codeHash(phone, strings.TrimSpace(code)), codeAttempts)
	if err != nil {
		return 0, fmt.Errorf("snapify: check sign-in code: %w", err)
	}
	if n, _ := ok.(int64); n != 1 {
		return 0, ErrBadCode
	}
	now := m.d.Clock.Now()
	var id int64
	err = m.d.DB.NewRaw(`INSERT INTO users (phone, display_name, role, created_at, updated_at) VALUES (?, '', 'member', ?, ?)
		ON CONFLICT (phone) DO UPDATE SET updated_at = EXCLUDED.updated_at RETURNING id`, phone.E164(), now, now).Scan(ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("snapify: seller for %s: %w", phone.National(), err)
	}
	return id, nil
}

type phoneRequest struct {
	Phone string `json:"phone"`
	Lang  string `json:"lang,omitempty"`

	parsed rules.Phone
}

func (r *phoneRequest) Validate() []web.FieldError {
	p, err := rules.ParsePhone(r.Phone)
	if err != nil {
		return []web.FieldError{{Field: "phone", Reason: strings.TrimPrefix(err.Error(), "rules: ")}}
	}
	r.parsed = p
	if r.Lang != "" && r.Lang != "en" && r.Lang != "ur" {
		return []web.FieldError{{Field: "lang", Reason: `must be "en" or "ur"`}}
	}
	return nil
}

type verifyRequest struct {
	Phone string `json:"phone"`
	Code  string `json:"code"`

	parsed rules.Phone
}

func (r *verifyRequest) Validate() []web.FieldError {
	var errs []web.FieldError
	p, err := rules.ParsePhone(r.Phone)
	if err != nil {
		errs = append(errs, web.FieldError{Field: "phone", Reason: strings.TrimPrefix(err.Error(), "rules: ")})
	}
	r.parsed = p
	if c := strings.TrimSpace(r.Code); len(c) != 6 || strings.Trim(c, "0123456789") != "" {
		errs = append(errs, web.FieldError{Field: "code", Reason: "must be the 6 digits sent on WhatsApp"})
	}
	return errs
}

func rateLimited(res cache.Result, detail string) error {
	p := web.NewProblem(http.StatusTooManyRequests, detail).WithCode("RATE_LIMITED")
	p.RetryAfter = max(1, int(res.RetryAfter.Seconds()+0.999))
	return p
}

func (m *Module) signInRoutes(g *echo.Group) {
	g.POST("/code", func(c echo.Context) error {
		var req phoneRequest
		if err := web.BindJSON(c, &req); err != nil {
			return err
		}
		ctx, now := c.Request().Context(), m.d.Clock.Now()
		if res, err := m.d.KV.Allow(ctx, "signin-ip:"+c.RealIP(), codePerIP, now); err != nil {
			return err
		} else if !res.Allowed {
			return rateLimited(res, "too many sign-in codes requested from this address")
		}
		if res, err := m.d.KV.Allow(ctx, "signin-phone:"+req.parsed.E164(), codePerPhone, now); err != nil {
			return err
		} else if !res.Allowed {
			return rateLimited(res, "a code was sent to this number recently; wait before asking again")
		}
		code, err := m.SendSignInCode(ctx, req.parsed, req.Lang)
		if errors.Is(err, whatsapp.ErrNotConfigured) {
			if m.d.Config.Production() {
				return web.NewProblem(http.StatusServiceUnavailable, err.Error()).WithCode("WHATSAPP_NOT_CONFIGURED")
			}
			// Development without WhatsApp: the code is shown so the API can be tried locally.
			return c.JSON(http.StatusAccepted, map[string]any{"sent": false, "whatsapp": err.Error(), "dev_code": code,
				"expires_in": int(codeTTL.Seconds())})
		}
		if err != nil {
			return err
		}
		return c.JSON(http.StatusAccepted, map[string]any{"sent": true, "expires_in": int(codeTTL.Seconds())})
	})
	g.POST("/verify", func(c echo.Context) error {
		var req verifyRequest
		if err := web.BindJSON(c, &req); err != nil {
			return err
		}
		ctx := c.Request().Context()
		if res, err := m.d.KV.Allow(ctx, "signin-verify:"+c.RealIP(), verifyPerIP, m.d.Clock.Now()); err != nil {
			return err
		} else if !res.Allowed {
			return rateLimited(res, "too many sign-in attempts from this address")
		}
		uid, err := m.VerifySignInCode(ctx, req.parsed, req.Code)
		if errors.Is(err, ErrBadCode) {
			return web.Unauthorized("the code is wrong or has expired; ask for a new one").WithCode("BAD_CODE")
		}
		if err != nil {
			return err
		}
		iss, err := m.d.Accounts.IssueSession(ctx, uid, c.RealIP(), c.Request().UserAgent())
		if err != nil {
			return err
		}
		u, err := m.d.Accounts.UserByID(ctx, uid)
		if err != nil {
			return err
		}
		m.d.Accounts.SetSessionCookies(c, iss)
		return c.JSON(http.StatusOK, map[string]any{"user": u, "token": iss.Token, "csrf_token": iss.CSRFToken,
			"expires_at": iss.ExpiresAt, "phone": req.parsed.E164()})
	})
}
