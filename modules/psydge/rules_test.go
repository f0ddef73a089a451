package psydge

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A manual close books the broker's closing deal (its profit) looked up on the module's clock,
// not the machine's: with the clock two years ahead of the wall clock, the deal is still found.
func TestManualCloseFindsTheDealOnTheModuleClock(t *testing.T) {
	h := start(t)
	// A Wednesday 10:00 UTC (inside the London session) well after the wall clock.
	at := time.Date(time.Now().Year()+2, 3, 1, 10, 0, 0, 0, time.UTC)
	for at.Weekday() != time.Wednesday {
		at = at.AddDate(0, 0, 1)
	}
	h.env.Clock.Set(at)
	token, _ := h.signUp("clock@example.com")
	h.connectPaper(token)
	tr := h.placeOne(token)

	st, body, _ := h.do("POST", fmt.Sprintf("/api/v1/trades/%d/close", tr.ID), token, "")
	require.Equal(t, 200, st, body)
	closed := decode[Trade](t, body)
	require.NotNil(t, closed.ProfitMinor, "the closing deal was not found: %s", body)
}
