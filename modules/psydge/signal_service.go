package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/market"
)

// Signals lists the GO signals the user sees: live ones, or all of them. Vista's are shown
// only to users whose plan includes Vista; everyone sees their own validator approvals.
func (m *Module) Signals(ctx context.Context, userID int64, symbol string, all bool, limit int) ([]SignalRow, error) {
	rows, err := signalsFor(ctx, m.d.DB, userID, symbol, all, m.d.Clock.Now(), limit)
	if err != nil {
		return nil, err
	}
	vista, err := m.billing.Entitled(ctx, userID, TierVista)
	if err != nil || vista {
		return rows, err
	}
	return slices.DeleteFunc(rows, func(r SignalRow) bool { return r.UserID == nil }), nil
}

// Validate is the rule-based pre-entry validator: it approves a direction when the closed bars
// of that timeframe do not argue against it (NDNS(10) and the FHS(2) structure are not both
// the other way) and stands down otherwise. An approval is a GO signal for this user, valid for
// the config's signal bars.
func (m *Module) Validate(ctx context.Context, userID int64, sym string, tf market.Timeframe, dir discipline.Direction) (*Verdict, error) {
	now := m.d.Clock.Now()
	candles, err := m.candleSeries(ctx, userID, sym, tf, 60)
	if err != nil {
		return nil, err
	}
	candles = market.Closed(candles, tf, now)
	verdict, reason := validatorVerdict(candles, dir)
	out := &Verdict{Verdict: verdict, Reasoning: reason}
	input, _ := json.Marshal(map[string]any{"symbol": sym, "timeframe": tf, "direction": dir, "bars": len(candles)})
	_ = insertAIInteraction(ctx, m.d.DB, &AIInteraction{UserID: userID, Role: "pre_entry_validator", InputContext: input, Output: verdict + ": " + reason, CreatedAt: now})
	if verdict != "approve" {
		return out, nil
	}
	cfg, err := configOrDefault(ctx, m.d.DB, userID, now)
	if err != nil {
		return nil, err
	}
	bars := max(cfg.Config.SignalBars, 1)
	start := tf.BucketStart(now)
	id := userID
	row := &SignalRow{ID: fmt.Sprintf("validator_%d_%s_%s_%d", userID, sym, tf, now.UnixNano()), UserID: &id, Source: "validator", Symbol: sym, Timeframe: string(tf),
		Direction: dir.String(), Indicators: json.RawMessage(`{}`), IssuedAt: now, ValidUntil: start.Add(time.Duration(bars) * tf.Duration()), CreatedAt: now}
	if err := insertSignal(ctx, m.d.DB, row); err != nil {
		return nil, fmt.Errorf("psydge: store validator signal: %w", err)
	}
	m.ticketsChanged(ctx, userID)
	out.Signal = row
	return out, nil
}

func (m *Module) candleSeries(ctx context.Context, userID int64, sym string, tf market.Timeframe, limit int) ([]market.Candle, error) {
	if conn, err := liveConnection(ctx, m.d.DB, userID); err == nil && conn.Broker == "metaapi" {
		b, err := m.brokerFor(ctx, conn)
		if err != nil {
			return nil, &brokerDown{err: err}
		}
		cs, err := b.Candles(ctx, sym, tf, time.Time{}, limit)
		if err != nil {
			return nil, &BrokerError{What: "the broker did not return candles"}
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

// Prices are the latest quotes the feed or sync left in Redis, at most 32 symbols.
func (m *Module) Prices(ctx context.Context, symbols []string) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for _, s := range symbols {
		if len(out) >= 32 {
			break
		}
		if raw, err := m.d.KV.Get(ctx, priceKey(s)); err == nil {
			out[s] = json.RawMessage(raw)
		}
	}
	return out
}
