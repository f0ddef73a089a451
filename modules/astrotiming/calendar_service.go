package astrotiming

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/modules/astrotiming/gcal"
	"github.com/alorig/alorig/modules/astrotiming/ics"
	"github.com/alorig/alorig/shared/database"
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

// MaxFeedActivities bounds the optimal-window activities of one feed.
const MaxFeedActivities = 5

// IssueFeed gives the user a new secret feed URL; the previous one stops working. Only the
// token's hash is kept.
func (m *Module) IssueFeed(ctx context.Context, userID int64) (string, error) {
	tok := randomToken("ics_")
	if err := setFeedToken(ctx, m.d.DB, userID, tokenHash(tok), m.d.Clock.Now()); err != nil {
		return "", fmt.Errorf("astrotiming: issue ICS feed: %w", err)
	}
	return strings.TrimRight(m.d.Config.Astro.PublicBaseURL, "/") + "/calendar/" + tok + ".ics", nil
}

// CalendarFeed is the calendar behind a feed token, for a premium user: their schedule from 7
// days ago and, for each activity, its optimal windows of the next 7 days at their home. host
// makes the events' UIDs. The checks run in this order: token, plan, activity count, ephemeris,
// home, each activity.
func (m *Module) CalendarFeed(ctx context.Context, token, host string, activities []string) (*ics.Calendar, error) {
	userID, err := userByFeedToken(ctx, m.d.DB, tokenHash(token))
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoCalendar
	}
	if err != nil {
		return nil, err
	}
	tier, err := m.userTier(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !engine.PlanAtLeast(tier, engine.PlanPremium) {
		return nil, ErrFeedNeedsPremium
	}
	now := m.d.Clock.Now()
	cal := &ics.Calendar{ProdID: "-//Alorig//AstroTiming//EN", Name: "AstroTiming", Stamp: now}
	entries, err := entriesEndingAfter(ctx, m.d.DB, userID, now.Add(-7*24*time.Hour), 1000)
	if err != nil {
		return nil, fmt.Errorf("astrotiming: feed entries of user %d: %w", userID, err)
	}
	for _, e := range entries {
		cal.Events = append(cal.Events, ics.Event{UID: fmt.Sprintf("entry-%d@%s", e.ID, host), Start: e.StartsAt, End: e.EndsAt,
			Summary: fmt.Sprintf("%s (TQS %d, %s)", e.Activity, e.Score, e.Band), Categories: []string{"AstroTiming", "Schedule"},
			Description: fmt.Sprintf("Timing Quality Score %d (%s).", e.Score, e.Band)})
	}
	if len(activities) > MaxFeedActivities {
		return nil, ErrTooManyFeedActivities
	}
	if len(activities) == 0 {
		return cal, nil
	}
	eng, err := m.engine()
	if err != nil {
		return nil, err
	}
	home, err := homeByUser(ctx, m.d.DB, userID)
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrFeedNoHome
	}
	if err != nil {
		return nil, err
	}
	p, err := home.Place()
	if err != nil {
		return nil, err
	}
	for _, a := range activities {
		act, err := activityQuery("activity", a)
		if err != nil {
			return nil, err
		}
		res, err := eng.Search(engine.SearchRequest{Activity: act, Place: p, From: now, Days: 7, Limit: 20})
		if err != nil {
			return nil, err
		}
		for _, w := range res.Windows {
			cal.Events = append(cal.Events, ics.Event{UID: fmt.Sprintf("window-%s-%d@%s", act.Key, w.Start.Unix(), host), Start: w.Start, End: w.End,
				Summary:     fmt.Sprintf("Optimal: %s (TQS %d)", act.Name, w.Score),
				Description: fmt.Sprintf("%s window for %s, peak hour %d.", w.Band, act.Name, w.Peak), Categories: []string{"AstroTiming", "Optimal window"}})
		}
	}
	return cal, nil
}

// LinkGoogle keeps the user's Google Calendar tokens, sealed to their row, for the sync job.
func (m *Module) LinkGoogle(ctx context.Context, userID int64, in GoogleLink) error {
	access, err := m.d.Keyring.Seal([]byte(in.AccessToken), secret.AD("calendar_links", userID, "google_access_token"))
	if err != nil {
		return err
	}
	var refresh []byte
	if in.RefreshToken != "" {
		if refresh, err = m.d.Keyring.Seal([]byte(in.RefreshToken), secret.AD("calendar_links", userID, "google_refresh_token")); err != nil {
			return err
		}
	}
	var expiry *time.Time
	if !in.ExpiresAt.IsZero() {
		expiry = &in.ExpiresAt
	}
	if err := setGoogleLink(ctx, m.d.DB, userID, in.CalendarID, access, refresh, expiry, m.d.Clock.Now()); err != nil {
		return fmt.Errorf("astrotiming: link Google Calendar of user %d: %w", userID, err)
	}
	return nil
}

// SyncCalendars pushes new and changed schedule entries of premium users to the calendars
// they connected: Google (events.insert for entries never synced, events.patch for entries
// changed since) and CalDAV (one object per entry, written again when it changes). A user
// whose calendar fails is skipped, the failure kept for the page and logged, so one user
// cannot stall the rest. It returns the number of events written.
func (m *Module) SyncCalendars(ctx context.Context) (int, error) {
	links, err := googleLinksToSync(ctx, m.d.DB)
	if err != nil {
		return 0, fmt.Errorf("astrotiming: calendar sync: list links: %w", err)
	}
	n := 0
	var firstErr error
	for _, l := range links {
		k, err := m.syncUser(ctx, l)
		n += k
		if serr := setGoogleError(ctx, m.d.DB, l.UserID, errText(err)); serr != nil && firstErr == nil {
			firstErr = serr
		}
		if err != nil {
			m.d.Log.Warn("astrotiming: Google calendar sync failed", "user", l.UserID, "err", err)
			if firstErr == nil && !errors.Is(err, gcal.ErrUnauthorized) && !errors.Is(err, gcal.ErrGrantRevoked) {
				firstErr = err
			}
		}
	}
	davs, err := calDAVLinksToSync(ctx, m.d.DB)
	if err != nil {
		return n, fmt.Errorf("astrotiming: calendar sync: list CalDAV calendars: %w", err)
	}
	for _, l := range davs {
		k, err := m.syncCalDAV(ctx, l)
		n += k
		if err != nil {
			// A user's own server being down or refusing is theirs to fix; the page says so.
			m.d.Log.Warn("astrotiming: CalDAV calendar sync failed", "user", l.UserID, "err", err)
		}
		if serr := markCalDAVSynced(ctx, m.d.DB, l.UserID, m.d.Clock.Now(), errText(err)); serr != nil && firstErr == nil {
			firstErr = serr
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
	entries, err := entriesToSync(ctx, m.d.DB, l.UserID, now, 200)
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
		if err := markEntrySynced(ctx, m.d.DB, e.ID, out.ID, now); err != nil {
			return n, err
		}
		n++
	}
	return n, markGoogleSynced(ctx, m.d.DB, l.UserID, now)
}

// refreshGoogle gets a new access token with the user's refresh token and keeps it sealed
// (with the new refresh token when Google rotated it).
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
	var refresh []byte
	if tok.RefreshToken != "" && tok.RefreshToken != string(rt) {
		if refresh, err = m.d.Keyring.Seal([]byte(tok.RefreshToken), secret.AD("calendar_links", l.UserID, "google_refresh_token")); err != nil {
			return "", err
		}
	}
	expiresIn := time.Duration(tok.ExpiresIn) * time.Second
	if expiresIn <= 0 {
		expiresIn = time.Hour // Google's access tokens live an hour; the field is absent only from other servers
	}
	now := m.d.Clock.Now()
	return tok.AccessToken, setRefreshedGoogle(ctx, m.d.DB, l.UserID, sealed, refresh, now.Add(expiresIn), now)
}
