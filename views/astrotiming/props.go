// Package astrotiming holds the consumer pages of AstroTiming: the current planetary hour with
// a countdown, the day's 24 hours and the Timing Quality Score of a chosen activity.
package astrotiming

// City is an entry of the city picker.
type City struct {
	Name string
	Lat  string
	Lng  string
	TZ   string
}

// Hour is one row of the day's table.
type Hour struct {
	Index   int
	Ruler   string
	Arabic  string
	Start   string // local HH:MM
	End     string
	IsDay   bool
	Current bool
}

// Factor is one line of the score breakdown.
type Factor struct {
	Name   string
	Points int
	Max    int
	Reason string
}

// Score is the TQS of the chosen activity now.
type Score struct {
	Activity string
	Planet   string
	Score    int
	Band     string
	Factors  []Factor
}

// Option is an activity in the picker.
type Option struct {
	Key      string
	Name     string
	Selected bool
}

// Day is the whole page.
type Day struct {
	Place       string // "Lahore" or "31.550, 74.344"
	Lat, Lng    string
	TZ          string
	Date        string
	Weekday     string
	Sunrise     string
	Sunset      string
	DayRuler    string
	DayArabic   string
	Current     *Hour
	EndsAtUnix  int64 // end of the current hour, for the countdown script
	Remaining   string
	Hours       []Hour
	Cities      []City
	Activities  []Option
	Score       *Score
	Error       string // shown instead of the hours (bad input, polar day, no ephemeris)
	ErrorStatus int
	// Elevation, Pressure and Temperature are the form's optional refraction inputs as sent
	// (empty: the defaults); Air says what the hours were computed with.
	Elevation   string
	Pressure    string
	Temperature string
	Air         string // "sea level, 1013.25 hPa, 15 °C"
}

// CalendarPage is the page where a signed-in user manages scheduling: plan, connected
// calendars and the entries the sync writes.
type CalendarPage struct {
	SignedIn        bool
	Email           string
	Plan            string // the user's best key tier
	Premium         bool
	CSRF            string // the session's CSRF token, sent back by every form
	Notice          string // the outcome of the last action
	FormError       string // why the CalDAV form was refused
	GoogleAvailable bool   // the server has an OAuth client
	Google          *Connection
	CalDAV          *Connection
	CalDAVURL       string // the form's values after a refusal (never the password)
	CalDAVUsername  string
	Entries         []Entry
}

// Connection is a connected calendar.
type Connection struct {
	Name    string // Google calendar id, or the CalDAV address
	Account string
	Since   string
	Synced  string // last sync, "" before the first
	Error   string // why the last sync failed
}

// Entry is an upcoming saved schedule entry.
type Entry struct {
	Activity string
	Start    string
	End      string
	Score    int
	Band     string
	InGoogle bool
	InCalDAV bool
}
