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

// Domain errors: services return them, problem turns them into answers.
var (
	ErrNoScheduleEntry = errors.New("no such schedule entry")

	ErrNoCalendar            = errors.New("no such calendar")
	ErrFeedNeedsPremium      = errors.New("calendar feeds need a premium plan")
	ErrFeedNoHome            = errors.New("no such home location: set one with PUT /api/v1/home to get optimal windows")
	ErrTooManyFeedActivities = fmt.Errorf("at most %d activities per feed", MaxFeedActivities)

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
	case errors.Is(err, ErrNoHome):
		return web.NotFound(ErrNoHome.Error())
	case errors.Is(err, ErrNoBriefing):
		return web.NotFound(ErrNoBriefing.Error())
	case errors.As(err, &plan):
		return web.Forbidden(plan.Error()).WithCode("TIER_REQUIRED")
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
