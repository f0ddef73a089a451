package snapify

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/web"
)

// Sign-in codes: six digits, valid five minutes, one use, five guesses. Three codes per number
// per ten minutes and twenty requests per address per hour keep the WhatsApp bill bounded.
//
// Guessing is bounded per number, not per code, because a fresh code is one request away:
// wrong guesses are counted for 24 hours (a new code does not reset the count), each one past
// the third makes the next wait longer, and the tenth locks the number until the day is over.
// So a number faces at most ten guesses a day, a one-in-100,000 chance.
const (
	codeTTL       = 5 * time.Minute
	codeAttempts  = 5
	failWindow    = 24 * time.Hour
	maxCodeFails  = 10
	codeMACDomain = "snapify sign-in codes v1"
)

// failBackoff is the wait before the next guess after n wrong ones (index n).
var failBackoff = []time.Duration{0, 0, 0, 30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute,
	8 * time.Minute, 16 * time.Minute, 32 * time.Minute}

var (
	codePerPhone = cache.Limit{Burst: 3, Period: 10 * time.Minute}
	codePerIP    = cache.Limit{Burst: 20, Period: time.Hour}
	verifyPerIP  = cache.PerMinute(20)
)

// ErrBadCode is a wrong, expired, used or over-guessed sign-in code; the answer does not say
// which, so guessing learns nothing.
var ErrBadCode = errors.New("snapify: sign-in code is wrong or expired")

// CodeWaitError refuses a guess without looking at it: the number is locked for the day
// (Locked) or must wait out its backoff. Wait is how long.
type CodeWaitError struct {
	Locked bool
	Wait   time.Duration
}

func (e *CodeWaitError) Error() string {
	if e.Locked {
		return "snapify: too many wrong sign-in codes for this number today"
	}
	return "snapify: wait before trying another sign-in code"
}

// takeGuess admits one guess, atomically: it refuses a locked or backing-off number, counts
// the guess against the code's attempts, and counts it as a failure in advance (returned when
// the code turns out right), so parallel guesses cannot slip past the count. It returns
// {1, stored MAC, attempt} for a guess to compare, {0} when there is no live code, {-1, ms}
// when locked and {-2, ms} when the number must wait.
var takeGuess = cache.NewScript(`
local n = tonumber(redis.call('HGET', KEYS[2], 'n') or '0')
if n >= tonumber(ARGV[2]) then return {-1, redis.call('PTTL', KEYS[2])} end
if n > 0 then
  local ready = tonumber(redis.call('HGET', KEYS[2], 'last') or '0') + tonumber(ARGV[5 + n] or ARGV[#ARGV])
  if tonumber(ARGV[1]) < ready then return {-2, ready - tonumber(ARGV[1])} end
end
local h = redis.call('HGET', KEYS[1], 'hash')
if not h then return {0} end
local a = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if a > tonumber(ARGV[4]) then redis.call('DEL', KEYS[1]) return {0} end
redis.call('HINCRBY', KEYS[2], 'n', 1)
redis.call('HSET', KEYS[2], 'last', ARGV[1])
if redis.call('TTL', KEYS[2]) < 0 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return {1, h, a}`)

// spendCode uses a code the caller found right: it deletes it (only one of two parallel right
// guesses wins) and takes back the failure takeGuess counted in advance.
var spendCode = cache.NewScript(`
if redis.call('HGET', KEYS[1], 'hash') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('HINCRBY', KEYS[2], 'n', -1) <= 0 then redis.call('DEL', KEYS[2]) end
return 1`)

// codeMACKey derives the key sign-in codes are MACed with. A plain hash of phone and code
// would give anyone who reads Redis the live code in a million tries; a keyed MAC does not.
// The platform keyring offers no MAC or derivation, so the key is derived here with HKDF from
// its primary key as configured (ALORIG_ENCRYPTION_KEYS, required in production).
func codeMACKey(keys string) ([]byte, bool) {
	primary, _, _ := strings.Cut(strings.TrimSpace(keys), ",")
	if primary = strings.TrimSpace(primary); primary == "" {
		k := make([]byte, 32)
		_, _ = rand.Read(k)
		return k, false
	}
	k, err := hkdf.Key(sha256.New, []byte(primary), nil, codeMACDomain, 32)
	if err != nil {
		panic(err) // only for lengths HKDF cannot produce; 32 bytes always can
	}
	return k, true
}

func (m *Module) codeMAC(phone rules.Phone, code string) string {
	h := hmac.New(sha256.New, m.codeKey)
	h.Write([]byte(phone.E164() + ":" + code))
	return hex.EncodeToString(h.Sum(nil))
}

func newCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

func codeKeys(phone rules.Phone) []string {
	return []string{"signin:" + phone.E164(), "signin-fails:" + phone.E164()}
}

// SendSignInCode creates a code for phone and sends it on WhatsApp. Without WhatsApp
// configured it returns the code and whatsapp.ErrNotConfigured, and the caller decides whether
// it may be shown (development only). The number's count of wrong guesses is left alone.
func (m *Module) SendSignInCode(ctx context.Context, phone rules.Phone, lang string) (string, error) {
	code := newCode()
	key := codeKeys(phone)[0]
	err := m.d.KV.Pipelined(ctx, func(p *cache.Pipe) {
		p.Del(ctx, key)
		p.HSet(ctx, key, "hash", m.codeMAC(phone, code), "attempts", 0)
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
// first sign-in. A refused guess is ErrBadCode or a *CodeWaitError.
func (m *Module) VerifySignInCode(ctx context.Context, phone rules.Phone, code string) (int64, error) {
	keys := codeKeys(phone)
	args := []any{m.d.Clock.Now().UnixMilli(), maxCodeFails, int(failWindow.Seconds()), codeAttempts}
	for _, d := range failBackoff {
		args = append(args, d.Milliseconds())
	}
	v, err := m.d.KV.Run(ctx, takeGuess, keys, args...)
	if err != nil {
		return 0, fmt.Errorf("snapify: check sign-in code: %w", err)
	}
	r, _ := v.([]any)
	status, _ := r[0].(int64)
	switch status {
	case -1, -2:
		ms, _ := r[1].(int64)
		return 0, &CodeWaitError{Locked: status == -1, Wait: time.Duration(max(ms, 1000)) * time.Millisecond}
	case 1:
	default:
		return 0, ErrBadCode
	}
	stored, _ := r[1].(string)
	attempt, _ := r[2].(int64)
	want := m.codeMAC(phone, strings.TrimSpace(code))
	if !hmac.Equal([]byte(stored), []byte(want)) {
		if attempt >= codeAttempts {
			_, _ = m.d.KV.Del(ctx, keys[0])
		}
		return 0, ErrBadCode
	}
	if n, err := m.d.KV.Run(ctx, spendCode, keys, stored); err != nil {
		return 0, fmt.Errorf("snapify: spend sign-in code: %w", err)
	} else if n, _ := n.(int64); n != 1 {
		return 0, ErrBadCode // a parallel guess spent it first
	}
	return upsertSellerByPhone(ctx, m.d.DB, phone, m.d.Clock.Now())
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

// RequestSignInCode sends a sign-in code to phone, within the limits per address (ip) and per
// number. In development without WhatsApp the answer carries the code itself so the API can be
// tried locally; in production that is whatsapp.ErrNotConfigured.
func (m *Module) RequestSignInCode(ctx context.Context, ip string, phone rules.Phone, lang string) (*codeSent, error) {
	now := m.d.Clock.Now()
	if res, err := m.d.KV.Allow(ctx, "signin-ip:"+ip, codePerIP, now); err != nil {
		return nil, err
	} else if !res.Allowed {
		return nil, &RateLimitError{Result: res, Detail: "too many sign-in codes requested from this address"}
	}
	if res, err := m.d.KV.Allow(ctx, "signin-phone:"+phone.E164(), codePerPhone, now); err != nil {
		return nil, err
	} else if !res.Allowed {
		return nil, &RateLimitError{Result: res, Detail: "a code was sent to this number recently; wait before asking again"}
	}
	code, err := m.SendSignInCode(ctx, phone, lang)
	if errors.Is(err, whatsapp.ErrNotConfigured) {
		if m.d.Config.Production() {
			return nil, err
		}
		return &codeSent{Sent: false, WhatsApp: err.Error(), DevCode: code, ExpiresIn: int(codeTTL.Seconds())}, nil
	}
	if err != nil {
		return nil, err
	}
	return &codeSent{Sent: true, ExpiresIn: int(codeTTL.Seconds())}, nil
}

// SignIn spends a sign-in code for phone and starts a session for the seller (ip and
// userAgent are recorded with it). The caller sets the session cookies from the Issued.
func (m *Module) SignIn(ctx context.Context, ip, userAgent string, phone rules.Phone, code string) (*signedIn, auth.Issued, error) {
	if res, err := m.d.KV.Allow(ctx, "signin-verify:"+ip, verifyPerIP, m.d.Clock.Now()); err != nil {
		return nil, auth.Issued{}, err
	} else if !res.Allowed {
		return nil, auth.Issued{}, &RateLimitError{Result: res, Detail: "too many sign-in attempts from this address"}
	}
	uid, err := m.VerifySignInCode(ctx, phone, code)
	if err != nil {
		return nil, auth.Issued{}, err // ErrBadCode or *CodeWaitError
	}
	iss, err := m.d.Accounts.IssueSession(ctx, uid, ip, userAgent)
	if err != nil {
		return nil, auth.Issued{}, err
	}
	u, err := m.d.Accounts.UserByID(ctx, uid)
	if err != nil {
		return nil, auth.Issued{}, err
	}
	return &signedIn{User: u, Token: iss.Token, CSRFToken: iss.CSRFToken, ExpiresAt: iss.ExpiresAt, Phone: phone.E164()}, iss, nil
}
