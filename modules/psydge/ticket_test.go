package psydge

import (
	"strings"
	"testing"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/stretchr/testify/require"
)

// The ticket is decoded as the API document describes it, and a refusal speaks the request's
// language: its field names, the JSON type it wants, never a parser's internals.
func TestTicketDecodingIsTheDocumentsContract(t *testing.T) {
	h := start(t)
	token, _ := h.signUp("strict@example.com")
	h.connectPaper(token)
	q, err := h.m.feed.Quote("EURUSD")
	require.NoError(t, err)
	stop := discipline.FormatPrice(toPoints(q.Ask, 5)-200, 5)
	body := func(fields string) string {
		return `{"symbol":"EURUSD","timeframe":"M5",` + fields + `}`
	}
	cases := []struct {
		name, body string
		status     int
		field      string
		has        []string // in the answer
		not        []string // never in the answer
	}{
		{"direction outside the enum", body(`"direction":"long","volume":0.10,"stop_loss":` + stop), 422, "direction", []string{"must be buy or sell"}, nil},
		{"direction in capitals", body(`"direction":"BUY","volume":0.10,"stop_loss":` + stop), 422, "direction", []string{"must be buy or sell"}, nil},
		{"timeframe in lower case", `{"symbol":"EURUSD","timeframe":"m5","direction":"buy","volume":0.10,"stop_loss":` + stop + `}`, 422, "timeframe", nil, nil},
		{"volume as a string", body(`"direction":"buy","volume":"0.10","stop_loss":` + stop), 400, "volume", []string{"must be a number"}, []string{"must be a string"}},
		{"stop as a string", body(`"direction":"buy","volume":0.10,"stop_loss":"` + stop + `"`), 400, "stop_loss", []string{"must be a number"}, nil},
		{"take profit as a string", body(`"direction":"buy","volume":0.10,"stop_loss":` + stop + `,"take_profit":"1.2"`), 400, "take_profit", []string{"must be a number"}, nil},
		{"volume true", body(`"direction":"buy","volume":true,"stop_loss":` + stop), 400, "volume", []string{"must be a number"}, []string{"must be a string"}},
		{"volume 1e308", body(`"direction":"buy","volume":1e308,"stop_loss":` + stop), 422, "volume", []string{"lots"}, []string{"strconv", "discipline:", "ParseInt", "1e308"}},
		{"stop 1e308", body(`"direction":"buy","volume":0.10,"stop_loss":1e308`), 422, "stop_loss", []string{"decimal places"}, []string{"strconv", "discipline:"}},
		{"take profit on the wrong side", body(`"direction":"buy","volume":0.10,"stop_loss":` + stop + `,"take_profit":1.00001`), 422, "take_profit", []string{"profit side"}, []string{`"tp"`}},
		{"volume under the minimum", body(`"direction":"buy","volume":0.001,"stop_loss":` + stop), 422, "volume", nil, []string{`"lots"`, "discipline:"}},
		{"volume too large", body(`"direction":"buy","volume":1000000,"stop_loss":` + stop), 422, "volume", nil, []string{`"lots"`, "discipline:"}},
	}
	for _, c := range cases {
		for _, path := range []string{"/api/v1/trades/check", "/api/v1/trades"} {
			st, got, _ := h.do("POST", path, token, c.body)
			require.Equal(t, c.status, st, "%s %s: %s", c.name, path, got)
			require.Contains(t, got, `"field":"`+c.field+`"`, "%s %s", c.name, path)
			for _, s := range c.has {
				require.Contains(t, got, s, "%s %s", c.name, path)
			}
			for _, s := range c.not {
				require.NotContains(t, got, s, "%s %s", c.name, path)
			}
		}
	}
	// The document's form still works, and nothing was placed by the refusals.
	st, got, _ := h.do("POST", "/api/v1/trades/check", token, body(`"direction":"buy","volume":0.10,"stop_loss":`+stop))
	require.Equal(t, 200, st, got)
	_, got, _ = h.do("GET", "/api/v1/trades", token, "")
	require.Equal(t, "[]", strings.TrimSpace(got))
}
