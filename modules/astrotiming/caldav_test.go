package astrotiming_test

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav"
	"github.com/emersion/go-webdav/caldav"
	"github.com/stretchr/testify/require"
)

// davServer is a local CalDAV server: go-webdav's CalDAV handler (it parses every PROPFIND
// and every iCalendar body as a real server does) over an in-memory store for one user,
// behind HTTP Basic authentication. alice has a calendar "work" that takes events and a task
// list "tasks" that does not.
type davServer struct {
	*httptest.Server
	user, password string
	mu             sync.Mutex
	objects        map[string]*ical.Calendar // path → object
	puts           int
}

func newDAVServer(t *testing.T) *davServer {
	s := &davServer{user: "alice", password: "app-password-1", objects: map[string]*ical.Calendar{}}
	h := &caldav.Handler{Backend: s}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u+":"+p), []byte(s.user+":"+s.password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="caldav"`)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

var davCalendars = []caldav.Calendar{
	{Path: "/alice/calendars/work/", Name: "Work", SupportedComponentSet: []string{"VEVENT"}},
	{Path: "/alice/calendars/tasks/", Name: "Tasks", SupportedComponentSet: []string{"VTODO"}},
}

func notFound(what string) error { return webdav.NewHTTPError(http.StatusNotFound, errors.New(what)) }

func (s *davServer) CurrentUserPrincipal(context.Context) (string, error) { return "/alice/", nil }
func (s *davServer) CalendarHomeSetPath(context.Context) (string, error) {
	return "/alice/calendars/", nil
}
func (s *davServer) CreateCalendar(context.Context, *caldav.Calendar) error {
	return webdav.NewHTTPError(http.StatusForbidden, errors.New("no new calendars"))
}
func (s *davServer) ListCalendars(context.Context) ([]caldav.Calendar, error) {
	return davCalendars, nil
}
func (s *davServer) GetCalendar(_ context.Context, p string) (*caldav.Calendar, error) {
	for _, c := range davCalendars {
		if strings.TrimSuffix(c.Path, "/") == strings.TrimSuffix(p, "/") {
			return &c, nil
		}
	}
	return nil, notFound("no calendar " + p)
}

func (s *davServer) object(p string, cal *ical.Calendar) caldav.CalendarObject {
	var b strings.Builder
	_ = ical.NewEncoder(&b).Encode(cal)
	sum := sha256.Sum256([]byte(b.String()))
	return caldav.CalendarObject{Path: p, Data: cal, ETag: hex.EncodeToString(sum[:8]), ContentLength: int64(b.Len())}
}

func (s *davServer) GetCalendarObject(_ context.Context, p string, _ *caldav.CalendarCompRequest) (*caldav.CalendarObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal, ok := s.objects[p]
	if !ok {
		return nil, notFound("no object " + p)
	}
	o := s.object(p, cal)
	return &o, nil
}

func (s *davServer) ListCalendarObjects(_ context.Context, p string, _ *caldav.CalendarCompRequest) ([]caldav.CalendarObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []caldav.CalendarObject
	for k, cal := range s.objects {
		if strings.HasPrefix(k, p) {
			out = append(out, s.object(k, cal))
		}
	}
	return out, nil
}

func (s *davServer) QueryCalendarObjects(ctx context.Context, p string, _ *caldav.CalendarQuery) ([]caldav.CalendarObject, error) {
	return s.ListCalendarObjects(ctx, p, nil)
}

// PutCalendarObject takes what a CalDAV server takes: an object inside a calendar that
// accepts its component, holding one VEVENT with a UID, a start and an end after it.
func (s *davServer) PutCalendarObject(_ context.Context, p string, cal *ical.Calendar, _ *caldav.PutCalendarObjectOptions) (*caldav.CalendarObject, error) {
	dir := p[:strings.LastIndex(p, "/")+1]
	c, err := s.GetCalendar(context.Background(), dir)
	if err != nil {
		return nil, webdav.NewHTTPError(http.StatusConflict, errors.New("no calendar collection "+dir))
	}
	events := cal.Events()
	if len(events) != 1 || len(cal.Children) != 1 {
		return nil, webdav.NewHTTPError(http.StatusBadRequest, errors.New("one VEVENT per object"))
	}
	if c.SupportedComponentSet[0] != "VEVENT" {
		return nil, webdav.NewHTTPError(http.StatusForbidden, errors.New("supported-calendar-component"))
	}
	ev := events[0]
	uid, _ := ev.Props.Text(ical.PropUID)
	start, err1 := ev.DateTimeStart(nil)
	end, err2 := ev.DateTimeEnd(nil)
	if uid == "" || err1 != nil || err2 != nil || !end.After(start) {
		return nil, webdav.NewHTTPError(http.StatusBadRequest, fmt.Errorf("valid-calendar-data: uid %q start %v end %v", uid, err1, err2))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[p] = cal
	s.puts++
	o := s.object(p, cal)
	return &o, nil
}

func (s *davServer) DeleteCalendarObject(_ context.Context, p string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.objects, p)
	return nil
}

// events are the stored VEVENTs by path: summary and UTC start.
func (s *davServer) events() map[string][2]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][2]string{}
	for p, cal := range s.objects {
		ev := cal.Events()[0]
		sum, _ := ev.Props.Text(ical.PropSummary)
		start, _ := ev.DateTimeStart(nil)
		out[p] = [2]string{sum, start.UTC().Format("2006-01-02T15:04Z")}
	}
	return out
}

func TestCalDAVConnectAndSync(t *testing.T) {
	t.Parallel()
	dav := newDAVServer(t)
	env, m := start(t)
	ctx := context.Background()
	tok := register(t, env)
	free := apiKey(newKey(t, env, tok, "free"))
	key := apiKey(newKey(t, env, tok, "premium"))
	put := func(h map[string]string, body string) (int, string) {
		res, b := env.Do("PUT", host, "/api/v1/calendar/caldav", h, body)
		return res.StatusCode, b
	}
	body := func(path, user, pw string) string {
		return fmt.Sprintf(`{"url":%q,"username":%q,"password":%q}`, dav.URL+path, user, pw)
	}

	// The address rules come first: a loopback server is refused like any private address.
	status, b := put(key, body("/alice/calendars/work/", "alice", dav.password))
	require.Equal(t, 422, status, b)
	require.Contains(t, b, `"field":"url"`)
	m.AllowCalDAVTargets(netip.MustParsePrefix("127.0.0.0/8"))

	// Free users may not connect.
	status, b = put(free, body("/alice/calendars/work/", "alice", dav.password))
	require.Equal(t, 403, status, b)

	for _, c := range []struct{ name, body, field, reason string }{
		{"wrong password", body("/alice/calendars/work/", "alice", "guess"), "password", "refused this user name and password (HTTP 401)"},
		{"home set, not a calendar", body("/alice/calendars/", "alice", dav.password), "url", "is a folder, not a calendar"},
		{"no such calendar", body("/alice/calendars/nope/", "alice", dav.password), "url", "HTTP 404"},
		{"task list", body("/alice/calendars/tasks/", "alice", dav.password), "url", "does not take events"},
		{"no password", body("/alice/calendars/work/", "alice", ""), "password", "is required"},
	} {
		status, b := put(key, c.body)
		require.Equal(t, 422, status, c.name+": "+b)
		require.Contains(t, b, `"field":"`+c.field+`"`, c.name)
		require.Contains(t, b, c.reason, c.name)
	}
	// A web server that is no CalDAV server at all.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>hello</html>")) }))
	defer plain.Close()
	status, b = put(key, fmt.Sprintf(`{"url":%q,"username":"a","password":"b"}`, plain.URL+"/cal/"))
	require.Equal(t, 422, status, b)
	require.Contains(t, b, "is not a CalDAV calendar: PROPFIND answered HTTP 200")

	status, b = put(key, body("/alice/calendars/work", "alice", dav.password))
	require.Equal(t, 200, status, b)
	require.Contains(t, b, `"name":"Work"`)
	require.Contains(t, b, `/alice/calendars/work/"`, "the collection address ends in a slash")

	// The password is sealed at rest.
	db := env.Mounted("astrotiming").DB
	var sealed []byte
	require.NoError(t, db.QueryRowContext(ctx, "SELECT caldav_password FROM calendar_links").Scan(&sealed))
	require.NotContains(t, string(sealed), dav.password)

	res, b := env.Do("POST", host, "/api/v1/schedule", key, `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","from":"2026-03-12","days":2,"save":true,"items":[{"activity":"writing","duration_minutes":60},{"activity":"exercise","duration_minutes":30}]}`)
	require.Equal(t, 200, res.StatusCode, b)
	n, err := m.SyncCalendars(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	evs := dav.events()
	require.Len(t, evs, 2)
	for p, ev := range evs {
		require.True(t, strings.HasPrefix(p, "/alice/calendars/work/astrotiming-entry-"), p)
		require.Contains(t, ev[0], "(AstroTiming ")
	}
	n, err = m.SyncCalendars(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "nothing changed")

	// A changed entry replaces its own object.
	_, err = db.ExecContext(ctx, "UPDATE schedule_entries SET starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour', updated_at = now() + interval '1 day' WHERE activity = 'writing'")
	require.NoError(t, err)
	n, err = m.SyncCalendars(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, dav.events(), 2)
	require.Equal(t, 3, dav.puts)

	// A password changed at the provider: the sync records why, the page and the API show it.
	dav.mu.Lock()
	dav.password = "rotated"
	dav.mu.Unlock()
	_, err = db.ExecContext(ctx, "UPDATE schedule_entries SET updated_at = now() + interval '2 days'")
	require.NoError(t, err)
	n, err = m.SyncCalendars(ctx)
	require.NoError(t, err, "one user's server failing is not the job's failure")
	require.Zero(t, n)
	res, b = env.Do("GET", host, "/api/v1/calendar", key, "")
	require.Equal(t, 200, res.StatusCode, b)
	require.Contains(t, b, "refused the saved user name and password (HTTP 401)")

	res, _ = env.Do("DELETE", host, "/api/v1/calendar/caldav", key, "")
	require.Equal(t, 204, res.StatusCode)
	res, _ = env.Do("DELETE", host, "/api/v1/calendar/caldav", key, "")
	require.Equal(t, 404, res.StatusCode)
	res, b = env.Do("GET", host, "/api/v1/calendar", key, "")
	require.Contains(t, b, `"caldav_url":null`)
	var left int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT count(*) FROM calendar_links WHERE caldav_password IS NOT NULL").Scan(&left))
	require.Zero(t, left, "the password is forgotten")
	_ = astrotiming.CalDAVConnectPath
}
