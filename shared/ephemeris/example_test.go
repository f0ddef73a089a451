package ephemeris_test

import (
	"fmt"
	"time"

	"github.com/alorig/alorig/shared/ephemeris"
)

// Positions and sunrise for flatlib's published example: Lisbon area, 13 March 2015.
// The sunrise is that of the standard atmosphere (1013.25 hPa, 15 °C), as `swetest -rise` prints it.
func Example() {
	eph, err := ephemeris.Open(ephemeris.DefaultPath)
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2015, 3, 13, 17, 0, 0, 0, time.UTC)
	venus, err := eph.CalcTime(at, ephemeris.Venus, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("Venus %.4f° moving %.4f°/day\n", venus.Longitude, venus.LongitudeSpeed)

	place := ephemeris.GeoPos{Lng: -(8 + 54.0/60), Lat: 38 + 32.0/60}
	midnight := time.Date(2015, 3, 13, 0, 0, 0, 0, time.UTC)
	rise, err := eph.NextEvent(midnight, ephemeris.Sun, ephemeris.EventRise, place, ephemeris.StandardAtmosphere)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sunrise", rise.Round(time.Second).Format(time.TimeOnly), "UT")

	_, err = eph.CalcTime(time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), ephemeris.Sun, 0)
	fmt.Println(err != nil)
	// Output:
	// Venus 25.5031° moving 1.2114°/day
	// sunrise 06:50:37 UT
	// true
}
