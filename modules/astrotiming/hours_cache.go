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
	"github.com/redis/go-redis/v9"
)

// HoursTTL bounds how long a day's hours stay in Redis. The answer for a date and place never
// changes, so the TTL only limits memory.
const HoursTTL = 72 * time.Hour

// LocationHash identifies a place rounded to CoordDecimals with its zone: the key of the Redis
// hours cache and of the planetary_cache table.
func LocationHash(p engine.Place) string {
	s := strconv.FormatFloat(RoundCoord(p.Lat), 'f', CoordDecimals, 64) + "," +
		strconv.FormatFloat(RoundCoord(p.Lng), 'f', CoordDecimals, 64) + "," + p.Zone.String()
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

// HoursCacheKey is the Redis key (within the module's keyspace) of a day's hours.
func HoursCacheKey(q HoursQuery) string { return hoursKey(q) }

func hoursKey(q HoursQuery) string {
	return "hours:v1:" + q.Date.String() + ":" + LocationHash(q.Place)
}

// localHoursMax bounds the in-process layer in front of Redis (cache.Local, least recently used
// out). A day's hours never change, so entries live as long as Redis keeps them; Redis remains
// the shared cache across processes (and the nightly job warms it).
const localHoursMax = 4096

func newLocalHours(now func() time.Time) *cache.Local[string, []byte] {
	return cache.NewLocal[string, []byte](localHoursMax, HoursTTL, now)
}

// hoursJSON answers a day's hours from the in-process layer, then Redis, computing and storing
// them on a miss.
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
		return nil, problemOf(err, "date")
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
