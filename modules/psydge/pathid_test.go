package psydge

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// placeOne places a clean EURUSD M5 buy and returns the trade.
func (h *harness) placeOne(token string) Trade {
	h.t.Helper()
	sig := h.goSignal("EURUSD", "M5", "BUY")
	st, body, _ := h.do("POST", "/api/v1/trades", token, h.ticket("0.10", sig))
	require.Equal(h.t, 201, st, body)
	var tr Trade
	require.NoError(h.t, jsonUnmarshal(body, &tr))
	return tr
}

// A record id in a path is written one way, in digits: "+7" is not the
// same record (web.PathID), and the answer is the same 404 a missing row gets.
func TestPathIDsAreDigitsOnly(t *testing.T) {
	h := start(t)
	token, _ := h.signUp("pathid@example.com")
	h.connectPaper(token)
	tr := h.placeOne(token)

	st, body, _ := h.do("GET", fmt.Sprintf("/api/v1/trades/%d", tr.ID), token, "")
	require.Equal(t, 200, st, body)
	for _, p := range []string{"+%d", "%d.0", "-%d", "0x%d"} {
		path := "/api/v1/trades/" + fmt.Sprintf(p, tr.ID)
		st, body, _ = h.do("GET", path, token, "")
		require.Equal(t, 404, st, "%s: %s", path, body)
		require.Contains(t, body, "no such record")
	}
	st, body, _ = h.do("POST", fmt.Sprintf("/api/v1/trades/+%d/close", tr.ID), token, "")
	require.Equal(t, 404, st, body)
}
