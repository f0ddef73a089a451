package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker/metaapi/metaapitest"
	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/live"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"
)

const host = "psydge.localhost"

var signalSeq atomic.Int64

type harness struct {
	t   testing.TB
	env *testkit.Env
	m   *Module
}

func start(t testing.TB, opts ...testkit.EnvOption) *harness {
	t.Helper()
	env := testkit.Start(t, map[string]platform.Constructor{"psydge": New}, opts...)
	m := env.Mounted("psydge").Module.(*Module)
	return &harness{t: t, env: env, m: m}
}

func (h *harness) do(method, path, token, body string, extra ...string) (int, string, http.Header) {
	h.t.Helper()
	hdr := map[string]string{}
	if token != "" {
		hdr["Authorization"] = "Bearer " + token
	}
	for i := 0; i+1 < len(extra); i += 2 {
		hdr[extra[i]] = extra[i+1]
	}
	res, b := h.env.Do(method, host, path, hdr, body)
	return res.StatusCode, b, res.Header
}

// signUp registers a trader on the Vista plan (granted through billing, as `alorig billing
// grant` does) and returns the Bearer token and user id: most tests follow Vista's signals
// (goSignal) through gate B. signUpCore registers one on the free plan.
func (h *harness) signUp(email string) (string, int64) {
	h.t.Helper()
	token, id := h.signUpCore(email)
	require.NoError(h.t, h.m.Billing().Grant(context.Background(), id, TierVista, nil))
	return token, id
}

// signUpCore registers a trader on the free plan (Core) and returns the Bearer token and user
// id.
func (h *harness) signUpCore(email string) (string, int64) {
	h.t.Helper()
	st, body, _ := h.do("POST", "/api/v1/auth/register", "", fmt.Sprintf(`{"email":%q,"password":"correct horse battery"}`, email))
	require.Equal(h.t, 201, st, body)
	var out struct {
		Token string `json:"token"`
		User  struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	require.NoError(h.t, json.Unmarshal([]byte(body), &out))
	return out.Token, out.User.ID
}

func (h *harness) connectPaper(token string) int64 {
	h.t.Helper()
	st, body, _ := h.do("POST", "/api/v1/broker-connections", token, `{"broker":"paper"}`)
	require.Equal(h.t, 201, st, body)
	var c Connection
	require.NoError(h.t, json.Unmarshal([]byte(body), &c))
	return c.ID
}

// goSignal stores a Vista GO signal for symbol/tf/direction issued now.
func (h *harness) goSignal(symbol, tf, dir string) string {
	h.t.Helper()
	now := h.env.Clock.Now()
	id := fmt.Sprintf("test_%s_%s_%s_%d", symbol, tf, dir, signalSeq.Add(1))
	row := &SignalRow{ID: id, Source: "vista:scalper", Symbol: symbol, Timeframe: tf, Direction: dir, Indicators: json.RawMessage(`{}`),
		IssuedAt: now, ValidUntil: now.Add(10 * time.Minute), CreatedAt: now}
	_, err := h.m.d.DB.NewInsert().Model(row).Exec(context.Background())
	require.NoError(h.t, err)
	return id
}

// ticket is a EURUSD M5 buy with a 20-pip stop below the current ask.
func (h *harness) ticket(volume string, signalID string) string {
	q, err := h.m.feed.Quote("EURUSD")
	require.NoError(h.t, err)
	stop := discipline.FormatPrice(toPoints(q.Ask, 5)-200, 5)
	return fmt.Sprintf(`{"symbol":"EURUSD","timeframe":"M5","direction":"buy","volume":%s,"stop_loss":%s,"signal_id":%q}`, volume, stop, signalID)
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(body), &v), body)
	return v
}

func gate(t *testing.T, gates []discipline.GateResult, name string) discipline.GateResult {
	t.Helper()
	for _, g := range gates {
		if g.Gate == name {
			return g
		}
	}
	t.Fatalf("no gate %s in %v", name, gates)
	return discipline.GateResult{}
}

// stopOut drives the paper account's price through the trade's stop and lets sync book it.
func (h *harness) stopOut(userID, connID int64, tradeID int64) Trade {
	h.t.Helper()
	ctx := context.Background()
	tr, err := tradeOf(ctx, h.m.d.DB, userID, tradeID)
	require.NoError(h.t, err)
	pb := h.m.brokers.paper[connID]
	require.NotNil(h.t, pb)
	stop := fromPoints(tr.SL, tr.Digits)
	pb.OnQuote(market.Quote{Symbol: tr.Symbol, Bid: stop, Ask: stop + 0.00008, Time: h.env.Clock.Now()})
	conn, err := liveConnection(ctx, h.m.d.DB, userID)
	require.NoError(h.t, err)
	require.NoError(h.t, h.m.SyncAccount(ctx, conn))
	tr, err = tradeOf(ctx, h.m.d.DB, userID, tradeID)
	require.NoError(h.t, err)
	return *tr
}

func TestDoneWhenWalkthrough(t *testing.T) {
	h := start(t)
	token, userID := h.signUp("trader@example.com")
	other, _ := h.signUp("other@example.com")

	// Nothing works before a broker is connected, and nothing without a token.
	st, body, _ := h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", ""))
	require.Equal(t, 409, st, body)
	require.Contains(t, body, "NO_BROKER_CONNECTION")
	st, _, _ = h.do("GET", "/api/v1/gates", "", "")
	require.Equal(t, 401, st)

	connID := h.connectPaper(token)
	h.connectPaper(other)
	st, body, _ = h.do("POST", "/api/v1/broker-connections", token, `{"broker":"paper"}`)
	require.Equal(t, 409, st, body)

	// Without a GO signal gate B refuses; the dry run records nothing.
	st, body, _ = h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", ""))
	require.Equal(t, 200, st, body)
	chk := decode[CheckResult](t, body)
	require.False(t, chk.Allowed)
	require.Equal(t, discipline.CodeNoGoSignal, gate(t, chk.Gates, "B").Code)
	require.True(t, gate(t, chk.Gates, "D").Passed)
	require.Len(t, chk.Gates, 6)
	_, body, _ = h.do("GET", "/api/v1/violations", token, "")
	require.Equal(t, "[]", strings.TrimSpace(body))

	// Over 1% risk: K names it, and the placement records an L2 violation.
	sig := h.goSignal("EURUSD", "M5", "BUY")
	st, body, _ = h.do("POST", "/api/v1/trades", token, h.ticket("1.00", sig))
	require.Equal(t, 403, st, body)
	ref := decode[Refusal](t, body)
	require.Equal(t, discipline.CodeRiskTooHigh, gate(t, ref.Gates, "K").Code)
	require.Equal(t, discipline.CodeRiskTooHigh, ref.ViolationCode)
	require.Equal(t, "L2", ref.Level)
	require.NotZero(t, ref.ViolationID)
	_, body, _ = h.do("POST", "/api/v1/gates/ack", token, "")
	require.Contains(t, body, `"ack_pending":false`)

	// A clean ticket is placed at the paper broker under the trade's client id.
	st, body, _ = h.do("POST", "/api/v1/trades", token, h.ticket("0.10", sig))
	require.Equal(t, 201, st, body)
	tr := decode[Trade](t, body)
	require.Equal(t, StatusOpen, tr.Status)
	require.Equal(t, fmt.Sprintf("psy_%d", tr.ID), tr.ClientID)
	ps, err := h.m.brokers.paper[connID].Positions(context.Background())
	require.NoError(t, err)
	require.Len(t, ps, 1)
	require.Equal(t, tr.ClientID, ps[0].ClientID)

	// User B never sees user A's trades.
	st, _, _ = h.do("GET", fmt.Sprintf("/api/v1/trades/%d", tr.ID), other, "")
	require.Equal(t, 404, st)
	_, body, _ = h.do("GET", "/api/v1/trades", other, "")
	require.Equal(t, "[]", strings.TrimSpace(body))
	st, _, _ = h.do("POST", fmt.Sprintf("/api/v1/trades/%d/close", tr.ID), other, "")
	require.Equal(t, 404, st)

	// Widening the stop is refused and recorded.
	st, body, _ = h.do("PATCH", fmt.Sprintf("/api/v1/trades/%d", tr.ID), token, `{"stop_loss":1.07000}`)
	require.Equal(t, 403, st, body)
	require.Contains(t, body, discipline.CodeStopWidened)
	st, body, _ = h.do("POST", "/api/v1/gates/ack", token, "")
	require.Equal(t, 200, st, body)

	// Stopped out: R is −1, the cooldown starts, the gate names it.
	closed := h.stopOut(userID, connID, tr.ID)
	require.Equal(t, StatusClosed, closed.Status)
	require.Equal(t, int64(-1000), *closed.RMilli)
	require.Equal(t, "stop_loss", closed.CloseReason)
	st, body, _ = h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY")))
	require.Equal(t, 200, st, body)
	require.Equal(t, discipline.CodeCooldownActive, gate(t, decode[CheckResult](t, body).Gates, "H").Code)
	ttl, err := h.m.d.KV.TTL(context.Background(), cooldownKey(userID))
	require.NoError(t, err)
	require.Greater(t, ttl, 3*time.Hour)
	sr, err := h.m.d.KV.Get(context.Background(), sessionRKey(userID))
	require.NoError(t, err)
	require.Equal(t, "-1000", sr)

	// Second loss after the cooldown: the day is at −2R and locked.
	h.env.Clock.Advance(4*time.Hour + time.Minute)
	st, body, _ = h.do("POST", "/api/v1/trades", token, h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY")))
	require.Equal(t, 201, st, body)
	h.stopOut(userID, connID, decode[Trade](t, body).ID)
	h.env.Clock.Advance(4*time.Hour + time.Minute)
	st, body, _ = h.do("POST", "/api/v1/trades", token, h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY")))
	require.Equal(t, 403, st, body)
	ref = decode[Refusal](t, body)
	require.Equal(t, discipline.CodeLossLock, gate(t, ref.Gates, "E").Code)
	require.Equal(t, "L3", ref.Level)

	// Outside the session gate D names it.
	h.env.Clock.Set(time.Date(2026, 3, 12, 23, 30, 0, 0, time.UTC))
	st, body, _ = h.do("POST", "/api/v1/trades/check", other, h.ticket("0.10", ""))
	require.Equal(t, 200, st, body)
	require.Equal(t, discipline.CodeOutsideSession, gate(t, decode[CheckResult](t, body).Gates, "D").Code)

	// The day's score reflects the refusals.
	h.env.Clock.Set(time.Date(2026, 3, 11, 19, 0, 0, 0, time.UTC))
	st, body, _ = h.do("GET", "/api/v1/scores/today", token, "")
	require.Equal(t, 200, st, body)
	score := decode[ScoreRow](t, body)
	require.Less(t, score.Score, 100)
	require.Equal(t, score.Score, score.Breakdown.Total)
	require.Equal(t, "2026-03-11", score.Day)
}

func TestEndpointsAndConfig(t *testing.T) {
	h := start(t)
	token, _ := h.signUpCore("cfg@example.com")
	h.connectPaper(token)
	h.m.warmUp(h.env.Clock.Now())
	h.env.Run(t, []testkit.Scenario{
		{Name: "openapi", Path: "/api/openapi.json", Host: host, Status: 200, Contains: []string{`"/api/v1/trades/check"`, `"openapi":"3.1.0"`}},
		{Name: "loosen refused", Method: "PUT", Host: host, Path: "/api/v1/discipline-config", Header: map[string]string{"Authorization": "Bearer " + token},
			Body: `{"max_risk_bp":200}`, Status: 422, Contains: []string{"max_risk_pct", "RULE_LOCKED"}},
		{Name: "tighten", Method: "PUT", Host: host, Path: "/api/v1/discipline-config", Header: map[string]string{"Authorization": "Bearer " + token},
			Body: `{"max_risk_bp":50}`, Status: 200, Contains: []string{`"max_risk_bp":50`}},
		{Name: "no way back", Method: "PUT", Host: host, Path: "/api/v1/discipline-config", Header: map[string]string{"Authorization": "Bearer " + token},
			Body: `{"max_risk_bp":80}`, Status: 422, Contains: []string{"max_risk_pct"}},
		{Name: "candles", Host: host, Path: "/api/v1/candles?symbol=EURUSD&timeframe=M15&limit=10", Header: map[string]string{"Authorization": "Bearer " + token},
			Status: 200, Check: func(t testing.TB, _ *http.Response, body string) {
				var bars []market.Bar
				require.NoError(t, json.Unmarshal([]byte(body), &bars))
				require.Len(t, bars, 10)
				for i := 1; i < len(bars); i++ {
					require.Equal(t, int64(900), bars[i].Time-bars[i-1].Time)
				}
			}},
		{Name: "bad timeframe", Host: host, Path: "/api/v1/candles?symbol=EURUSD&timeframe=M2", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 422},
		{Name: "strategies need Vista", Host: host, Path: "/api/v1/strategies", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 403, Contains: []string{"VISTA_REQUIRED"}},
		{Name: "reflection", Method: "POST", Host: host, Path: "/api/v1/reflections", Header: map[string]string{"Authorization": "Bearer " + token}, Body: `{"session_notes":"waited for the signal"}`, Status: 201},
		{Name: "reflections", Host: host, Path: "/api/v1/reflections", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200, Contains: []string{"waited for the signal"}},
		{Name: "patterns", Host: host, Path: "/api/v1/patterns", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200},
		{Name: "scores", Host: host, Path: "/api/v1/scores", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200},
		{Name: "account", Host: host, Path: "/api/v1/account", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200, Contains: []string{`"paper":true`}},
		{Name: "symbol spec", Host: host, Path: "/api/v1/symbols/usdjpy", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200,
			Check: func(t testing.TB, _ *http.Response, body string) {
				var s market.SymbolSpec
				require.NoError(t, json.Unmarshal([]byte(body), &s), body)
				require.Equal(t, "USDJPY", s.Symbol)
				require.Equal(t, 3, s.Digits)
				require.Equal(t, "JPY", s.ProfitCurrency)
				require.InDelta(t, 100000, s.ContractSize, 0)
			}},
		{Name: "unknown symbol", Host: host, Path: "/api/v1/symbols/NOPE", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 422, Contains: []string{"symbol", "not offered"}},
		{Name: "malformed symbol", Host: host, Path: "/api/v1/symbols/EUR%20USD", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 422, Contains: []string{"symbol"}},
		{Name: "profile", Method: "PATCH", Host: host, Path: "/api/v1/profile", Header: map[string]string{"Authorization": "Bearer " + token}, Body: `{"timezone":"Asia/Karachi"}`, Status: 200, Contains: []string{"Asia/Karachi"}},
		{Name: "unauthenticated", Host: host, Path: "/api/v1/trades", Status: 401},
	})
	// The validator's verdict depends on the walk; an approval must be a usable GO signal.
	st, body, _ := h.do("POST", "/api/v1/signals/validate", token, `{"symbol":"EURUSD","timeframe":"M5","direction":"buy"}`)
	if st == 200 {
		require.Contains(t, body, `"verdict":"stand_down"`)
		st, body, _ = h.do("POST", "/api/v1/signals/validate", token, `{"symbol":"EURUSD","timeframe":"M5","direction":"sell"}`)
	}
	require.Equal(t, 201, st, body)
	require.Contains(t, body, `"verdict":"approve"`)
	_, body, _ = h.do("GET", "/api/v1/signals", token, "")
	require.Contains(t, body, `"source":"validator"`)
}

func TestFailClosedWithoutRedis(t *testing.T) {
	h := start(t)
	token, _ := h.signUp("closed@example.com")
	connID := h.connectPaper(token)
	sig := h.goSignal("EURUSD", "M5", "BUY")
	dead, err := cache.Open("redis://127.0.0.1:1", 2, "psydge:", 1)
	require.NoError(t, err)
	live := h.m.d.KV
	h.m.d.KV = dead
	st, body, _ := h.do("POST", "/api/v1/trades", token, h.ticket("0.10", sig))
	h.m.d.KV = live
	require.Equal(t, 503, st, body)
	require.Contains(t, body, "GATE_STATE_UNAVAILABLE")
	if pb := h.m.brokers.paper[connID]; pb != nil {
		ps, err := pb.Positions(context.Background())
		require.NoError(t, err)
		require.Empty(t, ps)
	}
	_, body, _ = h.do("GET", "/api/v1/trades", token, "")
	require.Equal(t, "[]", strings.TrimSpace(body))
}

func TestConcurrentPlacementsCannotBothPass(t *testing.T) {
	h := start(t)
	token, userID := h.signUp("race@example.com")
	connID := h.connectPaper(token)
	st, body, _ := h.do("POST", "/api/v1/trades", token, h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY")))
	require.Equal(t, 201, st, body)
	h.stopOut(userID, connID, decode[Trade](t, body).ID)
	h.env.Clock.Advance(4*time.Hour + time.Minute)
	// At −1R only one more 1R trade fits under the −2R lock.
	const n = 8
	tickets := make([]string, n)
	for i := range tickets {
		tickets[i] = h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY")+fmt.Sprint(""))
		time.Sleep(time.Microsecond)
	}
	var wg sync.WaitGroup
	codes := make([]int, n)
	bodies := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], bodies[i], _ = h.do("POST", "/api/v1/trades", token, tickets[i])
		}()
	}
	wg.Wait()
	placed := 0
	for _, c := range codes {
		if c == 201 {
			placed++
		} else {
			require.Equal(t, 403, c)
		}
	}
	require.Equal(t, 1, placed, "codes %v %v", codes, bodies)
	ps, err := h.m.brokers.paper[connID].Positions(context.Background())
	require.NoError(t, err)
	require.Len(t, ps, 1)
}

func TestStateRebuildAndIdempotency(t *testing.T) {
	h := start(t)
	token, userID := h.signUp("rebuild@example.com")
	connID := h.connectPaper(token)
	tk := h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY"))
	st1, body1, _ := h.do("POST", "/api/v1/trades", token, tk, "Idempotency-Key", "k-1")
	require.Equal(t, 201, st1, body1)
	st2, body2, hdr := h.do("POST", "/api/v1/trades", token, tk, "Idempotency-Key", "k-1")
	require.Equal(t, 201, st2)
	require.JSONEq(t, body1, body2)
	require.Equal(t, "true", hdr.Get("Idempotent-Replayed"))
	st3, body3, _ := h.do("POST", "/api/v1/trades", token, h.ticket("0.20", ""), "Idempotency-Key", "k-1")
	require.Equal(t, 422, st3, body3)
	ps, err := h.m.brokers.paper[connID].Positions(context.Background())
	require.NoError(t, err)
	require.Len(t, ps, 1)

	h.stopOut(userID, connID, decode[Trade](t, body1).ID)
	// Redis loses everything: the state comes back from Postgres, never open.
	keys, err := h.m.d.KV.Keys(context.Background(), "*")
	require.NoError(t, err)
	_, err = h.m.d.KV.Del(context.Background(), keys...)
	require.NoError(t, err)
	st, body, _ := h.do("GET", "/api/v1/gates", token, "")
	require.Equal(t, 200, st, body)
	gs := decode[GateStatus](t, body)
	require.Equal(t, -1.0, gs.RealisedR)
	require.NotNil(t, gs.CooldownUntil)
	st, body, _ = h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY")))
	require.Equal(t, 200, st)
	require.Equal(t, discipline.CodeCooldownActive, gate(t, decode[CheckResult](t, body).Gates, "H").Code)
}

func TestLiveChannel(t *testing.T) {
	h := start(t)
	token, userID := h.signUp("live@example.com")
	otherTok, otherID := h.signUp("live2@example.com")
	_ = otherTok
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	go h.m.hub.Run(ctx)
	<-h.m.hub.Ready()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Host = host
		h.env.Handler.ServeHTTP(w, r)
	}))
	defer srv.Close()
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"

	// No credentials, a bad ticket, a cookie-less dial: refused.
	_, res, err := websocket.Dial(ctx, wsURL, nil)
	require.Error(t, err)
	require.Equal(t, 401, res.StatusCode)
	_, res, err = websocket.Dial(ctx, wsURL+"?ticket=forged", nil)
	require.Error(t, err)
	require.Equal(t, 401, res.StatusCode)

	st, body, _ := h.do("POST", "/api/v1/ws/ticket", token, "")
	require.Equal(t, 201, st, body)
	tk := decode[map[string]any](t, body)["ticket"].(string)
	require.NoError(t, h.m.d.KV.Set(ctx, priceKey("EURUSD"), `{"symbol":"EURUSD","bid":1.1,"ask":1.2}`, time.Minute))
	c, _, err := websocket.Dial(ctx, wsURL+"?symbols=EURUSD&ticket="+tk, nil)
	require.NoError(t, err)
	defer c.CloseNow()
	read := func() live.Event {
		t.Helper()
		_, b, err := c.Read(ctx)
		require.NoError(t, err)
		var e live.Event
		require.NoError(t, json.Unmarshal(b, &e))
		return e
	}
	// Snapshot first: gate status, then the subscribed price.
	require.Equal(t, "gate", read().Type)
	require.Equal(t, "price", read().Type)

	// Bearer works too, for non-browser clients.
	c2, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}})
	require.NoError(t, err)
	c2.CloseNow()

	// Fan-out through Redis: another user's event never arrives, ours and the price do.
	require.NoError(t, live.PublishUser(ctx, h.m.d.KV, otherID, "violation", "not yours"))
	require.NoError(t, live.PublishUser(ctx, h.m.d.KV, userID, "violation", "yours"))
	require.NoError(t, live.PublishPrice(ctx, h.m.d.KV, "GBPUSD", "unsubscribed"))
	require.NoError(t, live.PublishPrice(ctx, h.m.d.KV, "EURUSD", "subscribed"))
	e := read()
	require.Equal(t, "violation", e.Type)
	require.Equal(t, "yours", e.Data)
	e = read()
	require.Equal(t, "price", e.Type)
	require.Equal(t, "subscribed", e.Data)

	// Shutdown sends a going-away close frame.
	require.NoError(t, h.m.Close(ctx))
	_, _, err = c.Read(ctx)
	require.Equal(t, websocket.StatusGoingAway, websocket.CloseStatus(err))
}

func TestUnknownOutcomeIsReconciledBySync(t *testing.T) {
	fake := metaapitest.New("tok-1", "acc-1")
	defer fake.Close()
	h := start(t, testkit.WithEnv("ALORIG_PSYDGE_METAAPI_TOKEN", "tok-1"), testkit.WithEnv("ALORIG_PSYDGE_METAAPI_BASE", fake.Terminal.URL),
		testkit.WithEnv("ALORIG_PSYDGE_METAAPI_MARKET_DATA_BASE", fake.MarketData.URL))
	h.env.Clock.Set(fake.Now)
	token, userID := h.signUp("meta@example.com")
	h.provision(userID, "acc-1")
	st, body, _ := h.do("POST", "/api/v1/broker-connections", token, `{"broker":"metaapi","account_id":"acc-1","login":"5001","server":"Demo-1"}`)
	require.Equal(t, 201, st, body)
	var sealed []byte
	require.NoError(t, h.m.d.DB.NewRaw("SELECT broker_credentials FROM users WHERE id = ?", userID).Scan(context.Background(), &sealed))
	require.NotContains(t, string(sealed), "acc-1", "credentials are sealed")

	sig := h.goSignal("EURUSD", "M5", "BUY")
	fake.Lock()
	fake.HangTrades = true
	fake.Unlock()
	h.m.placeTimeout = 300 * time.Millisecond
	tk := `{"symbol":"EURUSD","timeframe":"M5","direction":"buy","volume":0.10,"stop_loss":1.08300,"signal_id":"` + sig + `"}`
	st, body, _ = h.do("POST", "/api/v1/trades", token, tk)
	require.Equal(t, 202, st, body)
	tr := decode[Trade](t, body)
	require.Equal(t, StatusUnknown, tr.Status)
	// Its risk stays reserved while unknown.
	_, body, _ = h.do("GET", "/api/v1/gates", token, "")
	require.Equal(t, 1, decode[GateStatus](t, body).OpenTrades)

	// Sync finds no trace at the broker; after the grace period the order is failed and its
	// reservation released.
	ctx := context.Background()
	conn, err := liveConnection(ctx, h.m.d.DB, userID)
	require.NoError(t, err)
	require.NoError(t, h.m.SyncAccount(ctx, conn))
	got, err := tradeOf(ctx, h.m.d.DB, userID, tr.ID)
	require.NoError(t, err)
	require.Equal(t, StatusUnknown, got.Status, "still inside the grace period")
	h.env.Clock.Advance(2 * time.Minute)
	require.NoError(t, h.m.SyncAccount(ctx, conn))
	got, err = tradeOf(ctx, h.m.d.DB, userID, tr.ID)
	require.NoError(t, err)
	require.Equal(t, StatusFailed, got.Status)
	_, body, _ = h.do("GET", "/api/v1/gates", token, "")
	require.Equal(t, 0, decode[GateStatus](t, body).OpenTrades)
	n, err := h.m.d.KV.Exists(ctx, positionsKey(userID))
	require.NoError(t, err)
	require.Equal(t, int64(1), n)
}

func TestCloseHistoryJobsAndDisconnect(t *testing.T) {
	h := start(t)
	token, userID := h.signUp("close@example.com")
	connID := h.connectPaper(token)
	st, body, _ := h.do("POST", "/api/v1/trades", token, h.ticket("0.10", h.goSignal("EURUSD", "M5", "BUY")))
	require.Equal(t, 201, st, body)
	tr := decode[Trade](t, body)

	// A tightening move of the stop is accepted and reaches the broker.
	newStop := discipline.FormatPrice(tr.InitialSL+50, 5)
	st, body, _ = h.do("PATCH", fmt.Sprintf("/api/v1/trades/%d", tr.ID), token, `{"stop_loss":`+newStop+`}`)
	require.Equal(t, 200, st, body)
	ps, err := h.m.brokers.paper[connID].Positions(context.Background())
	require.NoError(t, err)
	require.InDelta(t, fromPoints(tr.InitialSL+50, 5), ps[0].StopLoss, 1e-9)

	// Manual close at the current bid: R from the fill, realised R on the gate.
	st, body, _ = h.do("POST", fmt.Sprintf("/api/v1/trades/%d/close", tr.ID), token, "")
	require.Equal(t, 200, st, body)
	closed := decode[Trade](t, body)
	require.Equal(t, StatusClosed, closed.Status)
	require.Equal(t, "manual", closed.CloseReason)
	require.NotNil(t, closed.RMilli)
	require.NotNil(t, closed.ProfitMinor)
	q, _ := h.m.feed.Quote("EURUSD")
	wantR, err := discipline.TradeR(discipline.Buy, closed.Entry, closed.InitialSL, toPoints(q.Bid, 5))
	require.NoError(t, err)
	require.Equal(t, wantR, *closed.RMilli)
	st, body, _ = h.do("POST", fmt.Sprintf("/api/v1/trades/%d/close", tr.ID), token, "")
	require.Equal(t, 409, st, body)
	_, body, _ = h.do("GET", "/api/v1/gates", token, "")
	require.InDelta(t, float64(wantR)/1000, decode[GateStatus](t, body).RealisedR, 1e-9)

	h.env.Run(t, []testkit.Scenario{
		{Name: "history", Host: host, Path: "/api/v1/trades?status=closed", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200, Contains: []string{closed.ClientID}},
		{Name: "one trade", Host: host, Path: fmt.Sprintf("/api/v1/trades/%d", tr.ID), Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200, Contains: []string{`"status":"closed"`}},
		{Name: "config", Host: host, Path: "/api/v1/discipline-config", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200, Contains: []string{"locked_rules", `"max_risk_bp":100`}},
		{Name: "violations", Host: host, Path: "/api/v1/violations", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200},
		{Name: "connections", Host: host, Path: "/api/v1/broker-connections", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 200, Contains: []string{`"broker":"paper"`}},
		{Name: "disconnect", Method: "DELETE", Host: host, Path: fmt.Sprintf("/api/v1/broker-connections/%d", connID), Header: map[string]string{"Authorization": "Bearer " + token}, Status: 204},
		{Name: "disconnect twice", Method: "DELETE", Host: host, Path: fmt.Sprintf("/api/v1/broker-connections/%d", connID), Header: map[string]string{"Authorization": "Bearer " + token}, Status: 404},
		{Name: "no account", Host: host, Path: "/api/v1/account", Header: map[string]string{"Authorization": "Bearer " + token}, Status: 409},
		{Name: "malformed ticket", Method: "POST", Host: host, Path: "/api/v1/trades", Header: map[string]string{"Authorization": "Bearer " + token},
			Body: `{"symbol":"EURUSD","timeframe":"M7","direction":"up"}`, Status: 422, Contains: []string{"timeframe", "direction", "volume", "stop_loss"}},
		{Name: "unknown field", Method: "POST", Host: host, Path: "/api/v1/trades/check", Header: map[string]string{"Authorization": "Bearer " + token},
			Body: `{"symbol":"EURUSD","leverage":500}`, Status: 400, Contains: []string{"leverage"}},
	})

	// Jobs: the day's score is stored, a violation's patterns are detected, the weekly report
	// states the week's facts.
	ctx := context.Background()
	row, err := h.m.storeScore(ctx, userID, h.env.Clock.Now())
	require.NoError(t, err)
	require.Equal(t, row.Breakdown.Total, row.Score)
	_, body, _ = h.do("GET", "/api/v1/scores", token, "")
	require.Contains(t, body, `"date":"2026-03-11"`)
	for range 2 {
		_, err := h.m.insertViolation(ctx, userID, discipline.Violation{Code: discipline.CodeLossLock, Gate: "E", Level: discipline.L3, At: h.env.Clock.Now()},
			json.RawMessage(`{}`), json.RawMessage(`[]`), json.RawMessage(`{}`))
		require.NoError(t, err)
		h.env.Clock.Advance(time.Minute)
	}
	pats, err := h.m.detectPatterns(ctx, userID)
	require.NoError(t, err)
	require.NotEmpty(t, pats)
	_, body, _ = h.do("GET", "/api/v1/patterns", token, "")
	require.Contains(t, body, "lock_breaking")
	rep, err := h.m.weeklyReport(ctx, userID, h.env.Clock.Now())
	require.NoError(t, err)
	require.Contains(t, rep.Output, "1 trades closed")
	require.Contains(t, rep.Output, "LOSS_LOCK")
	var jobs int
	require.NoError(t, h.m.d.DB.NewRaw("SELECT count(*) FROM river_job WHERE kind = 'psydge.detect_behavioral_patterns'").Scan(ctx, &jobs))
	require.Equal(t, 2, jobs, "one pattern job per violation, inserted with it")
}

func TestSessionEndScheduleAndDayBounds(t *testing.T) {
	t.Parallel()
	// 2026-03-11 is in the week the US is on summer time and the UK is not: 17:00 New York
	// is 21:00 UTC.
	at := time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)
	require.Equal(t, time.Date(2026, 3, 11, 21, 1, 0, 0, time.UTC), sessionEnd(at))
	require.Equal(t, time.Date(2026, 3, 11, 21, 1, 0, 0, time.UTC), sessionEnd(time.Date(2026, 3, 11, 21, 0, 30, 0, time.UTC)))
	require.Equal(t, time.Date(2026, 3, 12, 21, 1, 0, 0, time.UTC), sessionEnd(time.Date(2026, 3, 11, 21, 1, 0, 0, time.UTC)))
	start, end := discipline.TradingDayBounds(at)
	require.Equal(t, time.Date(2026, 3, 10, 21, 0, 0, 0, time.UTC), start)
	require.Equal(t, time.Date(2026, 3, 11, 21, 0, 0, 0, time.UTC), end)
	// The day that contains the US clock change (Sunday 8 March) is 23 hours long.
	start, end = discipline.TradingDayBounds(time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)) // Saturday 17:00 EST to Sunday 17:00 EDT
	require.Equal(t, 23*time.Hour, end.Sub(start))
	require.Equal(t, time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC), dayDate(at))
	require.Equal(t, time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC), dayDate(time.Date(2026, 3, 11, 21, 30, 0, 0, time.UTC)))
}

func TestWSSurface(t *testing.T) {
	h := start(t)
	token, _ := h.signUp("surface@example.com")
	ws := h.env.Runtime.Handler("ws")
	for _, path := range []string{"/", "/ws"} {
		req := httptest.NewRequest("GET", "http://ws.psydge.localhost"+path, nil)
		req.Host = "ws.psydge.localhost"
		rec := httptest.NewRecorder()
		ws.ServeHTTP(rec, req)
		require.Equal(t, 401, rec.Code, rec.Body.String())
	}
	req := httptest.NewRequest("POST", "http://ws.psydge.localhost/api/v1/ws/ticket", nil)
	req.Host = "ws.psydge.localhost"
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	ws.ServeHTTP(rec, req)
	require.Equal(t, 201, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), "ticket")
}

func TestSeedAndPaperFeedStep(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	require.NoError(t, h.m.Seed(ctx))
	require.NoError(t, h.m.Seed(ctx), "seeding twice is harmless")
	st, body, _ := h.do("POST", "/api/v1/auth/login", "", fmt.Sprintf(`{"email":%q,"password":%q}`, DemoEmail, DemoPassword))
	require.Equal(t, 200, st, body)
	token := decode[map[string]any](t, body)["token"].(string)
	_, body, _ = h.do("GET", "/api/v1/trades", token, "")
	require.Len(t, decode[[]Trade](t, body), 1)
	_, body, _ = h.do("GET", "/api/v1/scores", token, "")
	require.Contains(t, body, `"score":100`)

	// One feed step publishes every symbol's quote with the seed's 5 s life.
	h.m.warmUp(h.env.Clock.Now())
	h.env.Clock.Advance(time.Minute)
	h.m.step(ctx, h.env.Clock.Now())
	ttl, err := h.m.d.KV.TTL(ctx, priceKey("XAUUSD"))
	require.NoError(t, err)
	require.Greater(t, ttl, time.Duration(0))
	require.LessOrEqual(t, ttl, 5*time.Second)
	_, body, _ = h.do("GET", "/api/v1/prices?symbols=XAUUSD,US30", token, "")
	require.Contains(t, body, `"XAUUSD"`)
	require.Contains(t, body, `"US30"`)
}
