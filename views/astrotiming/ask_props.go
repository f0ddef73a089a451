package astrotiming

// AskPagePath is the page where a signed-in premium user asks when to do something in plain
// words; its form posts back to it.
const AskPagePath = "/ask"

// AskPage is the question page: the form, and the answer once asked.
type AskPage struct {
	SignedIn bool
	Email    string
	Plan     string
	Premium  bool
	CSRF     string // the session's CSRF token, sent back by the form
	Question string // the form's value
	// Elevation, Pressure and Temperature are the form's optional refraction inputs as sent.
	Elevation   string
	Pressure    string
	Temperature string
	Error       string // why the question was not answered
	ErrorStatus int
	Places      []string // the cities a question may name
	Saved       []string // the user's saved locations, which a question may name too
	Answer      *AskAnswer
}

// AskAnswer is the answer as the page shows it: every time comes from the engine's windows.
type AskAnswer struct {
	Activity string
	Place    string
	TZ       string
	Range    string // "this week (2026-03-11 to 2026-03-15)"
	Picks    []AskPick
	Others   []AskPick // the other windows the choice was made among
	Note     string    // the minimum score was lowered, and why
	Summary  string
	Provider string
	Offline  bool
	Fallback string // why the offline rules answered instead of the configured provider
}

// AskPick is one window: its times in the place's zone, its score, and the reason given.
type AskPick struct {
	Rank   int
	When   string // "Wed 11 Mar 10:12–11:05"
	Score  int
	Band   string
	Rulers string
	Reason string
}
