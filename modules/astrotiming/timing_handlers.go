package astrotiming

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

func (m *Module) getHours(c echo.Context) error {
	q, err := ParseHoursQuery(c.QueryParams(), m.d.Clock.Now())
	if err != nil {
		return problemOf(err, "date")
	}
	body, err := m.hoursJSON(c.Request().Context(), q)
	if err != nil {
		return problemOf(err, "date")
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=3600")
	return c.JSONBlob(http.StatusOK, body)
}

func (m *Module) getNow(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return problem(err)
	}
	p, err := placeQuery(c.QueryParams(), true)
	if err != nil {
		return problemOf(err, "tz")
	}
	now := m.d.Clock.Now()
	out, err := nowJSON(eng, p, now)
	if err != nil {
		return problemOf(err, "lat")
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) getPositions(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return problem(err)
	}
	at, err := instantQuery("at", c.QueryParam("at"), m.d.Clock.Now())
	if err != nil {
		return problemOf(err, "at")
	}
	ps, err := eng.Positions(at.UTC())
	if err != nil {
		return problemOf(err, "at")
	}
	return c.JSON(http.StatusOK, positionsJSON(ps))
}

func (m *Module) getTQS(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return problem(err)
	}
	q, err := ParseTQSQuery(c.QueryParams(), m.d.Clock.Now())
	if err != nil {
		return problemOf(err, "at")
	}
	s, err := eng.Score(q.Activity, q.Place, q.At)
	if err != nil {
		return problemOf(err, "at")
	}
	if err := m.logQueries(c, "tqs", []loggedQuery{{Activity: q.Activity.Key, Place: q.Place, At: q.At, Score: s.Score}}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ScoreJSON{Score: s, PlanetArabic: s.Planet.ArabicName(), Location: locationOf(q.Place)})
}

// MaxBulk bounds POST /api/v1/tqs/bulk.
const MaxBulk = 100

// BulkRequest is POST /api/v1/tqs/bulk: up to MaxBulk scores in one call; each item may name
// its own place, else the request's.
type BulkRequest struct {
	Lat *float64 `json:"lat"`
	Lng *float64 `json:"lng"`
	TZ  string   `json:"tz"`
	AtmosphereInput
	Items []BulkItem `json:"items"`

	places []engine.Place
	acts   []engine.Activity
	ats    []time.Time
}

// BulkItem is one score to compute.
type BulkItem struct {
	Activity string   `json:"activity"`
	At       string   `json:"at"`
	Lat      *float64 `json:"lat,omitempty"`
	Lng      *float64 `json:"lng,omitempty"`
	TZ       string   `json:"tz,omitempty"`
	// Elevation, pressure and temperature of an item replace the request's one by one.
	AtmosphereInput
}

func coordString(v *float64) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(*v)
}

// Validate checks every item and names the failing field as items[i].name.
func (r *BulkRequest) Validate() []web.FieldError {
	var errs []web.FieldError
	if len(r.Items) == 0 || len(r.Items) > MaxBulk {
		return []web.FieldError{{Field: "items", Reason: fmt.Sprintf("must list 1 to %d items", MaxBulk)}}
	}
	r.places, r.acts, r.ats = make([]engine.Place, len(r.Items)), make([]engine.Activity, len(r.Items)), make([]time.Time, len(r.Items))
	for i, it := range r.Items {
		prefix := fmt.Sprintf("items[%d].", i)
		lat, lng, tz := it.Lat, it.Lng, it.TZ
		if lat == nil {
			lat = r.Lat
		}
		if lng == nil {
			lng = r.Lng
		}
		if tz == "" {
			tz = r.TZ
		}
		if tz == "" {
			tz = "UTC"
		}
		q := it.AtmosphereInput.or(r.AtmosphereInput).addTo(url.Values{"lat": {coordString(lat)}, "lng": {coordString(lng)}, "tz": {tz}})
		p, err := placeQuery(q, true)
		if fe := fieldErr(err); fe != nil {
			errs = append(errs, web.FieldError{Field: prefix + fe.Field, Reason: fe.Reason})
			continue
		}
		a, err := activityQuery("activity", it.Activity)
		if fe := fieldErr(err); fe != nil {
			errs = append(errs, web.FieldError{Field: prefix + fe.Field, Reason: fe.Reason})
			continue
		}
		if it.At == "" {
			errs = append(errs, web.FieldError{Field: prefix + "at", Reason: "is required (RFC 3339)"})
			continue
		}
		at, err := instantQuery("at", it.At, time.Time{})
		if fe := fieldErr(err); fe != nil {
			errs = append(errs, web.FieldError{Field: prefix + fe.Field, Reason: fe.Reason})
			continue
		}
		r.places[i], r.acts[i], r.ats[i] = p, a, at
	}
	return errs
}

func fieldErr(err error) *engine.FieldError {
	if err == nil {
		return nil
	}
	var fe *engine.FieldError
	if errors.As(err, &fe) {
		return fe
	}
	return &engine.FieldError{Field: "request", Reason: err.Error()}
}

func (m *Module) postBulkTQS(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return problem(err)
	}
	var req BulkRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	out := make([]ScoreJSON, len(req.Items))
	logged := make([]loggedQuery, len(req.Items))
	for i := range req.Items {
		s, err := eng.Score(req.acts[i], req.places[i], req.ats[i])
		if err != nil {
			return problemOf(err, fmt.Sprintf("items[%d].at", i))
		}
		out[i] = ScoreJSON{Score: s, PlanetArabic: s.Planet.ArabicName(), Location: locationOf(req.places[i])}
		logged[i] = loggedQuery{Activity: req.acts[i].Key, Place: req.places[i], At: req.ats[i], Score: s.Score}
	}
	if err := m.logQueries(c, "bulk", logged); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"results": out})
}

func (m *Module) getSearch(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return problem(err)
	}
	q, err := ParseSearchQuery(c.QueryParams(), m.d.Clock.Now())
	if err != nil {
		return problemOf(err, "from")
	}
	from := q.From.Midnight(q.Place.Zone)
	if c.QueryParam("from") == "" {
		from = m.d.Clock.Now() // by default only windows still to come
	}
	minScore := q.MinScore
	if minScore == 0 {
		minScore = engine.AnyScore // an explicit min_score=0, not the engine's default
	}
	res, err := eng.Search(engine.SearchRequest{Activity: q.Activity, Place: q.Place, From: from,
		Days: q.Days, MinScore: minScore, Limit: q.Limit})
	if err != nil {
		return problemOf(err, "from")
	}
	if res.Windows == nil {
		res.Windows = []engine.Window{}
	}
	if err := m.logQueries(c, "search", []loggedQuery{{Activity: q.Activity.Key, Place: q.Place, At: from, Score: -1}}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"location": locationOf(q.Place), "search": res})
}

func (m *Module) getActivities(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	list := engine.Activities()
	if q != "" {
		list = engine.SearchActivities(q, 20)
	}
	if list == nil {
		list = []engine.Activity{}
	}
	return c.JSON(http.StatusOK, map[string]any{"activities": list, "domains": engine.Domains()})
}
