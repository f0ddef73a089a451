package astrotiming

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/ephemeris"
	"github.com/alorig/alorig/shared/web"
)

// problemOf turns engine and ephemeris errors into 422 answers naming the field; field is the
// input that chose the date when the ephemeris refuses it.
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
	return err
}

// errEphemerisMissing answers every computing endpoint when the ephemeris files did not open.
func errEphemerisMissing(cause error) error {
	return web.NewProblem(http.StatusServiceUnavailable,
		"the Swiss Ephemeris files are not available on this server ("+cause.Error()+"); install swe-basic-data or set ALORIG_EPHE_PATH").
		WithCode("EPHEMERIS_UNAVAILABLE")
}

func notFoundOr(err error, what string) error {
	if errors.Is(err, database.ErrNotFound) {
		return web.NotFound("no such " + what)
	}
	return err
}

// Domain errors: services return them, problem turns them into answers. Resources not yet
// moved to services answer through notFoundOr and the problems in their handlers.
var (
	ErrNoLocation        = errors.New("no such location")
	ErrDuplicateLocation = errors.New("you already have a location with this name")
	ErrLocationLimit     = fmt.Errorf("you already keep %d locations, the most allowed; delete one first", MaxSavedLocations)
)

// problem maps the module's domain errors to problem+json answers, in this one place. Errors it
// does not know pass through and become the error handler's logged 500.
func problem(err error) error {
	switch {
	case errors.Is(err, ErrNoLocation):
		return web.NotFound(ErrNoLocation.Error())
	case errors.Is(err, ErrDuplicateLocation):
		return web.Conflict(ErrDuplicateLocation.Error()).WithCode("DUPLICATE_NAME")
	case errors.Is(err, ErrLocationLimit):
		return web.Conflict(ErrLocationLimit.Error()).WithCode("LOCATION_LIMIT")
	}
	return err
}
