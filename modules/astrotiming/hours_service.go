package astrotiming

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/ephemeris"
	"github.com/redis/go-redis/v9"
)

// HoursTTL bounds how long a day's hours stay in Redis. The answer for a date and place never
// changes, so the TTL only limits memory.
const HoursTTL = 72 * time.Hour

// LocationHash identifies a place rounded to engine.CoordDecimals with its zone: the key of the Redis
// hours cache and of the planetary_cache table.
func LocationHash(p engine.Place) string {
	s := strconv.FormatFloat(engine.RoundCoord(p.Lat), 'f', engine.CoordDecimals, 64) + "," +
		strconv.FormatFloat(engine.RoundCoord(p.Lng), 'f', engine.CoordDecimals, 64) + "," + p.Zone.String()
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

// HoursCacheKey is the Redis key (within the module's keyspace) of a day's hours.
func HoursCacheKey(q HoursQuery) string { return hoursKey(q) }

// v2: the default atmosphere became 15 °C (it was 10 °C), so v1 answers are a few seconds off.
// A place at sea level in the standard atmosphere keeps the bare key the nightly job warms;
// any other elevation or air gets its own.
func hoursKey(q HoursQuery) string {
	k := "hours:v2:" + q.Date.String() + ":" + LocationHash(q.Place)
	if atm := q.Place.Atm; q.Place.Alt != 0 || (atm != nil && *atm != ephemeris.StandardAtmosphere) {
		if atm == nil {
			atm = &ephemeris.StandardAtmosphere
		}
		k += ":" + strconv.FormatFloat(q.Place.Alt, 'g', -1, 64) + "," + strconv.FormatFloat(atm.PressureHPa, 'g', -1, 64) +
			"," + strconv.FormatFloat(atm.TemperatureC, 'g', -1, 64)
	}
	return k
}

// localHoursMax bounds the in-process layer in front of Redis (cache.Local, least recently used
// out). A day's hours never change, so entries live as long as Redis keeps them; Redis remains
// the shared cache across processes (and the nightly job warms it).
const localHoursMax = 4096

func newLocalHours(now func() time.Time) *cache.Local[string, []byte] {
	return cache.NewLocal[string, []byte](localHoursMax, HoursTTL, now)
}

// hoursJSON is a day's hours from the in-process layer, then Redis, computing and storing them
// on a miss. Engine errors come back as they are, for the handler to name the field.
func (m *Module) hoursJSON(ctx context.Context, q HoursQuery) ([]byte, error) {
	key := hoursKey(q)
	if b, ok := m.local.Get(key); ok {
		return b, nil
	}
	b, err := m.d.KV.GetBytes(ctx, key)
	if err == nil {
		m.local.Set(key, b)
		return b, nil
	}
	if !errors.Is(err, redis.Nil) {
		m.d.Log.Warn("astrotiming: hours cache read failed; computing", "err", err)
	}
	eng, err := m.engine()
	if err != nil {
		return nil, err
	}
	day, err := eng.Day(q.Place, q.Date)
	if err != nil {
		return nil, err
	}
	b, err = json.Marshal(dayJSON(day, q.Place))
	if err != nil {
		return nil, fmt.Errorf("astrotiming: encode hours: %w", err)
	}
	if err := m.d.KV.Set(ctx, key, b, HoursTTL); err != nil {
		m.d.Log.Warn("astrotiming: hours cache write failed", "err", err)
	}
	m.local.Set(key, b)
	return b, nil
}

// Precompute stores today's and tomorrow's hours and noon positions (UTC dates as local dates
// of each place) for every distinct saved location, and warms the Redis hours cache. It
// returns the number of rows written.
func (m *Module) Precompute(ctx context.Context) (int, error) {
	eng, err := m.engine()
	if err != nil {
		return 0, err
	}
	locs, err := distinctPlaces(ctx, m.d.DB)
	if err != nil {
		return 0, fmt.Errorf("astrotiming: precompute: list locations: %w", err)
	}
	now := m.d.Clock.Now()
	n := 0
	for _, l := range locs {
		p, err := l.Place()
		if err != nil {
			m.d.Log.Warn("astrotiming: precompute: bad saved location", "id", l.ID, "err", err)
			continue
		}
		p.Lat, p.Lng = engine.RoundCoord(p.Lat), engine.RoundCoord(p.Lng)
		today := engine.DateOf(now.In(p.Zone))
		for _, d := range []engine.Date{today, today.AddDays(1)} {
			day, err := eng.Day(p, d)
			var pe *engine.PolarError
			if errors.As(err, &pe) {
				continue // no hours to cache on a polar date
			}
			if err != nil {
				return n, fmt.Errorf("astrotiming: precompute %s for location %d: %w", d, l.ID, err)
			}
			hours, _ := json.Marshal(dayJSON(day, p))
			ps, err := eng.Positions(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, p.Zone).UTC())
			if err != nil {
				return n, fmt.Errorf("astrotiming: precompute positions %s: %w", d, err)
			}
			pos, _ := json.Marshal(positionsJSON(ps))
			if err := upsertPlanetaryDay(ctx, m.d.DB, d, p, hours, pos, now); err != nil {
				return n, fmt.Errorf("astrotiming: precompute: store %s: %w", d, err)
			}
			if err := m.d.KV.Set(ctx, hoursKey(HoursQuery{Place: p, Date: d}), hours, HoursTTL); err != nil {
				m.d.Log.Warn("astrotiming: precompute: warm hours cache", "err", err)
			}
			n++
		}
	}
	return n, nil
}
