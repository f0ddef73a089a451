package astrotiming

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/stretchr/testify/require"
)

// The dates a question asks about, read on Wednesday 2026-03-11.
func TestAskRangeOf(t *testing.T) {
	t.Parallel()
	wed := engine.Date{Year: 2026, Month: time.March, Day: 11}
	for _, tc := range []struct {
		q, from, to, said string
	}{
		{"When this week should I sign a contract in Lahore?", "2026-03-11", "2026-03-15", "this week"},
		{"best time next week for a job interview", "2026-03-16", "2026-03-22", "next week"},
		{"travel tomorrow?", "2026-03-12", "2026-03-12", "tomorrow"},
		{"the day after tomorrow, a haircut", "2026-03-13", "2026-03-13", "the day after tomorrow"},
		{"can I write tonight", "2026-03-11", "2026-03-11", "today"},
		{"exercise this weekend", "2026-03-14", "2026-03-15", "this weekend"},
		{"a party next weekend", "2026-03-14", "2026-03-15", "next weekend"},
		{"sign a contract on Friday", "2026-03-13", "2026-03-13", "friday"},
		{"sign a contract next Wednesday", "2026-03-18", "2026-03-18", "next wednesday"},
		{"sign a contract on Wednesday", "2026-03-11", "2026-03-11", "wednesday"},
		{"invest in the next 10 days", "2026-03-11", "2026-03-20", "next 10 days"},
		{"invest in the next three days", "2026-03-11", "2026-03-13", "next three days"},
		{"a wedding this month", "2026-03-11", "2026-03-31", "this month"},
		{"a wedding next month", "2026-04-01", "2026-04-30", "next month"},
		{"surgery on 2026-04-02", "2026-04-02", "2026-04-02", "2026-04-02"},
		{"when should I study", "2026-03-11", "2026-03-17", "the next 7 days"},
	} {
		r, err := rangeOf(tc.q, wed)
		require.NoError(t, err, tc.q)
		require.Equal(t, tc.from, r.From.String(), tc.q)
		require.Equal(t, tc.to, r.To.String(), tc.q)
		require.Equal(t, tc.said, r.Said, tc.q)
	}
	for _, q := range []string{"surgery on 2026-03-01", "surgery on 2027-01-01", "travel in the next 40 days", "on 2026-02-31"} {
		_, err := rangeOf(q, wed)
		var fe *engine.FieldError
		require.True(t, errors.As(err, &fe), "%s: %v", q, err)
		require.Equal(t, "question", fe.Field)
	}
	// On a Sunday "this week" is the day itself, the weekend too.
	sun := engine.Date{Year: 2026, Month: time.March, Day: 15}
	r, err := rangeOf("this week", sun)
	require.NoError(t, err)
	require.Equal(t, "2026-03-15", r.To.String())
	r, err = rangeOf("this weekend", sun)
	require.NoError(t, err)
	require.Equal(t, "2026-03-15", r.From.String())
	require.Equal(t, "2026-03-15", r.To.String())
}

func TestAskActivityAndPlace(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]string{
		"When this week should I sign a contract in Lahore?": "sign_contract",
		"best hour for my job interview tomorrow":            "job_interview",
		"when should I fly to Dubai next week":               "travel",
		"good time to go to the gym":                         "exercise",
		"Which day should we hold the nikah?":                "wedding",
		"When can I move house in New York?":                 "move_house",
	} {
		a, err := activityOf(q, "")
		require.NoError(t, err, q)
		require.Equal(t, want, a.Key, q)
	}
	_, err := activityOf("when should I, this week?", "")
	var fe *engine.FieldError
	require.True(t, errors.As(err, &fe), "%v", err)

	zone, _ := time.LoadLocation("America/New_York")
	known := []askPlace{{Name: "York", Place: engine.Place{Zone: time.UTC}}, {Name: "New York", Place: engine.Place{Zone: zone}}, {Name: "Lahore"}}
	p, ok := placeNamed(askWords("move house in new york?"), known)
	require.True(t, ok)
	require.Equal(t, "New York", p.Name)
	_, ok = placeNamed(askWords("sign in Lahores"), known)
	require.False(t, ok, "a name is matched as whole words")
	require.Equal(t, "Paris", unknownPlace("When should I sign a contract in Paris this week?"))
	require.Equal(t, "", unknownPlace("sign a contract in March, at home"))
}

// A provider's words may not carry a time or a date: digits of any script, clock words,
// weekdays and months are refused; planets and bands are not.
func TestAskTimeWords(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"Sign at 10:30.", "around three o'clock", "Friday's hour of Venus", "best in the morning",
		"a March window", "tonight works", "at ٣ in the afternoon", "score 82"} {
		require.NotEmpty(t, timeWords(s), s)
	}
	for _, s := range []string{"An hour of Mercury (Utarid), the planet of contracts.", "It may suit you: excellent band, Jupiter supports it.",
		"A night hour ruled by the Moon.", ""} {
		require.Empty(t, timeWords(s), s)
	}
	byID := map[string]AskWindow{"w1": {ID: "w1"}, "w2": {ID: "w2"}}
	ok := func(s string) json.RawMessage { return json.RawMessage(s) }
	_, err := checkAskAnswer(ok(`{"picks":[{"window_id":"w2","reason":"Mercury rules it, better than w1."}],"summary":"w2 first."}`), byID)
	require.NoError(t, err, "an offered id may be named in the text")
	for _, bad := range []string{
		`{"picks":[{"window_id":"w3","reason":"x"}],"summary":""}`,
		`{"picks":[{"window_id":"w1","reason":"x"},{"window_id":"w1","reason":"y"}],"summary":""}`,
		`{"picks":[{"window_id":"w1","reason":"better than w9"}],"summary":""}`,
		`{"picks":[],"summary":"Try Thursday instead."}`,
		`[]`,
	} {
		_, err := checkAskAnswer(ok(bad), byID)
		require.ErrorIs(t, err, errAskRefused, bad)
	}
}
