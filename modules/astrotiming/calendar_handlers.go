package astrotiming

import (
	"net/http"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// createICS (premium: the route checks the plan) issues a new secret feed URL; the previous one
// stops working.
func (m *Module) createICS(c echo.Context) error {
	url, err := m.IssueFeed(c.Request().Context(), caller(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"url": url,
		"note": "subscribe to this URL in your calendar app; it is shown once, and issuing a new one revokes it. Add ?activity=writing (repeatable) for optimal windows."})
}

// icsFeed serves GET /calendar/{token}.ics: the user's schedule (last 7 days onwards) and, for
// each ?activity=, the optimal windows of the next 7 days at their home location.
func (m *Module) icsFeed(c echo.Context) error {
	tok, ok := strings.CutSuffix(c.Param("token"), ".ics")
	if !ok || !strings.HasPrefix(tok, "ics_") || len(tok) > 80 {
		return problem(ErrNoCalendar)
	}
	cal, err := m.CalendarFeed(c.Request().Context(), tok, web.CanonicalHost(c.Request().Host), c.QueryParams()["activity"])
	if err != nil {
		return problemOf(err, "activity")
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
	if err := m.LinkGoogle(c.Request().Context(), caller(c).UserID, in); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"calendar_id": in.CalendarID, "sync": "every 30 minutes while your plan is premium"})
}
