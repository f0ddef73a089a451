package astrotiming_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/alorig/alorig/shared/ai/aitest"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

const askQuestion = `{"question":"When this week should I sign a contract in Lahore?"}`

// premiumUser registers a user and gives them the premium plan through billing.
func premiumUser(t *testing.T, env *testkit.Env, m *astrotiming.Module) string {
	t.Helper()
	token := register(t, env)
	require.NoError(t, m.Billing().Grant(context.Background(), mustUserID(t, env, token), "premium", nil))
	return token
}

type askWindow struct {
	ID    string    `json:"id"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Score int       `json:"score"`
}

type askAnswer struct {
	Activity struct {
		Key string `json:"key"`
	} `json:"activity"`
	Place struct {
		Name     string `json:"name"`
		Location struct {
			Lat float64 `json:"lat"`
			Lng float64 `json:"lng"`
			TZ  string  `json:"tz"`
		} `json:"location"`
	} `json:"place"`
	MinScore int `json:"min_score"`
	Range    struct {
		From string `json:"from"`
		To   string `json:"to"`
		Said string `json:"said"`
	} `json:"range"`
	Picks []struct {
		Rank     int       `json:"rank"`
		WindowID string    `json:"window_id"`
		Start    time.Time `json:"start"`
		End      time.Time `json:"end"`
		Score    int       `json:"score"`
		Reason   string    `json:"reason"`
	} `json:"picks"`
	Windows  []askWindow `json:"windows"`
	Summary  string      `json:"summary"`
	Text     string      `json:"text"`
	Provider string      `json:"provider"`
	Offline  bool        `json:"offline"`
	Fallback *struct {
		Outcome string `json:"outcome"`
		Detail  string `json:"detail"`
	} `json:"fallback"`
}

var (
	instantRE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`)
	clockRE   = regexp.MustCompile(`\b\d{1,2}:\d{2}\b`)
	dateRE    = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
)

// engineWindows are the forward search's windows for the answer's activity, place and dates,
// asked of GET /api/v1/search independently of the answer.
func engineWindows(t *testing.T, env *testkit.Env, token string, a askAnswer) []askWindow {
	t.Helper()
	q := url.Values{"activity": {a.Activity.Key}, "lat": {fmt.Sprint(a.Place.Location.Lat)}, "lng": {fmt.Sprint(a.Place.Location.Lng)},
		"tz": {a.Place.Location.TZ}, "from": {a.Range.From}, "to": {a.Range.To}, "limit": {"100"}, "min_score": {fmt.Sprint(a.MinScore)}}
	res, body := env.Do("GET", host, "/api/v1/search?"+q.Encode(), bearer(token), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var out struct {
		Search struct {
			Windows []askWindow `json:"windows"`
		} `json:"search"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	require.NotEmpty(t, out.Search.Windows)
	return out.Search.Windows
}

// requireEngineTimes checks every time in an answer against the engine's windows: each
// instant in the JSON is a window's start or end, each clock time in the text (and in page,
// when given) is one of theirs in the place's zone, and each date is the range's or a window's.
func requireEngineTimes(t *testing.T, env *testkit.Env, token, body, page string) askAnswer {
	t.Helper()
	a := decode[askAnswer](t, body)
	windows := engineWindows(t, env, token, a)
	zone, err := time.LoadLocation(a.Place.Location.TZ)
	require.NoError(t, err)
	instants, clocks, dates := map[int64]bool{}, map[string]bool{}, map[string]bool{a.Range.From: true, a.Range.To: true}
	for _, w := range windows {
		for _, at := range []time.Time{w.Start, w.End} {
			instants[at.Unix()] = true
			clocks[at.In(zone).Format("15:04")] = true
			dates[at.In(zone).Format(time.DateOnly)] = true
		}
	}
	for _, s := range instantRE.FindAllString(body, -1) {
		at, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		require.True(t, instants[at.Unix()], "%s in the answer is no window's start or end", s)
	}
	for _, text := range []string{a.Text, page} {
		for _, s := range clockRE.FindAllString(text, -1) {
			require.True(t, clocks[fmt.Sprintf("%05s", s)], "%s in %q is no window's time", s, text)
		}
		for _, s := range dateRE.FindAllString(text, -1) {
			require.True(t, dates[s], "%s in %q is no date of the range or a window", s, text)
		}
	}
	for _, w := range a.Windows {
		found := false
		for _, e := range windows {
			found = found || (e.Start.Equal(w.Start) && e.End.Equal(w.End) && e.Score == w.Score)
		}
		require.True(t, found, "window %s is not the engine's", w.ID)
	}
	for _, p := range a.Picks {
		require.Contains(t, a.Text, p.Reason)
	}
	return a
}

type interaction struct {
	ID       int64           `json:"id"`
	Role     string          `json:"role"`
	Provider string          `json:"provider"`
	Outcome  string          `json:"outcome"`
	Error    string          `json:"error"`
	Output   string          `json:"output"`
	Input    json.RawMessage `json:"input_context"`
	Decision json.RawMessage `json:"decision"`
	Attempts int             `json:"attempts"`
}

func interactions(t *testing.T, env *testkit.Env, token string) []interaction {
	t.Helper()
	res, body := env.Do("GET", host, "/api/v1/ai/interactions", bearer(token), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	return decode[struct {
		Interactions []interaction `json:"interactions"`
	}](t, body).Interactions
}

// Without a key the offline provider answers: the engine's best windows in its order, saying
// it is offline, every time an engine window's, and the call audited.
func TestAskOffline(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	token := premiumUser(t, env, m)
	res, body := env.Do("POST", host, "/api/v1/ask", bearer(token), askQuestion)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	a := requireEngineTimes(t, env, token, body, "")
	require.Equal(t, "sign_contract", a.Activity.Key)
	require.Equal(t, "Lahore", a.Place.Name)
	require.Equal(t, "Asia/Karachi", a.Place.Location.TZ)
	require.Equal(t, "this week", a.Range.Said)
	require.Equal(t, "2026-03-11", a.Range.From)
	require.Equal(t, "2026-03-15", a.Range.To)
	require.True(t, a.Offline)
	require.Equal(t, "offline", a.Provider)
	require.Nil(t, a.Fallback)
	require.Contains(t, a.Summary, "Offline answer")
	require.NotEmpty(t, a.Picks)
	require.LessOrEqual(t, len(a.Picks), 3)
	for i, p := range a.Picks {
		require.Equal(t, a.Windows[i].ID, p.WindowID, "offline keeps the engine's order")
		require.True(t, p.End.After(env.Clock.Now()), "no window that is over")
	}
	calls := interactions(t, env, token)
	require.Len(t, calls, 1)
	require.Equal(t, "ask", calls[0].Role)
	require.Equal(t, "offline", calls[0].Provider)
	require.Equal(t, "ok", calls[0].Outcome)
	require.Contains(t, string(calls[0].Input), "When this week should I sign a contract in Lahore?")
	require.Contains(t, string(calls[0].Decision), a.Picks[0].WindowID)

	// The same question again is the same answer: the offline rules are deterministic.
	res, again := env.Do("POST", host, "/api/v1/ask", bearer(token), askQuestion)
	require.Equal(t, http.StatusOK, res.StatusCode, again)
	require.JSONEq(t, body, again)
}

// Premium only (decided: the AI layer is part of premium scheduling), and the question is
// checked before any model is asked.
func TestAskNeedsPremiumAndAReadableQuestion(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	free := register(t, env)
	developer := register(t, env)
	require.NoError(t, m.Billing().Grant(context.Background(), mustUserID(t, env, developer), "developer", nil))
	premium := premiumUser(t, env, m)
	devKey := newKey(t, env, developer, "developer")
	premiumKey := newKey(t, env, premium, "premium")

	env.Run(t, []testkit.Scenario{
		{Name: "no caller", Host: host, Method: "POST", Path: "/api/v1/ask", Body: askQuestion, Status: 401},
		{Name: "free user", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(free), Body: askQuestion, Status: 403, Contains: []string{"TIER_REQUIRED"}},
		{Name: "developer key", Host: host, Method: "POST", Path: "/api/v1/ask", Header: apiKey(devKey), Body: askQuestion, Status: 403, Contains: []string{"TIER_REQUIRED"}},
		{Name: "premium key", Host: host, Method: "POST", Path: "/api/v1/ask", Header: apiKey(premiumKey), Body: askQuestion, Status: 200, Contains: []string{`"offline":true`}},
		{Name: "empty question", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(premium), Body: `{"question":"  "}`, Status: 422, Contains: []string{`"question"`}},
		{Name: "too long", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(premium), Body: `{"question":"` + strings.Repeat("contract ", 60) + `"}`, Status: 422, Contains: []string{"longer than 500"}},
		{Name: "unknown field", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(premium), Body: `{"question":"sign a contract","when":"now"}`, Status: 400},
		{Name: "half a place", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(premium), Body: `{"question":"sign a contract","lat":31.5}`, Status: 422, Contains: []string{"go together"}},
		{Name: "a place it does not know", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(premium), Body: `{"question":"When should I sign a contract in Paris?"}`, Status: 422, Contains: []string{"UNKNOWN_PLACE", "Paris"}},
		{Name: "no place, no home", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(premium), Body: `{"question":"When should I sign a contract?"}`, Status: 422, Contains: []string{"NO_PLACE"}},
		{Name: "no activity", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(premium), Body: `{"question":"When this week in Lahore?"}`, Status: 422, Contains: []string{"activity"}},
		{Name: "a past date", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(premium), Body: `{"question":"sign a contract in Lahore on 2026-03-01"}`, Status: 422, Contains: []string{"has passed"}},
		{Name: "coordinates and an activity given", Host: host, Method: "POST", Path: "/api/v1/ask", Header: bearer(premium),
			Body: `{"question":"what about tomorrow?","activity":"travel","lat":51.5074,"lng":-0.1278,"tz":"Europe/London"}`, Status: 200,
			Contains: []string{`"key":"travel"`, `"tz":"Europe/London"`, `"said":"tomorrow"`, "the given coordinates"}},
	})
	require.Empty(t, interactions(t, env, free), "a refused question asks nothing")

	// With a home, a question without a place is answered there; a saved location by its name.
	res, body := env.Do("PUT", host, "/api/v1/home", bearer(premium), `{"lat":24.8607,"lng":67.0011,"tz":"Asia/Karachi"}`)
	require.Equal(t, 200, res.StatusCode, body)
	res, body = env.Do("POST", host, "/api/v1/ask", bearer(premium), `{"question":"When should I sign a contract tomorrow?"}`)
	require.Equal(t, 200, res.StatusCode, body)
	a := requireEngineTimes(t, env, premium, body, "")
	require.Equal(t, "your home", a.Place.Name)
	require.Equal(t, 24.861, a.Place.Location.Lat)
	res, body = env.Do("POST", host, "/api/v1/locations", bearer(premium), `{"name":"Office","lat":33.6844,"lng":73.0479,"tz":"Asia/Karachi"}`)
	require.Equal(t, 201, res.StatusCode, body)
	res, body = env.Do("POST", host, "/api/v1/ask", bearer(premium), `{"question":"a job interview at the office on Friday"}`)
	require.Equal(t, 200, res.StatusCode, body)
	a = requireEngineTimes(t, env, premium, body, "")
	require.Equal(t, "Office", a.Place.Name)
	require.Equal(t, "job_interview", a.Activity.Key)
	require.Equal(t, "2026-03-13", a.Range.From)
}

func startWithAnthropic(t *testing.T) (*testkit.Env, *astrotiming.Module, *aitest.Anthropic) {
	fake := aitest.NewAnthropic(t, "sk-ant-astro")
	env, m := start(t, testkit.WithEnv("ALORIG_ANTHROPIC_API_KEY", "sk-ant-astro"), testkit.WithEnv("ALORIG_ANTHROPIC_BASE_URL", fake.URL),
		testkit.WithEnv("ALORIG_AI_MAX_RETRIES", "0"), testkit.WithEnv("ALORIG_AI_TIMEOUT", "1s"))
	return env, m, fake
}

// Against the fake Anthropic server the model's choice and words are used, with the engine's
// times, and the call is audited with the decision.
func TestAskWithAnthropic(t *testing.T) {
	t.Parallel()
	env, m, fake := startWithAnthropic(t)
	token := premiumUser(t, env, m)
	fake.Enqueue(aitest.Text(`{"picks":[{"window_id":"w2","reason":"An hour of Mercury, the planet of contracts, with Jupiter's support."},` +
		`{"window_id":"w1","reason":"The highest score, if you can make it."}],"summary":"Either suits signing; w2 is steadier."}`))
	res, body := env.Do("POST", host, "/api/v1/ask", bearer(token), askQuestion)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	a := requireEngineTimes(t, env, token, body, "")
	require.False(t, a.Offline)
	require.Equal(t, "anthropic", a.Provider)
	require.Nil(t, a.Fallback)
	require.Len(t, a.Picks, 2)
	require.Equal(t, "w2", a.Picks[0].WindowID)
	require.Equal(t, a.Windows[1].Start, a.Picks[0].Start, "the pick's times are the window's")
	require.Equal(t, a.Windows[1].End, a.Picks[0].End)
	require.Equal(t, "w1", a.Picks[1].WindowID)

	reqs := fake.Requests()
	require.Len(t, reqs, 1)
	require.NotNil(t, reqs[0].OutputConfig, "the answer's schema is sent")
	require.Contains(t, fmt.Sprint(reqs[0].OutputConfig.Format.Schema), "w1", "window ids are the only ones allowed")
	require.Contains(t, reqs[0].Prompt, `"id":"w1"`, "the windows are in the input")

	calls := interactions(t, env, token)
	require.Len(t, calls, 1)
	require.Equal(t, "anthropic", calls[0].Provider)
	require.Equal(t, "ok", calls[0].Outcome)
	require.Contains(t, string(calls[0].Decision), "w2")
}

// Hostile and broken answers from the fake server are refused: the offline rules answer and
// say so, every time in the answer is still an engine window's, and both calls are audited.
func TestAskRefusesHostileAnswers(t *testing.T) {
	t.Parallel()
	env, m, fake := startWithAnthropic(t)
	token := premiumUser(t, env, m)
	pick := func(id, reason string) string {
		return `{"picks":[{"window_id":"` + id + `","reason":"` + reason + `"}],"summary":"ok"}`
	}
	for _, tc := range []struct {
		name    string
		reply   aitest.Reply
		outcome string
		invent  string // text that must not reach the answer
	}{
		{"an invented time in a reason", aitest.Text(pick("w1", "Sign at 03:17 sharp, when Mercury peaks.")), "invalid_output", "03:17"},
		{"an invented day", aitest.Text(pick("w1", "Better wait for Saturday morning.")), "invalid_output", "Saturday morning"},
		{"an unknown window", aitest.Text(pick("w99", "The best one.")), "invalid_output", "w99"},
		{"a window twice", aitest.Text(`{"picks":[{"window_id":"w1","reason":"a"},{"window_id":"w1","reason":"b"}],"summary":"s"}`), "invalid_output", ""},
		{"its own start time", aitest.Text(`{"picks":[{"window_id":"w1","reason":"a","start":"2026-03-12T03:17:00+05:00"}],"summary":"s"}`), "invalid_output", "03:17"},
		{"four picks", aitest.Text(`{"picks":[{"window_id":"w1","reason":"a"},{"window_id":"w2","reason":"b"},{"window_id":"w3","reason":"c"},{"window_id":"w4","reason":"d"}],"summary":"s"}`), "invalid_output", ""},
		{"prose, not JSON", aitest.Text("Sign on 2026-03-12 at 03:17."), "invalid_output", "03:17"},
		{"JSON and more", aitest.Text(pick("w1", "fine") + ` {"picks":[]}`), "invalid_output", ""},
		{"a reason too long", aitest.Text(pick("w1", strings.Repeat("Mercury favours it. ", 30))), "invalid_output", "Mercury favours it. Mercury"},
		{"oversized", aitest.Text(`{"picks":[],"summary":"` + strings.Repeat("ignore the windows ", 3000) + `"}`), "invalid_output", "ignore the windows"},
		{"a malformed body", aitest.Malformed(), "provider_error", ""},
		{"429", aitest.RateLimited(30), "rate_limited", ""},
		{"529", aitest.Overloaded(), "overloaded", ""},
		{"a time-out", aitest.Hang(5 * time.Second), "timeout", ""},
	} {
		before := len(interactions(t, env, token))
		fake.Enqueue(tc.reply)
		res, body := env.Do("POST", host, "/api/v1/ask", bearer(token), askQuestion)
		require.Equal(t, http.StatusOK, res.StatusCode, "%s: %s", tc.name, body)
		a := requireEngineTimes(t, env, token, body, "")
		require.True(t, a.Offline, tc.name)
		require.Equal(t, "offline", a.Provider, tc.name)
		require.NotNil(t, a.Fallback, tc.name)
		require.Equal(t, tc.outcome, a.Fallback.Outcome, tc.name)
		require.Contains(t, a.Summary, "Offline answer", tc.name)
		require.NotEmpty(t, a.Picks, tc.name)
		if tc.invent != "" {
			require.NotContains(t, body, tc.invent, tc.name)
		}
		calls := interactions(t, env, token)
		require.Len(t, calls, before+2, tc.name)
		require.Equal(t, "offline", calls[0].Provider, tc.name)
		require.Equal(t, "ok", calls[0].Outcome, tc.name)
		require.Equal(t, "anthropic", calls[1].Provider, tc.name)
		require.Equal(t, tc.outcome, calls[1].Outcome, tc.name)
		require.NotEmpty(t, calls[1].Error, tc.name)
		require.Empty(t, calls[1].Decision, "%s: a refused answer is not the decision", tc.name)
	}
}

// The page: a visitor is sent to sign in, a free user is told it is premium, a premium user
// asks with the form (CSRF checked) and reads an answer whose every time is the engine's.
func TestAskPage(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	res, body := env.Do("GET", host, "/ask", nil, "")
	require.Equal(t, 200, res.StatusCode)
	require.Contains(t, body, "Sign in on the calendar page")

	free := signIn(t, env)
	_, body = free.get(env, "/ask")
	require.Contains(t, body, "part of the premium plan; your plan is free")
	res, body = free.post(env, "/ask", url.Values{"question": {"sign a contract in Lahore"}})
	require.Equal(t, http.StatusForbidden, res.StatusCode, body)

	b := signIn(t, env)
	require.NoError(t, m.Billing().Grant(context.Background(), mustUserID(t, env, b.token), "premium", nil))
	_, body = b.get(env, "/ask")
	require.Contains(t, body, `name="question"`)
	require.Contains(t, body, `value="`+b.csrf+`"`)

	res, _ = b.post(env, "/ask", url.Values{"question": {"When this week should I sign a contract in Lahore?"}, "csrf_token": {"forged"}})
	require.Equal(t, http.StatusForbidden, res.StatusCode, "the form needs the session's CSRF token")

	res, page := b.post(env, "/ask", url.Values{"question": {"When this week should I sign a contract in Lahore?"}})
	require.Equal(t, http.StatusOK, res.StatusCode, page)
	require.Contains(t, page, "Sign a contract at Lahore")
	require.Contains(t, page, "this week (2026-03-11 to 2026-03-15)")
	require.Contains(t, page, "Answered offline by AstroTiming")
	// The API's answer to the same question gives the windows the page's times are checked against.
	res, body = env.Do("POST", host, "/api/v1/ask", bearer(b.token), askQuestion)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	requireEngineTimes(t, env, b.token, body, page)
	require.Regexp(t, `class="when">\w{3} \d{1,2} Mar \d{2}:\d{2}`, page)

	res, page = b.post(env, "/ask", url.Values{"question": {"sign a contract in Paris"}})
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, page, "does not know (Paris)")
}
