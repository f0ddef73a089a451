package psydge

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/vista"
	"github.com/stretchr/testify/require"
)

// TestCheckFollowsEveryChangeWithTheTicketCacheLive: the dry-run check reads its ticket
// context from the process cache, and every write it depends on (a Vista signal, the user's
// config, connection and validator approvals) shows in the very next check.
func TestCheckFollowsEveryChangeWithTheTicketCacheLive(t *testing.T) {
	h := start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.m.tickets.Run(ctx)
	token, _ := h.signUp("cached@example.com")
	connID := h.connectPaper(token)
	check := func() CheckResult {
		t.Helper()
		st, body, _ := h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", ""))
		require.Equal(t, 200, st, body)
		return decode[CheckResult](t, body)
	}
	require.Equal(t, discipline.CodeNoGoSignal, gate(t, check().Gates, "B").Code)
	require.Eventually(t, func() bool {
		check()
		_, before, _ := h.m.tickets.Stats()
		check()
		_, after, _ := h.m.tickets.Stats()
		return after == before+1
	}, 5*time.Second, 10*time.Millisecond, "repeated checks are served from the cache")

	// A Vista signal reaches gate B at once.
	now := h.env.Clock.Now()
	_, err := h.m.storeVistaSignal(ctx, vista.Signal{Strategy: "scalper", Symbol: "EURUSD", Timeframe: market.M5, Direction: vista.Buy,
		GeneratedAt: now, ValidUntil: now.Add(10 * time.Minute)})
	require.NoError(t, err)
	require.True(t, gate(t, check().Gates, "B").Passed)

	// So does a tightened whitelist.
	st, body, _ := h.do("PUT", "/api/v1/discipline-config", token, `{"whitelist":[{"symbol":"GBPUSD","timeframes":["M5"]}]}`)
	require.Equal(t, 200, st, body)
	require.False(t, gate(t, check().Gates, "C").Passed)

	// The signal's expiry is kept on the module's clock, cached or not.
	h.env.Clock.Advance(11 * time.Minute)
	require.Equal(t, discipline.CodeNoGoSignal, gate(t, check().Gates, "B").Code)

	// A disconnected broker is noticed at once.
	st, body, _ = h.do("DELETE", "/api/v1/broker-connections/"+strconv.FormatInt(connID, 10), token, "")
	require.Equal(t, 204, st, body)
	st, body, _ = h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", ""))
	require.Equal(t, 409, st, body)
	require.Contains(t, body, "NO_BROKER_CONNECTION")
}

// TestANamedSignalIsFoundBehindNewerOnes: the ticket context lists the newest live signals;
// a ticket naming an older live one still passes gate B, and one naming an expired or foreign
// signal does not.
func TestANamedSignalIsFoundBehindNewerOnes(t *testing.T) {
	h := start(t)
	token, _ := h.signUp("named@example.com")
	h.connectPaper(token)
	st, body, _ := h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", "")) // the gate state exists before the signals
	require.Equal(t, 200, st, body)
	old := h.goSignal("EURUSD", "M5", "BUY")
	h.env.Clock.Advance(time.Second)
	for range 6 {
		h.goSignal("EURUSD", "M5", "BUY")
	}
	st, body, _ = h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", old))
	require.Equal(t, 200, st, body)
	require.True(t, gate(t, decode[CheckResult](t, body).Gates, "B").Passed, body)
	st, body, _ = h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", "no_such_signal"))
	require.Equal(t, 200, st, body)
	require.Equal(t, discipline.CodeSignalNotFound, gate(t, decode[CheckResult](t, body).Gates, "B").Code)
	h.env.Clock.Advance(time.Hour) // past both its valid_until and the engine's freshness
	st, body, _ = h.do("POST", "/api/v1/trades/check", token, h.ticket("0.10", old))
	require.Equal(t, 200, st, body)
	require.False(t, gate(t, decode[CheckResult](t, body).Gates, "B").Passed, body)
}
