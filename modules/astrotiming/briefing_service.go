package astrotiming

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
	"github.com/riverqueue/river"
)

// BriefingLead is how long before sunrise the briefing is made.
const BriefingLead = 30 * time.Minute

// ScheduleBriefings inserts, for every user with a home location and no briefing yet for their
// local today, a unique generate_daily_briefing job scheduled at sunrise − BriefingLead (at
// once if that moment has passed). It returns the number of jobs inserted.
func (m *Module) ScheduleBriefings(ctx context.Context) (int, error) {
	eng, err := m.engine()
	if err != nil {
		return 0, err
	}
	homes, err := homesWithoutBriefing(ctx, m.d.DB, m.d.Clock.Now())
	if err != nil {
		return 0, fmt.Errorf("astrotiming: briefing sweep: %w", err)
	}
	now := m.d.Clock.Now()
	n := 0
	for _, h := range homes {
		p, err := h.Place()
		if err != nil {
			continue
		}
		date := engine.DateOf(now.In(p.Zone))
		day, err := eng.Day(p, date)
		if err != nil {
			continue // polar date: no sunrise to brief before
		}
		at := day.Sunrise.Add(-BriefingLead)
		if at.Sub(now) > 12*time.Hour {
			continue // the next sweep schedules it; keeps job timing fresh
		}
		res, err := m.d.Jobs.Insert(ctx, BriefingArgs{UserID: h.UserID, Date: date.String()},
			&river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true}})
		if err != nil {
			return n, fmt.Errorf("astrotiming: schedule briefing of user %d: %w", h.UserID, err)
		}
		if !res.UniqueSkippedAsDuplicate {
			n++
		}
	}
	return n, nil
}

// BriefingBody is what a briefing says: the day's hours and, per activity domain, the best
// windows of the day.
type BriefingBody struct {
	Date        string                `json:"date"`
	Location    Location              `json:"location"`
	Sunrise     time.Time             `json:"sunrise"`
	DayRuler    engine.Planet         `json:"day_ruler"`
	DayArabic   string                `json:"day_ruler_arabic"`
	Moon        engine.MoonState      `json:"moon"`
	BestWindows map[string]BestWindow `json:"best_windows"`
	Hours       []HourJSON            `json:"hours"`
}

// BestWindow is the best planetary hour of the day for a planet's activities.
type BestWindow struct {
	Activity string    `json:"activity"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Score    int       `json:"score"`
	Band     string    `json:"band"`
}

// briefingActivities are one activity per planet, so the briefing covers all seven domains.
var briefingActivities = []string{"leadership", "travel", "writing", "art", "exercise", "start_business", "planning"}

// GenerateBriefing makes and stores a user's briefing for a local date (idempotent).
func (m *Module) GenerateBriefing(ctx context.Context, userID int64, date string) error {
	eng, err := m.engine()
	if err != nil {
		return err
	}
	h, err := homeByUser(ctx, m.d.DB, userID)
	if errors.Is(err, database.ErrNotFound) {
		return nil // the user removed their home location since the job was scheduled
	}
	if err != nil {
		return err
	}
	p, err := h.Place()
	if err != nil {
		return fmt.Errorf("astrotiming: briefing of user %d: %w", userID, err)
	}
	d, err := engine.ParseDate("date", date)
	if err != nil {
		return err
	}
	day, err := eng.Day(p, d)
	if err != nil {
		return fmt.Errorf("astrotiming: briefing of user %d on %s: %w", userID, date, err)
	}
	ps, err := eng.Positions(day.Sunrise)
	if err != nil {
		return err
	}
	body := BriefingBody{Date: date, Location: locationOf(p), Sunrise: day.Sunrise, DayRuler: day.DayRuler, DayArabic: day.DayRuler.ArabicName(),
		Moon: ps.Moon, BestWindows: map[string]BestWindow{}}
	for _, hr := range day.Hours {
		body.Hours = append(body.Hours, hourJSON(hr))
	}
	for _, name := range briefingActivities {
		act, err := engine.LookupActivity(name)
		if err != nil {
			return fmt.Errorf("astrotiming: briefing activity %q: %w", name, err)
		}
		res, err := eng.Search(engine.SearchRequest{Activity: act, Place: p, From: day.Sunrise, Days: 1, MinScore: 1, Limit: 1})
		if err != nil {
			return fmt.Errorf("astrotiming: briefing search %s: %w", name, err)
		}
		// With a minimum of 1 the whole day is one window; the best single hour is the advice.
		if best, ok := engine.BestHour(res.Windows); ok {
			body.BestWindows[act.Planet.String()] = BestWindow{Activity: act.Name, Start: best.Start, End: best.End, Score: best.Score, Band: best.Band}
		}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("astrotiming: encode briefing: %w", err)
	}
	b := &Briefing{UserID: userID, Date: d.Midnight(time.UTC), Body: raw, CreatedAt: m.d.Clock.Now()}
	if err := upsertBriefing(ctx, m.d.DB, b); err != nil {
		return fmt.Errorf("astrotiming: store briefing of user %d: %w", userID, err)
	}
	return nil
}

// LatestBriefing is the user's most recent briefing.
func (m *Module) LatestBriefing(ctx context.Context, userID int64) (*Briefing, error) {
	b, err := latestBriefing(ctx, m.d.DB, userID)
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoBriefing
	}
	return b, err
}
