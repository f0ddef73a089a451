package astrotiming

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// ScheduleRequest is POST /api/v1/schedule.
type ScheduleRequest struct {
	Lat *float64 `json:"lat"`
	Lng *float64 `json:"lng"`
	TZ  string   `json:"tz"`
	AtmosphereInput
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
	p, err := placeQuery(r.addTo(url.Values{"lat": {coordString(r.Lat)}, "lng": {coordString(r.Lng)}, "tz": {tz}}), true)
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
	var req ScheduleRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	sched, saved, err := m.PlanSchedule(c.Request().Context(), caller(c).UserID, req)
	if err != nil {
		return problemOf(err, "from")
	}
	return c.JSON(http.StatusOK, map[string]any{"location": locationOf(req.place), "schedule": sched, "saved": saved})
}

// CheckRequest is POST /api/v1/schedule/check: entries the user already planned (or, with
// "saved": true, their stored upcoming entries) are scored, overlaps listed, and unfavourable
// or overlapping ones get better free slots within lookahead_days.
type CheckRequest struct {
	Lat *float64 `json:"lat"`
	Lng *float64 `json:"lng"`
	TZ  string   `json:"tz"`
	AtmosphereInput
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
	p, err := placeQuery(r.addTo(url.Values{"lat": {coordString(r.Lat)}, "lng": {coordString(r.Lng)}, "tz": {tz}}), true)
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
	var req CheckRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	checked, err := m.CheckSchedule(c.Request().Context(), caller(c).UserID, req)
	if err != nil {
		return problemOf(err, "entries")
	}
	return c.JSON(http.StatusOK, map[string]any{"location": locationOf(req.place), "entries": checked})
}

func (m *Module) listSchedule(c echo.Context) error {
	out, err := m.ScheduleEntries(c.Request().Context(), caller(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"entries": out})
}

func (m *Module) deleteSchedule(c echo.Context) error {
	id, err := web.PathID(c, "schedule_entry_id")
	if err != nil {
		return err
	}
	if err := m.DeleteScheduleEntry(c.Request().Context(), caller(c).UserID, id); err != nil {
		return problem(err)
	}
	return c.NoContent(http.StatusNoContent)
}
