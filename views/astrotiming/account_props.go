package astrotiming

// AccountPage is the account page (/account): the plan billing holds for the signed-in user,
// what they can buy, the portal, and their API keys with the limits each carries.
type AccountPage struct {
	SignedIn   bool
	Email      string
	CSRF       string // the session's CSRF token, sent back by every form
	Notice     string
	Plan       string // the plan held now, from billing's records
	Status     string // Stripe's subscription status, granted, or none
	PeriodEnd  string // renewal, or the end when cancelling; empty when none
	Cancelling bool
	GraceUntil string // a payment failed: the plan holds until then
	Configured bool   // Stripe is configured on this server
	Upgrades   []PlanOffer
	Manage     bool // a Stripe customer exists: the portal can open
	Keys       []KeyRow
}

// PlanOffer is a plan the user can buy from the page.
type PlanOffer struct {
	Name, Title string
}

// KeyRow is one live API key: MoveTo names the plan's tier when the key is below it.
type KeyRow struct {
	ID         int64
	Name       string
	Prefix     string
	Tier       string
	RatePerMin int
	DailyQuota int
	MoveTo     string
}
