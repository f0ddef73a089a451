package psydge

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/live"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/vista"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
)

// priceTTL is the seed's 5 s life of psydge:prices:{symbol}: a stale quote disappears rather
// than be shown as live.
const priceTTL = 5 * time.Second

// warmUpSpan is how much paper history the feed walks through at start, so charts and the
// strategies have bars from the first minute.
const warmUpSpan = 48 * time.Hour

// runsPaperFeed reports whether this process holds the paper feed, and with it the paper
// accounts: a serve process whose surfaces include the web one ("web" for one module, "all"
// for the all-in-one process of `make run`), and seed, which never starts it. A process
// serving only the ws surface, and the worker, hold none (ErrPaperElsewhere).
func runsPaperFeed(d platform.Deps) bool {
	if d.Config == nil || !d.Config.Psydge.PaperFeed {
		return false
	}
	switch d.Role {
	case platform.RoleSeed:
		return true
	case platform.RoleServe:
		return d.Surface == "" || d.Surface == "web" || d.Surface == "all"
	}
	return false
}

// tickEvery is how often the paper feed quotes: ALORIG_PSYDGE_PAPER_TICK, 1 s by default.
func (m *Module) tickEvery() time.Duration {
	if d := m.d.Config.Psydge.PaperTick; d > 0 {
		return d
	}
	return time.Second
}

// onQuote runs for every paper quote: candles, and stop-loss/take-profit on paper accounts.
func (m *Module) onQuote(q market.Quote) {
	m.agg.Add(q)
	for _, pb := range m.brokers.paperAccounts() {
		pb.OnQuote(q)
	}
}

// warmUp walks the feed minute by minute from now − warmUpSpan. The walk is seeded, so every
// start of the same build at the same minute shows the same history.
func (m *Module) warmUp(now time.Time) {
	for t := now.Add(-warmUpSpan).Truncate(time.Minute); t.Before(now); t = t.Add(time.Minute) {
		m.feed.Step(t)
	}
	for _, sym := range m.feed.Symbols() {
		for _, tf := range market.Timeframes {
			m.lastTF[sym+"/"+string(tf)] = tf.BucketStart(now)
		}
	}
}

// step advances the paper feed, publishes prices and evaluates Vista on closed bars.
func (m *Module) step(ctx context.Context, now time.Time) {
	quotes := m.feed.Step(now)
	if len(quotes) == 0 {
		return
	}
	err := m.d.KV.Pipelined(ctx, func(p *cache.Pipe) {
		for _, q := range quotes {
			b, _ := json.Marshal(q)
			p.Set(ctx, priceKey(q.Symbol), b, priceTTL)
			p.Publish(ctx, live.ChannelPrices, q.Symbol+"\n"+string(live.Encode("price", q)))
		}
	})
	if err != nil {
		m.d.Log.Debug("publish prices", "err", err)
	}
	m.evaluateVista(ctx, now)
}

// evaluateVista runs the four strategies on every series whose bar just closed and stores
// their GO signals for gate B.
func (m *Module) evaluateVista(ctx context.Context, now time.Time) {
	suite := vista.Suite()
	for _, sym := range m.feed.Symbols() {
		for _, tf := range market.Timeframes {
			key := sym + "/" + string(tf)
			bucket := tf.BucketStart(now)
			if !m.lastTF[key].Before(bucket) {
				continue
			}
			m.lastTF[key] = bucket
			candles := market.Closed(m.agg.Candles(sym, tf, time.Time{}, 200), tf, now)
			sigs, err := vista.EvaluateAll(suite, sym, tf, candles)
			if err != nil {
				continue
			}
			for _, s := range sigs {
				if _, err := m.storeVistaSignal(ctx, s); err != nil {
					m.d.Log.Warn("store signal", "err", err)
				}
			}
		}
	}
}

// SignalNotice is the live channel's "signal" event: a symbol's signals changed.
type SignalNotice struct {
	Symbol string `json:"symbol"`
}

func (m *Module) storeVistaSignal(ctx context.Context, s vista.Signal) (*SignalRow, error) {
	ind, _ := json.Marshal(s.Indicators)
	row := &SignalRow{
		ID:     fmt.Sprintf("%s_%s_%s_%d", s.Strategy, s.Symbol, s.Timeframe, s.GeneratedAt.Unix()),
		Source: "vista:" + s.Strategy, Symbol: s.Symbol, Timeframe: string(s.Timeframe), Direction: strings.ToUpper(string(s.Direction)),
		Entry: s.Entry, Stop: s.Stop, Target: s.Target, RMultiple: s.RMultiple, Indicators: ind,
		IssuedAt: s.GeneratedAt, ValidUntil: s.ValidUntil, CreatedAt: m.d.Clock.Now(),
	}
	if err := insertSignalOnce(ctx, m.d.DB, row); err != nil {
		return nil, err
	}
	m.signalsChanged(ctx)
	// Every subscriber of the symbol gets this, Core traders too: it says only that the
	// symbol's signals changed, and GET /api/v1/signals (which knows the plan) has the rest.
	_ = m.d.KV.Publish(ctx, live.ChannelPrices, row.Symbol+"\n"+string(live.Encode("signal", SignalNotice{Symbol: row.Symbol})))
	return row, nil
}

// snapshot is what a live client gets first on every (re)connect: gate status, positions
// and the latest price of each subscribed symbol.
func (m *Module) snapshot(ctx context.Context, userID int64, symbols []string) [][]byte {
	var out [][]byte
	if l, err := m.loadState(ctx, userID); err == nil {
		out = append(out, live.Encode("gate", m.gateStatus(ctx, userID, l)))
	} else {
		out = append(out, live.Encode("gate_unavailable", map[string]string{"code": "GATE_STATE_UNAVAILABLE"}))
	}
	if h, err := m.d.KV.HGetAll(ctx, positionsKey(userID)); err == nil && len(h) > 0 {
		var acct json.RawMessage = []byte(h["account"])
		ps := []json.RawMessage{}
		for k, v := range h {
			if strings.HasPrefix(k, "pos:") {
				ps = append(ps, json.RawMessage(v))
			}
		}
		if len(acct) == 0 {
			acct = []byte("null")
		}
		out = append(out, live.Encode("positions", map[string]any{"account": acct, "positions": ps}))
	}
	for _, s := range symbols {
		if raw, err := m.d.KV.Get(ctx, priceKey(strings.ToUpper(s))); err == nil {
			out = append(out, live.Encode("price", json.RawMessage(raw)))
		}
	}
	return out
}

// ticketTTL bounds a WebSocket ticket: browsers cannot set headers on a WebSocket, so the
// page trades its Bearer token for a ticket and puts that in the URL, where it may be logged.
// A ticket is also single-use (redeemed with an atomic get-and-delete) and tied to the
// session that asked for it: the socket it opens ends when that session does.
const ticketTTL = 60 * time.Second

// ticketKey names a ticket in Redis by its digest, so the keyspace never holds a usable ticket.
func wsTicketKey(ticket string) string {
	sum := sha256.Sum256([]byte(ticket))
	return "ws_ticket:" + hex.EncodeToString(sum[:])
}

// redeemScript gets and deletes a ticket in one step (GETDEL, written for any Redis version):
// two connections racing with one ticket cannot both have it.
var redeemScript = cache.NewScript(`local v = redis.call('GET', KEYS[1])
if v then redis.call('DEL', KEYS[1]) end
return v`)

func (m *Module) wsTicket(c echo.Context) error {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	if sess == nil {
		return web.Unauthorized("a ticket is issued to a signed-in session: send its Bearer token").WithCode("UNAUTHENTICATED")
	}
	t, err := m.IssueTicket(c.Request().Context(), u.ID, sess.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, t)
}

// LiveTicket is a single-use ticket for the live channel (?ticket=).
type LiveTicket struct {
	Ticket    string    `json:"ticket"`
	ExpiresAt time.Time `json:"expires_at"`
}

// IssueTicket issues a live-channel ticket for the user's session, kept in Redis by its digest.
func (m *Module) IssueTicket(ctx context.Context, userID, sessionID int64) (*LiveTicket, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("psydge: ws ticket: %w", err)
	}
	ticket := base64.RawURLEncoding.EncodeToString(raw[:])
	exp := m.d.Clock.Now().Add(ticketTTL)
	val := strconv.FormatInt(userID, 10) + ":" + strconv.FormatInt(sessionID, 10)
	if err := m.d.KV.Set(ctx, wsTicketKey(ticket), val, ticketTTL); err != nil {
		return nil, fmt.Errorf("psydge: store ws ticket: %w", err)
	}
	return &LiveTicket{Ticket: ticket, ExpiresAt: exp.UTC()}, nil
}

// redeemTicket spends a ticket: its user and session, if the session is still live.
func (m *Module) redeemTicket(ctx context.Context, ticket string) (live.Identity, error) {
	if len(ticket) > 64 {
		return live.Identity{}, errUnauthenticated
	}
	v, err := m.d.KV.Run(ctx, redeemScript, []string{wsTicketKey(ticket)})
	if errors.Is(err, redis.Nil) {
		return live.Identity{}, errUnauthenticated
	}
	if err != nil {
		return live.Identity{}, fmt.Errorf("psydge: redeem ws ticket: %w", err)
	}
	s, _ := v.(string)
	us, ss, _ := strings.Cut(s, ":")
	id := live.Identity{}
	id.User, _ = strconv.ParseInt(us, 10, 64)
	id.Session, _ = strconv.ParseInt(ss, 10, 64)
	if id.User == 0 || id.Session == 0 {
		return live.Identity{}, errUnauthenticated
	}
	// The session may have ended in the ticket's minute.
	ok, err := m.d.Accounts.LiveSessions(ctx, []int64{id.Session})
	if err != nil {
		return live.Identity{}, err
	}
	if !ok[id.Session] {
		return live.Identity{}, errUnauthenticated
	}
	return id, nil
}

// serveWS authenticates by Bearer token or ?ticket= (never by cookie) and hands the
// connection to the hub. ?symbols=EURUSD,XAUUSD subscribes at once.
func (m *Module) serveWS(c echo.Context) error {
	var id live.Identity
	if strings.HasPrefix(c.Request().Header.Get("Authorization"), "Bearer ") {
		if u, s := auth.CurrentUser(c), auth.CurrentSession(c); u != nil && s != nil {
			id = live.Identity{User: u.ID, Session: s.ID}
		}
	} else if t := c.QueryParam("ticket"); t != "" {
		var err error
		id, err = m.redeemTicket(c.Request().Context(), t)
		if errors.Is(err, errUnauthenticated) {
			return web.Unauthorized("the ticket is invalid, expired or already used: POST /api/v1/ws/ticket for a new one").WithCode("INVALID_TICKET")
		}
		if err != nil {
			return err
		}
	}
	if id.User == 0 {
		return web.Unauthorized("send a Bearer token or ?ticket= from POST /api/v1/ws/ticket").WithCode("UNAUTHENTICATED")
	}
	var symbols []string
	if s := c.QueryParam("symbols"); s != "" {
		symbols = strings.Split(s, ",")
	}
	if err := m.hub.Serve(c.Response(), c.Request(), id, symbols); errors.Is(err, live.ErrTooManyConnections) {
		return web.NewProblem(http.StatusTooManyRequests, "you have the most live connections allowed; close one first").
			WithCode("TOO_MANY_CONNECTIONS")
	}
	return nil
}

var _ = broker.Buy
