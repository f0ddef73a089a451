package engine_test

import (
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/ephemeris"
)

// The planetary hours of a day in Karachi and the score of signing a contract in one of them.
func Example() {
	eph, err := ephemeris.Open(ephemeris.DefaultPath)
	if err != nil {
		fmt.Println(err)
		return
	}
	eng := engine.New(eph, clock.NewFake(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)))
	place, err := engine.ParsePlace("24.8607", "67.0011", "Asia/Karachi")
	if err != nil {
		fmt.Println(err)
		return
	}
	date, _ := engine.ParseDate("date", "2026-11-27")
	day, err := eng.Day(place, date)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("day ruler:", day.DayRuler, "/", day.DayRuler.ArabicName())
	for _, h := range day.Hours[:3] {
		fmt.Printf("hour %d %s %s–%s\n", h.Index, h.Ruler, h.Start.Format("15:04:05"), h.End.Format("15:04:05"))
	}
	act, _ := engine.LookupActivity("Sign a contract")
	score, err := eng.ScoreNow(act, place)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(act.Key, "now:", score.Hour.Ruler, "hour,", score.Band, score.Breakdown.Total() == score.Score)
	// Output:
	// day ruler: Venus / Zuhra
	// hour 1 Venus 06:56:41–07:50:28
	// hour 2 Mercury 07:50:28–08:44:16
	// hour 3 Moon 08:44:16–09:38:04
	// sign_contract now: Jupiter hour, Good true
}
