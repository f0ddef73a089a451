package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/cache"
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

// CreateAPIKey makes a key for a user and returns the plaintext once.
func (s *Service) CreateAPIKey(ctx context.Context, userID int64, name string, tier Tier) (string, *APIKey, error) {
	head := "ak_" + s.cfg.Module[:min(4, len(s.cfg.Module))] + "_"
	tok, hash := newToken(head)
	// The visible prefix is the module tag plus the first 9 random characters: enough to tell
	// keys apart in a list, far too little to guess the rest.
	k := &APIKey{UserID: userID, Name: name, Prefix: tok[:len(head)+9], KeyHash: hash, Tier: tier.Name,
		RatePerMin: tier.PerMinute, DailyQuota: tier.DailyQuota, CreatedAt: s.clock.Now()}
	if _, err := s.db.NewInsert().Model(k).Returning("id").Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("%s: create API key: %w", s.cfg.Module, err)
	}
	return tok, k, nil
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
