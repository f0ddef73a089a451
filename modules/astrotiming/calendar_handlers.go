package astrotiming

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/modules/astrotiming/ics"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// createICS (premium: the route checks the plan) issues a new secret feed URL; the previous one stops working.
func (m *Module) createICS(c echo.Context) error {
	tok := randomToken("ics_")
	_, err := m.d.DB.NewRaw(`INSERT INTO calendar_links (user_id, ics_token_hash, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET ics_token_hash = EXCLUDED.ics_token_hash, updated_at = EXCLUDED.updated_at`,
		caller(c).UserID, tokenHash(tok), m.d.Clock.Now()).Exec(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: issue ICS feed: %w", err)
	}
	url := strings.TrimRight(m.d.Config.Astro.PublicBaseURL, "/") + "/calendar/" + tok + ".ics"
	return c.JSON(http.StatusCreated, map[string]any{"url": url,
		"note": "subscribe to this URL in your calendar app; it is shown once, and issuing a new one revokes it. Add ?activity=writing (repeatable) for optimal windows."})
}

// MaxFeedActivities bounds the optimal-window activities of one feed.
const MaxFeedActivities = 5

// icsFeed serves GET /calendar/{token}.ics: the user's schedule (last 7 days onwards) and, for
// each ?activity=, the optimal windows of the next 7 days at their home location.
func (m *Module) icsFeed(c echo.Context) error {
	tok, ok := strings.CutSuffix(c.Param("token"), ".ics")
	if !ok || !strings.HasPrefix(tok, "ics_") || len(tok) > 80 {
		return web.NotFound("no such calendar")
	}
	ctx := c.Request().Context()
	var userID int64
	err := m.d.DB.NewRaw("SELECT user_id FROM calendar_links WHERE ics_token_hash = ?", tokenHash(tok)).Scan(ctx, &userID)
	if err != nil {
		return notFoundOr(database.NoRows(err), "calendar")
	}
	tier, err := m.userTier(ctx, userID)
	if err != nil {
		return err
	}
	if tier != "premium" {
		return web.Forbidden("calendar feeds need a premium plan").WithCode("TIER_REQUIRED")
	}
	now := m.d.Clock.Now()
	cal := ics.Calendar{ProdID: "-//Alorig//AstroTiming//EN", Name: "AstroTiming", Stamp: now}
	var entries []StoredEntry
	if err := m.d.DB.NewSelect().Model(&entries).Where("user_id = ?", userID).Where("ends_at > ?", now.Add(-7*24*time.Hour)).
		Order("starts_at").Limit(1000).Scan(ctx); err != nil {
		return fmt.Errorf("astrotiming: feed entries of user %d: %w", userID, err)
	}
	host := web.CanonicalHost(c.Request().Host)
	for _, e := range entries {
		cal.Events = append(cal.Events, ics.Event{UID: fmt.Sprintf("entry-%d@%s", e.ID, host), Start: e.StartsAt, End: e.EndsAt,
			Summary: fmt.Sprintf("%s (TQS %d, %s)", e.Activity, e.Score, e.Band), Categories: []string{"AstroTiming", "Schedule"},
			Description: fmt.Sprintf("Timing Quality Score %d (%s).", e.Score, e.Band)})
	}
	acts := c.QueryParams()["activity"]
	if len(acts) > MaxFeedActivities {
		return web.Invalid(web.FieldError{Field: "activity", Reason: fmt.Sprintf("at most %d activities per feed", MaxFeedActivities)})
	}
	if len(acts) > 0 {
		eng, err := m.engine()
		if err != nil {
			return problem(err)
		}
		home, err := homeByUser(ctx, m.d.DB, userID)
		if err != nil {
			return notFoundOr(err, "home location: set one with PUT /api/v1/home to get optimal windows")
		}
		p, err := home.Place()
		if err != nil {
			return err
		}
		for _, a := range acts {
			act, err := activityQuery("activity", a)
			if err != nil {
				return problemOf(err, "activity")
			}
			res, err := eng.Search(engine.SearchRequest{Activity: act, Place: p, From: now, Days: 7, Limit: 20})
			if err != nil {
				return problemOf(err, "activity")
			}
			for _, w := range res.Windows {
				cal.Events = append(cal.Events, ics.Event{UID: fmt.Sprintf("window-%s-%d@%s", act.Key, w.Start.Unix(), host), Start: w.Start, End: w.End,
					Summary:     fmt.Sprintf("Optimal: %s (TQS %d)", act.Name, w.Score),
					Description: fmt.Sprintf("%s window for %s, peak hour %d.", w.Band, act.Name, w.Peak), Categories: []string{"AstroTiming", "Optimal window"}})
			}
		}
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=900")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", cal.Marshal())
}

// GoogleLink is the body of PUT /api/v1/calendar/google: tokens the user obtained through
// Google's OAuth consent (scope https://www.googleapis.com/auth/calendar.events).
type GoogleLink struct {
	CalendarID   string    `json:"calendar_id"`
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	ExpiresAt    time.Time `json:"expires_at"`
}

// Validate requires a calendar and an access token.
func (g *GoogleLink) Validate() []web.FieldError {
	var errs []web.FieldError
	if g.CalendarID == "" {
		g.CalendarID = "primary"
	}
	if len(g.CalendarID) > 200 {
		errs = append(errs, web.FieldError{Field: "calendar_id", Reason: "is too long"})
	}
	if g.AccessToken == "" || len(g.AccessToken) > 4096 {
		errs = append(errs, web.FieldError{Field: "access_token", Reason: "is required"})
	}
	if len(g.RefreshToken) > 4096 {
		errs = append(errs, web.FieldError{Field: "refresh_token", Reason: "is too long"})
	}
	return errs
}

func (m *Module) linkGoogle(c echo.Context) error {
	var in GoogleLink
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	uid := caller(c).UserID
	access, err := m.d.Keyring.Seal([]byte(in.AccessToken), secret.AD("calendar_links", uid, "google_access_token"))
	if err != nil {
		return err
	}
	var refresh []byte
	if in.RefreshToken != "" {
		if refresh, err = m.d.Keyring.Seal([]byte(in.RefreshToken), secret.AD("calendar_links", uid, "google_refresh_token")); err != nil {
			return err
		}
	}
	var expiry *time.Time
	if !in.ExpiresAt.IsZero() {
		expiry = &in.ExpiresAt
	}
	_, err = m.d.DB.NewRaw(`INSERT INTO calendar_links (user_id, google_calendar_id, google_access_token, google_refresh_token, google_token_expiry, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET google_calendar_id = EXCLUDED.google_calendar_id,
		google_access_token = EXCLUDED.google_access_token, google_refresh_token = EXCLUDED.google_refresh_token,
		google_token_expiry = EXCLUDED.google_token_expiry, updated_at = EXCLUDED.updated_at`,
		uid, in.CalendarID, access, refresh, expiry, m.d.Clock.Now()).Exec(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: link Google Calendar of user %d: %w", uid, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"calendar_id": in.CalendarID, "sync": "every 30 minutes while your plan is premium"})
}
