package psydge

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/vista"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

func (m *Module) routes(e *echo.Echo) {
	e.GET("/api/openapi.json", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, openAPI) })
	g := e.Group("/api/v1", auth.RequireUser, m.hideBrokerErrors)
	g.GET("/profile", m.getProfile)
	g.PATCH("/profile", m.patchProfile)
	g.GET("/broker-connections", m.listConnections)
	g.POST("/broker-connections", m.createConnection)
	g.DELETE("/broker-connections/:id", m.deleteConnection)
	g.GET("/account", m.getAccount)
	g.GET("/discipline-config", m.getConfig)
	g.PUT("/discipline-config", m.putConfig)
	g.GET("/gates", m.getGates)
	g.POST("/gates/ack", m.ackGates)
	g.POST("/trades/check", m.checkTrade)
	g.POST("/trades", m.placeTrade)
	g.GET("/trades", m.listTradesH)
	g.GET("/trades/:id", m.getTrade)
	g.POST("/trades/:id/close", m.closeTrade)
	g.PATCH("/trades/:id", m.modifyTrade)
	g.GET("/violations", m.listViolations)
	g.GET("/scores", m.listScores)
	g.GET("/scores/today", m.todayScore)
	g.GET("/reflections", m.listReflections)
	g.POST("/reflections", m.createReflection)
	g.GET("/patterns", m.listPatterns)
	g.GET("/strategies", m.listStrategies)
	g.GET("/signals", m.listSignals)
	g.POST("/signals/validate", m.validateSignal)
	g.GET("/candles", m.candles)
	g.GET("/prices", m.prices)
	g.POST("/ws/ticket", m.wsTicket)
}

// brokerDown is a broker client that could not be built or reached for a reason of ours
// (configuration, the process holding paper accounts, a client error). Its text is for the
// log only: hideBrokerErrors answers a fixed message.
type brokerDown struct{ err error }

func (e *brokerDown) Error() string { return e.err.Error() }
func (e *brokerDown) Unwrap() error { return e.err }

// hideBrokerErrors logs a brokerDown's cause with the request id and answers 503
// BROKER_UNAVAILABLE with a fixed human message: client errors carry URLs and configuration
// names that are nobody's business outside.
func (m *Module) hideBrokerErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		var bd *brokerDown
		if err == nil || !errors.As(err, &bd) {
			return err
		}
		m.d.Log.ErrorContext(c.Request().Context(), "broker unavailable", "err", bd.err,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "path", c.Request().URL.Path)
		msg := "the broker connection is not available right now; try again shortly"
		if errors.Is(bd.err, ErrAccountNotProvisioned) {
			msg = "this MetaApi account was not provisioned for you: connect it again with your own MetaApi token"
		}
		return web.NewProblem(http.StatusServiceUnavailable, msg).WithCode("BROKER_UNAVAILABLE")
	}
}

func uid(c echo.Context) int64 { return auth.CurrentUser(c).ID }

// gateErr maps gate-state failures to the fail-closed answer.
func gateErr(err error) error {
	if errors.Is(err, ErrGateState) {
		return web.NewProblem(http.StatusServiceUnavailable, "the discipline gate state cannot be read right now; no order is sent until it can").WithCode("GATE_STATE_UNAVAILABLE")
	}
	if isNotFound(err) {
		return web.NotFound("no such record")
	}
	return err
}

func limitParam(c echo.Context, def, most int) int {
	n, err := strconv.Atoi(c.QueryParam("limit"))
	if err != nil || n <= 0 {
		return def
	}
	return min(n, most)
}

// ---- profile ----

type profile struct {
	ID               int64  `json:"id"`
	Email            string `json:"email"`
	Timezone         string `json:"timezone"`
	SubscriptionTier string `json:"subscription_tier"`
	BrokerLinked     bool   `json:"broker_credentials_stored"`
}

func (m *Module) loadProfile(ctx context.Context, id int64) (*profile, error) {
	p := &profile{ID: id}
	var email *string
	err := m.d.DB.NewRaw("SELECT email, timezone, subscription_tier, broker_credentials IS NOT NULL FROM users WHERE id = ?", id).
		Scan(ctx, &email, &p.Timezone, &p.SubscriptionTier, &p.BrokerLinked)
	if err != nil {
		return nil, fmt.Errorf("psydge: profile %d: %w", id, err)
	}
	if email != nil {
		p.Email = *email
	}
	return p, nil
}

func (m *Module) getProfile(c echo.Context) error {
	p, err := m.loadProfile(c.Request().Context(), uid(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (m *Module) patchProfile(c echo.Context) error {
	var req struct {
		Timezone string `json:"timezone"`
	}
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if _, err := time.LoadLocation(req.Timezone); err != nil || req.Timezone == "" {
		return problemField("timezone", "must be an IANA time zone such as Asia/Karachi")
	}
	ctx := c.Request().Context()
	if _, err := m.d.DB.NewRaw("UPDATE users SET timezone = ?, updated_at = ? WHERE id = ?", req.Timezone, m.d.Clock.Now(), uid(c)).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: update timezone: %w", err)
	}
	return m.getProfile(c)
}

// ---- broker connections ----

type connectRequest struct {
	Broker    string `json:"broker"`
	Currency  string `json:"currency,omitempty"`
	Balance   int64  `json:"balance,omitempty"`
	AccountID string `json:"account_id,omitempty"`
	Token     string `json:"token,omitempty"`
	Login     string `json:"login,omitempty"`
	Server    string `json:"server,omitempty"`
}

func (r *connectRequest) Validate() []web.FieldError {
	var errs []web.FieldError
	switch r.Broker {
	case "paper":
		if r.Currency == "" {
			r.Currency = "USD"
		}
		if r.Currency != "USD" && r.Currency != "EUR" && r.Currency != "GBP" && r.Currency != "JPY" {
			errs = append(errs, web.FieldError{Field: "currency", Reason: "paper accounts are in USD, EUR, GBP or JPY"})
		}
		if r.Balance == 0 {
			r.Balance = 10_000 * 100
		}
		if r.Balance < 100*100 || r.Balance > 10_000_000*100 {
			errs = append(errs, web.FieldError{Field: "balance", Reason: "minor units between 10000 and 1000000000"})
		}
	case "metaapi":
		if r.AccountID == "" {
			errs = append(errs, web.FieldError{Field: "account_id", Reason: "the MetaApi account id is required"})
		}
	default:
		errs = append(errs, web.FieldError{Field: "broker", Reason: "must be paper or metaapi"})
	}
	return errs
}

func (m *Module) listConnections(c echo.Context) error {
	cs, err := connectionsOf(c.Request().Context(), m.d.DB, uid(c))
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []Connection{}
	}
	return c.JSON(http.StatusOK, cs)
}

func (m *Module) createConnection(c echo.Context) error {
	var req connectRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	id := uid(c)
	if _, err := liveConnection(ctx, m.d.DB, id); err == nil {
		return web.Conflict("a broker is already connected: DELETE it first").WithCode("ALREADY_CONNECTED")
	}
	now := m.d.Clock.Now()
	conn := &Connection{UserID: id, Broker: req.Broker, Status: "connecting", Currency: req.Currency, CreatedAt: now, UpdatedAt: now}
	if req.Broker == "paper" {
		conn.Server, conn.AccountNumber, conn.PaperBalance, conn.Status = "psydge-paper", fmt.Sprintf("PAPER-%d", id), req.Balance, "connected"
	} else {
		// Without the trader's own token only an account the platform provisioned for this
		// trader may be named; refuse before anything is stored.
		if req.Token == "" {
			ok, err := m.provisionedFor(ctx, id, req.AccountID)
			if err != nil {
				return err
			}
			if !ok {
				return web.Invalid(web.FieldError{Field: "token", Reason: "your MetaApi token is required: this account was not provisioned for you by the platform"}).
					WithCode("METAAPI_TOKEN_REQUIRED")
			}
		}
		creds, _ := json.Marshal(metaCredentials{AccountID: req.AccountID, Token: req.Token, Login: req.Login, Server: req.Server})
		sealed, err := m.d.Keyring.Seal(creds, secret.AD("users", id, "broker_credentials"))
		if err != nil {
			return fmt.Errorf("psydge: seal credentials: %w", err)
		}
		if _, err := m.d.DB.NewRaw("UPDATE users SET broker_credentials = ?, updated_at = ? WHERE id = ?", sealed, now, id).Exec(ctx); err != nil {
			return fmt.Errorf("psydge: store credentials: %w", err)
		}
		conn.Server, conn.AccountNumber = req.Server, req.Login
		client, err := m.metaClient(ctx, id, metaCredentials{AccountID: req.AccountID, Token: req.Token})
		if err != nil {
			m.d.Log.ErrorContext(ctx, "metaapi client", "user", id, "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
			conn.Status, conn.LastError = "failed", "the broker connection is not available right now"
		} else if info, err := client.AccountInfo(ctx); err != nil {
			conn.Status, conn.LastError = "failed", "the account did not answer: "+err.Error()
		} else {
			conn.Status, conn.Currency = "connected", info.Currency
			if conn.Server == "" {
				conn.Server = info.Server
			}
			if conn.AccountNumber == "" {
				conn.AccountNumber = info.Login
			}
		}
		if conn.Currency == "" {
			conn.Currency = "USD"
		}
	}
	if _, err := m.d.DB.NewInsert().Model(conn).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: insert connection: %w", err)
	}
	status := http.StatusCreated
	if conn.Status == "failed" {
		status = http.StatusBadGateway
		_, _ = m.d.DB.NewUpdate().Model(conn).Set("connection_status = 'disconnected'").WherePK().Exec(ctx)
	}
	m.ticketsChanged(ctx, id)
	return c.JSON(status, conn)
}

func (m *Module) deleteConnection(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := m.d.DB.NewUpdate().Model((*Connection)(nil)).Set("connection_status = 'disconnected', updated_at = ?", m.d.Clock.Now()).
		Where("id = ?", id).Where("user_id = ?", uid(c)).Where("connection_status <> 'disconnected'").Exec(ctx)
	if err != nil {
		return fmt.Errorf("psydge: disconnect %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return web.NotFound("no live connection with this id")
	}
	m.brokers.forget(id)
	m.ticketsChanged(ctx, uid(c))
	return c.NoContent(http.StatusNoContent)
}

func (m *Module) getAccount(c echo.Context) error {
	ctx := c.Request().Context()
	conn, err := liveConnection(ctx, m.d.DB, uid(c))
	if err != nil {
		return errNoConnection
	}
	b, err := m.brokerFor(ctx, conn)
	if err != nil {
		return &brokerDown{err: err}
	}
	info, err := b.AccountInfo(ctx)
	if err != nil {
		return web.NewProblem(502, "the broker did not return the account").WithCode("BROKER_ERROR")
	}
	ps, err := b.Positions(ctx)
	if err != nil {
		return web.NewProblem(502, "the broker did not return positions").WithCode("BROKER_ERROR")
	}
	if ps == nil {
		ps = []broker.Position{}
	}
	return c.JSON(http.StatusOK, map[string]any{"connection": conn, "account": info, "positions": ps})
}

// ---- discipline config ----

func (m *Module) getConfig(c echo.Context) error {
	row, err := configOrDefault(c.Request().Context(), m.d.DB, uid(c), m.d.Clock.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"config": row.Config, "locked_rules": discipline.Defaults()})
}

// putConfig applies a partial config on top of the current one; every value may only tighten.
func (m *Module) putConfig(c echo.Context) error {
	ctx := c.Request().Context()
	id := uid(c)
	cur, err := configOrDefault(ctx, m.d.DB, id, m.d.Clock.Now())
	if err != nil {
		return err
	}
	proposed := cur.Config
	proposed.Whitelist = append([]discipline.Instrument(nil), cur.Config.Whitelist...)
	if err := web.BindJSON(c, &proposed); err != nil {
		return err
	}
	next, err := discipline.Tighten(cur.Config, proposed)
	if err != nil {
		var re *discipline.RuleError
		if errors.As(err, &re) {
			return web.Invalid(web.FieldError{Field: re.Rule, Reason: re.Reason}).WithCode("RULE_LOCKED").With("rule", re.Rule)
		}
		return err
	}
	row := newConfigRow(id, next, m.d.Clock.Now())
	row.LastAckAt = cur.LastAckAt
	if err := saveConfig(ctx, m.d.DB, row); err != nil {
		return err
	}
	m.ticketsChanged(ctx, id)
	if l, err := m.loadState(ctx, id); err == nil {
		m.pushGate(ctx, id, l)
	}
	return c.JSON(http.StatusOK, map[string]any{"config": next, "locked_rules": discipline.Defaults()})
}

// ---- gates ----

func (m *Module) getGates(c echo.Context) error {
	l, err := m.loadState(c.Request().Context(), uid(c))
	if err != nil {
		return gateErr(err)
	}
	return c.JSON(http.StatusOK, m.gateStatus(l))
}

func (m *Module) ackGates(c echo.Context) error {
	l, err := m.Acknowledge(c.Request().Context(), uid(c))
	if err != nil {
		return gateErr(err)
	}
	return c.JSON(http.StatusOK, m.gateStatus(l))
}

// ---- trades ----

func (m *Module) checkTrade(c echo.Context) error {
	var req TicketRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	res, err := m.Check(c.Request().Context(), uid(c), &req)
	if err != nil {
		return gateErr(err)
	}
	return c.JSON(http.StatusOK, res)
}

type idemRow struct {
	Hash     []byte          `bun:"request_hash"`
	Status   int             `bun:"status"`
	Response json.RawMessage `bun:"response"`
}

// idemTTL is how long a stored answer is replayed after it was stored; then the key is
// deleted (reconcileIdempotency) and may be used again.
const idemTTL = 24 * time.Hour

func (m *Module) placeTrade(c echo.Context) error {
	var req TicketRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	id := uid(c)
	key := strings.TrimSpace(c.Request().Header.Get("Idempotency-Key"))
	if len(key) > 200 {
		return web.Invalid(web.FieldError{Field: "Idempotency-Key", Reason: "at most 200 characters"})
	}
	if key != "" {
		canon, _ := json.Marshal(req)
		sum := sha256.Sum256(canon)
		now := m.d.Clock.Now()
		// Claim the key, or take over one whose answer has expired but is not deleted yet.
		res, err := m.d.DB.NewRaw(`INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = 0, response = NULL,
				trade_id = NULL, completed_at = NULL, expires_at = NULL, created_at = EXCLUDED.created_at
			WHERE idempotency_keys.expires_at <= EXCLUDED.created_at`,
			id, key, sum[:], now).Exec(ctx)
		if err != nil {
			return fmt.Errorf("psydge: claim idempotency key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var prev idemRow
			if err := m.d.DB.NewRaw("SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = ? AND key = ?", id, key).Scan(ctx, &prev.Hash, &prev.Status, &prev.Response); err != nil {
				return fmt.Errorf("psydge: read idempotency key: %w", err)
			}
			switch {
			case string(prev.Hash) != string(sum[:]):
				return web.Invalid(web.FieldError{Field: "Idempotency-Key", Reason: "was used with a different request"}).WithCode("IDEMPOTENCY_KEY_REUSED")
			case prev.Status == 0:
				return web.Conflict("a request with this Idempotency-Key is still being processed").WithCode("IDEMPOTENCY_IN_PROGRESS")
			}
			c.Response().Header().Set("Idempotent-Replayed", "true")
			return c.JSONBlob(prev.Status, prev.Response)
		}
	}
	p, err := m.Place(ctx, id, &req, key)
	if err != nil {
		if key != "" {
			// Place fails only before the trade row exists, so nothing reached the broker and
			// a retry with the same key may run again. A key that names a trade is never freed.
			_, _ = m.d.DB.NewRaw("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status = 0 AND trade_id IS NULL", id, key).Exec(context.WithoutCancel(ctx))
		}
		return gateErr(err)
	}
	var body any = p.Trade
	if p.Refusal != nil {
		body = p.Refusal
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	if key != "" {
		// Stored even when the client has gone: its retry must replay this answer. Should the
		// write fail, the key stays in flight (409) until reconcileIdempotency stores the
		// trade's state as its answer.
		if err := m.storeIdemAnswer(context.WithoutCancel(ctx), id, key, p.Status, b); err != nil {
			m.d.Log.Error("store idempotent response", "user", id, "err", err)
		}
	}
	return c.JSONBlob(p.Status, b)
}

// storeIdemAnswer records a key's answer and when it expires.
func (m *Module) storeIdemAnswer(ctx context.Context, userID int64, key string, status int, body []byte) error {
	now := m.d.Clock.Now()
	_, err := m.d.DB.NewRaw("UPDATE idempotency_keys SET status = ?, response = ?, completed_at = ?, expires_at = ? WHERE user_id = ? AND key = ? AND status = 0",
		status, string(body), now, now.Add(idemTTL), userID, key).Exec(ctx)
	return err
}

func (m *Module) listTradesH(c echo.Context) error {
	ts, err := listTrades(c.Request().Context(), m.d.DB, uid(c), c.QueryParam("status"), limitParam(c, 100, 500))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ts)
}

func (m *Module) getTrade(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := tradeOf(c.Request().Context(), m.d.DB, uid(c), id)
	if err != nil {
		return gateErr(err)
	}
	return c.JSON(http.StatusOK, t)
}

func (m *Module) closeTrade(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := m.CloseTrade(c.Request().Context(), uid(c), id)
	if err != nil {
		return gateErr(err)
	}
	return c.JSON(http.StatusOK, t)
}

func (m *Module) modifyTrade(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	var req struct {
		StopLoss exactNumber `json:"stop_loss"`
	}
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if req.StopLoss == "" {
		return problemField("stop_loss", "is required")
	}
	t, err := m.ModifyStop(c.Request().Context(), uid(c), id, req.StopLoss)
	if err != nil {
		return gateErr(err)
	}
	return c.JSON(http.StatusOK, t)
}

// ---- history ----

func (m *Module) listViolations(c echo.Context) error {
	vs := []ViolationRow{}
	err := m.d.DB.NewSelect().Model(&vs).Where("user_id = ?", uid(c)).Order("id DESC").Limit(limitParam(c, 100, 500)).Scan(c.Request().Context())
	if err != nil {
		return fmt.Errorf("psydge: violations: %w", err)
	}
	return c.JSON(http.StatusOK, vs)
}

func (m *Module) listScores(c echo.Context) error {
	ss := []ScoreRow{}
	err := m.d.DB.NewSelect().Model(&ss).Where("user_id = ?", uid(c)).Order("date DESC").Limit(limitParam(c, 30, 366)).Scan(c.Request().Context())
	if err != nil {
		return fmt.Errorf("psydge: scores: %w", err)
	}
	for i := range ss {
		ss[i].Day = ss[i].Date.Format(time.DateOnly)
	}
	return c.JSON(http.StatusOK, ss)
}

// todayScore is the running score of the current trading day, computed from the record.
func (m *Module) todayScore(c echo.Context) error {
	row, err := m.scoreOf(c.Request().Context(), uid(c), m.d.Clock.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, row)
}

func (m *Module) listReflections(c echo.Context) error {
	rs := []Reflection{}
	err := m.d.DB.NewSelect().Model(&rs).Where("user_id = ?", uid(c)).Order("date DESC", "id DESC").Limit(limitParam(c, 30, 366)).Scan(c.Request().Context())
	if err != nil {
		return fmt.Errorf("psydge: reflections: %w", err)
	}
	for i := range rs {
		rs[i].Day = rs[i].Date.Format(time.DateOnly)
	}
	return c.JSON(http.StatusOK, rs)
}

type reflectionRequest struct {
	SessionNotes string `json:"session_notes"`
}

func (r *reflectionRequest) Validate() []web.FieldError {
	if n := len(strings.TrimSpace(r.SessionNotes)); n == 0 || n > 20_000 {
		return []web.FieldError{{Field: "session_notes", Reason: "between 1 and 20000 characters"}}
	}
	return nil
}

func (m *Module) createReflection(c echo.Context) error {
	var req reflectionRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	now := m.d.Clock.Now()
	d := dayDate(now)
	r := &Reflection{UserID: uid(c), Date: d, Day: d.Format(time.DateOnly), SessionNotes: strings.TrimSpace(req.SessionNotes),
		AIPrompt: "What did you feel before your first trade today, and did a rule stop you from something you wanted to do?", CreatedAt: now, UpdatedAt: now}
	if _, err := m.d.DB.NewInsert().Model(r).Exec(c.Request().Context()); err != nil {
		return fmt.Errorf("psydge: insert reflection: %w", err)
	}
	return c.JSON(http.StatusCreated, r)
}

func (m *Module) listPatterns(c echo.Context) error {
	ps := []PatternRow{}
	err := m.d.DB.NewSelect().Model(&ps).Where("user_id = ?", uid(c)).Order("occurrence_count DESC").Scan(c.Request().Context())
	if err != nil {
		return fmt.Errorf("psydge: patterns: %w", err)
	}
	return c.JSON(http.StatusOK, ps)
}

// ---- strategies, signals, market ----

func (m *Module) listStrategies(c echo.Context) error {
	type strat struct {
		Name       string             `json:"name"`
		Title      string             `json:"title"`
		Timeframes []market.Timeframe `json:"timeframes"`
		MinR       float64            `json:"min_r"`
		MaxR       float64            `json:"max_r"`
		ValidBars  int                `json:"valid_bars"`
	}
	out := []strat{}
	for _, s := range vista.Suite() {
		out = append(out, strat{Name: s.Name, Title: s.Title, Timeframes: s.Timeframes, MinR: s.MinR, MaxR: s.MaxR, ValidBars: s.ValidBars})
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) listSignals(c echo.Context) error {
	now := m.d.Clock.Now()
	rows := []SignalRow{}
	q := m.d.DB.NewSelect().Model(&rows).Where("user_id IS NULL OR user_id = ?", uid(c)).Order("issued_at DESC").Limit(limitParam(c, 50, 500))
	if c.QueryParam("live") != "false" {
		q = q.Where("valid_until > ?", now).Where("issued_at <= ?", now)
	}
	if s := strings.ToUpper(c.QueryParam("symbol")); s != "" {
		q = q.Where("symbol = ?", s)
	}
	if err := q.Scan(c.Request().Context()); err != nil {
		return fmt.Errorf("psydge: signals: %w", err)
	}
	return c.JSON(http.StatusOK, rows)
}

// validateSignal is the rule-based pre-entry validator: it approves a direction when the
// closed bars of that timeframe do not argue against it (NDNS(10) and the FHS(2) structure
// are not both the other way) and stands down otherwise. An approval is a GO signal for this
// user, valid for the config's signal bars.
func (m *Module) validateSignal(c echo.Context) error {
	var req struct {
		Symbol    string `json:"symbol"`
		Timeframe string `json:"timeframe"`
		Direction string `json:"direction"`
	}
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	sym, tf := strings.ToUpper(req.Symbol), market.Timeframe(strings.ToUpper(req.Timeframe))
	dir, ok := requestDirection(req.Direction)
	if !ok {
		return problemField("direction", "must be buy or sell")
	}
	if !tf.Valid() {
		return problemField("timeframe", "must be one of M1, M5, M15, M30, H1, H4, D1")
	}
	ctx := c.Request().Context()
	now := m.d.Clock.Now()
	candles, err := m.candleSeries(ctx, uid(c), sym, tf, 60)
	if err != nil {
		return err
	}
	candles = market.Closed(candles, tf, now)
	verdict, reason := validatorVerdict(candles, dir)
	id := uid(c)
	out := map[string]any{"verdict": verdict, "reasoning": reason}
	input, _ := json.Marshal(map[string]any{"symbol": sym, "timeframe": tf, "direction": dir, "bars": len(candles)})
	_, _ = m.d.DB.NewInsert().Model(&AIInteraction{UserID: id, Role: "pre_entry_validator", InputContext: input, Output: verdict + ": " + reason, CreatedAt: now}).Exec(ctx)
	if verdict != "approve" {
		return c.JSON(http.StatusOK, out)
	}
	cfg, err := configOrDefault(ctx, m.d.DB, id, now)
	if err != nil {
		return err
	}
	bars := max(cfg.Config.SignalBars, 1)
	start := tf.BucketStart(now)
	row := &SignalRow{ID: fmt.Sprintf("validator_%d_%s_%s_%d", id, sym, tf, now.UnixNano()), UserID: &id, Source: "validator", Symbol: sym, Timeframe: string(tf),
		Direction: dir.String(), Indicators: json.RawMessage(`{}`), IssuedAt: now, ValidUntil: start.Add(time.Duration(bars) * tf.Duration()), CreatedAt: now}
	if _, err := m.d.DB.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: store validator signal: %w", err)
	}
	m.ticketsChanged(ctx, id)
	out["signal"] = row
	return c.JSON(http.StatusCreated, out)
}

func (m *Module) candleSeries(ctx context.Context, userID int64, sym string, tf market.Timeframe, limit int) ([]market.Candle, error) {
	if conn, err := liveConnection(ctx, m.d.DB, userID); err == nil && conn.Broker == "metaapi" {
		b, err := m.brokerFor(ctx, conn)
		if err != nil {
			return nil, &brokerDown{err: err}
		}
		cs, err := b.Candles(ctx, sym, tf, time.Time{}, limit)
		if err != nil {
			return nil, web.NewProblem(502, "the broker did not return candles").WithCode("BROKER_ERROR")
		}
		return cs, nil
	}
	if m.feed != nil {
		if _, err := m.feed.Quote(sym); err != nil {
			return nil, problemField("symbol", sym+" is not quoted by the paper feed")
		}
	}
	return m.agg.Candles(sym, tf, time.Time{}, limit), nil
}

// candles answers TradingView Lightweight Charts bars: time in UTC seconds, ascending.
func (m *Module) candles(c echo.Context) error {
	sym := strings.ToUpper(c.QueryParam("symbol"))
	tf, err := market.ParseTimeframe(strings.ToUpper(c.QueryParam("timeframe")))
	if sym == "" {
		return problemField("symbol", "is required")
	}
	if err != nil {
		return problemField("timeframe", "must be one of M1, M5, M15, M30, H1, H4, D1")
	}
	cs, err := m.candleSeries(c.Request().Context(), uid(c), sym, tf, limitParam(c, 300, 1000))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, market.ToBars(cs))
}

func (m *Module) prices(c echo.Context) error {
	out := map[string]json.RawMessage{}
	for _, s := range strings.Split(c.QueryParam("symbols"), ",") {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s == "" || len(out) >= 32 {
			continue
		}
		if raw, err := m.d.KV.Get(c.Request().Context(), priceKey(s)); err == nil {
			out[s] = json.RawMessage(raw)
		}
	}
	return c.JSON(http.StatusOK, out)
}
