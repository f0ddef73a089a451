package psydge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/discipline"
)

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
	err = updateTrade(ctx, m.d.DB, tr, "status", "exit_price", "r_result_milli", "profit_minor", "close_reason", "closed_at", "updated_at")
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
	if err := updateTrade(ctx, m.d.DB, tr, "sl", "updated_at"); err != nil {
		return nil, fmt.Errorf("psydge: update stop of trade %d: %w", id, err)
	}
	m.pushUser(ctx, userID, "trade", tr)
	return tr, nil
}
