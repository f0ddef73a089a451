package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/database"
	amail "github.com/alorig/alorig/shared/mail"
	"github.com/uptrace/bun"
)

// Password change and reset errors.
var (
	ErrWrongPassword = errors.New("the current password is incorrect")
	ErrNoPassword    = errors.New("this account has no password: attach an email and password first")
	ErrResetInvalid  = errors.New("the reset code is unknown, used or expired: ask for a new one")
	ErrMailDown      = errors.New("email cannot be sent from this server right now, so password reset is unavailable")
)

// ResetTTL is how long a password-reset code works.
const ResetTTL = 30 * time.Minute

// Limits of the reset flow: per client IP (answered 429) and per address (silently not sent:
// a 429 there would say nothing about the account, but a quiet drop also says nothing to
// someone trying to flood a victim's inbox).
var (
	resetPerIP    = cache.Limit{Burst: 5, Period: 15 * time.Minute}
	resetPerEmail = cache.Limit{Burst: 3, Period: time.Hour}
	changePerUser = cache.Limit{Burst: 5, Period: 15 * time.Minute}
)

// ChangePassword sets a new password for a signed-in user who knows the current one, and ends
// the user's other sessions (keep is the session making the change).
func (s *Service) ChangePassword(ctx context.Context, userID, keep int64, current, next string) error {
	if err := s.limit(ctx, fmt.Sprintf("password:user:%d", userID), changePerUser, s.clock.Now()); err != nil {
		return err
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.PasswordHash == nil {
		return ErrNoPassword
	}
	ok, err := VerifyPassword(current, *u.PasswordHash)
	if err != nil {
		return fmt.Errorf("%s: change password of user %d: %w", s.cfg.Module, userID, err)
	}
	if !ok {
		return ErrWrongPassword
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", hash).Set("updated_at = ?", s.clock.Now()).
			Where("id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		_, err := s.revokeAll(ctx, tx, userID, keep)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: change password of user %d: %w", s.cfg.Module, userID, err)
	}
	s.InvalidateUser(ctx, userID) // after commit: other processes must not re-read the old rows
	return nil
}

// RequestPasswordReset starts a reset for email. It answers the same whether or not an
// account has that address: the lookup, the code and the email happen after the answer, in
// the background, so neither the answer nor its timing tells. It fails only when mail cannot
// be sent at all (ErrMailDown) or the client IP asked too often.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip string) error {
	if s.cfg.Mailer == nil || s.cfg.Mailer.Ready() != nil {
		return ErrMailDown
	}
	if err := s.limit(ctx, "reset:ip:"+ip, resetPerIP, s.clock.Now()); err != nil {
		return err
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	go func() {
		defer cancel()
		if err := s.sendReset(bg, email); err != nil {
			s.cfg.Log.Error("password reset email", "err", err)
		}
	}()
	return nil
}

func (s *Service) sendReset(ctx context.Context, email string) error {
	now := s.clock.Now()
	if res, err := s.kv.Allow(ctx, "reset:email:"+strings.ToLower(email), resetPerEmail, now); err != nil || !res.Allowed {
		return err // over the limit: nothing is sent, and nobody is told
	}
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("email = ?", email).Where("disabled_at IS NULL").Where("password_hash IS NOT NULL").Scan(ctx)
	if errors.Is(database.NoRows(err), database.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: reset for %s: %w", s.cfg.Module, email, err)
	}
	tok, hash := newToken("pr_")
	if _, err := s.db.NewInsert().Model(&passwordReset{UserID: u.ID, TokenHash: hash, CreatedAt: now, ExpiresAt: now.Add(ResetTTL)}).Exec(ctx); err != nil {
		return fmt.Errorf("%s: reset for user %d: %w", s.cfg.Module, u.ID, err)
	}
	link := strings.TrimRight(s.cfg.PublicURL, "/") + "/api/v1/auth/password/reset/confirm?token=" + url.QueryEscape(tok)
	text := fmt.Sprintf(`Someone asked to reset the password of the %[1]s account for %[2]s.

To choose a new password, open this link within %[3]d minutes:
%[4]s

Apps can send this code with the new password instead:
%[5]s

If it was not you, ignore this email: your password stays as it is.
`, s.cfg.Title, email, int(ResetTTL.Minutes()), link, tok)
	return s.cfg.Mailer.Send(ctx, amail.Message{To: email, Subject: "Reset your " + s.cfg.Title + " password", Text: text})
}

type passwordReset struct {
	bun.BaseModel `bun:"table:password_resets"`
	ID            int64      `bun:"id,pk,autoincrement"`
	UserID        int64      `bun:"user_id"`
	TokenHash     []byte     `bun:"token_hash"`
	CreatedAt     time.Time  `bun:"created_at"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	UsedAt        *time.Time `bun:"used_at"`
}

// ConfirmPasswordReset spends a reset code: it sets the new password, voids every other
// outstanding code of the account, and ends every session (whoever held one may be the reason
// for the reset).
func (s *Service) ConfirmPasswordReset(ctx context.Context, token, next string) error {
	if !strings.HasPrefix(token, "pr_") || len(token) > 64 {
		return ErrResetInvalid
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	var userID int64
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r := new(passwordReset)
		err := tx.NewSelect().Model(r).Where("token_hash = ?", digest(token)).Where("used_at IS NULL").
			Where("expires_at > ?", now).For("UPDATE").Scan(ctx)
		if errors.Is(database.NoRows(err), database.ErrNotFound) {
			return ErrResetInvalid
		}
		if err != nil {
			return err
		}
		userID = r.UserID
		res, err := tx.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", hash).Set("updated_at = ?", now).
			Where("id = ?", userID).Where("disabled_at IS NULL").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrResetInvalid
		}
		if _, err := tx.NewUpdate().Model((*passwordReset)(nil)).Set("used_at = ?", now).
			Where("user_id = ?", userID).Where("used_at IS NULL").Exec(ctx); err != nil {
			return err
		}
		_, err = s.revokeAll(ctx, tx, userID, 0)
		return err
	})
	if errors.Is(err, ErrResetInvalid) {
		return err
	}
	if err != nil {
		return fmt.Errorf("%s: confirm password reset: %w", s.cfg.Module, err)
	}
	s.InvalidateUser(ctx, userID)
	return nil
}
