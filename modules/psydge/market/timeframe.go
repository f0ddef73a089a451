package market

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrUnknownTimeframe means a timeframe name is not one Psydge charts.
var ErrUnknownTimeframe = errors.New("market: unknown timeframe")

// Timeframe is a candle period. Psydge charts M1 to D1.
type Timeframe string

const (
	M1  Timeframe = "M1"
	M5  Timeframe = "M5"
	M15 Timeframe = "M15"
	M30 Timeframe = "M30"
	H1  Timeframe = "H1"
	H4  Timeframe = "H4"
	D1  Timeframe = "D1"
)

// Timeframes lists every supported timeframe, shortest first.
var Timeframes = []Timeframe{M1, M5, M15, M30, H1, H4, D1}

var tfInfo = map[Timeframe]struct {
	d       time.Duration
	metaapi string
}{
	M1:  {time.Minute, "1m"},
	M5:  {5 * time.Minute, "5m"},
	M15: {15 * time.Minute, "15m"},
	M30: {30 * time.Minute, "30m"},
	H1:  {time.Hour, "1h"},
	H4:  {4 * time.Hour, "4h"},
	D1:  {24 * time.Hour, "1d"},
}

// ParseTimeframe accepts our names ("M15", case-insensitive) and MetaApi's ("15m").
func ParseTimeframe(s string) (Timeframe, error) {
	up := Timeframe(strings.ToUpper(strings.TrimSpace(s)))
	if _, ok := tfInfo[up]; ok {
		return up, nil
	}
	for tf, info := range tfInfo {
		if info.metaapi == strings.TrimSpace(s) {
			return tf, nil
		}
	}
	return "", fmt.Errorf("market: timeframe %q: %w", s, ErrUnknownTimeframe)
}

// Valid reports whether tf is supported.
func (tf Timeframe) Valid() bool { _, ok := tfInfo[tf]; return ok }

// Duration is the length of one candle.
func (tf Timeframe) Duration() time.Duration { return tfInfo[tf].d }

// MetaApi is the timeframe's name in MetaApi's market-data API.
func (tf Timeframe) MetaApi() string { return tfInfo[tf].metaapi }

// BucketStart is the open time of the candle containing t. Buckets are aligned to UTC: H4
// candles open at 00, 04, 08, 12, 16 and 20 UTC and D1 candles at UTC midnight, whatever the
// broker's server time zone (most MT brokers roll the day at New York 17:00, so their D1 bars
// differ from ours; the chart and the strategies use ours consistently).
func (tf Timeframe) BucketStart(t time.Time) time.Time {
	// Go's zero time is a UTC midnight and every supported duration divides a day, so
	// Truncate aligns to UTC boundaries.
	return t.UTC().Truncate(tf.Duration())
}
