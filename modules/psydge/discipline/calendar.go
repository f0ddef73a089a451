package discipline

import (
	"fmt"
	"time"
	_ "time/tzdata" // sessions must be right even in a slim image without /usr/share/zoneinfo
)

var (
	london  = mustLoad("Europe/London")
	newYork = mustLoad("America/New_York")
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Unreachable with time/tzdata linked in; a binary that cannot place London is unsafe.
		panic(fmt.Sprintf("discipline: load time zone %s: %v", name, err))
	}
	return loc
}

// dayRollHour is the New York hour at which the FX trading day rolls (17:00, the "New York
// close" every FX broker books swaps at).
const dayRollHour = 17

// TradingDay returns the trading day t belongs to, as YYYYMMDD of the New York calendar date on
// which that day ends: it runs from 17:00 New York the day before to 17:00 New York. A trade at
// 18:00 New York on a Tuesday is booked to Wednesday.
func TradingDay(t time.Time) int {
	local := t.In(newYork)
	y, m, d := local.Date()
	if local.Hour() >= dayRollHour {
		y, m, d = time.Date(y, m, d+1, 12, 0, 0, 0, time.UTC).Date()
	}
	return y*10000 + int(m)*100 + d
}

// TradingDayEnd is the instant the trading day containing t ends (the next 17:00 New York,
// strictly after t).
func TradingDayEnd(t time.Time) time.Time {
	local := t.In(newYork)
	y, m, d := local.Date()
	end := time.Date(y, m, d, dayRollHour, 0, 0, 0, newYork)
	if !local.Before(end) {
		end = time.Date(y, m, d+1, dayRollHour, 0, 0, 0, newYork)
	}
	return end.UTC()
}

// TradingDayBounds is the trading day containing t: from 17:00 New York the day before to
// 17:00 New York (23 or 25 hours long on the days New York changes its clocks).
func TradingDayBounds(t time.Time) (start, end time.Time) {
	end = TradingDayEnd(t)
	local := end.In(newYork)
	start = time.Date(local.Year(), local.Month(), local.Day()-1, dayRollHour, 0, 0, 0, newYork).UTC()
	return start, end
}

// SessionHours is one trading session's window in its city's local wall-clock time, in minutes
// after local midnight, Monday to Friday. Open is inclusive, Close exclusive.
type SessionHours struct {
	Enabled bool `json:"enabled"`
	Open    int  `json:"open"`
	Close   int  `json:"close"`
}

func (h SessionHours) contains(t time.Time, loc *time.Location) bool {
	if !h.Enabled {
		return false
	}
	local := t.In(loc)
	switch local.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	m := local.Hour()*60 + local.Minute()
	return m >= h.Open && m < h.Close
}

// intersect narrows h to the part that is also inside limit.
func (h SessionHours) intersect(limit SessionHours) SessionHours {
	out := SessionHours{Enabled: h.Enabled && limit.Enabled, Open: max(h.Open, limit.Open), Close: min(h.Close, limit.Close)}
	if out.Open >= out.Close {
		out.Enabled = false
	}
	return out
}

// InSession reports whether t is inside an enabled session of cfg (clamped to the locked
// rules), and which one.
func InSession(cfg *Config, t time.Time) (string, bool) {
	lon, ny := cfg.sessions()
	if lon.contains(t, london) {
		return "London", true
	}
	if ny.contains(t, newYork) {
		return "New York", true
	}
	return "", false
}

// NextSessionOpen returns the first session opening strictly after t.
func NextSessionOpen(cfg *Config, t time.Time) (string, time.Time, bool) {
	lon, ny := cfg.sessions()
	var bestName string
	var best time.Time
	try := func(name string, h SessionHours, loc *time.Location) {
		if !h.Enabled {
			return
		}
		y, m, d := t.In(loc).Date()
		for i := range 9 {
			open := time.Date(y, m, d+i, h.Open/60, h.Open%60, 0, 0, loc)
			if wd := open.Weekday(); wd == time.Saturday || wd == time.Sunday || !open.After(t) {
				continue
			}
			if best.IsZero() || open.Before(best) {
				bestName, best = name, open
			}
			return
		}
	}
	try("London", lon, london)
	try("New York", ny, newYork)
	return bestName, best, !best.IsZero()
}
