package astrotiming

import (
	"encoding/json"
)

// openAPIDocument is served at /api/openapi.json (OpenAPI 3.1).
var openAPIDocument = buildOpenAPI()

func buildOpenAPI() []byte {
	q := func(name, desc string, required bool, schema map[string]any) map[string]any {
		return map[string]any{"name": name, "in": "query", "required": required, "description": desc, "schema": schema}
	}
	str := map[string]any{"type": "string"}
	num := func(min, max float64) map[string]any {
		return map[string]any{"type": "number", "minimum": min, "maximum": max}
	}
	lat := q("lat", "latitude, degrees north (rounded to 0.001°)", true, num(-90, 90))
	lng := q("lng", "longitude, degrees east (rounded to 0.001°)", true, num(-180, 180))
	tzReq := q("tz", "IANA time zone, e.g. Asia/Karachi", true, str)
	tzOpt := q("tz", "IANA time zone (default UTC)", false, str)
	act := q("activity", "activity key, name or synonym (GET /api/v1/activities)", true, str)
	date := func(name, desc string) map[string]any {
		return q(name, desc, false, map[string]any{"type": "string", "format": "date"})
	}
	at := q("at", "RFC 3339 instant (default now)", false, map[string]any{"type": "string", "format": "date-time"})
	ok := func(desc string) map[string]any {
		return map[string]any{
			"200": map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}},
			"401": map[string]any{"$ref": "#/components/responses/Problem"},
			"422": map[string]any{"$ref": "#/components/responses/Problem"},
			"429": map[string]any{"$ref": "#/components/responses/Problem"},
			"503": map[string]any{"$ref": "#/components/responses/Problem"},
		}
	}
	body := map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	op := func(summary string, params []any, resp string) map[string]any {
		return map[string]any{"summary": summary, "parameters": params, "responses": ok(resp)}
	}
	opBody := func(summary, resp string) map[string]any {
		return map[string]any{"summary": summary, "requestBody": body, "responses": ok(resp)}
	}
	idParam := func(name string) []any {
		return []any{map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "integer"}}}
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "AstroTiming API", "version": "1.0.0",
			"description": "Planetary hours (Al Saat), Swiss Ephemeris positions and the Timing Quality Score. Authenticate with X-API-Key (POST /api/v1/auth/keys) or a Bearer session token. Errors are application/problem+json; 422 answers name the field."},
		"servers":  []any{map[string]any{"url": "https://api.astrotiming.com"}, map[string]any{"url": "http://astrotiming.localhost:8080"}},
		"security": []any{map[string]any{"apiKey": []any{}}, map[string]any{"bearer": []any{}}},
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"apiKey": map[string]any{"type": "apiKey", "in": "header", "name": "X-API-Key"},
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
			},
			"responses": map[string]any{"Problem": map[string]any{"description": "RFC 9457 problem details",
				"content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"type": "object",
					"properties": map[string]any{"status": map[string]any{"type": "integer"}, "detail": str, "code": str,
						"errors": map[string]any{"type": "array", "items": map[string]any{"type": "object",
							"properties": map[string]any{"field": str, "reason": str}}}}}}}}},
		},
		"paths": map[string]any{
			"/api/v1/hours":     map[string]any{"get": op("The 24 planetary hours of a local date", []any{lat, lng, tzReq, date("date", "local date YYYY-MM-DD (default today)")}, "sunrise, sunset, next_sunrise, day_ruler, hours[24]")},
			"/api/v1/now":       map[string]any{"get": op("The current planetary hour", []any{lat, lng, tzReq}, "the hour, its ruler and the time left")},
			"/api/v1/positions": map[string]any{"get": op("Positions of the seven planets, aspects and the Moon", []any{at}, "planets, aspects, moon")},
			"/api/v1/tqs":       map[string]any{"get": op("Timing Quality Score of an activity", []any{act, lat, lng, tzOpt, at}, "score, band, breakdown")},
			"/api/v1/tqs/bulk":  map[string]any{"post": opBody("Up to 100 scores: {lat,lng,tz,items:[{activity,at,lat?,lng?,tz?}]}", "results[]")},
			"/api/v1/search": map[string]any{"get": op("Best windows for an activity over up to 90 days", []any{act, lat, lng, tzOpt,
				date("from", "first local date (default today)"), date("to", "last local date, inclusive (default from + 6)"),
				q("min_score", "0–100 (default 60)", false, map[string]any{"type": "integer"}), q("limit", "1–100 (default 10)", false, map[string]any{"type": "integer"})}, "ranked windows")},
			"/api/v1/activities": map[string]any{"get": op("The activity vocabulary and the planetary domains", []any{q("q", "search words", false, str)}, "activities, domains")},
			"/api/v1/schedule": map[string]any{
				"post": opBody("Place activities in a conflict-free schedule: {lat,lng,tz,from,days,items:[{id,activity,duration_minutes,priority,preferred_window}],save}", "schedule"),
				"get":  op("Saved schedule entries", nil, "entries")},
			"/api/v1/schedule/check":               map[string]any{"post": opBody("Conflict check: score planned entries {lat,lng,tz,lookahead_days,entries:[{id,activity,start,end}]} or your stored ones {saved:true}; overlaps and better slots", "entries")},
			"/api/v1/schedule/{schedule_entry_id}": map[string]any{"delete": op("Delete a saved entry", idParam("schedule_entry_id"), "no content")},
			"/api/v1/locations":                    map[string]any{"get": op("Saved locations", nil, "locations"), "post": opBody("Save a location {name,lat,lng,tz}", "location")},
			"/api/v1/locations/{location_id}":      map[string]any{"get": op("One location", idParam("location_id"), "location"), "put": map[string]any{"summary": "Replace a location", "parameters": idParam("location_id"), "requestBody": body, "responses": ok("location")}, "delete": op("Delete a location", idParam("location_id"), "no content")},
			"/api/v1/home":                         map[string]any{"get": op("Your home location", nil, "home"), "put": opBody("Set your home location {lat,lng,tz} (daily briefing)", "home")},
			"/api/v1/briefing":                     map[string]any{"get": op("Your latest daily briefing", nil, "briefing")},
			"/api/v1/webhooks":                     map[string]any{"post": opBody("Developer keys: signed POSTs when optimal windows start {url,activity,lat,lng,tz,min_score,days,limit}", "webhook and its secret (once)"), "get": op("Your webhooks", nil, "webhooks")},
			"/api/v1/webhooks/{webhook_id}":        map[string]any{"delete": op("Disable a webhook", idParam("webhook_id"), "no content")},
			"/api/v1/calendar/ics":                 map[string]any{"post": opBody("Premium: issue a secret ICS feed URL", "url")},
			"/api/v1/calendar/google":              map[string]any{"put": opBody("Premium: link Google Calendar {calendar_id,access_token,refresh_token,expires_at}", "linked")},
			"/api/v1/auth/register":                map[string]any{"post": map[string]any{"summary": "Create an account {email,password}", "security": []any{}, "requestBody": body, "responses": ok("user and Bearer token")}},
			"/api/v1/auth/login":                   map[string]any{"post": map[string]any{"summary": "Sign in {email,password}", "security": []any{}, "requestBody": body, "responses": ok("user and Bearer token")}},
			"/api/v1/auth/keys":                    map[string]any{"post": opBody("Create an API key {name,tier: free|developer|premium}", "the key (shown once)"), "get": op("Your keys", nil, "api_keys")},
			"/api/v1/auth/keys/{id}":               map[string]any{"delete": op("Revoke a key", idParam("id"), "no content")},
		},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // a literal map of strings always encodes
	}
	return b
}
