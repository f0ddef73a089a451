package astrotiming

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	views "github.com/alorig/alorig/views/astrotiming"
	"github.com/labstack/echo/v4"
)

// The calendar page (/calendar) is where a signed-in user manages scheduling: their plan, the
// Google Calendar connection (consent flow), a CalDAV calendar, and the entries the sync
// writes. Its forms post back here with the session cookie and the CSRF token (the platform's
// middleware checks it); every outcome lands on the page again with a message.

// The browser paths of the calendar page and the Google consent flow.
const (
	CalendarPagePath     = "/calendar"
	GoogleConnectPath    = "/calendar/google/connect"
	GoogleCallbackPath   = "/calendar/google/callback"
	GoogleDisconnectPath = "/calendar/google/disconnect"
	CalDAVConnectPath    = "/calendar/caldav"
	CalDAVDisconnectPath = "/calendar/caldav/disconnect"
	CalendarSignInPath   = "/calendar/sign-in"
)

// calendarNotices are the page's messages by the code in its query: the page never repeats
// text from the address bar.
var calendarNotices = map[string]string{
	"google_connected":     "Google Calendar is connected. Your saved schedule is added within 30 minutes.",
	"google_disconnected":  "Google Calendar is disconnected and AstroTiming's access was revoked at Google.",
	"google_forgotten":     "Google Calendar is disconnected here, but Google could not be reached to revoke access: remove AstroTiming at myaccount.google.com/permissions.",
	"caldav_connected":     "Your CalDAV calendar is connected. Your saved schedule is added within 30 minutes.",
	"caldav_disconnected":  "Your CalDAV calendar is disconnected; events already written stay in it.",
	"access_denied":        (&ConsentError{Code: "access_denied"}).Error() + ".",
	"exchange_failed":      (&ConsentError{Code: "exchange_failed"}).Error() + ".",
	"scope_refused":        (&ConsentError{Code: "scope_refused"}).Error() + ".",
	"google_refused":       "Google Calendar was not connected: Google refused the request.",
	"state":                "That Google connection attempt expired, was already used or was started in another session. Please start again.",
	"not_configured":       "Google Calendar cannot be connected on this server yet: its Google OAuth client is not configured.",
	"plan":                 "Calendar sync is part of the premium plan.",
	"no_google":            "No Google Calendar is connected.",
	"no_caldav":            "No CalDAV calendar is connected.",
	"sign_in":              "Sign in first.",
	"signed_in":            "You are signed in.",
	"sign_in_failed":       "That email and password do not match an account.",
	"sign_in_rate_limited": "Too many sign-in attempts; wait a minute and try again.",
}

// noticeCode is the page's code for an error of the flow.
func noticeCode(err error) string {
	var cons *ConsentError
	var plan *PlanError
	switch {
	case errors.As(err, &cons):
		if _, ok := calendarNotices[cons.Code]; ok {
			return cons.Code
		}
		return "google_refused"
	case errors.As(err, &plan):
		return "plan"
	case errors.Is(err, ErrOAuthState):
		return "state"
	case errors.Is(err, ErrGoogleNotConfigured):
		return "not_configured"
	case errors.Is(err, ErrNoGoogle):
		return "no_google"
	case errors.Is(err, ErrNoCalDAV):
		return "no_caldav"
	case errors.Is(err, ErrSessionRequired):
		return "sign_in"
	}
	return ""
}

// backToPage sends the browser to the calendar page with a notice (303, so a reload does not
// post again).
func backToPage(c echo.Context, code string) error {
	return c.Redirect(http.StatusSeeOther, CalendarPagePath+"?notice="+url.QueryEscape(code))
}

// pageUser is the signed-in user and their session (nil, 0 for a visitor).
func pageUser(c echo.Context) (*auth.User, int64) {
	u, s := auth.CurrentUser(c), auth.CurrentSession(c)
	if u == nil || s == nil {
		return nil, 0
	}
	return u, s.ID
}

// calendarPage shows the user's plan, their connections and their upcoming entries, or the
// sign-in form to a visitor.
func (m *Module) calendarPage(c echo.Context) error {
	return m.renderCalendar(c, http.StatusOK, c.QueryParam("notice"), "", CalDAVInput{})
}

func (m *Module) renderCalendar(c echo.Context, status int, notice, formError string, form CalDAVInput) error {
	page := views.CalendarPage{Notice: calendarNotices[notice], FormError: formError,
		CalDAVURL: form.URL, CalDAVUsername: form.Username}
	if ck, err := c.Cookie(m.d.Accounts.CSRFCookieName()); err == nil {
		page.CSRF = ck.Value
	}
	u, _ := pageUser(c)
	if u == nil {
		return web.Render(c, status, views.Calendar(page))
	}
	ctx := c.Request().Context()
	page.SignedIn, page.Email = true, deref(u.Email)
	tier, err := m.userTier(ctx, u.ID)
	if err != nil {
		return err
	}
	page.Plan, page.Premium = tier, engine.PlanAtLeast(tier, engine.PlanPremium)
	page.GoogleAvailable = m.gcal.CanConnect()
	st, err := m.CalendarStatus(ctx, u.ID)
	if err != nil {
		return err
	}
	if st.GoogleCalendar != nil {
		page.Google = &views.Connection{Name: *st.GoogleCalendar, Since: stamp(st.GoogleConnectedAt), Synced: stamp(st.GoogleSyncedAt), Error: deref(st.GoogleError)}
	}
	if st.CalDAVURL != nil {
		page.CalDAV = &views.Connection{Name: *st.CalDAVURL, Account: deref(st.CalDAVUsername), Synced: stamp(st.CalDAVSyncedAt), Error: deref(st.CalDAVError)}
	}
	entries, err := entriesEndingAfter(ctx, m.d.DB, u.ID, m.d.Clock.Now(), 50)
	if err != nil {
		return err
	}
	zone := m.d.Clock.Now().Location()
	if h, err := m.Home(ctx, u.ID); err == nil {
		if p, err := h.Place(); err == nil {
			zone = p.Zone
		}
	}
	for _, e := range entries {
		page.Entries = append(page.Entries, views.Entry{Activity: e.Activity, Start: e.StartsAt.In(zone).Format("Mon 2 Jan 15:04"),
			End: e.EndsAt.In(zone).Format("15:04 MST"), Score: e.Score, Band: e.Band,
			InGoogle: e.GoogleEventID != nil, InCalDAV: e.CalDAVSynced != nil})
	}
	return web.Render(c, status, views.Calendar(page))
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// googleConnect starts the consent flow: 303 to Google's consent screen.
func (m *Module) googleConnect(c echo.Context) error {
	u, sid := pageUser(c)
	if u == nil {
		return backToPage(c, "sign_in")
	}
	ctx := c.Request().Context()
	tier, err := m.userTier(ctx, u.ID)
	if err != nil {
		return err
	}
	if !engine.PlanAtLeast(tier, engine.PlanPremium) {
		return backToPage(c, "plan")
	}
	to, err := m.StartGoogleConnect(ctx, u.ID, sid)
	if code := noticeCode(err); code != "" {
		return backToPage(c, code)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// googleCallback is where Google sends the browser back with code and state (or error).
func (m *Module) googleCallback(c echo.Context) error {
	u, sid := pageUser(c)
	if u == nil {
		return backToPage(c, "state") // the attempt belongs to a session this browser no longer has
	}
	q := c.QueryParams()
	err := m.FinishGoogleConnect(c.Request().Context(), u.ID, sid, q.Get("state"), q.Get("code"), q.Get("error"))
	if code := noticeCode(err); code != "" {
		return backToPage(c, code)
	}
	if err != nil {
		return err
	}
	return backToPage(c, "google_connected")
}

// googleDisconnectPage is the page's "Disconnect" button.
func (m *Module) googleDisconnectPage(c echo.Context) error {
	u, _ := pageUser(c)
	if u == nil {
		return backToPage(c, "sign_in")
	}
	revoked, err := m.DisconnectGoogle(c.Request().Context(), u.ID)
	if code := noticeCode(err); code != "" {
		return backToPage(c, code)
	}
	if err != nil {
		return err
	}
	if !revoked {
		return backToPage(c, "google_forgotten")
	}
	return backToPage(c, "google_disconnected")
}

// calDAVConnectPage is the page's CalDAV form; a calendar the server refuses shows the form
// again with the reason (422).
func (m *Module) calDAVConnectPage(c echo.Context) error {
	u, _ := pageUser(c)
	if u == nil {
		return backToPage(c, "sign_in")
	}
	ctx := c.Request().Context()
	tier, err := m.userTier(ctx, u.ID)
	if err != nil {
		return err
	}
	if !engine.PlanAtLeast(tier, engine.PlanPremium) {
		return backToPage(c, "plan")
	}
	in := CalDAVInput{URL: c.FormValue("url"), Username: c.FormValue("username"), Password: c.FormValue("password")}
	if errs := in.Validate(); len(errs) > 0 {
		return m.renderCalendar(c, http.StatusUnprocessableEntity, "", errs[0].Field+" "+errs[0].Reason+".", in)
	}
	_, err = m.ConnectCalDAV(ctx, u.ID, in)
	var dav *CalDAVError
	if errors.As(err, &dav) {
		return m.renderCalendar(c, http.StatusUnprocessableEntity, "", dav.Field+": "+dav.Reason+".", in)
	}
	if err != nil {
		return err
	}
	return backToPage(c, "caldav_connected")
}

// calDAVDisconnectPage is the page's CalDAV "Disconnect" button.
func (m *Module) calDAVDisconnectPage(c echo.Context) error {
	u, _ := pageUser(c)
	if u == nil {
		return backToPage(c, "sign_in")
	}
	err := m.DisconnectCalDAV(c.Request().Context(), u.ID)
	if code := noticeCode(err); code != "" {
		return backToPage(c, code)
	}
	if err != nil {
		return err
	}
	return backToPage(c, "caldav_disconnected")
}

// calendarSignIn is the page's sign-in form (email and password): the platform's password
// sign-in, answered with the session cookies and the page.
func (m *Module) calendarSignIn(c echo.Context) error {
	email, why := auth.NormaliseEmail(c.FormValue("email"))
	if why != "" {
		return backToPage(c, "sign_in_failed")
	}
	_, iss, err := m.d.Accounts.Login(c.Request().Context(), email, c.FormValue("password"), c.RealIP(), c.Request().UserAgent())
	var rl *auth.RateLimitError
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		return backToPage(c, "sign_in_failed")
	case errors.As(err, &rl):
		return backToPage(c, "sign_in_rate_limited")
	case err != nil:
		return err
	}
	m.d.Accounts.SetSessionCookies(c, iss)
	return backToPage(c, "signed_in")
}
