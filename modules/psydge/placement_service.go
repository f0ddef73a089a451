package psydge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/uptrace/bun"
)

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
	// The AI pre-entry validator, when the user has it on, takes part in gate B.
	if p, err := m.gatePreEntry(ctx, userID, t); p != nil || err != nil {
		return p, err
	}
	id, err := nextTradeID(ctx, m.d.DB)
	if err != nil {
		return nil, err
	}
	clientID := fmt.Sprintf("psy_%d", id)
	now := m.d.Clock.Now()
	var dec discipline.Decision
	var viol *discipline.Violation
	var snapshot json.RawMessage
	l, err := m.updateWith(ctx, userID, t.cfg, func(l *loaded) error {
		viol = nil
		mergeSignals(&l.State, t, now)
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
		if err := insertTrade(ctx, tx, row); err != nil {
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
	if uerr := updateTrade(ctx, m.d.DB, row, "status", "position_id", "broker_code", "entry", "filled", "updated_at"); uerr != nil {
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
