// Package ics writes iCalendar (RFC 5545) feeds: a VCALENDAR of VEVENTs with UTC times, text
// escaping, CRLF line ends and lines folded at 75 octets without splitting a UTF-8 character.
package ics

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT.
type Event struct {
	UID         string
	Start       time.Time
	End         time.Time
	Summary     string
	Description string
	Categories  []string
}

// Calendar is a VCALENDAR.
type Calendar struct {
	ProdID string
	Name   string
	Stamp  time.Time // DTSTAMP of every event: when the feed was generated
	Events []Event
}

const utcFormat = "20060102T150405Z"

// Marshal renders the calendar.
func (c Calendar) Marshal() []byte {
	var b bytes.Buffer
	line := func(name, value string) { writeFolded(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", Escape(c.ProdID))
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("X-WR-CALNAME", Escape(c.Name))
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", Escape(e.UID))
		line("DTSTAMP", c.Stamp.UTC().Format(utcFormat))
		line("DTSTART", e.Start.UTC().Format(utcFormat))
		line("DTEND", e.End.UTC().Format(utcFormat))
		line("SUMMARY", Escape(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", Escape(e.Description))
		}
		if len(e.Categories) > 0 {
			esc := make([]string, len(e.Categories))
			for i, s := range e.Categories {
				esc[i] = Escape(s)
			}
			line("CATEGORIES", strings.Join(esc, ","))
		}
		line("TRANSP", "TRANSPARENT")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return b.Bytes()
}

// Escape escapes a TEXT value (RFC 5545 §3.3.11).
func Escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// writeFolded writes one content line, folding it so no physical line exceeds 75 octets
// (continuations start with a space, which counts towards their 75).
func writeFolded(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
