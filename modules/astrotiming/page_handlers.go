package astrotiming

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	views "github.com/alorig/alorig/views/astrotiming"
	"github.com/labstack/echo/v4"
)

// cities are the picker's places; Lahore is the default page.
var cities = []views.City{
	{Name: "Lahore", Lat: "31.5497", Lng: "74.3436", TZ: "Asia/Karachi"},
	{Name: "Karachi", Lat: "24.8607", Lng: "67.0011", TZ: "Asia/Karachi"},
	{Name: "Islamabad", Lat: "33.6844", Lng: "73.0479", TZ: "Asia/Karachi"},
	{Name: "Dubai", Lat: "25.2048", Lng: "55.2708", TZ: "Asia/Dubai"},
	{Name: "Riyadh", Lat: "24.7136", Lng: "46.6753", TZ: "Asia/Riyadh"},
	{Name: "Cairo", Lat: "30.0444", Lng: "31.2357", TZ: "Africa/Cairo"},
	{Name: "Istanbul", Lat: "41.0082", Lng: "28.9784", TZ: "Europe/Istanbul"},
	{Name: "London", Lat: "51.5074", Lng: "-0.1278", TZ: "Europe/London"},
	{Name: "New York", Lat: "40.7128", Lng: "-74.0060", TZ: "America/New_York"},
	{Name: "Kuala Lumpur", Lat: "3.1390", Lng: "101.6869", TZ: "Asia/Kuala_Lumpur"},
}

// DefaultActivity is scored on the page when none is chosen.
const DefaultActivity = "writing"

// dayPage is the consumer view: ?city= or ?lat=&lng=&tz= (Lahore by default) and ?activity=.
func (m *Module) dayPage(c echo.Context) error {
	q := c.QueryParams()
	city := cities[0]
	name := city.Name
	if pick := q.Get("city"); pick != "" {
		for _, ct := range cities {
			if strings.EqualFold(ct.Name, pick) {
				city, name = ct, ct.Name
			}
		}
	} else if q.Get("lat") != "" || q.Get("lng") != "" {
		city = views.City{Lat: q.Get("lat"), Lng: q.Get("lng"), TZ: q.Get("tz")}
		name = ""
	} else if u := auth.CurrentUser(c); u != nil {
		// A signed-in user sees their home location unless they ask for another.
		if h, err := m.Home(c.Request().Context(), u.ID); err == nil {
			city = views.City{Lat: strconv.FormatFloat(h.Lat, 'f', -1, 64), Lng: strconv.FormatFloat(h.Lng, 'f', -1, 64), TZ: h.TZ}
			name = "your home"
		} else if !errors.Is(err, ErrNoHome) {
			return err
		}
	}
	page := views.Day{Place: name, Lat: city.Lat, Lng: city.Lng, TZ: city.TZ, Cities: slices.Clone(cities),
		Elevation: q.Get("elevation"), Pressure: q.Get("pressure"), Temperature: q.Get("temperature")}
	actKey := q.Get("activity")
	if actKey == "" {
		actKey = DefaultActivity
	}
	for _, a := range engine.Activities() {
		page.Activities = append(page.Activities, views.Option{Key: a.Key, Name: a.Name, Selected: a.Key == actKey})
	}
	fail := func(status int, msg string) error {
		if page.Place == "" {
			page.Place = "the chosen place"
		}
		page.Error, page.ErrorStatus = msg, status
		return web.Render(c, status, views.DayPage(page))
	}
	if city.TZ == "" {
		city.TZ = "UTC"
		page.TZ = "UTC"
	}
	p, err := placeQuery(url.Values{"lat": {city.Lat}, "lng": {city.Lng}, "tz": {city.TZ},
		"elevation": {page.Elevation}, "pressure": {page.Pressure}, "temperature": {page.Temperature}}, true)
	if err != nil {
		return fail(http.StatusUnprocessableEntity, placeMessage(err))
	}
	page.Air = airText(locationOf(p))
	if page.Place == "" {
		page.Place = strconv.FormatFloat(p.Lat, 'f', 3, 64) + ", " + strconv.FormatFloat(p.Lng, 'f', 3, 64)
	}
	eng, err := m.engine()
	if err != nil {
		return fail(http.StatusServiceUnavailable, "The Swiss Ephemeris files are not installed on this server, so hours cannot be computed right now.")
	}
	now := m.d.Clock.Now()
	day, cur, err := eng.HourAt(p, now)
	var pe *engine.PolarError
	if errors.As(err, &pe) {
		return fail(http.StatusUnprocessableEntity, "No planetary hours here today: "+strings.ReplaceAll(pe.Kind, "_", " ")+" (the Sun does not both rise and set).")
	}
	if err != nil {
		return err
	}
	local := func(t interface{ Format(string) string }) string { return t.Format("15:04") }
	page.Date = day.Date.String()
	page.Weekday = day.Sunrise.In(p.Zone).Weekday().String()
	page.Sunrise, page.Sunset = local(day.Sunrise.In(p.Zone)), local(day.Sunset.In(p.Zone))
	page.DayRuler, page.DayArabic = day.DayRuler.String(), day.DayRuler.ArabicName()
	for _, h := range day.Hours {
		row := views.Hour{Index: h.Index, Ruler: h.Ruler.String(), Arabic: h.Ruler.ArabicName(), Start: local(h.Start.In(p.Zone)),
			End: local(h.End.In(p.Zone)), IsDay: h.IsDay, Current: h.Index == cur.Index}
		page.Hours = append(page.Hours, row)
		if row.Current {
			r := row
			page.Current = &r
		}
	}
	page.EndsAtUnix = cur.End.Unix()
	page.Remaining = cur.End.Sub(now).Truncate(1e9).String()
	if act, err := engine.LookupActivity(actKey); err == nil {
		s, err := eng.Score(act, p, now)
		if err != nil {
			return err
		}
		b := s.Breakdown
		page.Score = &views.Score{Activity: act.Name, Planet: act.Planet.String() + " (" + act.Planet.ArabicName() + ")", Score: s.Score, Band: s.Band,
			Factors: []views.Factor{
				{Name: "Hour ruler", Points: b.HourRuler.Points, Max: b.HourRuler.Max, Reason: b.HourRuler.Reason},
				{Name: "Day ruler", Points: b.DayRuler.Points, Max: b.DayRuler.Max, Reason: b.DayRuler.Reason},
				{Name: "Dignity", Points: b.Dignity.Points, Max: b.Dignity.Max, Reason: b.Dignity.Reason},
				{Name: "Moon", Points: b.Lunar.Points, Max: b.Lunar.Max, Reason: b.Lunar.Reason},
				{Name: "Aspects", Points: b.Aspects.Points, Max: b.Aspects.Max, Reason: b.Aspects.Reason},
				{Name: "Retrograde", Points: b.Retrograde.Points, Max: b.Retrograde.Max, Reason: b.Retrograde.Reason},
			}}
	}
	return web.Render(c, http.StatusOK, views.DayPage(page))
}

// placeMessage words a bad place for the page's readers, with the form's own labels instead of
// the error's package prefix and query names.
func placeMessage(err error) string {
	var fe *engine.FieldError
	if !errors.As(err, &fe) {
		return "This place cannot be used; check the latitude, longitude and time zone."
	}
	label := map[string]string{"lat": "Latitude", "lng": "Longitude", "tz": "Time zone",
		"elevation": "Elevation", "pressure": "Pressure", "temperature": "Temperature"}[fe.Field]
	if label == "" {
		label = fe.Field
	}
	return label + ": " + fe.Reason + "."
}

// airText says for the page's footer what rise and set were computed with.
func airText(l Location) string {
	elev := "sea level"
	if l.Elevation != 0 {
		elev = strconv.FormatFloat(l.Elevation, 'f', -1, 64) + " m"
	}
	press := strconv.FormatFloat(l.Pressure, 'f', -1, 64) + " hPa"
	if l.Pressure == 0 {
		press = "pressure from the elevation"
	}
	return elev + ", " + press + ", " + strconv.FormatFloat(l.Temperature, 'f', -1, 64) + " °C"
}
