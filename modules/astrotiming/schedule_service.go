package astrotiming

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
)

// The use cases of the schedule. They return engine errors (the handler names the field) and
// the domain errors of errors.go.

// PlanSchedule places the items from req.From's local midnight (from now when it is absent, so
// nothing lands in the past) and, when req.Save, stores the placed entries as the user's
// schedule. saved is nil unless asked to save.
func (m *Module) PlanSchedule(ctx context.Context, userID int64, req ScheduleRequest) (sched *engine.Schedule, saved []StoredEntry, err error) {
	eng, err := m.engine()
	if err != nil {
		return nil, nil, err
	}
	from := req.from.Midnight(req.place.Zone)
	if req.From == "" {
		from = m.d.Clock.Now()
	}
	sched, err = eng.Schedule(engine.ScheduleRequest{Place: req.place, From: from, Days: req.Days, Items: req.items})
	if err != nil {
		return nil, nil, err
	}
	if req.Save {
		if saved, err = m.saveSchedule(ctx, userID, sched.Entries); err != nil {
			return nil, nil, err
		}
	}
	return sched, saved, nil
}

// saveSchedule stores the entries the engine could place (unplaced ones have no time to keep).
func (m *Module) saveSchedule(ctx context.Context, userID int64, entries []engine.ScheduleEntry) ([]StoredEntry, error) {
	now := m.d.Clock.Now()
	out := []StoredEntry{}
	for _, e := range entries {
		if e.Assigned == nil {
			continue
		}
		out = append(out, StoredEntry{UserID: userID, Activity: e.Activity, Priority: e.Priority, StartsAt: e.Assigned.Start.UTC(),
			EndsAt: e.Assigned.End.UTC(), Score: e.Score, Band: e.Band, Unfavorable: e.Unfavorable, CreatedAt: now, UpdatedAt: now})
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := insertEntries(ctx, m.d.DB, out); err != nil {
		return nil, fmt.Errorf("astrotiming: save schedule of user %d: %w", userID, err)
	}
	return out, nil
}

// CheckSchedule scores the planned entries (with req.Saved, also the user's next 50 stored
// ones), lists overlaps and offers better free slots.
func (m *Module) CheckSchedule(ctx context.Context, userID int64, req CheckRequest) ([]engine.ScheduleEntry, error) {
	eng, err := m.engine()
	if err != nil {
		return nil, err
	}
	planned := req.planned
	if req.Saved {
		stored, err := entriesEndingAfter(ctx, m.d.DB, userID, m.d.Clock.Now(), 50)
		if err != nil {
			return nil, fmt.Errorf("astrotiming: check stored schedule: %w", err)
		}
		for _, e := range stored {
			a, err := engine.LookupActivity(e.Activity)
			if err != nil {
				continue // an activity removed from the vocabulary since it was saved
			}
			planned = append(planned, engine.PlannedEntry{ID: strconv.FormatInt(e.ID, 10), Activity: a, Start: e.StartsAt, End: e.EndsAt})
		}
	}
	return eng.CheckPlan(req.place, planned, req.LookaheadDays)
}

// ScheduleEntries is the user's stored schedule (at most 500 entries, in start order).
func (m *Module) ScheduleEntries(ctx context.Context, userID int64) ([]StoredEntry, error) {
	out, err := listEntries(ctx, m.d.DB, userID, 500)
	if err != nil {
		return nil, fmt.Errorf("astrotiming: list schedule: %w", err)
	}
	return out, nil
}

func (m *Module) DeleteScheduleEntry(ctx context.Context, userID, id int64) error {
	err := deleteEntry(ctx, m.d.DB, userID, id)
	if errors.Is(err, database.ErrNotFound) {
		return ErrNoScheduleEntry
	}
	if err != nil {
		return fmt.Errorf("astrotiming: delete schedule entry %d: %w", id, err)
	}
	return nil
}
