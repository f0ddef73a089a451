package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/live"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/vista"
	"github.com/stretchr/testify/require"
)

// vistaSignal publishes a Vista EURUSD M5 buy issued now, as the feed does (the ticket caches
// are told), live for 15 minutes.
func (h *harness) vistaSignal() string {
	h.t.Helper()
	now := h.env.Clock.Now()
	row, err := h.m.storeVistaSignal(context.Background(), vista.Signal{Strategy: "scalper", Symbol: "EURUSD", Timeframe: market.M5,
		Direction: vista.Buy, GeneratedAt: now, ValidUntil: now.Add(15 * time.Minute)})
	require.NoError(h.t, err)
	return row.ID
}

// checkGateB is gate B of a dry-run check of body.
func checkGateB(t *testing.T, h *harness, token, body string) discipline.GateResult {
	t.Helper()
	st, out, _ := h.do("POST", "/api/v1/trades/check", token, body)
	require.Equal(t, 200, st, out)
	return gate(t, decode[CheckResult](t, out).Gates, "B")
}

// placeGateB places body and answers gate B of the refusal; the placement must be refused.
func placeGateB(t *testing.T, h *harness, token, body string) discipline.GateResult {
	t.Helper()
	st, out, _ := h.do("POST", "/api/v1/trades", token, body)
	require.Equal(t, http.StatusForbidden, st, out)
	return gate(t, decode[Refusal](t, out).Gates, "B")
}

// TestVistaSignalsPassGateBOnlyWithTheVistaPlan: a Core trader's ticket does not pass gate B
// on a live Vista signal, in the dry run or in placement, named or not; a signed Stripe event
// moving the trader to Vista lets the same ticket through; the cancellation stops it again at
// once, while the ticket context read under Vista is still in the process cache and the Vista
// signal is still in the trader's gate state (and after the state is rebuilt from Postgres).
// A grant that runs out does the same without any event.
func TestVistaSignalsPassGateBOnlyWithTheVistaPlan(t *testing.T) {
	h, fake := startSelling(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.m.tickets.Run(ctx)
	token, userID := h.signUpCore("core-trader@example.com")
	h.connectPaper(token)
	ticket := h.ticket("0.10", "")
	// Gate K refuses 1 lot (over 1 % at a 20-pip stop): placement answers the six gates
	// without sending an order or spending the signal.
	oversized := h.ticket("1.00", "")

	sig := h.vistaSignal()
	require.Equal(t, discipline.CodeNoGoSignal, checkGateB(t, h, token, ticket).Code, "Core: the live Vista signal is not a GO signal")
	require.Equal(t, discipline.CodeNoGoSignal, checkGateB(t, h, token, ticket).Code, "Core, served from the ticket cache")
	require.False(t, checkGateB(t, h, token, h.ticket("0.10", sig)).Passed, "Core: naming the Vista signal does not pass either")
	require.Equal(t, discipline.CodeNoGoSignal, placeGateB(t, h, token, ticket).Code, "Core: placement refuses on gate B")
	var n int
	require.NoError(t, h.m.d.DB.NewRaw("SELECT count(*) FROM trades WHERE user_id = ?", userID).Scan(ctx, &n))
	require.Zero(t, n, "nothing was placed")

	// Subscribed: Stripe's signed event moves the trader to Vista.
	st, body, _ := h.do("POST", "/api/v1/billing/checkout", token, `{"plan":"vista"}`)
	require.Equal(t, 200, st, body)
	sess, subID := fake.CompleteCheckout(fake.Sessions()[0])
	_, completed := fake.Event("checkout.session.completed", sess)
	st, body = h.webhook(fake, completed, h.env.Clock.Now())
	require.Equal(t, 200, st, body)
	require.Equal(t, "vista", h.tier(userID))

	b := checkGateB(t, h, token, ticket)
	require.True(t, b.Passed, "Vista: the same ticket passes gate B: %s", b.Reason)
	_, hitsBefore, _ := h.m.tickets.Stats()
	require.True(t, checkGateB(t, h, token, ticket).Passed)
	_, hitsAfter, _ := h.m.tickets.Stats()
	require.Equal(t, hitsBefore+1, hitsAfter, "the Vista ticket context is now in the process cache")
	require.True(t, placeGateB(t, h, token, oversized).Passed, "Vista: placement's gate B passes (gate K refuses the size)")

	// Cancelled: the next check and placement refuse again, within the cache's lifetime (no
	// time has passed, the signal is live, nothing told the ticket cache) and with the Vista
	// signal kept in the gate state by the placement above.
	h.env.Clock.Advance(time.Minute)
	_, deleted := fake.Event("customer.subscription.deleted", fake.SetSubscription(subID, "canceled", false))
	st, body = h.webhook(fake, deleted, h.env.Clock.Now())
	require.Equal(t, 200, st, body)
	require.Equal(t, "core", h.tier(userID))
	require.Equal(t, discipline.CodeNoGoSignal, checkGateB(t, h, token, ticket).Code, "cancelled: check refuses")
	require.Equal(t, discipline.CodeNoGoSignal, placeGateB(t, h, token, ticket).Code, "cancelled: placement refuses")
	h.m.forgetState(ctx, userID) // a gate state rebuilt from Postgres reads every live signal
	require.Equal(t, discipline.CodeNoGoSignal, checkGateB(t, h, token, ticket).Code, "cancelled: refused on a rebuilt state too")
	require.Equal(t, discipline.CodeNoGoSignal, placeGateB(t, h, token, ticket).Code)

	// A development grant that runs out: Vista until then, Core after it, with no event.
	until := h.env.Clock.Now().Add(2 * time.Minute)
	require.NoError(t, h.m.Billing().Grant(ctx, userID, TierVista, &until))
	require.True(t, checkGateB(t, h, token, ticket).Passed, "granted: passes")
	require.True(t, checkGateB(t, h, token, ticket).Passed, "granted: passes from the cache")
	h.env.Clock.Advance(3 * time.Minute)
	require.Equal(t, discipline.CodeNoGoSignal, checkGateB(t, h, token, ticket).Code, "the grant ended: refused before any sweep")
	require.Equal(t, discipline.CodeNoGoSignal, placeGateB(t, h, token, ticket).Code)
}

// TestOwnApprovalsPassGateBOnCore: the trader's own validator approvals stay GO signals on
// Core, also when newer Vista signals outnumber them in the ticket context's list.
func TestOwnApprovalsPassGateBOnCore(t *testing.T) {
	h := start(t)
	token, userID := h.signUpCore("own@example.com")
	h.connectPaper(token)
	now := h.env.Clock.Now()
	id := userID
	own := &SignalRow{ID: fmt.Sprintf("validator_%d_EURUSD_M5_%d", userID, now.UnixNano()), UserID: &id, Source: "validator",
		Symbol: "EURUSD", Timeframe: "M5", Direction: "BUY", Indicators: json.RawMessage(`{}`), IssuedAt: now, ValidUntil: now.Add(15 * time.Minute), CreatedAt: now}
	require.NoError(t, insertSignal(context.Background(), h.m.d.DB, own))
	h.m.ticketsChanged(context.Background(), userID)
	for range 5 {
		h.env.Clock.Advance(time.Second)
		h.vistaSignal()
	}
	st, body, _ := h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", ""))
	require.Equal(t, 200, st, body)
	res := decode[CheckResult](t, body)
	require.True(t, gate(t, res.Gates, "B").Passed, body)
	require.Equal(t, own.ID, res.SignalID, "the trader's own approval, not a Vista signal")
}

// TestCoreGateStatusListsNoVistaSignal: the gate status (GET /api/v1/gates, the live channel's
// gate event) lists only the signals the trader may count, so a Core trader's rebuilt state,
// which reads every live signal, shows Vista's to nobody but Vista traders; and the live
// channel's "signal" event, which every subscriber of the symbol gets, says only that the
// symbol's signals changed.
func TestCoreGateStatusListsNoVistaSignal(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	core, coreID := h.signUpCore("core-status@example.com")
	paid, paidID := h.signUp("vista-status@example.com")

	sub := h.m.d.KV.Subscribe(ctx, live.ChannelPrices)
	defer sub.Close()
	require.NoError(t, sub.Ready(ctx))

	sig := h.vistaSignal()
	msg, err := sub.Receive(ctx)
	require.NoError(t, err)
	require.Equal(t, `EURUSD`+"\n"+`{"type":"signal","data":{"symbol":"EURUSD"}}`, msg.Payload, "no entry, stop or direction on the shared channel")

	for _, id := range []int64{coreID, paidID} {
		h.m.forgetState(ctx, id) // rebuilt from Postgres: every live signal is read into it
	}
	listed := func(token string) []string {
		st, body, _ := h.do("GET", "/api/v1/gates", token, "")
		require.Equal(t, 200, st, body)
		var ids []string
		for _, s := range decode[GateStatus](t, body).Signals {
			ids = append(ids, s.ID)
		}
		return ids
	}
	require.NotContains(t, listed(core), sig, "Core: Vista's signal is not listed")
	require.Contains(t, listed(paid), sig, "Vista: listed")
}
