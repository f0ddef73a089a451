package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Tier is an API key's plan: its per-minute rate and daily quota.
type Tier struct {
	Name       string
	PerMinute  int
	DailyQuota int
}

// APIKey is a row of api_keys. The key itself is shown once and stored as SHA-256; the
// visible prefix lets a user recognise it in a list.
type APIKey struct {
	bun.BaseModel `bun:"table:api_keys"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64      `bun:"user_id" json:"-"`
	Name          string     `bun:"name" json:"name"`
	Prefix        string     `bun:"prefix" json:"prefix"`
	KeyHash       []byte     `bun:"key_hash" json:"-"`
	Tier          string     `bun:"tier" json:"tier"`
	RatePerMin    int        `bun:"rate_per_min" json:"rate_per_min"`
	DailyQuota    int        `bun:"daily_quota" json:"daily_quota"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	LastUsedAt    *time.Time `bun:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt     *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
}

// ErrInvalidKey is the one answer for a missing, malformed or revoked key.
var ErrInvalidKey = errors.New("API key is missing, unknown or revoked")

// Refusals of a key request.
var (
	// ErrTooManyKeys: a user holds MaxActiveKeys unrevoked keys already.
	ErrTooManyKeys = fmt.Errorf("a user may hold at most %d active API keys: revoke one first", MaxActiveKeys)
	// ErrAnonymousKeys: anonymous accounts are one token away from being lost or shared, and
	// nobody could be told when their key misbehaves.
	ErrAnonymousKeys = errors.New("anonymous accounts cannot issue API keys: attach an email first (POST /api/v1/auth/email)")
	// ErrTierNotGranted: a user asked for a paid tier themselves.
	ErrTierNotGranted = errors.New("only the free tier can be self-issued; paid tiers are granted by billing")
)

// SelfServiceTier is the only tier a user may issue to themselves. Every other tier is a
// plan someone pays for, so only billing (through SetAPIKeyTier) may grant it.
const SelfServiceTier = "free"

// MaxActiveKeys bounds a user's unrevoked keys: each key has its own rate and quota, so
// unbounded keys would be unbounded quota.
const MaxActiveKeys = 10

// CreateAPIKey makes a key for a user and returns the plaintext once. It trusts the tier it is
// given (seeding, billing); the self-service endpoint checks the tier before calling it. It
// refuses a user who already holds MaxActiveKeys active keys.
func (s *Service) CreateAPIKey(ctx context.Context, userID int64, name string, tier Tier) (string, *APIKey, error) {
	head := "ak_" + s.cfg.Module[:min(4, len(s.cfg.Module))] + "_"
	tok, hash := newToken(head)
	// The visible prefix is the module tag plus the first 9 random characters: enough to tell
	// keys apart in a list, far too little to guess the rest.
	k := &APIKey{UserID: userID, Name: name, Prefix: tok[:len(head)+9], KeyHash: hash, Tier: tier.Name,
		RatePerMin: tier.PerMinute, DailyQuota: tier.DailyQuota, CreatedAt: s.clock.Now()}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Locking the user row serialises two concurrent requests of one user, so the count
		// below cannot be passed by both at once.
		var anonymous bool
		if err := tx.NewSelect().Model((*User)(nil)).Column("anonymous").Where("id = ?", userID).For("UPDATE").Scan(ctx, &anonymous); err != nil {
			return database.NoRows(err)
		}
		n, err := tx.NewSelect().Model((*APIKey)(nil)).Where("user_id = ?", userID).Where("revoked_at IS NULL").Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxActiveKeys {
			return ErrTooManyKeys
		}
		_, err = tx.NewInsert().Model(k).Returning("id").Exec(ctx)
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("%s: create API key for user %d: %w", s.cfg.Module, userID, err)
	}
	return tok, k, nil
}

// IssueOwnAPIKey is the self-service path: a signed-in user asks for a key of a named tier.
// Only SelfServiceTier is granted here and anonymous accounts get none; paid tiers come from
// billing through SetAPIKeyTier.
func (s *Service) IssueOwnAPIKey(ctx context.Context, u *User, name, tierName string, tiers map[string]Tier) (string, *APIKey, error) {
	if u.Anonymous {
		return "", nil, ErrAnonymousKeys
	}
	if tierName != SelfServiceTier {
		return "", nil, ErrTierNotGranted
	}
	tier, ok := tiers[tierName]
	if !ok {
		return "", nil, fmt.Errorf("%s: this module defines no %q tier: %w", s.cfg.Module, tierName, ErrTierNotGranted)
	}
	return s.CreateAPIKey(ctx, u.ID, name, tier)
}

// SetAPIKeyTier moves an active key to a tier (its rate and daily quota with it). It is the
// one way a paid tier reaches a key: billing calls it once a plan is paid for, and again with
// the free tier when the plan ends. The new rate applies from the key's next request.
func (s *Service) SetAPIKeyTier(ctx context.Context, keyID int64, tier Tier) error {
	res, err := s.db.NewUpdate().Model((*APIKey)(nil)).Set("tier = ?", tier.Name).Set("rate_per_min = ?", tier.PerMinute).
		Set("daily_quota = ?", tier.DailyQuota).Where("id = ?", keyID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("%s: set tier of API key %d: %w", s.cfg.Module, keyID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s: API key %d: %w", s.cfg.Module, keyID, ErrNotFound)
	}
	return nil
}

// AuthenticateAPIKey resolves a presented key.
func (s *Service) AuthenticateAPIKey(ctx context.Context, key string) (*APIKey, error) {
	if !strings.HasPrefix(key, "ak_") || len(key) > 80 {
		return nil, ErrInvalidKey
	}
	k := new(APIKey)
	err := s.db.NewSelect().Model(k).Where("key_hash = ?", digest(key)).Where("revoked_at IS NULL").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrInvalidKey
	}
	if err != nil {
		return nil, fmt.Errorf("%s: authenticate API key: %w", s.cfg.Module, err)
	}
	now := s.clock.Now()
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		_, _ = s.db.NewUpdate().Model((*APIKey)(nil)).Set("last_used_at = ?", now).Where("id = ?", k.ID).Exec(ctx)
	}
	return k, nil
}

// ListAPIKeys lists a user's keys, revoked ones included, newest first.
func (s *Service) ListAPIKeys(ctx context.Context, userID int64) ([]APIKey, error) {
	var out []APIKey
	if err := s.db.NewSelect().Model(&out).Where("user_id = ?", userID).Order("id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("%s: list API keys: %w", s.cfg.Module, err)
	}
	return out, nil
}

// RevokeAPIKey revokes one of the user's own keys.
func (s *Service) RevokeAPIKey(ctx context.Context, userID, id int64) error {
	res, err := s.db.NewUpdate().Model((*APIKey)(nil)).Set("revoked_at = ?", s.clock.Now()).
		Where("id = ?", id).Where("user_id = ?", userID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("%s: revoke API key %d: %w", s.cfg.Module, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Quota is the outcome of charging one request to a key: the per-minute limit (GCRA) and the
// daily quota (a counter per UTC day).
type Quota struct {
	Allowed    bool
	Limit      int
	Remaining  int
	Reset      time.Duration
	RetryAfter time.Duration
	Reason     string // "rate" or "daily" when refused
	UsedToday  int
}

// ChargeAPIKey spends one request of the key's per-minute rate and daily quota.
func (s *Service) ChargeAPIKey(ctx context.Context, k *APIKey) (Quota, error) {
	now := s.clock.Now()
	res, err := s.kv.Allow(ctx, fmt.Sprintf("apikey:%d", k.ID), cache.PerMinute(k.RatePerMin), now)
	if err != nil {
		return Quota{}, err
	}
	q := Quota{Allowed: res.Allowed, Limit: res.Limit, Remaining: res.Remaining, Reset: res.ResetAfter, RetryAfter: res.RetryAfter}
	if !res.Allowed {
		q.Reason = "rate"
		return q, nil
	}
	day := now.UTC().Format("20060102")
	key := fmt.Sprintf("apikey:%d:day:%s", k.ID, day)
	used, err := s.kv.Incr(ctx, key)
	if err != nil {
		return Quota{}, err
	}
	if used == 1 {
		_ = s.kv.Expire(ctx, key, 48*time.Hour)
	}
	q.UsedToday = int(used)
	if int(used) > k.DailyQuota {
		midnight := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day()+1, 0, 0, 0, 0, time.UTC)
		q.Allowed, q.Reason, q.RetryAfter, q.Remaining = false, "daily", midnight.Sub(now), 0
	}
	return q, nil
}
