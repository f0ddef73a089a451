package astrotiming

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/gcal"
	"github.com/alorig/alorig/shared/secret"
)

func randomToken(prefix string) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(tok string) []byte {
	s := sha256.Sum256([]byte(tok))
	return s[:]
}

type googleLinkRow struct {
	UserID   int64      `bun:"user_id"`
	Calendar string     `bun:"google_calendar_id"`
	Access   []byte     `bun:"google_access_token"`
	Refresh  []byte     `bun:"google_refresh_token"`
	Expiry   *time.Time `bun:"google_token_expiry"`
	Zone     string     `bun:"timezone"`
}

// SyncCalendars pushes new and changed schedule entries of premium users with a linked Google
// calendar: events.insert for entries never synced, events.patch for entries changed since.
// A user whose token is rejected is skipped (and logged) so one user cannot stall the rest.
// It returns the number of events written.
func (m *Module) SyncCalendars(ctx context.Context) (int, error) {
	var links []googleLinkRow
	err := m.d.DB.NewRaw(`SELECT l.user_id, l.google_calendar_id, l.google_access_token, l.google_refresh_token, l.google_token_expiry, u.timezone
		FROM calendar_links l JOIN users u ON u.id = l.user_id
		WHERE l.google_calendar_id IS NOT NULL AND l.google_access_token IS NOT NULL
		AND EXISTS (SELECT 1 FROM api_keys k WHERE k.user_id = l.user_id AND k.tier = 'premium' AND k.revoked_at IS NULL)`).Scan(ctx, &links)
	if err != nil {
		return 0, fmt.Errorf("astrotiming: calendar sync: list links: %w", err)
	}
	n := 0
	var firstErr error
	for _, l := range links {
		k, err := m.syncUser(ctx, l)
		n += k
		if err != nil {
			m.d.Log.Warn("astrotiming: calendar sync failed", "user", l.UserID, "err", err)
			if firstErr == nil && !errors.Is(err, gcal.ErrUnauthorized) {
				firstErr = err
			}
		}
	}
	return n, firstErr
}

func (m *Module) syncUser(ctx context.Context, l googleLinkRow) (int, error) {
	tokb, err := m.d.Keyring.Open(l.Access, secret.AD("calendar_links", l.UserID, "google_access_token"))
	if err != nil {
		return 0, fmt.Errorf("open access token: %w", err)
	}
	token := string(tokb)
	now := m.d.Clock.Now()
	if l.Expiry != nil && !now.Before(l.Expiry.Add(-time.Minute)) && len(l.Refresh) > 0 {
		if token, err = m.refreshGoogle(ctx, l); err != nil {
			return 0, err
		}
	}
	var entries []StoredEntry
	err = m.d.DB.NewSelect().Model(&entries).Where("user_id = ?", l.UserID).Where("ends_at > ?", now).
		Where("synced_at IS NULL OR updated_at > synced_at").Order("starts_at").Limit(200).Scan(ctx)
	if err != nil {
		return 0, err
	}
	zone := l.Zone
	if zone == "" {
		zone = "UTC"
	}
	n := 0
	for _, e := range entries {
		ev := gcal.Event{Summary: fmt.Sprintf("%s (AstroTiming %d)", e.Activity, e.Score), Transparency: "transparent",
			Description: fmt.Sprintf("Timing Quality Score %d (%s).", e.Score, e.Band),
			Start:       gcal.At(e.StartsAt, zone), End: gcal.At(e.EndsAt, zone)}
		var out *gcal.Event
		if e.GoogleEventID == nil {
			out, err = m.gcal.InsertEvent(ctx, token, l.Calendar, ev)
		} else {
			out, err = m.gcal.PatchEvent(ctx, token, l.Calendar, *e.GoogleEventID, ev)
		}
		if err != nil {
			return n, err
		}
		_, err = m.d.DB.NewUpdate().Model((*StoredEntry)(nil)).Set("google_event_id = ?", out.ID).Set("synced_at = ?", now).
			Where("id = ?", e.ID).Exec(ctx)
		if err != nil {
			return n, err
		}
		n++
	}
	_, err = m.d.DB.NewRaw("UPDATE calendar_links SET google_synced_at = ? WHERE user_id = ?", now, l.UserID).Exec(ctx)
	return n, err
}

func (m *Module) refreshGoogle(ctx context.Context, l googleLinkRow) (string, error) {
	rt, err := m.d.Keyring.Open(l.Refresh, secret.AD("calendar_links", l.UserID, "google_refresh_token"))
	if err != nil {
		return "", fmt.Errorf("open refresh token: %w", err)
	}
	tok, err := m.gcal.Refresh(ctx, string(rt))
	if err != nil {
		return "", err
	}
	sealed, err := m.d.Keyring.Seal([]byte(tok.AccessToken), secret.AD("calendar_links", l.UserID, "google_access_token"))
	if err != nil {
		return "", err
	}
	exp := m.d.Clock.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	_, err = m.d.DB.NewRaw("UPDATE calendar_links SET google_access_token = ?, google_token_expiry = ?, updated_at = ? WHERE user_id = ?",
		sealed, exp, m.d.Clock.Now(), l.UserID).Exec(ctx)
	return tok.AccessToken, err
}
