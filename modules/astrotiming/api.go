package astrotiming

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Location echoes the place an answer was computed for, after rounding.
type Location struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
	TZ  string  `json:"tz"`
}

func locationOf(p engine.Place) Location {
	return Location{Lat: p.Lat, Lng: p.Lng, TZ: p.Zone.String()}
}

// HourJSON is one planetary hour as the API writes it: English ruler with its Arabic name.
type HourJSON struct {
	Index       int           `json:"index"`
	Ruler       engine.Planet `json:"ruler"`
	RulerArabic string        `json:"ruler_arabic"`
	Start       time.Time     `json:"start"`
	End         time.Time     `json:"end"`
	IsDay       bool          `json:"is_day"`
}

// DayJSON is GET /api/v1/hours.
type DayJSON struct {
	Date           engine.Date   `json:"date"`
	Location       Location      `json:"location"`
	Sunrise        time.Time     `json:"sunrise"`
	Sunset         time.Time     `json:"sunset"`
	NextSunrise    time.Time     `json:"next_sunrise"`
	DayRuler       engine.Planet `json:"day_ruler"`
	DayRulerArabic string        `json:"day_ruler_arabic"`
	Hours          []HourJSON    `json:"hours"`
}

func hourJSON(h engine.Hour) HourJSON {
	return HourJSON{Index: h.Index, Ruler: h.Ruler, RulerArabic: h.Ruler.ArabicName(), Start: h.Start, End: h.End, IsDay: h.IsDay}
}

func dayJSON(d *engine.Day, p engine.Place) DayJSON {
	out := DayJSON{Date: d.Date, Location: locationOf(p), Sunrise: d.Sunrise, Sunset: d.Sunset, NextSunrise: d.NextSunrise,
		DayRuler: d.DayRuler, DayRulerArabic: d.DayRuler.ArabicName(), Hours: make([]HourJSON, len(d.Hours))}
	for i, h := range d.Hours {
		out.Hours[i] = hourJSON(h)
	}
	return out
}

func (m *Module) getHours(c echo.Context) error {
	q, err := ParseHoursQuery(c.QueryParams(), m.d.Clock.Now())
	if err != nil {
		return problemOf(err, "date")
	}
	body, err := m.hoursJSON(c.Request().Context(), q)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=3600")
	return c.JSONBlob(http.StatusOK, body)
}

// NowJSON is GET /api/v1/now.
type NowJSON struct {
	At             time.Time     `json:"at"`
	Location       Location      `json:"location"`
	Hour           HourJSON      `json:"hour"`
	Remaining      string        `json:"remaining"`
	RemainingSecs  int64         `json:"remaining_seconds"`
	DayRuler       engine.Planet `json:"day_ruler"`
	DayRulerArabic string        `json:"day_ruler_arabic"`
	Next           *HourJSON     `json:"next,omitempty"`
}

func (m *Module) getNow(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return err
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

func nowJSON(eng *engine.Engine, p engine.Place, now time.Time) (*NowJSON, error) {
	day, h, err := eng.HourAt(p, now)
	if err != nil {
		return nil, err
	}
	left := h.End.Sub(now).Truncate(time.Second)
	out := &NowJSON{At: now.In(p.Zone), Location: locationOf(p), Hour: hourJSON(h), Remaining: left.String(),
		RemainingSecs: int64(left / time.Second), DayRuler: day.DayRuler, DayRulerArabic: day.DayRuler.ArabicName()}
	if h.Index < len(day.Hours) {
		n := hourJSON(day.Hours[h.Index])
		out.Next = &n
	}
	return out, nil
}

// PlanetJSON adds the Arabic name to a position.
type PlanetJSON struct {
	engine.PlanetPosition
	ArabicName string `json:"arabic_name"`
}

// PositionsJSON is GET /api/v1/positions.
type PositionsJSON struct {
	At      time.Time        `json:"at"`
	Planets []PlanetJSON     `json:"planets"`
	Aspects []engine.Aspect  `json:"aspects"`
	Moon    engine.MoonState `json:"moon"`
}

func (m *Module) getPositions(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return err
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

func positionsJSON(ps *engine.Positions) PositionsJSON {
	out := PositionsJSON{At: ps.At, Aspects: ps.Aspects, Moon: ps.Moon, Planets: make([]PlanetJSON, len(ps.Planets))}
	if out.Aspects == nil {
		out.Aspects = []engine.Aspect{}
	}
	for i, p := range ps.Planets {
		out.Planets[i] = PlanetJSON{PlanetPosition: p, ArabicName: p.Name.ArabicName()}
	}
	return out
}

// ScoreJSON is GET /api/v1/tqs: the engine's score plus names for people.
type ScoreJSON struct {
	*engine.Score
	PlanetArabic string   `json:"planet_arabic"`
	Location     Location `json:"location"`
}

func (m *Module) getTQS(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return err
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
	Lat   *float64   `json:"lat"`
	Lng   *float64   `json:"lng"`
	TZ    string     `json:"tz"`
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
		q := map[string][]string{"lat": {coordString(lat)}, "lng": {coordString(lng)}, "tz": {tz}}
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
		return err
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
		return err
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

// ScheduleRequest is POST /api/v1/schedule.
type ScheduleRequest struct {
	Lat   *float64           `json:"lat"`
	Lng   *float64           `json:"lng"`
	TZ    string             `json:"tz"`
	From  string             `json:"from"` // YYYY-MM-DD from local midnight; default now
	Days  int                `json:"days"` // 1–90, default 7
	Items []ScheduleItemJSON `json:"items"`
	// Save stores the placed entries as the caller's schedule (ICS feed, Google sync).
	Save bool `json:"save"`

	place engine.Place
	from  engine.Date
	items []engine.ScheduleItem
}

// ScheduleItemJSON is one activity to place.
type ScheduleItemJSON struct {
	ID              string       `json:"id"`
	Activity        string       `json:"activity"`
	DurationMinutes int          `json:"duration_minutes"`
	Priority        int          `json:"priority"`
	Preferred       *engine.Span `json:"preferred_window,omitempty"`
}

// Validate reads the place, the range and each item.
func (r *ScheduleRequest) Validate() []web.FieldError {
	tz := r.TZ
	if tz == "" {
		tz = "UTC"
	}
	p, err := placeQuery(map[string][]string{"lat": {coordString(r.Lat)}, "lng": {coordString(r.Lng)}, "tz": {tz}}, true)
	if fe := fieldErr(err); fe != nil {
		return []web.FieldError{{Field: fe.Field, Reason: fe.Reason}}
	}
	r.place = p
	var errs []web.FieldError
	if r.From != "" {
		if r.from, err = engine.ParseDate("from", r.From); err != nil {
			fe := fieldErr(err)
			errs = append(errs, web.FieldError{Field: fe.Field, Reason: fe.Reason})
		}
	}
	if r.Days == 0 {
		r.Days = engine.DefaultSearchDays
	}
	if r.Days < 1 || r.Days > engine.MaxRangeDays {
		errs = append(errs, web.FieldError{Field: "days", Reason: fmt.Sprintf("must be 1 to %d", engine.MaxRangeDays)})
	}
	if len(r.Items) == 0 || len(r.Items) > 50 {
		errs = append(errs, web.FieldError{Field: "items", Reason: "must list 1 to 50 activities"})
	}
	for i, it := range r.Items {
		prefix := fmt.Sprintf("items[%d].", i)
		a, err := activityQuery("activity", it.Activity)
		if fe := fieldErr(err); fe != nil {
			errs = append(errs, web.FieldError{Field: prefix + fe.Field, Reason: fe.Reason})
			continue
		}
		if it.DurationMinutes < 5 || it.DurationMinutes > 24*60 {
			errs = append(errs, web.FieldError{Field: prefix + "duration_minutes", Reason: "must be 5 to 1440"})
			continue
		}
		if it.Preferred != nil && !it.Preferred.End.After(it.Preferred.Start) {
			errs = append(errs, web.FieldError{Field: prefix + "preferred_window", Reason: "end must be after start"})
			continue
		}
		id := it.ID
		if id == "" {
			id = fmt.Sprintf("item-%d", i+1)
		}
		r.items = append(r.items, engine.ScheduleItem{ID: id, Activity: a, Duration: time.Duration(it.DurationMinutes) * time.Minute,
			Priority: it.Priority, Preferred: it.Preferred})
	}
	return errs
}

func (m *Module) postSchedule(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return err
	}
	var req ScheduleRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	from := req.from.Midnight(req.place.Zone)
	if req.From == "" {
		from = m.d.Clock.Now() // by default only the time still to come
	}
	sched, err := eng.Schedule(engine.ScheduleRequest{Place: req.place, From: from, Days: req.Days, Items: req.items})
	if err != nil {
		return problemOf(err, "from")
	}
	var saved []StoredEntry
	if req.Save {
		if saved, err = m.saveSchedule(c.Request().Context(), caller(c).UserID, sched.Entries); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"location": locationOf(req.place), "schedule": sched, "saved": saved})
}

// CheckRequest is POST /api/v1/schedule/check: entries the user already planned (or, with
// "saved": true, their stored upcoming entries) are scored, overlaps listed, and unfavourable
// or overlapping ones get better free slots within lookahead_days.
type CheckRequest struct {
	Lat           *float64     `json:"lat"`
	Lng           *float64     `json:"lng"`
	TZ            string       `json:"tz"`
	LookaheadDays int          `json:"lookahead_days"`
	Entries       []CheckEntry `json:"entries"`
	Saved         bool         `json:"saved"`

	place   engine.Place
	planned []engine.PlannedEntry
}

// CheckEntry is one planned activity.
type CheckEntry struct {
	ID       string    `json:"id"`
	Activity string    `json:"activity"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
}

// Validate reads the place and every entry.
func (r *CheckRequest) Validate() []web.FieldError {
	tz := r.TZ
	if tz == "" {
		tz = "UTC"
	}
	p, err := placeQuery(map[string][]string{"lat": {coordString(r.Lat)}, "lng": {coordString(r.Lng)}, "tz": {tz}}, true)
	if fe := fieldErr(err); fe != nil {
		return []web.FieldError{{Field: fe.Field, Reason: fe.Reason}}
	}
	r.place = p
	if len(r.Entries) == 0 && !r.Saved {
		return []web.FieldError{{Field: "entries", Reason: `list your planned entries, or send "saved": true to check your stored schedule`}}
	}
	var errs []web.FieldError
	for i, en := range r.Entries {
		a, err := activityQuery("activity", en.Activity)
		if fe := fieldErr(err); fe != nil {
			errs = append(errs, web.FieldError{Field: fmt.Sprintf("entries[%d].%s", i, fe.Field), Reason: fe.Reason})
			continue
		}
		id := en.ID
		if id == "" {
			id = fmt.Sprintf("entry-%d", i+1)
		}
		r.planned = append(r.planned, engine.PlannedEntry{ID: id, Activity: a, Start: en.Start, End: en.End})
	}
	return errs
}

func (m *Module) checkSchedule(c echo.Context) error {
	eng, err := m.engine()
	if err != nil {
		return err
	}
	var req CheckRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if req.Saved {
		var stored []StoredEntry
		err := m.d.DB.NewSelect().Model(&stored).Where("user_id = ?", caller(c).UserID).Where("ends_at > ?", m.d.Clock.Now()).
			Order("starts_at").Limit(50).Scan(c.Request().Context())
		if err != nil {
			return fmt.Errorf("astrotiming: check stored schedule: %w", err)
		}
		for _, e := range stored {
			a, err := engine.LookupActivity(e.Activity)
			if err != nil {
				continue // an activity removed from the vocabulary since it was saved
			}
			req.planned = append(req.planned, engine.PlannedEntry{ID: strconv.FormatInt(e.ID, 10), Activity: a, Start: e.StartsAt, End: e.EndsAt})
		}
	}
	checked, err := eng.CheckPlan(req.place, req.planned, req.LookaheadDays)
	if err != nil {
		return problemOf(err, "entries")
	}
	return c.JSON(http.StatusOK, map[string]any{"location": locationOf(req.place), "entries": checked})
}
