package psydge

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/broker/paper"
	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/live"
	"github.com/alorig/alorig/shared/cache"
	"github.com/uptrace/bun"
)

// resolve attaches the live price, the symbol specification, the account equity and the
// conversion rate to a ticket.
func (m *Module) resolve(ctx context.Context, userID int64, tr *TicketRequest, cached bool) (*ticket, error) {
	read := m.ticketContext
	if cached {
		read = m.cachedTicketContext
	}
	tc, err := read(ctx, userID, tr.Symbol, tr.Timeframe)
	if err != nil {
		return nil, err
	}
	if err := m.addNamedSignal(ctx, userID, tr, tc); err != nil {
		return nil, err
	}
	conn := tc.conn
	if conn == nil {
		return nil, ErrNoConnection
	}
	b, err := m.brokerFor(ctx, conn)
	if err != nil {
		return nil, &brokerDown{err: err}
	}
	spec, err := b.SymbolSpecification(ctx, tr.Symbol)
	if err != nil {
		if errors.Is(err, broker.ErrNotFound) || strings.Contains(err.Error(), "unknown symbol") {
			return nil, problemField("symbol", fmt.Sprintf("%s is not offered by this account", tr.Symbol))
		}
		return nil, &BrokerError{What: "the broker did not return the symbol specification"}
	}
	q, err := b.Price(ctx, tr.Symbol)
	if err != nil {
		return nil, &BrokerError{What: "the broker did not return a price for " + tr.Symbol}
	}
	acct, err := m.accountInfo(ctx, userID, b)
	if err != nil {
		return nil, &BrokerError{What: "the broker did not return the account"}
	}
	dir, _ := requestDirection(tr.Direction)
	es := engineSpec(spec)
	lots, err := discipline.ParseLots(string(tr.Volume))
	if err != nil {
		return nil, problemField("volume", lotsReason)
	}
	stop, err := discipline.ParsePrice(string(tr.StopLoss), spec.Digits)
	if err != nil {
		return nil, problemField("stop_loss", priceReason(spec.Digits))
	}
	var tp int64
	if tr.TakeProfit != "" {
		if tp, err = discipline.ParsePrice(string(tr.TakeProfit), spec.Digits); err != nil {
			return nil, problemField("take_profit", priceReason(spec.Digits))
		}
	}
	entryPrice := q.Ask
	side := broker.Buy
	if dir == discipline.Sell {
		entryPrice, side = q.Bid, broker.Sell
	}
	rate, err := conversionRate(ctx, b, spec.ProfitCurrency, acct.Currency)
	if err != nil {
		rate = discipline.Rate{}
	}
	t := &ticket{conn: conn, cfg: tc.cfg, signals: tc.signals, broker: b}
	t.req = discipline.Request{
		Symbol: tr.Symbol, Timeframe: discipline.Timeframe(tr.Timeframe), Direction: dir, Lots: lots,
		Entry: toPoints(entryPrice, spec.Digits), Stop: stop, TakeProfit: tp, SignalID: tr.SignalID, Spec: es,
		Account: discipline.Account{Currency: acct.Currency, Equity: int64(acct.Equity)}, Rate: rate,
	}
	if err := t.req.Validate(); err != nil {
		return nil, ticketFieldError(err)
	}
	t.order = broker.MarketOrder{Symbol: tr.Symbol, Side: side, Volume: float64(lots) / 100, StopLoss: fromPoints(stop, spec.Digits)}
	if tp > 0 {
		t.order.TakeProfit = fromPoints(tp, spec.Digits)
	}
	return t, nil
}

// accountInfo prefers the snapshot the 5 s sync left in psydge:positions:{id} for a remote
// broker (one less round trip on the check path); the paper account answers from memory.
func (m *Module) accountInfo(ctx context.Context, userID int64, b broker.Broker) (broker.AccountInfo, error) {
	if _, isPaper := b.(*paper.Broker); !isPaper {
		if raw, err := m.d.KV.HGet(ctx, positionsKey(userID), "account"); err == nil {
			var a broker.AccountInfo
			if json.Unmarshal([]byte(raw), &a) == nil && a.Currency != "" {
				return a, nil
			}
		}
	}
	return b.AccountInfo(ctx)
}

// ticketCtx is what a ticket needs from Postgres, read in one round trip: the live broker
// connection, the discipline config, and the GO signals that may pass gate B (Vista's, which
// are everyone's, and the user's validator approvals, issued and not expired).
type ticketCtx struct {
	conn    *Connection
	cfg     *ConfigRow
	signals []discipline.Signal
	// readAt is when it was read and validTill when its first signal expires (zero: none),
	// both on the module's clock: a cached copy is used only between the two.
	readAt, validTill time.Time
}

// ticketKey names a cached ticket context.
type ticketKey struct {
	user      int64
	symbol    string
	timeframe string
}

func userTag(id int64) string { return "u:" + strconv.FormatInt(id, 10) }

func matchTicket(tag string, k ticketKey, _ *ticketCtx) bool { return tag == userTag(k.user) }

// ticketsChanged tells every process that a user's connection, config or own signals changed.
// Call it after the write commits.
func (m *Module) ticketsChanged(ctx context.Context, userID int64) {
	_ = m.tickets.Invalidate(ctx, userTag(userID)) // a failure is logged; see cache.Near
}

// signalsChanged: a Vista signal is everyone's, so every cached ticket context goes.
func (m *Module) signalsChanged(ctx context.Context) { _ = m.tickets.Invalidate(ctx, cache.AllTags) }

// cachedTicketContext serves the dry-run check from the process's ticket cache (see
// cache.Near): no database round trip while the user's rows are unchanged. Placement always
// reads afresh.
func (m *Module) cachedTicketContext(ctx context.Context, userID int64, symbol, tf string) (*ticketCtx, error) {
	now := m.d.Clock.Now()
	k := ticketKey{userID, symbol, tf}
	tok := m.tickets.Token()
	if tc, ok := m.tickets.Get(k); ok && !now.Before(tc.readAt) && (tc.validTill.IsZero() || now.Before(tc.validTill)) {
		return tc.copy(), nil
	}
	tc, err := m.ticketContext(ctx, userID, symbol, tf)
	if err != nil {
		return nil, err
	}
	m.tickets.Put(tok, k, tc, 0)
	return tc.copy(), nil
}

// copy gives a caller its own connection and config structs; the signals are only read.
func (tc *ticketCtx) copy() *ticketCtx {
	out := *tc
	if tc.conn != nil {
		c := *tc.conn
		out.conn = &c
	}
	cfg := *tc.cfg
	out.cfg = &cfg
	return &out
}

func (m *Module) ticketContext(ctx context.Context, userID int64, symbol, tf string) (*ticketCtx, error) {
	now := m.d.Clock.Now()
	var (
		connID                            sql.NullInt64
		brokerName, currency, server, acc sql.NullString
		balance                           sql.NullInt64
		cfgJSON                           []byte
		lastAck                           sql.NullTime
		sigJSON                           []byte
		sigUntil                          sql.NullTime
	)
	err := m.d.DB.DB.QueryRowContext(ctx, `SELECT c.id, c.broker, c.currency, c.server, c.account_number, c.paper_balance, d.config, d.last_ack_at,
		(SELECT coalesce(json_agg(json_build_object('id', s.id, 'source', s.source, 'symbol', s.symbol, 'tf', s.timeframe, 'dir', s.direction, 'at', s.issued_at)), '[]')
		   FROM (SELECT * FROM signals WHERE symbol = $1 AND timeframe = $2 AND (user_id IS NULL OR user_id = $3) AND issued_at <= $4 AND valid_until > $4
		         ORDER BY issued_at DESC LIMIT 4) s),
		(SELECT min(valid_until) FROM signals WHERE symbol = $1 AND timeframe = $2 AND (user_id IS NULL OR user_id = $3) AND valid_until > $4)
		FROM (SELECT $3::bigint AS uid) u
		LEFT JOIN broker_connections c ON c.user_id = u.uid AND c.connection_status <> 'disconnected'
		LEFT JOIN discipline_configs d ON d.user_id = u.uid`, symbol, tf, userID, now).
		Scan(&connID, &brokerName, &currency, &server, &acc, &balance, &cfgJSON, &lastAck, &sigJSON, &sigUntil)
	if err != nil {
		return nil, fmt.Errorf("psydge: ticket context of user %d: %w", userID, err)
	}
	tc := &ticketCtx{readAt: now}
	if sigUntil.Valid {
		// The earliest expiry among every live signal, not only the four read: when one of
		// those goes, an older one may take its place.
		tc.validTill = sigUntil.Time
	}
	if connID.Valid {
		tc.conn = &Connection{ID: connID.Int64, UserID: userID, Broker: brokerName.String, Currency: currency.String, Server: server.String,
			AccountNumber: acc.String, PaperBalance: balance.Int64, Status: "connected"}
	}
	if len(cfgJSON) > 0 {
		row := &ConfigRow{UserID: userID}
		if err := json.Unmarshal(cfgJSON, &row.Config); err != nil {
			return nil, fmt.Errorf("psydge: config of user %d: %w", userID, err)
		}
		if lastAck.Valid {
			row.LastAckAt = &lastAck.Time
		}
		tc.cfg = row
	} else {
		tc.cfg = newConfigRow(userID, discipline.Defaults(), now)
	}
	if err := json.Unmarshal(sigJSON, &tc.signals); err != nil {
		return nil, fmt.Errorf("psydge: signals for %s %s: %w", symbol, tf, err)
	}
	return tc, nil
}

// addNamedSignal makes sure a signal the ticket names is among the candidates gate B sees
// when it is live, even if newer ones fill the context's list: it is looked up by id.
func (m *Module) addNamedSignal(ctx context.Context, userID int64, tr *TicketRequest, tc *ticketCtx) error {
	if tr.SignalID == "" {
		return nil
	}
	for _, s := range tc.signals {
		if s.ID == tr.SignalID {
			return nil
		}
	}
	var s discipline.Signal
	var tf, dir string
	err := m.d.DB.DB.QueryRowContext(ctx, `SELECT id, source, symbol, timeframe, direction, issued_at FROM signals
		WHERE id = $1 AND symbol = $2 AND timeframe = $3 AND (user_id IS NULL OR user_id = $4) AND issued_at <= $5 AND valid_until > $5`,
		tr.SignalID, tr.Symbol, tr.Timeframe, userID, m.d.Clock.Now()).Scan(&s.ID, &s.Source, &s.Symbol, &tf, &dir, &s.IssuedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // gate B says the signal is not live
	}
	if err != nil {
		return fmt.Errorf("psydge: signal %s: %w", tr.SignalID, err)
	}
	s.Timeframe = discipline.Timeframe(tf)
	if s.Direction, err = discipline.ParseDirection(dir); err != nil {
		return fmt.Errorf("psydge: signal %s: %w", tr.SignalID, err)
	}
	tc.signals = append(tc.signals[:len(tc.signals):len(tc.signals)], s)
	return nil
}

func mergeSignals(s *discipline.State, sigs []discipline.Signal, now time.Time) {
	for _, sig := range sigs {
		known := false
		for _, have := range s.Signals {
			if have.ID == sig.ID {
				known = true
				break
			}
		}
		if !known {
			_ = s.AddSignal(sig, now)
		}
	}
}

// CheckResult is the answer of the dry run and of a refused placement.
type CheckResult struct {
	Allowed    bool                    `json:"allowed"`
	Gates      []discipline.GateResult `json:"gates"`
	RiskMinor  int64                   `json:"risk_minor"`
	RiskPct    float64                 `json:"risk_pct"`
	Currency   string                  `json:"currency"`
	EntryPrice float64                 `json:"entry_price"`
	SignalID   string                  `json:"signal_id,omitempty"`
}

func checkResult(d *discipline.Decision, t *ticket) CheckResult {
	return CheckResult{Allowed: d.Allowed, Gates: d.Gates[:], RiskMinor: d.RiskMinor, RiskPct: float64(d.RiskBasisPoints) / 100,
		Currency: t.req.Account.Currency, EntryPrice: fromPoints(t.req.Entry, t.req.Spec.Digits), SignalID: d.SignalID}
}

// Check is the dry run: the same decision placement would take, recording nothing.
func (m *Module) Check(ctx context.Context, userID int64, tr *TicketRequest) (CheckResult, error) {
	t, err := m.resolve(ctx, userID, tr, true)
	if err != nil {
		return CheckResult{}, err
	}
	l, err := m.loadStateWith(ctx, userID, t.cfg)
	if err != nil {
		return CheckResult{}, err
	}
	now := m.d.Clock.Now()
	mergeSignals(&l.State, t.signals, now)
	d := m.engine.Check(&l.State, &l.Config.Config, &t.req, now)
	return checkResult(&d, t), nil
}

// Refusal is a placement the gates refused; it carries the recorded violation.
type Refusal struct {
	CheckResult
	ViolationID   int64  `json:"violation_id"`
	ViolationCode string `json:"violation_code"`
	Level         string `json:"level"`
}

// Outcome is how a placement ended.
type Outcome int

const (
	// OutcomeOpen: the broker filled the order (the trade is open).
	OutcomeOpen Outcome = iota + 1
	// OutcomePending: the broker's answer is unknown or not yet recorded; sync settles it.
	OutcomePending
	// OutcomeRefused: the gates refused; nothing reached the broker.
	OutcomeRefused
	// OutcomeRejected: the broker refused the order.
	OutcomeRejected
)

// tradeOutcome is the outcome a trade in this state stands for.
func tradeOutcome(status string) Outcome {
	switch status {
	case StatusOpen, StatusClosed:
		return OutcomeOpen
	case StatusPending, StatusUnknown:
		return OutcomePending
	}
	return OutcomeRejected
}

// Placement is the outcome of placing a ticket: the trade, or the refusal.
type Placement struct {
	Outcome Outcome
	Trade   *Trade
	Refusal *Refusal
}

// Place runs the order flow: gates and reservation in one atomic step on the Redis state,
// then the Trade row, then the broker with the trade's client id, then the live push.
//
// idemKey, when not empty, is the Idempotency-Key the caller claimed: the key is tied to the
// trade id in the transaction that writes the trade row, so a key a crash leaves in flight
// names its trade (see reconcileIdempotency).
//
// An error means no trade row exists and nothing reached the broker: the caller may free its
// key. Once the trade row exists Place always answers a Placement, and finishes on a context
// the client cannot cancel: the order may be at the broker, and the record must say so.
func (m *Module) Place(ctx context.Context, userID int64, tr *TicketRequest, idemKey string) (*Placement, error) {
	t, err := m.resolve(ctx, userID, tr, false)
	if err != nil {
		return nil, err
	}
	sigs := t.signals
	var id int64
	if err := m.d.DB.NewRaw("SELECT nextval('trades_id_seq')").Scan(ctx, &id); err != nil {
		return nil, fmt.Errorf("psydge: next trade id: %w", err)
	}
	clientID := fmt.Sprintf("psy_%d", id)
	now := m.d.Clock.Now()
	var dec discipline.Decision
	var viol *discipline.Violation
	var snapshot json.RawMessage
	l, err := m.updateWith(ctx, userID, t.cfg, func(l *loaded) error {
		viol = nil
		mergeSignals(&l.State, sigs, now)
		snapshot = snapshotJSON(&l.State)
		var err error
		dec, err = m.engine.CheckAndReserve(&l.State, &l.Config.Config, &t.req, clientID, now)
		if err != nil {
			return err
		}
		if !dec.Allowed && dec.Violation != nil {
			v := l.State.RecordViolation(*dec.Violation)
			viol = &v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !dec.Allowed {
		ref := &Refusal{CheckResult: checkResult(&dec, t)}
		if viol == nil {
			return &Placement{Outcome: OutcomeRefused, Refusal: ref}, nil
		}
		row, err := m.recordViolation(ctx, userID, *viol, t, &dec, snapshot)
		if err != nil {
			m.forgetState(ctx, userID)
			return nil, err
		}
		ref.ViolationID, ref.ViolationCode, ref.Level = row.ID, row.Code, viol.Level.String()
		m.pushUser(ctx, userID, "violation", row)
		m.pushGate(ctx, userID, l)
		return &Placement{Outcome: OutcomeRefused, Refusal: ref}, nil
	}

	strategy := ""
	for _, s := range l.State.Signals {
		if s.ID == dec.SignalID {
			strategy = strings.TrimPrefix(s.Source, "vista:")
		}
	}
	// The risk is reserved: from here on a client that goes away must not stop the flow
	// half-way (a reservation never released, an order sent but never recorded).
	ctx = context.WithoutCancel(ctx)
	connID := t.conn.ID
	row := &Trade{
		ID: id, UserID: userID, ConnectionID: &connID, ClientID: clientID, Symbol: t.req.Symbol, Timeframe: string(t.req.Timeframe),
		Direction: t.req.Direction.String(), Digits: t.req.Spec.Digits, Entry: t.req.Entry, InitialSL: t.req.Stop, SL: t.req.Stop,
		TP: t.req.TakeProfit, Lot: t.req.Lots, Currency: t.req.Account.Currency, RiskMinor: dec.RiskMinor, RiskBP: dec.RiskBasisPoints,
		Strategy: strategy, SignalID: dec.SignalID, Status: StatusPending, OpenedAt: now, UpdatedAt: now,
	}
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return err
		}
		if idemKey == "" {
			return nil
		}
		return tieIdempotencyKey(ctx, tx, userID, idemKey, id)
	})
	if err != nil {
		m.release(ctx, userID, clientID)
		return nil, fmt.Errorf("psydge: insert trade %d: %w", id, err)
	}

	t.order.ClientID = clientID
	bctx, cancel := context.WithTimeout(ctx, m.placeTimeout)
	res, err := t.broker.PlaceMarket(bctx, t.order)
	cancel()
	switch {
	case err == nil:
		row.Status, row.PositionID, row.BrokerCode = StatusOpen, res.PositionID, res.StringCode
		if res.Price > 0 {
			fill := toPoints(res.Price, row.Digits)
			if _, ferr := m.update(ctx, userID, func(l *loaded) error { return l.State.Fill(clientID, fill) }); ferr == nil {
				row.Entry, row.Filled = fill, true
			} else {
				m.d.Log.Warn("fill not applied to gate state", "trade", id, "err", ferr)
			}
		}
	case errors.Is(err, broker.ErrUnknownOutcome) || errors.Is(err, context.DeadlineExceeded):
		// The order may be live at the broker: keep its risk reserved until sync finds it by
		// client id, or finds nothing and releases it.
		row.Status, row.BrokerCode = StatusUnknown, "TIMEOUT"
	default:
		row.Status = StatusRejected
		var te *broker.TradeError
		if errors.As(err, &te) {
			row.BrokerCode = te.StringCode
		} else {
			row.BrokerCode = "BROKER_ERROR"
		}
		m.release(ctx, userID, clientID)
		m.d.Log.Info("broker refused order", "trade", id, "err", err)
	}
	row.UpdatedAt = m.d.Clock.Now()
	if _, uerr := m.d.DB.NewUpdate().Model(row).Column("status", "position_id", "broker_code", "entry", "filled", "updated_at").WherePK().Exec(ctx); uerr != nil {
		// The broker has answered but the record still says pending. It must not look like a
		// failure (a retry would send the order again): answer 202 with the record as it
		// stands, and let sync settle it by client id as it does every pending order.
		m.d.Log.Error("trade record not updated after the broker answered; sync will settle it", "trade", id, "broker_status", row.Status, "err", uerr)
		row.Status, row.PositionID, row.BrokerCode, row.Entry, row.Filled = StatusPending, "", "", t.req.Entry, false
		m.pushUser(ctx, userID, "trade", row)
		return &Placement{Outcome: OutcomePending, Trade: row}, nil
	}
	m.pushUser(ctx, userID, "trade", row)
	if gl, err := m.loadState(ctx, userID); err == nil {
		m.pushGate(ctx, userID, gl)
	}
	// The row is open, unknown or rejected here.
	return &Placement{Outcome: tradeOutcome(row.Status), Trade: row}, nil
}

func (m *Module) release(ctx context.Context, userID int64, clientID string) {
	_, err := m.update(ctx, userID, func(l *loaded) error {
		err := l.State.Release(clientID)
		if errors.Is(err, discipline.ErrTradeNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		m.d.Log.Error("release reservation", "user", userID, "client_id", clientID, "err", err)
		m.forgetState(ctx, userID)
	}
}

// recordViolation stores a violation and, in the same transaction, the pattern detection job.
func (m *Module) recordViolation(ctx context.Context, userID int64, v discipline.Violation, t *ticket, d *discipline.Decision, snapshot json.RawMessage) (*ViolationRow, error) {
	attempt := json.RawMessage(`{}`)
	gates := json.RawMessage(`[]`)
	if t != nil {
		attempt, _ = json.Marshal(map[string]any{"action": "place", "symbol": t.req.Symbol, "timeframe": t.req.Timeframe,
			"direction": t.req.Direction, "lots": t.req.Lots, "entry": t.req.Entry, "stop": t.req.Stop, "signal_id": t.req.SignalID})
	}
	if d != nil {
		gates, _ = json.Marshal(d.Gates)
	}
	return m.insertViolation(ctx, userID, v, attempt, gates, snapshot)
}

func (m *Module) insertViolation(ctx context.Context, userID int64, v discipline.Violation, attempt, gates, snapshot json.RawMessage) (*ViolationRow, error) {
	row := &ViolationRow{UserID: userID, Code: v.Code, Gate: v.Gate, Level: int(v.Level), Ref: v.Ref, AttemptedAction: attempt,
		Gates: gates, Snapshot: snapshot, TradingDay: discipline.TradingDay(v.At), CreatedAt: v.At}
	if row.Level < 1 {
		row.Level = 1
	}
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return err
		}
		_, err := m.d.Jobs.InsertTx(ctx, tx, DetectPatternsArgs{UserID: userID}, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("psydge: record violation %s of user %d: %w", v.Code, userID, err)
	}
	return row, nil
}

// CloseTrade closes an open trade at the broker and books it.
func (m *Module) CloseTrade(ctx context.Context, userID, id int64) (*Trade, error) {
	tr, err := tradeOf(ctx, m.d.DB, userID, id)
	if err != nil {
		return nil, err
	}
	if tr.Status != StatusOpen || tr.PositionID == "" {
		return nil, &TradeNotOpenError{Action: "with a broker position can be closed", Status: tr.Status}
	}
	conn, err := liveConnection(ctx, m.d.DB, userID)
	if err != nil {
		return nil, ErrNoConnection
	}
	b, err := m.brokerFor(ctx, conn)
	if err != nil {
		return nil, &brokerDown{err: err}
	}
	res, err := b.ClosePosition(ctx, tr.PositionID)
	if err != nil && !errors.Is(err, broker.ErrNotFound) {
		return nil, &BrokerError{What: "the broker refused to close the position"}
	}
	exit, profit := res.Price, (*int64)(nil)
	if d, ok := closingDeal(ctx, b, tr, m.d.Clock.Now()); ok {
		exit = d.Price
		p := int64(d.Profit + d.Commission + d.Swap)
		profit = &p
	}
	if exit <= 0 {
		q, err := b.Price(ctx, tr.Symbol)
		if err != nil {
			return nil, &BrokerError{What: "no closing price from the broker"}
		}
		exit = closeSidePrice(tr.Direction, q.Bid, q.Ask)
	}
	return m.bookClose(ctx, tr, toPoints(exit, tr.Digits), profit, "manual", m.d.Clock.Now())
}

func closeSidePrice(direction string, bid, ask float64) float64 {
	if direction == "BUY" {
		return bid
	}
	return ask
}

// closingDeal finds the deal that closed a trade's position in the broker history.
func closingDeal(ctx context.Context, b broker.Broker, t *Trade, now time.Time) (broker.Deal, bool) {
	deals, err := b.HistoryDeals(ctx, t.OpenedAt.Add(-time.Minute), now.Add(time.Hour))
	if err != nil {
		return broker.Deal{}, false
	}
	for i := len(deals) - 1; i >= 0; i-- {
		d := deals[i]
		if (d.Entry == broker.EntryOut || d.Entry == broker.EntryInOut) && ((t.PositionID != "" && d.PositionID == t.PositionID) || d.ClientID == t.ClientID) {
			return d, true
		}
	}
	return broker.Deal{}, false
}

// bookClose records a closed trade: its R, the day's realised R, the cooldown after a loss.
func (m *Module) bookClose(ctx context.Context, tr *Trade, exit int64, profit *int64, reason string, at time.Time) (*Trade, error) {
	var closed discipline.ClosedTrade
	_, err := m.update(ctx, tr.UserID, func(l *loaded) error {
		var err error
		closed, err = l.State.Close(&l.Config.Config, tr.ClientID, exit, at)
		return err
	})
	r := closed.RMilli
	if err != nil {
		if !errors.Is(err, discipline.ErrTradeNotFound) {
			return nil, err
		}
		// The state does not know the trade (lost and rebuilt, or closed twice): book it in
		// Postgres and let the next read rebuild the state from the record.
		dir, _ := discipline.ParseDirection(tr.Direction)
		if r, err = discipline.TradeR(dir, tr.Entry, tr.InitialSL, exit); err != nil {
			return nil, err
		}
		defer m.forgetState(ctx, tr.UserID)
	}
	tr.Status, tr.Exit, tr.RMilli, tr.ProfitMinor, tr.CloseReason = StatusClosed, exit, &r, profit, reason
	tr.ClosedAt, tr.UpdatedAt = &at, m.d.Clock.Now()
	_, err = m.d.DB.NewUpdate().Model(tr).Column("status", "exit_price", "r_result_milli", "profit_minor", "close_reason", "closed_at", "updated_at").
		WherePK().Where("user_id = ?", tr.UserID).Exec(ctx)
	if err != nil {
		m.forgetState(ctx, tr.UserID)
		return nil, fmt.Errorf("psydge: book close of trade %d: %w", tr.ID, err)
	}
	m.pushUser(ctx, tr.UserID, "trade", tr)
	if gl, err := m.loadState(ctx, tr.UserID); err == nil {
		m.pushGate(ctx, tr.UserID, gl)
	}
	return tr, nil
}

// ModifyStop moves an open trade's stop-loss: towards entry only; widening is refused and
// recorded as STOP_WIDENED.
func (m *Module) ModifyStop(ctx context.Context, userID, id int64, stopLoss exactNumber) (*Trade, error) {
	tr, err := tradeOf(ctx, m.d.DB, userID, id)
	if err != nil {
		return nil, err
	}
	if tr.Status != StatusOpen || tr.PositionID == "" {
		return nil, &TradeNotOpenError{Action: "can have its stop moved", Status: tr.Status}
	}
	stop, err := discipline.ParsePrice(string(stopLoss), tr.Digits)
	if err != nil {
		return nil, problemField("stop_loss", priceReason(tr.Digits))
	}
	l, err := m.loadState(ctx, userID)
	if err != nil {
		return nil, err
	}
	probe := l.State
	probe.Open = append([]discipline.OpenTrade(nil), l.State.Open...)
	if err := probe.MoveStop(tr.ClientID, stop); err != nil {
		if errors.Is(err, discipline.ErrStopWidened) {
			now := m.d.Clock.Now()
			var v discipline.Violation
			var snap json.RawMessage
			gl, uerr := m.update(ctx, userID, func(l *loaded) error {
				snap = snapshotJSON(&l.State)
				v = l.State.RecordViolation(discipline.Violation{Code: discipline.CodeStopWidened, At: now, Ref: tr.ClientID})
				return nil
			})
			if uerr != nil {
				return nil, uerr
			}
			attempt, _ := json.Marshal(map[string]any{"action": "modify_stop", "trade_id": id, "from": tr.SL, "to": stop})
			row, verr := m.insertViolation(ctx, userID, v, attempt, json.RawMessage(`[]`), snap)
			if verr != nil {
				m.forgetState(ctx, userID)
				return nil, verr
			}
			m.pushUser(ctx, userID, "violation", row)
			m.pushGate(ctx, userID, gl)
			return nil, &StopWidenedError{ViolationID: row.ID, Level: v.Level.String()}
		}
		if errors.Is(err, discipline.ErrTradeNotFound) {
			m.forgetState(ctx, userID)
			return nil, ErrGateRebuilding
		}
		return nil, problemField("stop_loss", "cannot be moved there")
	}
	conn, err := liveConnection(ctx, m.d.DB, userID)
	if err != nil {
		return nil, ErrNoConnection
	}
	b, err := m.brokerFor(ctx, conn)
	if err != nil {
		return nil, &brokerDown{err: err}
	}
	tp := 0.0
	if tr.TP > 0 {
		tp = fromPoints(tr.TP, tr.Digits)
	}
	if _, err := b.ModifyPosition(ctx, tr.PositionID, fromPoints(stop, tr.Digits), tp); err != nil {
		return nil, &BrokerError{What: "the broker refused the new stop-loss"}
	}
	if _, err := m.update(ctx, userID, func(l *loaded) error { return l.State.MoveStop(tr.ClientID, stop) }); err != nil {
		m.forgetState(ctx, userID)
	}
	tr.SL, tr.UpdatedAt = stop, m.d.Clock.Now()
	if _, err := m.d.DB.NewUpdate().Model(tr).Column("sl", "updated_at").WherePK().Where("user_id = ?", userID).Exec(ctx); err != nil {
		return nil, fmt.Errorf("psydge: update stop of trade %d: %w", id, err)
	}
	m.pushUser(ctx, userID, "trade", tr)
	return tr, nil
}

// Acknowledge dismisses the L2/L3 overlay (it does not shorten a blackout or a lock).
func (m *Module) Acknowledge(ctx context.Context, userID int64) (*loaded, error) {
	now := m.d.Clock.Now()
	row, err := configOrDefault(ctx, m.d.DB, userID, now)
	if err != nil {
		return nil, err
	}
	if err := saveConfig(ctx, m.d.DB, row); err != nil {
		return nil, err
	}
	if _, err := m.d.DB.NewUpdate().Model((*ConfigRow)(nil)).Set("last_ack_at = ?", now).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return nil, fmt.Errorf("psydge: acknowledge for user %d: %w", userID, err)
	}
	m.ticketsChanged(ctx, userID)
	l, err := m.update(ctx, userID, func(l *loaded) error { l.State.Acknowledge(); return nil })
	if err != nil {
		return nil, err
	}
	m.pushGate(ctx, userID, l)
	return l, nil
}

func (m *Module) pushUser(ctx context.Context, userID int64, typ string, data any) {
	if err := live.PublishUser(ctx, m.d.KV, userID, typ, data); err != nil {
		m.d.Log.Debug("live push failed", "user", userID, "type", typ, "err", err)
	}
}

func (m *Module) pushGate(ctx context.Context, userID int64, l *loaded) {
	m.pushUser(ctx, userID, "gate", m.gateStatus(l))
}
