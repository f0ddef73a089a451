package psydge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/cache"
)

// unknownGrace is how long an order without a broker answer is given before sync, finding no
// trace of it, declares it failed and frees its reserved risk.
const unknownGrace = time.Minute

// positionsTTL keeps psydge:positions:{id} only while sync keeps refreshing it.
const positionsTTL = 30 * time.Second

// SweepStats reports one sweep.
type SweepStats struct {
	Accounts int           `json:"accounts"`
	Failed   int           `json:"failed"`
	Took     time.Duration `json:"took"`
}

// Sweep syncs every connected account of one broker kind, at most SyncConcurrency at a time.
// This is how 1,000 accounts are synced every 5 s without 1,000 jobs: one periodic job per
// 5 s (leader-enqueued, unique per period) runs one sweep that fans out over a bounded pool.
func (m *Module) Sweep(ctx context.Context, kind string) (SweepStats, error) {
	start := time.Now() // a stopwatch for SweepStats.Took (wall time spent), not a rule: the clock is not injected here
	conns, err := connectedOf(ctx, m.d.DB, kind)
	if err != nil {
		return SweepStats{}, err
	}
	conc := max(1, m.d.Config.Psydge.SyncConcurrency)
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range conns {
		c := &conns[i]
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			actx, cancel := context.WithTimeout(ctx, 4*time.Second)
			defer cancel()
			if err := m.SyncAccount(actx, c); err != nil {
				failed.Add(1)
				m.d.Log.Warn("position sync failed", "connection", c.ID, "user", c.UserID, "err", err)
			}
		}()
	}
	wg.Wait()
	return SweepStats{Accounts: len(conns), Failed: int(failed.Load()), Took: time.Since(start)}, nil
}

// SyncAccount reconciles one account: positions into psydge:positions:{id}, unknown and
// pending orders resolved by client id, vanished positions booked as closes, positions opened
// outside Psydge recorded as EXTERNAL_EXECUTION.
func (m *Module) SyncAccount(ctx context.Context, c *Connection) error {
	b, err := m.brokerFor(ctx, c)
	if err != nil {
		return err
	}
	acct, err := b.AccountInfo(ctx)
	if err != nil {
		return fmt.Errorf("account info: %w", err)
	}
	positions, err := b.Positions(ctx)
	if err != nil {
		return fmt.Errorf("positions: %w", err)
	}
	if err := m.storePositions(ctx, c.UserID, acct, positions); err != nil {
		return err
	}
	trades, err := liveTrades(ctx, m.d.DB, c.UserID)
	if err != nil {
		return err
	}
	byClient := map[string]broker.Position{}
	for _, p := range positions {
		if p.ClientID != "" {
			byClient[p.ClientID] = p
		}
	}
	now := m.d.Clock.Now()
	for i := range trades {
		t := &trades[i]
		if t.ConnectionID != nil && *t.ConnectionID != c.ID {
			continue
		}
		if p, ok := byClient[t.ClientID]; ok {
			if t.Status != StatusOpen || !t.Filled || t.PositionID != p.ID {
				if err := m.markOpen(ctx, t, p); err != nil {
					return err
				}
			}
			continue
		}
		switch t.Status {
		case StatusOpen:
			if err := m.closeVanished(ctx, b, t); err != nil {
				return err
			}
		case StatusPending, StatusUnknown:
			if now.Sub(t.OpenedAt) < unknownGrace && t.Status == StatusPending {
				continue
			}
			if err := m.resolveUnknown(ctx, b, t, now); err != nil {
				return err
			}
		}
	}
	if err := m.checkExternal(ctx, c.UserID, positions); err != nil {
		return err
	}
	if err := markSynced(ctx, m.d.DB, c.ID, now); err != nil {
		return err
	}
	m.pushUser(ctx, c.UserID, "positions", map[string]any{"account": acct, "positions": positions})
	return nil
}

// storePositions writes psydge:positions:{id}: field "account" and one field per position.
func (m *Module) storePositions(ctx context.Context, userID int64, acct broker.AccountInfo, ps []broker.Position) error {
	a, _ := json.Marshal(acct)
	vals := []any{"account", string(a)}
	for _, p := range ps {
		b, _ := json.Marshal(p)
		vals = append(vals, "pos:"+p.ID, string(b))
	}
	key := positionsKey(userID)
	err := m.d.KV.Pipelined(ctx, func(p *cache.Pipe) {
		p.Del(ctx, key)
		p.HSet(ctx, key, vals...)
		p.Expire(ctx, key, positionsTTL)
	})
	if err != nil {
		return fmt.Errorf("psydge: store positions of user %d: %w", userID, err)
	}
	return nil
}

func (m *Module) markOpen(ctx context.Context, t *Trade, p broker.Position) error {
	fill := toPoints(p.OpenPrice, t.Digits)
	_, err := m.update(ctx, t.UserID, func(l *loaded) error {
		err := l.State.Fill(t.ClientID, fill)
		if errors.Is(err, discipline.ErrTradeNotFound) {
			return nil
		}
		return err
	})
	if err != nil && !errors.Is(err, discipline.ErrBadFill) {
		return err
	}
	filled := err == nil
	t.Status, t.PositionID, t.UpdatedAt = StatusOpen, p.ID, m.d.Clock.Now()
	if filled {
		t.Entry, t.Filled = fill, true
	}
	err = updateTrade(ctx, m.d.DB, t, "status", "position_id", "entry", "filled", "updated_at")
	if err != nil {
		return fmt.Errorf("psydge: mark trade %d open: %w", t.ID, err)
	}
	m.pushUser(ctx, t.UserID, "trade", t)
	return nil
}

// closeVanished books a trade whose position is gone: at its closing deal when the broker has
// one (stop-loss, take-profit, closed in the terminal), else at the current price (a paper
// account that restarted).
func (m *Module) closeVanished(ctx context.Context, b broker.Broker, t *Trade) error {
	reason := "broker"
	var exit float64
	var profit *int64
	if d, ok := closingDeal(ctx, b, t, m.d.Clock.Now()); ok {
		exit = d.Price
		p := int64(d.Profit + d.Commission + d.Swap)
		profit = &p
		switch {
		case strings.HasSuffix(d.Reason, "_SL"):
			reason = "stop_loss"
		case strings.HasSuffix(d.Reason, "_TP"):
			reason = "take_profit"
		}
	} else {
		q, err := b.Price(ctx, t.Symbol)
		if err != nil {
			return fmt.Errorf("psydge: price to close vanished trade %d: %w", t.ID, err)
		}
		exit, reason = closeSidePrice(t.Direction, q.Bid, q.Ask), "paper_reset"
	}
	_, err := m.bookClose(ctx, t, toPoints(exit, t.Digits), profit, reason, m.d.Clock.Now())
	return err
}

// resolveUnknown looks for an unknown order in the broker history by client id: opened and
// already closed → booked; no trace after the grace period → failed and its risk released.
func (m *Module) resolveUnknown(ctx context.Context, b broker.Broker, t *Trade, now time.Time) error {
	deals, err := b.HistoryDeals(ctx, t.OpenedAt.Add(-time.Minute), now.Add(time.Minute))
	if err != nil {
		return fmt.Errorf("psydge: history for unknown trade %d: %w", t.ID, err)
	}
	var in *broker.Deal
	for i := range deals {
		if deals[i].ClientID == t.ClientID && deals[i].Entry == broker.EntryIn {
			in = &deals[i]
		}
	}
	if in != nil {
		if err := m.markOpen(ctx, t, broker.Position{ID: in.PositionID, OpenPrice: in.Price}); err != nil {
			return err
		}
		return m.closeVanished(ctx, b, t)
	}
	if now.Sub(t.OpenedAt) < unknownGrace {
		return nil
	}
	m.release(ctx, t.UserID, t.ClientID)
	t.Status, t.BrokerCode, t.UpdatedAt = StatusFailed, "NOT_FOUND_AT_BROKER", now
	err = updateTrade(ctx, m.d.DB, t, "status", "broker_code", "updated_at")
	if err != nil {
		return fmt.Errorf("psydge: fail unknown trade %d: %w", t.ID, err)
	}
	m.pushUser(ctx, t.UserID, "trade", t)
	return nil
}

func (m *Module) checkExternal(ctx context.Context, userID int64, positions []broker.Position) error {
	bps := make([]discipline.BrokerPosition, 0, len(positions))
	for _, p := range positions {
		dir := discipline.Buy
		if p.Side == broker.Sell {
			dir = discipline.Sell
		}
		bps = append(bps, discipline.BrokerPosition{ID: p.ID, Symbol: p.Symbol, ClientID: p.ClientID, Direction: dir,
			Lots: int64(p.Volume*100 + 0.5), OpenedAt: p.OpenedAt})
	}
	l, err := m.loadState(ctx, userID)
	if err != nil {
		return err
	}
	if len(l.State.ExternalPositions(bps)) == 0 {
		return nil
	}
	now := m.d.Clock.Now()
	var recorded []discipline.Violation
	var snap json.RawMessage
	gl, err := m.update(ctx, userID, func(l *loaded) error {
		recorded = recorded[:0]
		snap = snapshotJSON(&l.State)
		for _, p := range l.State.ExternalPositions(bps) {
			recorded = append(recorded, l.State.RecordExternal(p, now))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, v := range recorded {
		attempt, _ := json.Marshal(map[string]any{"action": "external_execution", "position_id": v.Ref})
		row, err := m.insertViolation(ctx, userID, v, attempt, json.RawMessage(`[]`), snap)
		if err != nil {
			m.forgetState(ctx, userID)
			return err
		}
		m.pushUser(ctx, userID, "violation", row)
	}
	m.pushGate(ctx, userID, gl)
	return nil
}
