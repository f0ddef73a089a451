package engine

import (
	"testing"
	"time"
)

var karachi = func() Place {
	loc, err := time.LoadLocation("Asia/Karachi")
	if err != nil {
		panic(err)
	}
	return Place{Lat: 24.8607, Lng: 67.0011, Zone: loc}
}()

// A day's 24 hours for a place, nothing cached (goal ≤ 1 ms).
func BenchmarkDayHours(b *testing.B) {
	e := newEngine(b)
	d := Date{2026, time.January, 1}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Day(karachi, d.AddDays(i%365)); err != nil {
			b.Fatal(err)
		}
	}
}

// Seven planets with aspects and Moon phase at one moment (goal ≤ 100 µs). The Moon's
// void-of-course period comes from the engine's per-sign cache after the first call in a sign.
func BenchmarkPositions(b *testing.B) {
	e := newEngine(b)
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Positions(t0.Add(time.Duration(i%720) * time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}

// The void-of-course search itself, uncached.
func BenchmarkVoidOfCourseUncached(b *testing.B) {
	e := newEngine(b)
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.VoidOfCourseUncached(t0.Add(time.Duration(i%720) * time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}

// A 30-day forward search (goal ≤ 50 ms).
func BenchmarkSearch30Days(b *testing.B) {
	e := newEngine(b)
	act, err := LookupActivity("sign contract")
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := SearchRequest{Activity: act, Place: karachi, From: t0.Add(time.Duration(i%50) * 24 * time.Hour), Days: 30}
		if _, err := e.Search(req); err != nil {
			b.Fatal(err)
		}
	}
}

// Ten activities placed over 30 days.
func BenchmarkSchedule30Days(b *testing.B) {
	e := newEngine(b)
	var items []ScheduleItem
	for i, q := range []string{"sign contract", "job interview", "travel", "surgery", "wedding", "planning", "prayer", "haircut", "exam", "invest"} {
		a, err := LookupActivity(q)
		if err != nil {
			b.Fatal(err)
		}
		items = append(items, ScheduleItem{ID: q, Activity: a, Duration: time.Duration(30+15*i) * time.Minute, Priority: i % 3})
	}
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Schedule(ScheduleRequest{Place: karachi, From: t0, Days: 30, Items: items}); err != nil {
			b.Fatal(err)
		}
	}
}
