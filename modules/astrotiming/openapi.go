package astrotiming

import (
	"net/http"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/web"
)

// The OpenAPI descriptions of the routes in routes.go. Request and response schemas are the
// types the handlers bind and answer; the query structs below exist to describe parameters
// that the handlers read with the parsers in params.go.

func newAPI(sessionCookie string) *web.API {
	api := web.NewAPI("AstroTiming API", "1.0.0")
	api.Description = "Planetary hours (Al Saat), Swiss Ephemeris positions and the Timing Quality Score. " +
		"Authenticate with X-API-Key (POST /api/v1/auth/keys) or a Bearer session token. " +
		"Errors are application/problem+json; 422 answers name the field."
	api.Servers = []string{"https://api.astrotiming.com", "http://astrotiming.localhost:8080"}
	api.SessionCookie = sessionCookie
	api.Auth = web.AuthAPIKey | web.AuthUser // requireCaller: a key, or a signed-in user
	return api
}

type placeParams struct {
	Lat         float64 `query:"lat" required:"true" doc:"latitude, degrees north (rounded to 0.001°)"`
	Lng         float64 `query:"lng" required:"true" doc:"longitude, degrees east (rounded to 0.001°)"`
	TZ          string  `query:"tz" required:"true" doc:"IANA time zone, e.g. Asia/Karachi"`
	Elevation   float64 `query:"elevation" doc:"metres above sea level, -500 to 9000 (default 0); used for sunrise and sunset"`
	Pressure    float64 `query:"pressure" doc:"air pressure in hPa for refraction at sunrise and sunset, 500 to 1100, or 0 to estimate it from the elevation (default 1013.25, as swetest -rise)"`
	Temperature float64 `query:"temperature" doc:"air temperature in °C for refraction at sunrise and sunset, -60 to 60 (default 15, as swetest -rise)"`
}

type hoursParams struct {
	Lat         float64 `query:"lat" required:"true" doc:"latitude, degrees north (rounded to 0.001°)"`
	Lng         float64 `query:"lng" required:"true" doc:"longitude, degrees east (rounded to 0.001°)"`
	TZ          string  `query:"tz" required:"true" doc:"IANA time zone, e.g. Asia/Karachi"`
	Date        string  `query:"date" format:"date" doc:"local date YYYY-MM-DD (default today)"`
	Elevation   float64 `query:"elevation" doc:"metres above sea level, -500 to 9000 (default 0); used for sunrise and sunset"`
	Pressure    float64 `query:"pressure" doc:"air pressure in hPa for refraction at sunrise and sunset, 500 to 1100, or 0 to estimate it from the elevation (default 1013.25, as swetest -rise)"`
	Temperature float64 `query:"temperature" doc:"air temperature in °C for refraction at sunrise and sunset, -60 to 60 (default 15, as swetest -rise)"`
}

type positionsParams struct {
	At string `query:"at" format:"date-time" doc:"RFC 3339 instant (default now)"`
}

type tqsParams struct {
	Activity    string  `query:"activity" required:"true" doc:"activity key, name or synonym (GET /api/v1/activities)"`
	Lat         float64 `query:"lat" required:"true" doc:"latitude, degrees north (rounded to 0.001°)"`
	Lng         float64 `query:"lng" required:"true" doc:"longitude, degrees east (rounded to 0.001°)"`
	TZ          string  `query:"tz" doc:"IANA time zone (default UTC)"`
	At          string  `query:"at" format:"date-time" doc:"RFC 3339 instant (default now)"`
	Elevation   float64 `query:"elevation" doc:"metres above sea level, -500 to 9000 (default 0); used for sunrise and sunset"`
	Pressure    float64 `query:"pressure" doc:"air pressure in hPa for refraction at sunrise and sunset, 500 to 1100, or 0 to estimate it from the elevation (default 1013.25, as swetest -rise)"`
	Temperature float64 `query:"temperature" doc:"air temperature in °C for refraction at sunrise and sunset, -60 to 60 (default 15, as swetest -rise)"`
}

type searchParams struct {
	Activity    string  `query:"activity" required:"true" doc:"activity key, name or synonym (GET /api/v1/activities)"`
	Lat         float64 `query:"lat" required:"true" doc:"latitude, degrees north (rounded to 0.001°)"`
	Lng         float64 `query:"lng" required:"true" doc:"longitude, degrees east (rounded to 0.001°)"`
	TZ          string  `query:"tz" doc:"IANA time zone (default UTC)"`
	From        string  `query:"from" format:"date" doc:"first local date (default today)"`
	To          string  `query:"to" format:"date" doc:"last local date, inclusive (default from + 6; at most 90 days)"`
	MinScore    int     `query:"min_score" doc:"0–100 (default 60)"`
	Limit       int     `query:"limit" doc:"1–100 (default 10)"`
	Elevation   float64 `query:"elevation" doc:"metres above sea level, -500 to 9000 (default 0); used for sunrise and sunset"`
	Pressure    float64 `query:"pressure" doc:"air pressure in hPa for refraction at sunrise and sunset, 500 to 1100, or 0 to estimate it from the elevation (default 1013.25, as swetest -rise)"`
	Temperature float64 `query:"temperature" doc:"air temperature in °C for refraction at sunrise and sunset, -60 to 60 (default 15, as swetest -rise)"`
}

type activitiesParams struct {
	Q string `query:"q" doc:"search words"`
}

type feedParams struct {
	Activity []string `query:"activity" doc:"add the optimal windows of the next 7 days for this activity (repeatable, at most 5)"`
}

// compute are the answers of every endpoint that asks the ephemeris.
var compute = []int{http.StatusUnprocessableEntity, http.StatusTooManyRequests, http.StatusServiceUnavailable}

var (
	hoursOp = web.Operation{Summary: "The 24 planetary hours of a local date", Query: hoursParams{},
		Responses: web.OK(DayJSON{}), Problems: compute}
	nowOp = web.Operation{Summary: "The current planetary hour", Query: placeParams{},
		Responses: web.OK(NowJSON{}), Problems: compute}
	positionsOp = web.Operation{Summary: "Positions of the seven planets, aspects and the Moon", Query: positionsParams{},
		Responses: web.OK(PositionsJSON{}), Problems: compute}
	tqsOp = web.Operation{Summary: "Timing Quality Score of an activity", Query: tqsParams{},
		Responses: web.OK(ScoreJSON{}), Problems: compute}
	bulkOp = web.Operation{Summary: "Up to 100 scores; each item may name its own place, else the request's", Request: BulkRequest{},
		Responses: web.OK(web.Fields{"results": []ScoreJSON{}}), Problems: compute}
	searchOp = web.Operation{Summary: "Best windows for an activity over up to 90 days", Query: searchParams{},
		Responses: web.OK(web.Fields{"location": Location{}, "search": engine.SearchResult{}}), Problems: compute}
	activitiesOp = web.Operation{Summary: "The activity vocabulary and the planetary domains", Query: activitiesParams{},
		Responses: web.OK(web.Fields{"activities": []engine.Activity{}, "domains": engine.Domains()}), Problems: []int{http.StatusTooManyRequests}}

	askOp = web.Operation{Summary: "Premium: a question in plain words answered from the forward search's windows",
		Description: "The place (a city, a saved location, your home, or lat/lng/tz), the dates (today, tomorrow, this week, next week, a weekday, " +
			"next N days, YYYY-MM-DD; else the next 7 days) and the activity are read from the question by rules; the engine computes the windows; " +
			"the AI provider only chooses up to three of them by id and says why. Every time in the answer is an engine window's. " +
			"An answer naming an unknown window, giving its own times or breaking the schema is refused and the offline rules answer instead " +
			"(offline: true, fallback says why). Every provider call is recorded (GET /api/v1/ai/interactions). At most 30 questions an hour.",
		Request: AskRequest{}, Responses: web.OK(AskAnswer{}), Problems: append([]int{http.StatusForbidden}, compute...)}
	aiInteractionsOp = web.Operation{Summary: "Your recorded AI calls, newest first (at most 50)",
		Responses: web.OK(web.Fields{"interactions": []AICall{}}), Problems: []int{http.StatusTooManyRequests}}

	planOp = web.Operation{Summary: "Place activities in a conflict-free schedule (optionally saved)", Request: ScheduleRequest{},
		Responses: web.OK(web.Fields{"location": Location{}, "schedule": engine.Schedule{}, "saved": []StoredEntry{}}), Problems: compute}
	listScheduleOp = web.Operation{Summary: "Saved schedule entries", Responses: web.OK(web.Fields{"entries": []StoredEntry{}}),
		Problems: []int{http.StatusTooManyRequests}}
	checkOp = web.Operation{Summary: "Conflict check: score planned (or stored) entries, list overlaps and better slots", Request: CheckRequest{},
		Responses: web.OK(web.Fields{"location": Location{}, "entries": []engine.ScheduleEntry{}}), Problems: compute}
	deleteEntryOp = web.Operation{Summary: "Delete a saved entry", Responses: web.NoContent(),
		Problems: []int{http.StatusNotFound, http.StatusTooManyRequests}}

	listLocationsOp = web.Operation{Summary: "Saved locations", Responses: web.OK(web.Fields{"locations": []SavedLocation{}}),
		Problems: []int{http.StatusTooManyRequests}}
	createLocationOp = web.Operation{Summary: "Save a location", Request: LocationInput{}, Responses: web.Created(SavedLocation{}),
		Problems: []int{http.StatusConflict, http.StatusTooManyRequests}}
	getLocationOp = web.Operation{Summary: "One location", Responses: web.OK(SavedLocation{}),
		Problems: []int{http.StatusNotFound, http.StatusTooManyRequests}}
	updateLocationOp = web.Operation{Summary: "Replace a location", Request: LocationInput{}, Responses: web.OK(SavedLocation{}),
		Problems: []int{http.StatusNotFound, http.StatusConflict, http.StatusTooManyRequests}}
	deleteLocationOp = web.Operation{Summary: "Delete a location", Responses: web.NoContent(),
		Problems: []int{http.StatusNotFound, http.StatusTooManyRequests}}
	getHomeOp = web.Operation{Summary: "Your home location", Responses: web.OK(Home{}),
		Problems: []int{http.StatusNotFound, http.StatusTooManyRequests}}
	putHomeOp = web.Operation{Summary: "Set your home location (daily briefing, ICS windows, the web page)", Request: LocationInput{},
		Responses: web.OK(Home{}), Problems: []int{http.StatusTooManyRequests}}
	briefingOp = web.Operation{Summary: "Your latest daily briefing", Description: "The briefing member is a BriefingBody.",
		Responses: web.OK(Briefing{}), Problems: []int{http.StatusNotFound, http.StatusTooManyRequests}}

	createWebhookOp = web.Operation{Summary: "Developer keys: signed POSTs when optimal windows start",
		Description: "The secret is shown once. Deliveries carry " + HeaderSignature + " = v1=hex(HMAC-SHA256(secret, " + HeaderTimestamp + " + \".\" + body)).",
		Request:     WebhookInput{}, Responses: web.Created(createdWebhook{}),
		Problems: []int{http.StatusForbidden, http.StatusConflict, http.StatusTooManyRequests, http.StatusServiceUnavailable}}
	listWebhooksOp = web.Operation{Summary: "Your webhooks", Responses: web.OK(web.Fields{"webhooks": []Webhook{}}),
		Problems: []int{http.StatusTooManyRequests}}
	deleteWebhookOp = web.Operation{Summary: "Disable a webhook", Responses: web.NoContent(),
		Problems: []int{http.StatusNotFound, http.StatusTooManyRequests}}

	createICSOp = web.Operation{Summary: "Premium: issue a secret ICS feed URL (the previous one stops working)",
		Responses: web.Created(web.Fields{"url": "", "note": ""}), Problems: []int{http.StatusForbidden, http.StatusTooManyRequests}}
	linkGoogleOp = web.Operation{Summary: "Premium: link Google Calendar with tokens this OAuth client issued",
		Description: "Users connect with the consent flow on the calendar page (/calendar, \"Connect Google Calendar\"); this stores tokens obtained otherwise.",
		Request:     GoogleLink{}, Responses: web.OK(web.Fields{"calendar_id": "", "sync": ""}), Problems: []int{http.StatusForbidden, http.StatusTooManyRequests}}
	calendarsOp = web.Operation{Summary: "Your connected calendars (Google, CalDAV, ICS feed) and their last sync",
		Responses: web.OK(CalendarStatus{}), Problems: []int{http.StatusTooManyRequests}}
	disconnectGoogleOp = web.Operation{Summary: "Disconnect Google Calendar: revoke the grant at Google and forget the tokens",
		Responses: web.OK(GoogleDisconnected{}), Problems: []int{http.StatusNotFound, http.StatusTooManyRequests}}
	connectCalDAVOp = web.Operation{Summary: "Premium: connect a CalDAV calendar (checked with the server first)",
		Description: "url is the calendar collection; the password (an app password where the provider has them) is sealed at rest. " +
			"422 CALDAV_REFUSED names password when the server refuses the credentials, url when the address is not a calendar.",
		Request: CalDAVInput{}, Responses: web.OK(CalDAVConnected{}),
		Problems: []int{http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusTooManyRequests}}
	disconnectCalDAVOp = web.Operation{Summary: "Disconnect the CalDAV calendar and forget its password", Responses: web.NoContent(),
		Problems: []int{http.StatusNotFound, http.StatusTooManyRequests}}

	icsFeedOp = web.Operation{Summary: "A premium user's ICS feed: their schedule and optimal windows",
		Description: "The token is the secret of POST /api/v1/calendar/ics, with .ics at the end.",
		Auth:        web.AuthNone, Query: feedParams{},
		Params:    []web.Param{{Name: "token", In: "path", Description: "ics_… secret followed by .ics"}},
		Responses: map[int]web.Response{http.StatusOK: {Body: &web.Schema{Type: "string"}, ContentType: "text/calendar"}},
		Problems:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusServiceUnavailable}}
)

// createdWebhook is the answer of POST /api/v1/webhooks.
type createdWebhook struct {
	Webhook   *Webhook    `json:"webhook"`
	Secret    string      `json:"secret"`
	Scheduled []time.Time `json:"deliveries_scheduled"`
	Signature string      `json:"signature"`
}
