package astrotiming

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/ephemeris"
	"github.com/alorig/alorig/shared/web"
)

// problemOf turns engine and ephemeris errors into 422 answers naming the field (field is the
// input that chose the date when the ephemeris refuses it), and any other error through
// problem, so a handler whose service computes answers every error with this one call.
func problemOf(err error, field string) error {
	var fe *engine.FieldError
	var pe *engine.PolarError
	var fes fieldErrors
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fes):
		list := make([]web.FieldError, len(fes))
		for i, fe := range fes {
			list[i] = web.FieldError{Field: fe.Field, Reason: fe.Reason}
		}
		return web.Invalid(list...)
	case errors.As(err, &fe):
		return web.Invalid(web.FieldError{Field: fe.Field, Reason: fe.Reason})
	case errors.As(err, &pe):
		return web.Invalid(web.FieldError{Field: field, Reason: fmt.Sprintf(
			"no planetary hours on %s at latitude %.3f: %s (the Sun does not both rise and set)", pe.Date, pe.Lat, strings.ReplaceAll(pe.Kind, "_", " "))}).
			WithCode("POLAR_DAY").With("polar", pe.Kind)
	case errors.Is(err, ephemeris.ErrOutOfRange):
		return web.Invalid(web.FieldError{Field: field, Reason: "lies outside the Swiss Ephemeris files (1800-01-01 to 2400-01-11)"}).WithCode("OUT_OF_EPHEMERIS")
	case errors.Is(err, engine.ErrUnknownActivity):
		return web.Invalid(web.FieldError{Field: "activity", Reason: "no activity matches (see GET /api/v1/activities)"})
	}
	return problem(err) // not the engine's: a domain error, or the logged 500
}

// EphemerisError is the engine's absence: the Swiss Ephemeris files did not open at start, so
// nothing that computes hours, positions or scores can run.
type EphemerisError struct{ Cause error }

func (e *EphemerisError) Error() string {
	return "the Swiss Ephemeris files are not available on this server (" + e.Cause.Error() + "); install swe-basic-data or set ALORIG_EPHE_PATH"
}

func (e *EphemerisError) Unwrap() error { return e.Cause }

// PlanError is a request beyond the caller's plan: it needs Need, the caller holds Have.
type PlanError struct{ Need, Have string }

func (e *PlanError) Error() string {
	return fmt.Sprintf("this needs a %s (or better) API key; yours is %q", e.Need, e.Have)
}

// WebhookURLError is a webhook address the sender would refuse to call (Reason says why).
type WebhookURLError struct{ Reason string }

func (e *WebhookURLError) Error() string { return "url: " + e.Reason }

// ConsentError is a Google consent that did not end in tokens: Code is the callback's OAuth
// error (access_denied when the user said no), exchange_failed when Google refused the code,
// scope_refused when the calendar permission was unticked.
type ConsentError struct {
	Code  string
	Cause error
}

func (e *ConsentError) Error() string {
	switch e.Code {
	case "access_denied":
		return "Google Calendar was not connected: access was refused on Google's consent screen"
	case "exchange_failed":
		return "Google Calendar was not connected: Google did not accept the authorisation code; please try again"
	case "scope_refused":
		return "Google Calendar was not connected: the permission to add events was not granted"
	}
	return "Google Calendar was not connected: Google answered " + e.Code
}

func (e *ConsentError) Unwrap() error { return e.Cause }

// CalDAVError is a CalDAV calendar that cannot be used; Field names the input at fault (url,
// username or password) and Reason says why.
type CalDAVError struct{ Field, Reason string }

func (e *CalDAVError) Error() string { return e.Field + ": " + e.Reason }

// Domain errors: services return them, problem turns them into answers.
var (
	ErrNoScheduleEntry = errors.New("no such schedule entry")

	ErrNoCalendar            = errors.New("no such calendar")
	ErrFeedNeedsPremium      = errors.New("calendar feeds need a premium plan")
	ErrFeedNoHome            = errors.New("no such home location: set one with PUT /api/v1/home to get optimal windows")
	ErrTooManyFeedActivities = fmt.Errorf("at most %d activities per feed", MaxFeedActivities)

	ErrGoogleNotConfigured = errors.New("Google Calendar cannot be connected on this server: its OAuth client is not configured (ALORIG_ASTROTIMING_GOOGLE_CLIENT_ID and _SECRET)")
	ErrSessionRequired     = errors.New("connecting a calendar needs a signed-in browser session (the consent screen returns to it), not an API key")
	ErrOAuthState          = errors.New("this Google connection attempt has expired, was used already or belongs to another session; start again from the calendar page")
	ErrNoGoogle            = errors.New("no Google Calendar is connected")
	ErrNoCalDAV            = errors.New("no CalDAV calendar is connected")

	ErrNoHome     = errors.New("no such home location: set one with PUT /api/v1/home")
	ErrNoBriefing = errors.New("no such briefing yet: it is made 30 minutes before sunrise at your home location")

	ErrAPIKeyRequired = errors.New("webhooks belong to an API key: call with X-API-Key")
	ErrNoWebhook      = errors.New("no such webhook")
	ErrWebhookLimit   = fmt.Errorf("this key already has %d webhooks, the most allowed; delete one first", MaxWebhooksPerKey)

	ErrNoLocation        = errors.New("no such location")
	ErrDuplicateLocation = errors.New("you already have a location with this name")
	ErrLocationLimit     = fmt.Errorf("you already keep %d locations, the most allowed; delete one first", MaxSavedLocations)
)

// problem maps the module's domain errors to problem+json answers, in this one place. Errors it
// does not know pass through and become the error handler's logged 500.
func problem(err error) error {
	var (
		eph    *EphemerisError
		plan   *PlanError
		badURL *WebhookURLError
		cons   *ConsentError
		dav    *CalDAVError
	)
	switch {
	case errors.As(err, &eph):
		return web.NewProblem(http.StatusServiceUnavailable, eph.Error()).WithCode("EPHEMERIS_UNAVAILABLE")
	case errors.Is(err, ErrNoScheduleEntry):
		return web.NotFound(ErrNoScheduleEntry.Error())
	case errors.Is(err, ErrNoCalendar):
		return web.NotFound(ErrNoCalendar.Error())
	case errors.Is(err, ErrFeedNeedsPremium):
		return web.Forbidden(ErrFeedNeedsPremium.Error()).WithCode("TIER_REQUIRED")
	case errors.Is(err, ErrFeedNoHome):
		return web.NotFound(ErrFeedNoHome.Error())
	case errors.Is(err, ErrTooManyFeedActivities):
		return web.Invalid(web.FieldError{Field: "activity", Reason: ErrTooManyFeedActivities.Error()})
	case errors.Is(err, ErrGoogleNotConfigured):
		return web.NewProblem(http.StatusServiceUnavailable, ErrGoogleNotConfigured.Error()).WithCode("GOOGLE_NOT_CONFIGURED")
	case errors.Is(err, ErrSessionRequired):
		return web.Forbidden(ErrSessionRequired.Error()).WithCode("SESSION_REQUIRED")
	case errors.Is(err, ErrOAuthState):
		return web.BadRequest(ErrOAuthState.Error()).WithCode("OAUTH_STATE")
	case errors.As(err, &cons):
		return web.BadRequest(cons.Error()).WithCode("GOOGLE_CONSENT")
	case errors.Is(err, ErrNoGoogle):
		return web.NotFound(ErrNoGoogle.Error())
	case errors.Is(err, ErrNoCalDAV):
		return web.NotFound(ErrNoCalDAV.Error())
	case errors.As(err, &dav):
		return web.Invalid(web.FieldError{Field: dav.Field, Reason: dav.Reason}).WithCode("CALDAV_REFUSED")
	case errors.Is(err, ErrNoHome):
		return web.NotFound(ErrNoHome.Error())
	case errors.Is(err, ErrNoBriefing):
		return web.NotFound(ErrNoBriefing.Error())
	case errors.As(err, &plan):
		return web.Forbidden(plan.Error()).WithCode("TIER_REQUIRED")
	case errors.Is(err, ErrNoSuchKey):
		return web.NotFound(ErrNoSuchKey.Error())
	case errors.Is(err, ErrAPIKeyRequired):
		return web.Forbidden(ErrAPIKeyRequired.Error()).WithCode("API_KEY_REQUIRED")
	case errors.As(err, &badURL):
		return web.Invalid(web.FieldError{Field: "url", Reason: badURL.Reason})
	case errors.Is(err, ErrNoWebhook):
		return web.NotFound(ErrNoWebhook.Error())
	case errors.Is(err, ErrWebhookLimit):
		return web.Conflict(ErrWebhookLimit.Error()).WithCode("WEBHOOK_LIMIT")
	case errors.Is(err, ErrNoLocation):
		return web.NotFound(ErrNoLocation.Error())
	case errors.Is(err, ErrDuplicateLocation):
		return web.Conflict(ErrDuplicateLocation.Error()).WithCode("DUPLICATE_NAME")
	case errors.Is(err, ErrLocationLimit):
		return web.Conflict(ErrLocationLimit.Error()).WithCode("LOCATION_LIMIT")
	}
	return err
}
