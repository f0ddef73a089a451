package psydge

import (
	"context"
	"errors"
	"strconv"

	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/database"
)

// ticketKey names a cached ticket context. vista is the user's Vista entitlement when it was
// read: a context read for a Vista user is never served once billing says the plan is gone.
type ticketKey struct {
	user      int64
	symbol    string
	timeframe string
	vista     bool
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
// cache.Near): no database round trip for the context while the user's rows are unchanged.
// The Vista entitlement is not cached: the caller reads it from billing on every ticket, and it
// is part of the key. Placement always reads afresh.
func (m *Module) cachedTicketContext(ctx context.Context, userID int64, symbol, tf string, vista bool) (*ticketCtx, error) {
	now := m.d.Clock.Now()
	k := ticketKey{userID, symbol, tf, vista}
	tok := m.tickets.Token()
	if tc, ok := m.tickets.Get(k); ok && !now.Before(tc.readAt) && (tc.validTill.IsZero() || now.Before(tc.validTill)) {
		return tc.copy(), nil
	}
	tc, err := m.ticketContext(ctx, userID, symbol, tf, vista)
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

// ticketContext reads the user's ticket context afresh (placement always does).
func (m *Module) ticketContext(ctx context.Context, userID int64, symbol, tf string, vista bool) (*ticketCtx, error) {
	return ticketContextOf(ctx, m.d.DB, userID, symbol, tf, vista, m.d.Clock.Now())
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
	s, err := liveSignal(ctx, m.d.DB, userID, tr.SignalID, tr.Symbol, tr.Timeframe, tc.vista, m.d.Clock.Now())
	if errors.Is(err, database.ErrNotFound) {
		return nil // gate B says the signal is not live
	}
	if err != nil {
		return err
	}
	tc.signals = append(tc.signals[:len(tc.signals):len(tc.signals)], s)
	return nil
}
