package ics

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCalendarFormat(t *testing.T) {
	t.Parallel()
	karachi, err := time.LoadLocation("Asia/Karachi")
	require.NoError(t, err)
	long := strings.Repeat("Zuhra hour, good for arts; ", 6) + "ستارہ زہرہ"
	cal := Calendar{ProdID: "-//Alorig//AstroTiming//EN", Name: "AstroTiming", Stamp: time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC),
		Events: []Event{{UID: "entry-1@astrotiming.com", Start: time.Date(2026, 3, 12, 6, 30, 0, 0, karachi),
			End: time.Date(2026, 3, 12, 7, 30, 0, 0, karachi), Summary: "Write; edit, publish", Description: long}}}
	out := string(cal.Marshal())

	require.True(t, strings.HasSuffix(out, "END:VCALENDAR\r\n"))
	require.NotContains(t, strings.ReplaceAll(out, "\r\n", ""), "\n", "every line ends in CRLF")
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		require.LessOrEqual(t, len(l), 75, "line %q", l)
	}
	require.Contains(t, out, "DTSTART:20260312T013000Z\r\n", "local 06:30 in Karachi is 01:30 UTC")
	require.Contains(t, out, "DTEND:20260312T023000Z\r\n")
	require.Contains(t, out, "DTSTAMP:20260311T100000Z\r\n")
	require.Contains(t, out, "UID:entry-1@astrotiming.com\r\n")
	require.Contains(t, out, `SUMMARY:Write\; edit\, publish`)

	// Unfolding (remove CRLF + space) gives back the escaped description whole, and the
	// Urdu text survives: folds never split a UTF-8 sequence.
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	require.Contains(t, unfolded, "DESCRIPTION:"+Escape(long)+"\r\n")
	for _, l := range strings.Split(out, "\r\n") {
		require.True(t, utf8Valid(l), "line %q splits a character", l)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestEscape(t *testing.T) {
	t.Parallel()
	require.Equal(t, `a\\b\;c\,d\ne`, Escape("a\\b;c,d\ne"))
}
