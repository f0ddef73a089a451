package astrotiming

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/alorig/alorig/modules/astrotiming/ics"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
)

// CalDAVInput is the body of PUT /api/v1/calendar/caldav and of the page's form: a calendar
// collection's address and the account that may write to it (often an app password).
type CalDAVInput struct {
	URL      string `json:"url" form:"url"`
	Username string `json:"username" form:"username"`
	Password string `json:"password" form:"password"`
}

// Validate checks sizes and presence; the address rules and the server check follow in
// ConnectCalDAV.
func (in *CalDAVInput) Validate() []web.FieldError {
	var errs []web.FieldError
	in.URL, in.Username = strings.TrimSpace(in.URL), strings.TrimSpace(in.Username)
	if in.URL == "" || len(in.URL) > 2000 {
		errs = append(errs, web.FieldError{Field: "url", Reason: "is required (at most 2000 characters)"})
	}
	if in.Username == "" || len(in.Username) > 200 {
		errs = append(errs, web.FieldError{Field: "username", Reason: "is required (at most 200 characters)"})
	}
	if in.Password == "" || len(in.Password) > 1000 {
		errs = append(errs, web.FieldError{Field: "password", Reason: "is required (at most 1000 characters)"})
	}
	return errs
}

// CalDAVConnected is the answer of a connected CalDAV calendar.
type CalDAVConnected struct {
	URL      string `json:"url"`
	Username string `json:"username"`
	Name     string `json:"name,omitempty"`
	Sync     string `json:"sync"`
}

// ConnectCalDAV checks the calendar with the server (credentials, a calendar collection that
// takes events) and keeps it with the password sealed. The caller holds a premium plan (the
// route checks).
func (m *Module) ConnectCalDAV(ctx context.Context, userID int64, in CalDAVInput) (CalDAVConnected, error) {
	if err := m.dav.checkURL(in.URL, m.d.Config.Production()); err != nil {
		return CalDAVConnected{}, &CalDAVError{Field: "url", Reason: strings.Replace(err.Error(), "deliveries go", "calendars are reached", 1)}
	}
	if !strings.HasSuffix(in.URL, "/") {
		in.URL += "/" // a collection; objects are named inside it
	}
	a := calDAVAccount{URL: in.URL, Username: in.Username, Password: in.Password}
	name, err := m.calDAVCheck(ctx, a)
	if err != nil {
		return CalDAVConnected{}, err
	}
	sealed, err := m.d.Keyring.Seal([]byte(in.Password), secret.AD("calendar_links", userID, "caldav_password"))
	if err != nil {
		return CalDAVConnected{}, err
	}
	if err := setCalDAV(ctx, m.d.DB, userID, in.URL, in.Username, sealed, m.d.Clock.Now()); err != nil {
		return CalDAVConnected{}, fmt.Errorf("astrotiming: keep CalDAV calendar of user %d: %w", userID, err)
	}
	return CalDAVConnected{URL: in.URL, Username: in.Username, Name: name, Sync: "every 30 minutes while your plan is premium"}, nil
}

// DisconnectCalDAV forgets the user's CalDAV calendar and its password. Events already written
// stay in that calendar.
func (m *Module) DisconnectCalDAV(ctx context.Context, userID int64) error {
	s, err := m.CalendarStatus(ctx, userID)
	if err != nil {
		return err
	}
	if s.CalDAVURL == nil {
		return ErrNoCalDAV
	}
	return clearCalDAV(ctx, m.d.DB, userID, m.d.Clock.Now())
}

// syncCalDAV writes the user's new and changed entries as iCalendar objects, one per entry at
// a name of its own (astrotiming-entry-<id>.ics), so a change replaces the event.
func (m *Module) syncCalDAV(ctx context.Context, l calDAVLinkRow) (int, error) {
	pw, err := m.d.Keyring.Open(l.Password, secret.AD("calendar_links", l.UserID, "caldav_password"))
	if err != nil {
		return 0, fmt.Errorf("open CalDAV password: %w", err)
	}
	a := calDAVAccount{URL: l.URL, Username: l.Username, Password: string(pw)}
	now := m.d.Clock.Now()
	entries, err := entriesToSyncCalDAV(ctx, m.d.DB, l.UserID, now, 200)
	if err != nil {
		return 0, err
	}
	host := "astrotiming"
	if u, err := url.Parse(m.d.Config.Astro.PublicBaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	n := 0
	for _, e := range entries {
		cal := ics.Calendar{ProdID: "-//Alorig//AstroTiming//EN", Stamp: now, Events: []ics.Event{{
			UID: fmt.Sprintf("entry-%d@%s", e.ID, host), Start: e.StartsAt, End: e.EndsAt,
			Summary:     fmt.Sprintf("%s (AstroTiming %d)", e.Activity, e.Score),
			Description: fmt.Sprintf("Timing Quality Score %d (%s).", e.Score, e.Band), Categories: []string{"AstroTiming"}}}}
		href, etag, err := m.calDAVPut(ctx, a, fmt.Sprintf("astrotiming-entry-%d.ics", e.ID), cal.Marshal())
		if err != nil {
			return n, err
		}
		if err := markEntryCalDAV(ctx, m.d.DB, e.ID, href, etag, now); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// errText is an error for the page: the message, bounded.
func errText(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	var ce *CalDAVError
	if errors.As(err, &ce) {
		msg = ce.Reason
	}
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return msg
}
