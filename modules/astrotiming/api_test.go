package astrotiming_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func TestAPIEndpoints(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := register(t, env)
	key := newKey(t, env, tok, "developer")
	k := apiKey(key)

	env.Run(t, []testkit.Scenario{
		{Name: "no credentials", Host: host, Path: "/api/v1/hours?" + lahore, Status: 401, Contains: []string{"X-API-Key", "UNAUTHENTICATED"}},
		{Name: "unknown key", Host: host, Path: "/api/v1/hours?" + lahore, Header: apiKey("ak_astr_nope"), Status: 401, Contains: []string{"INVALID_API_KEY"}},
		{Name: "hours with key", Host: host, Path: "/api/v1/hours?" + lahore + "&date=2026-03-13", Header: k, Status: 200,
			Contains: []string{`"day_ruler":"Venus"`, `"day_ruler_arabic":"Zuhra"`, `"date":"2026-03-13"`, `"index":24`, `"ruler_arabic":`, `"is_day":false`, `+05:00"`},
			Check: func(t testing.TB, res *http.Response, body string) {
				require.Equal(t, "600", res.Header.Get("X-RateLimit-Limit"))
				rem, err := strconv.Atoi(res.Header.Get("X-RateLimit-Remaining"))
				require.NoError(t, err)
				require.Less(t, rem, 600)
				require.NotEmpty(t, res.Header.Get("X-RateLimit-Reset"))
				d := decode[astrotiming.DayJSON](t, body)
				require.Len(t, d.Hours, 24)
				require.Equal(t, d.Sunrise, d.Hours[0].Start)
				require.Equal(t, d.Sunset, d.Hours[12].Start)
				require.Equal(t, d.NextSunrise, d.Hours[23].End)
				require.Equal(t, "Venus", d.Hours[0].Ruler.String())
				require.Equal(t, "Mercury", d.Hours[1].Ruler.String(), "Chaldean order after Venus")
			}},
		{Name: "hours with session", Host: host, Path: "/api/v1/hours?" + lahore, Header: bearer(tok), Status: 200,
			Contains: []string{`"date":"2026-03-11"`, `"day_ruler":"Mercury"`}, Check: func(t testing.TB, res *http.Response, _ string) {
				require.Equal(t, strconv.Itoa(astrotiming.SessionPerMinute), res.Header.Get("X-RateLimit-Limit"))
			}},
		{Name: "now", Host: host, Path: "/api/v1/now?" + lahore, Header: k, Status: 200,
			Contains: []string{`"hour":{"index":`, `"remaining_seconds":`, `"day_ruler":"Mercury"`, `"at":"2026-03-11T15:00:00+05:00"`}},
		{Name: "positions", Host: host, Path: "/api/v1/positions?at=2026-03-11T10:00:00Z", Header: k, Status: 200,
			Contains: []string{`"name":"Sun"`, `"arabic_name":"Shams"`, `"name":"Saturn"`, `"arabic_name":"Zuhal"`, `"sign":"Pisces"`, `"dignity":`,
				`"moon":{`, `"phase":`, `"illumination":`, `"void_of_course":{`, `"aspects":[`}},
		{Name: "tqs", Host: host, Path: "/api/v1/tqs?activity=writing&" + lahore + "&at=2026-03-11T10:00:00Z", Header: k, Status: 200,
			Contains: []string{`"score":`, `"band":`, `"breakdown":{"hour_ruler":{`, `"retrograde":{`, `"planet":"Mercury"`, `"planet_arabic":"Utarid"`},
			Check: func(t testing.TB, _ *http.Response, body string) {
				s := decode[struct {
					Score     int `json:"score"`
					Breakdown map[string]struct {
						Points int `json:"points"`
					} `json:"breakdown"`
				}](t, body)
				sum := 0
				for _, f := range s.Breakdown {
					sum += f.Points
				}
				require.Equal(t, s.Score, sum, "the breakdown adds up to the score")
			}},
		{Name: "tqs default tz is UTC", Host: host, Path: "/api/v1/tqs?activity=travel&lat=31.5497&lng=74.3436", Header: k, Status: 200,
			Contains: []string{`"tz":"UTC"`, `"planet":"Moon"`}},
		{Name: "bulk", Method: "POST", Host: host, Path: "/api/v1/tqs/bulk", Header: k,
			Body:   `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","items":[{"activity":"writing","at":"2026-03-11T10:00:00Z"},{"activity":"wedding","at":"2026-03-12T10:00:00Z","lat":51.5,"lng":-0.12,"tz":"Europe/London"}]}`,
			Status: 200, Contains: []string{`"results":[`, `"activity":"writing"`, `"activity":"wedding"`, `"tz":"Europe/London"`}},
		{Name: "bulk names the bad item", Method: "POST", Host: host, Path: "/api/v1/tqs/bulk", Header: k,
			Body:   `{"items":[{"activity":"writing","at":"2026-03-11T10:00:00Z","lat":1,"lng":2},{"activity":"writing","at":"yesterday","lat":1,"lng":2}]}`,
			Status: 422, Contains: []string{`"field":"items[1].at"`}},
		{Name: "search", Host: host, Path: "/api/v1/search?activity=writing&" + lahore + "&from=2026-03-11&to=2026-03-17&min_score=50", Header: k, Status: 200,
			Contains: []string{`"windows":[`, `"min_score":50`, `"hours_scanned":`}},
		{Name: "search with min_score=0 keeps every hour", Host: host, Path: "/api/v1/search?activity=writing&" + lahore + "&from=2026-03-11&to=2026-03-12&min_score=0", Header: k, Status: 200,
			Contains: []string{`"min_score":0,`}, NotContains: []string{`"min_score":60`}},
		{Name: "activities", Host: host, Path: "/api/v1/activities?q=contract", Header: k, Status: 200, Contains: []string{`"key":"sign_contract"`, `"arabic_name":"Utarid"`}},
		{Name: "schedule and save", Method: "POST", Host: host, Path: "/api/v1/schedule", Header: k,
			Body:   `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","from":"2026-03-12","days":3,"save":true,"items":[{"id":"a","activity":"writing","duration_minutes":60,"priority":2},{"id":"b","activity":"exercise","duration_minutes":45}]}`,
			Status: 200, Contains: []string{`"entries":[`, `"assigned_window":{`, `"saved":[{"id":`, `"tqs_score":`}},
		{Name: "schedule from now by default", Method: "POST", Host: host, Path: "/api/v1/schedule", Header: k,
			Body:   `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","days":1,"items":[{"activity":"writing","duration_minutes":30}]}`,
			Status: 200, Check: func(t testing.TB, _ *http.Response, body string) {
				out := decode[struct {
					Schedule struct {
						Entries []struct {
							Assigned struct {
								Start time.Time `json:"start"`
							} `json:"assigned_window"`
						} `json:"entries"`
					} `json:"schedule"`
				}](t, body)
				require.Len(t, out.Schedule.Entries, 1)
				require.False(t, out.Schedule.Entries[0].Assigned.Start.Before(testkit.Epoch), "nothing is placed in the past")
			}},
		{Name: "conflict check", Method: "POST", Host: host, Path: "/api/v1/schedule/check", Header: k,
			Body: `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","entries":[{"id":"x","activity":"wedding","start":"2026-03-12T10:00:00Z","end":"2026-03-12T12:00:00Z"},` +
				`{"id":"y","activity":"surgery","start":"2026-03-12T11:00:00Z","end":"2026-03-12T11:30:00Z"}]}`,
			Status: 200, Contains: []string{`"id":"x"`, `"overlaps":["y"]`, `"overlaps":["x"]`, `"alternatives":[`}},
		{Name: "conflict check of stored entries", Method: "POST", Host: host, Path: "/api/v1/schedule/check", Header: k,
			Body: `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","saved":true}`, Status: 200, Contains: []string{`"activity":"writing"`, `"tqs_score":`}},
		{Name: "conflict check needs entries", Method: "POST", Host: host, Path: "/api/v1/schedule/check", Header: k,
			Body: `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi"}`, Status: 422, Contains: []string{`"field":"entries"`}},
		{Name: "saved schedule", Host: host, Path: "/api/v1/schedule", Header: bearer(tok), Status: 200, Contains: []string{`"activity":"writing"`, `"activity":"exercise"`}},
		{Name: "openapi", Host: host, Path: "/api/openapi.json", Status: 200, Contains: []string{`"openapi":"3.1.0"`, `"/api/v1/hours"`, `"X-API-Key"`}},
	})
}

func TestBadInputNamesTheField(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	k := apiKey(newKey(t, env, register(t, env), "premium"))
	bad := func(name, path, field string, extra ...string) testkit.Scenario {
		return testkit.Scenario{Name: name, Host: host, Path: path, Header: k, Status: 422,
			Contains: append([]string{`"field":"` + field + `"`, `"status":422`}, extra...)}
	}
	env.Run(t, []testkit.Scenario{
		bad("lat out of range", "/api/v1/hours?lat=91&lng=74&tz=Asia/Karachi", "lat"),
		bad("every bad place field at once", "/api/v1/hours?lat=north&lng=999&tz=Mars/Olympus", "lat", `"field":"lng"`, `"field":"tz"`),
		bad("missing place fields at once", "/api/v1/now", "lat", `"field":"lng"`, `"field":"tz"`),
		bad("lat not a number", "/api/v1/hours?lat=north&lng=74&tz=Asia/Karachi", "lat"),
		bad("lat missing", "/api/v1/hours?lng=74&tz=Asia/Karachi", "lat"),
		bad("lng out of range", "/api/v1/now?lat=31&lng=-181&tz=Asia/Karachi", "lng"),
		bad("unknown zone", "/api/v1/hours?lat=31&lng=74&tz=Mars/Olympus", "tz"),
		bad("tz required for hours", "/api/v1/hours?lat=31&lng=74", "tz"),
		bad("malformed date", "/api/v1/hours?"+lahore+"&date=2026-02-31", "date"),
		bad("date outside ephemeris", "/api/v1/hours?"+lahore+"&date=1700-01-01", "date", "ephemeris"),
		bad("instant outside ephemeris", "/api/v1/positions?at=2450-01-01T00:00:00Z", "at", "ephemeris"),
		bad("malformed instant", "/api/v1/positions?at=tomorrow", "at"),
		bad("range over 90 days", "/api/v1/search?activity=writing&"+lahore+"&from=2026-01-01&to=2026-06-01", "to", "at most 90"),
		bad("range reversed", "/api/v1/search?activity=writing&"+lahore+"&from=2026-03-10&to=2026-03-01", "to"),
		bad("min_score", "/api/v1/search?activity=writing&"+lahore+"&min_score=101", "min_score"),
		bad("unknown activity", "/api/v1/tqs?activity=qwzxv&"+lahore, "activity"),
		bad("polar night", "/api/v1/hours?lat=78.22&lng=15.65&tz=Arctic/Longyearbyen&date=2026-12-21", "date", "POLAR_DAY", "polar night"),
		bad("midnight sun", "/api/v1/hours?lat=78.22&lng=15.65&tz=Arctic/Longyearbyen&date=2026-06-21", "date", "midnight sun"),
		{Name: "schedule body", Method: "POST", Host: host, Path: "/api/v1/schedule", Header: k, Status: 422,
			Body:     `{"lat":31.5,"lng":74.3,"tz":"Asia/Karachi","days":120,"items":[{"activity":"writing","duration_minutes":2}]}`,
			Contains: []string{`"field":"days"`, `"field":"items[0].duration_minutes"`}},
		{Name: "unknown body field", Method: "POST", Host: host, Path: "/api/v1/tqs/bulk", Header: k, Status: 400, Body: `{"itemz":[]}`,
			Contains: []string{"itemz"}},
	})
}

// The plans are fixed: a lookup hands out a value, so nothing can change a plan at run time.
func TestTiersArePinned(t *testing.T) {
	t.Parallel()
	want := map[string][2]int{"free": {60, 1_000}, "developer": {600, 50_000}, "premium": {3_000, 500_000}}
	for name, limits := range want {
		tier := tierOf(t, name)
		require.Equal(t, limits, [2]int{tier.PerMinute, tier.DailyQuota}, name)
		tier.PerMinute = 1
		require.Equal(t, limits[0], tierOf(t, name).PerMinute, "a changed copy leaves the plan as it is")
	}
	_, ok := astrotiming.Tier("gold")
	require.False(t, ok)
}

func TestRateLimitAndQuota(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	k := apiKey(newKey(t, env, register(t, env), "free"))
	free := tierOf(t, "free")
	path := "/api/v1/hours?" + lahore + "&date=2026-03-13"
	var last *http.Response
	for i := 0; i < free.PerMinute; i++ {
		res, body := env.Do("GET", host, path, k, "")
		require.Equal(t, 200, res.StatusCode, "request %d: %s", i+1, body)
		last = res
	}
	require.Equal(t, "0", last.Header.Get("X-RateLimit-Remaining"))
	res, body := env.Do("GET", host, path, k, "")
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode, body)
	require.Contains(t, body, "RATE_LIMITED")
	retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, retry, 1)
	require.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))

	env.Clock.Advance(2 * time.Second)
	res, _ = env.Do("GET", host, path, k, "")
	require.Equal(t, 200, res.StatusCode, "the bucket refills at PerMinute/60 per second")
}

func TestHoursAreCachedInRedis(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	k := apiKey(newKey(t, env, register(t, env), "developer"))
	kv := env.Mounted("astrotiming").KV
	ctx := context.Background()

	res, first := env.Do("GET", host, "/api/v1/hours?lat=31.54971&lng=74.34359&tz=Asia/Karachi&date=2026-03-13", k, "")
	require.Equal(t, 200, res.StatusCode, first)
	require.Contains(t, first, `"location":{"lat":31.55,"lng":74.344,"tz":"Asia/Karachi","elevation":0,"pressure":1013.25,"temperature":15}`,
		"coordinates are rounded to 0.001°; sea level and the standard atmosphere by default")
	keys, err := kv.Keys(ctx, "hours:v2:2026-03-13:*")
	require.NoError(t, err)
	require.Len(t, keys, 1)
	ttl, err := kv.TTL(ctx, keys[0])
	require.NoError(t, err)
	require.InDelta(t, astrotiming.HoursTTL.Seconds(), ttl.Seconds(), 5)

	// A nearby point rounding to the same place is the same entry (the in-process layer
	// answers it without Redis: even a changed Redis value is not consulted).
	require.NoError(t, kv.Set(ctx, keys[0], `{"changed":true}`, time.Minute))
	_, again := env.Do("GET", host, "/api/v1/hours?lat=31.5497&lng=74.3436&tz=Asia/Karachi&date=2026-03-13", k, "")
	require.Equal(t, first, again)

	// An entry another process put in Redis is served as is (read-through, no computation).
	q, err := astrotiming.ParseHoursQuery(map[string][]string{"lat": {"31.5497"}, "lng": {"74.3436"}, "tz": {"Asia/Karachi"}, "date": {"2026-03-14"}}, env.Clock.Now())
	require.NoError(t, err)
	require.NoError(t, kv.Set(ctx, astrotiming.HoursCacheKey(q), `{"from":"redis"}`, time.Minute))
	_, fromRedis := env.Do("GET", host, "/api/v1/hours?"+lahore+"&date=2026-03-14", k, "")
	require.Equal(t, `{"from":"redis"}`, fromRedis)

	// Another zone is another key (the local date differs).
	_, other := env.Do("GET", host, "/api/v1/hours?lat=31.5497&lng=74.3436&tz=UTC&date=2026-03-13", k, "")
	require.Contains(t, other, `"tz":"UTC"`)
}

func TestKeyRevocationAndDailyQuota(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := register(t, env)
	key := newKey(t, env, tok, "developer")
	path := "/api/v1/hours?" + lahore + "&date=2026-03-13"
	res, body := env.Do("GET", host, path, apiKey(key), "")
	require.Equal(t, 200, res.StatusCode, body)

	// Daily quota: lower it in the database; the module trusts a verified key for
	// KeyCacheTTL, then sees the change.
	db := env.Mounted("astrotiming").DB
	_, err := db.ExecContext(context.Background(), "UPDATE api_keys SET daily_quota = 2")
	require.NoError(t, err)
	env.Clock.Advance(astrotiming.KeyCacheTTL + time.Second)
	res, _ = env.Do("GET", host, path, apiKey(key), "")
	require.Equal(t, 200, res.StatusCode, "second request of the day")
	res, body = env.Do("GET", host, path, apiKey(key), "")
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode, body)
	require.Contains(t, body, "daily quota")
	require.Equal(t, "2", res.Header.Get("X-RateLimit-Limit"))
	retry, _ := strconv.Atoi(res.Header.Get("Retry-After"))
	require.InDelta(t, 14*3600-11, retry, 2, "until 00:00 UTC")

	// Revoking through the API takes effect at once, cache or not.
	key2 := newKey(t, env, tok, "developer")
	res, _ = env.Do("GET", host, path, apiKey(key2), "")
	require.Equal(t, 200, res.StatusCode)
	res, body = env.Do("GET", host, "/api/v1/auth/keys", bearer(tok), "")
	require.Equal(t, 200, res.StatusCode)
	list := decode[struct {
		Keys []struct {
			ID int64 `json:"id"`
		} `json:"api_keys"`
	}](t, body)
	res, _ = env.Do("DELETE", host, "/api/v1/auth/keys/"+strconv.FormatInt(list.Keys[0].ID, 10), bearer(tok), "")
	require.Equal(t, http.StatusNoContent, res.StatusCode)
	res, _ = env.Do("GET", host, path, apiKey(key2), "")
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
}

// A key revoked outside this process (another replica, billing, SQL through the accounts
// service) is refused on its next request, although the module still holds it as verified.
func TestKeyRevokedElsewhereIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := register(t, env)
	key := newKey(t, env, tok, "developer")
	path := "/api/v1/hours?" + lahore + "&date=2026-03-13"
	res, body := env.Do("GET", host, path, apiKey(key), "")
	require.Equal(t, 200, res.StatusCode, body)

	d := env.Mounted("astrotiming").Deps
	var keyID, userID int64
	require.NoError(t, d.DB.NewRaw("SELECT id, user_id FROM api_keys").Scan(context.Background(), &keyID, &userID))
	require.NoError(t, d.Accounts.RevokeAPIKey(context.Background(), userID, keyID))
	res, body = env.Do("GET", host, path, apiKey(key), "")
	require.Equal(t, http.StatusUnauthorized, res.StatusCode, body)
	require.Contains(t, body, "INVALID_API_KEY")
}

func TestWithoutEphemeris(t *testing.T) {
	t.Parallel()
	env, _ := start(t, testkit.WithEnv("ALORIG_EPHE_PATH", t.TempDir()))
	k := apiKey(newKey(t, env, register(t, env), "developer"))
	env.Run(t, []testkit.Scenario{
		{Name: "hours 503", Host: host, Path: "/api/v1/hours?" + lahore, Header: k, Status: 503, Contains: []string{"EPHEMERIS_UNAVAILABLE", "swe-basic-data"}},
		{Name: "positions 503", Host: host, Path: "/api/v1/positions", Header: k, Status: 503},
		{Name: "page says so", Host: host, Path: "/", Status: 503, Contains: []string{"Swiss Ephemeris files are not installed"}},
		{Name: "readyz marks it failing, without details for outside callers", Host: host, Path: "/readyz", Status: 200,
			Contains: []string{`"name":"ephemeris","ok":false`}, NotContains: []string{"Swiss Ephemeris files unavailable", "TestWithoutEphemeris"}},
		{Name: "activities still work", Host: host, Path: "/api/v1/activities", Header: k, Status: 200},
	})
	// On the machine itself (Docker's health check, an operator) /readyz says what is missing.
	req := httptest.NewRequest("GET", "http://"+host+"/readyz", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Body.String(), "Swiss Ephemeris files unavailable")
}

func TestSavedLocationsCRUD(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := register(t, env)
	other := register(t, env)
	a := bearer(tok)
	env.Run(t, []testkit.Scenario{
		{Name: "create", Method: "POST", Host: host, Path: "/api/v1/locations", Header: a, Body: `{"name":"Home","lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi"}`,
			Status: 201, Contains: []string{`"id":1`, `"lat":31.55`, `"tz":"Asia/Karachi"`}},
		{Name: "duplicate", Method: "POST", Host: host, Path: "/api/v1/locations", Header: a, Body: `{"name":"Home","lat":1,"lng":2,"tz":"UTC"}`, Status: 409},
		{Name: "bad zone", Method: "POST", Host: host, Path: "/api/v1/locations", Header: a, Body: `{"name":"X","lat":1,"lng":2,"tz":"Nowhere/City"}`, Status: 422, Contains: []string{`"field":"tz"`}},
		{Name: "list", Host: host, Path: "/api/v1/locations", Header: a, Status: 200, Contains: []string{`"name":"Home"`}},
		{Name: "other user cannot see", Host: host, Path: "/api/v1/locations/1", Header: bearer(other), Status: 404},
		{Name: "update", Method: "PUT", Host: host, Path: "/api/v1/locations/1", Header: a, Body: `{"name":"Office","lat":31.52,"lng":74.35,"tz":"Asia/Karachi"}`, Status: 200, Contains: []string{`"name":"Office"`}},
		{Name: "get", Host: host, Path: "/api/v1/locations/1", Header: a, Status: 200, Contains: []string{`"lat":31.52`}},
		{Name: "other user cannot delete", Method: "DELETE", Host: host, Path: "/api/v1/locations/1", Header: bearer(other), Status: 404},
		{Name: "delete", Method: "DELETE", Host: host, Path: "/api/v1/locations/1", Header: a, Status: 204},
		{Name: "gone", Host: host, Path: "/api/v1/locations/1", Header: a, Status: 404, Contains: []string{"no such location"}},
		{Name: "a malformed id reads like a missing one", Host: host, Path: "/api/v1/locations/1x", Header: a, Status: 404, Contains: []string{"no such location"}},
		{Name: "malformed schedule entry id", Method: "DELETE", Host: host, Path: "/api/v1/schedule/-1", Header: a, Status: 404, Contains: []string{"no such schedule entry"}},
		{Name: "malformed webhook id", Method: "DELETE", Host: host, Path: "/api/v1/webhooks/+7", Header: a, Status: 404, Contains: []string{"no such webhook"}},
		{Name: "home", Method: "PUT", Host: host, Path: "/api/v1/home", Header: a, Body: `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi"}`, Status: 200},
		{Name: "home read", Host: host, Path: "/api/v1/home", Header: a, Status: 200, Contains: []string{`"tz":"Asia/Karachi"`}},
	})
}

func TestConsumerPage(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	env.Run(t, []testkit.Scenario{
		{Name: "Lahore by default", Host: host, Path: "/", Status: 200,
			Contains: []string{"<!doctype html>", "Planetary hours in Lahore", "Wednesday 2026-03-11", "Asia/Karachi", `id="countdown"`, "Mercury (Utarid)", "The 24 hours", "Alorig · astrotiming", `<option value="writing" selected>Write</option>`}},
		{Name: "city picker", Host: host, Path: "/?city=London&activity=wedding", Status: 200, Contains: []string{"Planetary hours in London", "Europe/London", "Wedding"}},
		{Name: "coordinates", Host: host, Path: "/?lat=40.7128&lng=-74.006&tz=America/New_York", Status: 200, Contains: []string{"40.713, -74.006", "America/New_York"}},
		{Name: "bad coordinates", Host: host, Path: "/?lat=100&lng=0&tz=UTC", Status: 422, Contains: []string{"Latitude: must be a number between -90 and 90."},
			NotContains: []string{"astrotiming: lat"}},
		{Name: "bad zone", Host: host, Path: "/?lat=31&lng=74&tz=Mars/Base", Status: 422, Contains: []string{"Time zone: "}, NotContains: []string{"astrotiming: tz"}},
		{Name: "polar", Host: host, Path: "/?lat=89&lng=0&tz=UTC", Status: 422, Contains: []string{"No planetary hours here today"}},
	})
	tok := register(t, env)
	res, body := env.Do("PUT", host, "/api/v1/home", bearer(tok), `{"lat":51.5074,"lng":-0.1278,"tz":"Europe/London"}`)
	require.Equal(t, 200, res.StatusCode, body)
	env.Run(t, []testkit.Scenario{
		{Name: "signed in: home", Host: host, Path: "/", Header: bearer(tok), Status: 200, Contains: []string{"Planetary hours in your home", "Europe/London", "51.507"}},
		{Name: "signed in: a city still wins", Host: host, Path: "/?city=Lahore", Header: bearer(tok), Status: 200, Contains: []string{"Planetary hours in Lahore"}},
	})
}

// Concurrent requests are charged in shared Redis calls; the limit must hold exactly.
func TestConcurrentChargesAreExact(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := register(t, env)
	keys := []string{newKey(t, env, tok, "free"), newKey(t, env, tok, "free")}
	path := "/api/v1/hours?" + lahore + "&date=2026-03-13"
	const perKey = 90
	codes := make(chan int, 2*perKey)
	var wg sync.WaitGroup
	for _, k := range keys {
		for range perKey {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, _ := env.Do("GET", host, path, apiKey(k), "")
				codes <- res.StatusCode
			}()
		}
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	free := tierOf(t, "free").PerMinute
	require.Equal(t, map[int]int{200: 2 * free, 429: 2 * (perKey - free)}, count)
}

// A caller cannot make the nightly job or the delivery queue grow without bound.
func TestLocationsAndWebhooksAreCapped(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := register(t, env)
	for i := range astrotiming.MaxSavedLocations {
		res, body := env.Do("POST", host, "/api/v1/locations", bearer(tok), fmt.Sprintf(`{"name":"P%d","lat":31.5,"lng":74.3,"tz":"Asia/Karachi"}`, i))
		require.Equal(t, http.StatusCreated, res.StatusCode, body)
	}
	res, body := env.Do("POST", host, "/api/v1/locations", bearer(tok), `{"name":"One more","lat":31.5,"lng":74.3,"tz":"Asia/Karachi"}`)
	require.Equal(t, http.StatusConflict, res.StatusCode, body)
	require.Contains(t, body, `"code":"LOCATION_LIMIT"`)
	res, body = env.Do("DELETE", host, "/api/v1/locations/1", bearer(tok), "")
	require.Equal(t, http.StatusNoContent, res.StatusCode, body)
	res, body = env.Do("POST", host, "/api/v1/locations", bearer(tok), `{"name":"One more","lat":31.5,"lng":74.3,"tz":"Asia/Karachi"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)

	key := apiKey(newKey(t, env, tok, "developer"))
	hook := `{"url":"https://example.com/hook","activity":"writing","lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","days":1,"limit":1}`
	var firstID int64
	for i := range astrotiming.MaxWebhooksPerKey {
		res, body := env.Do("POST", host, "/api/v1/webhooks", key, hook)
		require.Equal(t, http.StatusCreated, res.StatusCode, body)
		if i == 0 {
			firstID = decode[struct {
				Webhook struct {
					ID int64 `json:"id"`
				} `json:"webhook"`
			}](t, body).Webhook.ID
		}
	}
	res, body = env.Do("POST", host, "/api/v1/webhooks", key, hook)
	require.Equal(t, http.StatusConflict, res.StatusCode, body)
	require.Contains(t, body, `"code":"WEBHOOK_LIMIT"`)
	res, body = env.Do("DELETE", host, fmt.Sprintf("/api/v1/webhooks/%d", firstID), key, "")
	require.Equal(t, http.StatusNoContent, res.StatusCode, body)
	res, body = env.Do("POST", host, "/api/v1/webhooks", key, hook)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
}
