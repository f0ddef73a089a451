package astrotiming_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// answer is what a client sees of one request: the status, the headers a client acts on, and
// the body without its per-request id.
type answer struct {
	Name         string          `json:"name"`
	Status       int             `json:"status"`
	ContentType  string          `json:"content_type"`
	CacheControl string          `json:"cache_control,omitempty"`
	Body         json.RawMessage `json:"body,omitempty"`
	Text         string          `json:"text,omitempty"`
}

// What differs between runs: the request id, the random feed token, the test's temp folder.
var (
	requestID = regexp.MustCompile(`,?"request_id":"[^"]*"`)
	feedToken = regexp.MustCompile(`ics_[A-Za-z0-9_-]{20,}`)
	tempDir   = regexp.MustCompile(`/tmp/Test[^"\\]*`)
)

func normalise(s string) string {
	return tempDir.ReplaceAllString(feedToken.ReplaceAllString(requestID.ReplaceAllString(s, ""), "ics_TOKEN"), "TMP")
}

// TestAnswersStayTheSame pins, byte for byte, the answers of the schedule, webhook, calendar,
// home and briefing endpoints, including the order in which their checks refuse a request
// (plan before body, ephemeris before body), so moving code between handlers, services and
// stores cannot change what a client sees. Run with -update-answers only when an answer is
// meant to change.
func TestAnswersStayTheSame(t *testing.T) {
	env, _ := start(t)
	noEph, _ := start(t, testkit.WithEnv("ALORIG_EPHE_PATH", t.TempDir()))

	tok := register(t, env)
	free := apiKey(newKey(t, env, tok, "free"))
	dev := apiKey(newKey(t, env, tok, "developer"))
	other := register(t, env)
	prem := apiKey(newKey(t, env, other, "premium"))
	noEphKey := apiKey(newKey(t, noEph, register(t, noEph), "developer"))

	type req struct {
		env                *testkit.Env
		name, method, path string
		header             map[string]string
		body               string
	}
	hook := `{"url":"https://example.com/hook","activity":"writing","lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","days":1,"limit":2}`
	plan := `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","from":"2026-03-12","days":2,"save":true,"items":[{"activity":"writing","duration_minutes":60}]}`
	reqs := []req{
		{env, "home before one is set", "GET", "/api/v1/home", bearer(tok), ""},
		{env, "briefing before one is made", "GET", "/api/v1/briefing", bearer(tok), ""},
		{env, "home with a bad place", "PUT", "/api/v1/home", bearer(tok), `{"lat":91,"lng":74.3,"tz":"Mars/Base"}`},
		{env, "home set", "PUT", "/api/v1/home", bearer(tok), `{"lat":31.54971,"lng":74.3436,"tz":"Asia/Karachi"}`},
		{env, "home read", "GET", "/api/v1/home", bearer(tok), ""},
		{env, "schedule list empty", "GET", "/api/v1/schedule", bearer(tok), ""},
		{env, "schedule planned and saved", "POST", "/api/v1/schedule", dev, plan},
		{env, "schedule planned, not saved", "POST", "/api/v1/schedule", dev, strings.Replace(plan, `"save":true`, `"save":false`, 1)},
		{env, "schedule list", "GET", "/api/v1/schedule", bearer(tok), ""},
		{env, "schedule check of stored", "POST", "/api/v1/schedule/check", dev, `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","saved":true,"lookahead_days":2}`},
		{env, "schedule polar", "POST", "/api/v1/schedule", dev, `{"lat":80,"lng":10,"tz":"UTC","from":"2026-06-20","days":1,"items":[{"activity":"writing","duration_minutes":60}]}`},
		{env, "schedule delete of another's entry", "DELETE", "/api/v1/schedule/1", bearer(other), ""},
		{env, "schedule delete", "DELETE", "/api/v1/schedule/1", bearer(tok), ""},
		{env, "schedule delete again", "DELETE", "/api/v1/schedule/1", bearer(tok), ""},
		{env, "schedule delete bad id", "DELETE", "/api/v1/schedule/abc", bearer(tok), ""},
		{env, "webhook with a session", "POST", "/api/v1/webhooks", bearer(tok), `{`},
		{env, "webhook with a free key and a bad body", "POST", "/api/v1/webhooks", free, `{`},
		{env, "webhook bad fields", "POST", "/api/v1/webhooks", dev, `{"url":"ftp://x","activity":"nope","lat":1,"lng":2,"min_score":101}`},
		{env, "webhook to a private address", "POST", "/api/v1/webhooks", dev, strings.Replace(hook, "example.com", "10.0.0.1", 1)},
		{env, "webhook list empty", "GET", "/api/v1/webhooks", bearer(tok), ""},
		{env, "webhook delete missing", "DELETE", "/api/v1/webhooks/999", dev, ""},
		{env, "ics with a developer plan", "POST", "/api/v1/calendar/ics", bearer(tok), ""},
		{env, "google with a free plan", "PUT", "/api/v1/calendar/google", free, `{`},
		{env, "google with a bad body", "PUT", "/api/v1/calendar/google", prem, `{"calendar_id":"x"}`},
		{env, "google linked", "PUT", "/api/v1/calendar/google", prem, `{"access_token":"tok","expires_at":"2026-03-11T11:00:00Z"}`},
		{env, "feed token malformed", "GET", "/calendar/nope.ics", nil, ""},
		{env, "feed token unknown", "GET", "/calendar/ics_unknown.ics", nil, ""},
		{noEph, "schedule without ephemeris, bad body", "POST", "/api/v1/schedule", noEphKey, `{`},
		{noEph, "check without ephemeris, bad body", "POST", "/api/v1/schedule/check", noEphKey, `{`},
		{noEph, "webhook without ephemeris, bad body", "POST", "/api/v1/webhooks", noEphKey, `{`},
	}
	var got []answer
	do := func(r req) answer {
		res, body := r.env.Do(r.method, host, r.path, r.header, r.body)
		a := answer{Name: r.name, Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), CacheControl: res.Header.Get("Cache-Control")}
		if json.Valid([]byte(body)) && body != "" {
			a.Body = json.RawMessage(normalise(body))
		} else {
			a.Text = normalise(body)
		}
		return a
	}
	for _, r := range reqs {
		got = append(got, do(r))
	}

	// The premium user's feed: issued, then refused for a bad activity list, then without home.
	res, body := env.Do("POST", host, "/api/v1/calendar/ics", prem, "")
	require.Equal(t, 201, res.StatusCode, body)
	url := decode[struct {
		URL string `json:"url"`
	}](t, body).URL
	path := url[strings.Index(url, "/calendar/"):]
	for _, r := range []req{
		{env, "feed without home, no activities", "GET", path, nil, ""},
		{env, "feed without home, with an activity", "GET", path + "?activity=writing", nil, ""},
		{env, "feed with too many activities", "GET", path + "?activity=a&activity=b&activity=c&activity=d&activity=e&activity=f", nil, ""},
		{env, "home of the premium user", "PUT", "/api/v1/home", prem, `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi"}`},
		{env, "feed with an unknown activity", "GET", path + "?activity=nope", nil, ""},
		{env, "feed with windows", "GET", path + "?activity=writing&activity=travel", nil, ""},
	} {
		got = append(got, do(r))
	}
	// The feed of a user whose plan lapsed.
	res, body = env.Do("POST", host, "/api/v1/calendar/ics", dev, "")
	require.Equal(t, 403, res.StatusCode, body)

	testkit.GoldenAnswers(t, "testdata/answers.golden", got, func(a answer) string { return a.Name })
}
