// Package astrotiming is AstroTiming: the classical planetary hours of Al Saat, live positions
// from the Swiss Ephemeris, the Timing Quality Score with forward search and scheduling, served
// as a keyed developer API, a light consumer web page, ICS feeds, Google Calendar sync and
// signed webhooks. The rules live in ./engine (the planetary-hour ruler: engine/planet.go,
// ChaldeanOrder, DayRuler and HourRuler); this package is HTTP, storage and jobs, laid out as
// docs/platform.md "The shape" says: routes.go is the route table (openapi.go describes it),
// <resource>_handlers.go parse and answer, <resource>_service.go hold the use cases,
// <entity>_store.go the models and queries, errors.go maps errors to answers, answers.go the
// JSON answers, params.go the query parsers, caller.go who is calling (keys, sessions, plans).
package astrotiming

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/modules/astrotiming/gcal"
	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/billing"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/ephemeris"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"
)

// tiers are the developer API plans: per-minute rate (GCRA) and daily quota (UTC day). The
// table is read through Tier and tierTable, so no caller can change a plan at run time.
var tiers = map[string]auth.Tier{
	"free":      {Name: "free", PerMinute: 60, DailyQuota: 1_000},
	"developer": {Name: "developer", PerMinute: 600, DailyQuota: 50_000},
	"premium":   {Name: "premium", PerMinute: 3_000, DailyQuota: 500_000},
}

// Tier is the plan called name.
func Tier(name string) (auth.Tier, bool) {
	t, ok := tiers[name]
	return t, ok
}

// tierTable is a copy of the plans, for the account endpoints that issue keys.
func tierTable() map[string]auth.Tier { return maps.Clone(tiers) }

// SessionPerMinute limits API calls made with a signed-in session instead of a key.
const SessionPerMinute = 120

// Module is AstroTiming.
type Module struct {
	d       platform.Deps
	eng     *engine.Engine // nil when the ephemeris files did not open
	ephErr  error
	gcal    *gcal.Client
	hook    *webhookSender
	dav     *webhookSender // CalDAV servers are users' addresses too: the same public-only transport
	keys    *auth.APIKeyGate
	billing *billing.Service             // the developer and premium plans (billing_plan.go)
	local   *cache.Local[string, []byte] // hours JSON by hoursKey, in front of Redis
	ai      *ai.Client                   // the AI layer's provider (ask_service.go); offline without a key
	offline *ai.Client                   // the offline rules, when the provider's answer is refused
}

// New builds the module. The ephemeris is opened once; when its files are missing the module
// still starts, /readyz says why, and the computing endpoints answer 503.
func New(d platform.Deps) (platform.Module, error) {
	timeout := d.Config.Astro.WebhookTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	m := &Module{d: d, hook: newWebhookSender(timeout), keys: d.Accounts.NewAPIKeyGate(KeyCacheTTL),
		local: newLocalHours(d.Clock.Now), ai: askClient(d), offline: ai.New(ai.Options{Clock: d.Clock, Log: d.Log})}
	eph, err := ephemeris.Open(d.Config.EphePath)
	if err != nil {
		m.ephErr = fmt.Errorf("ephemeris at %q: %w", d.Config.EphePath, err)
		d.Log.Error("astrotiming: Swiss Ephemeris unavailable; hours, positions and scores answer 503", "err", m.ephErr)
	} else {
		m.eng = engine.New(eph, d.Clock)
	}
	m.dav = newWebhookSender(20 * time.Second)
	m.gcal = gcal.New(gcal.Config{
		BaseURL: d.Config.Astro.GoogleCalendarBase, TokenURL: d.Config.Astro.GoogleTokenURL,
		ClientID: d.Config.Astro.GoogleClientID, ClientSecret: d.Config.Astro.GoogleClientSecret,
		AuthURL: d.Config.Astro.GoogleAuthURL, RevokeURL: d.Config.Astro.GoogleRevokeURL,
		RedirectURL: strings.TrimRight(d.Config.Astro.PublicBaseURL, "/") + GoogleCallbackPath,
	}, nil)
	if d.Workers != nil {
		m.registerWorkers()
	}
	if err := m.newBilling(); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Module) Name() string { return "astrotiming" }

// Close stops the goroutines that batch API key charges.
func (m *Module) Close(context.Context) error {
	m.keys.Close()
	return nil
}

// engine returns the engine, or an *EphemerisError (503) when its files did not open.
func (m *Module) engine() (*engine.Engine, error) {
	if m.eng == nil {
		return nil, &EphemerisError{Cause: m.ephErr}
	}
	return m.eng, nil
}

// requireEphemeris answers 503 before a computing handler reads its body, so a caller learns
// first that nothing can be computed here, whatever they sent.
func (m *Module) requireEphemeris(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := m.engine(); err != nil {
			return problem(err)
		}
		return next(c)
	}
}

// Checks reports the ephemeris in /readyz. It is optional so a process serving other modules
// stays ready; the check's error says exactly what is missing.
func (m *Module) Checks() []web.Check {
	checks := []web.Check{{Module: "astrotiming", Name: "ephemeris", Optional: true, Run: func(context.Context) error {
		if m.ephErr != nil {
			return fmt.Errorf("Swiss Ephemeris files unavailable, hours/positions/scores answer 503: %w", m.ephErr)
		}
		return nil
	}, Note: "Swiss Ephemeris files at " + m.d.Config.EphePath}}
	checks = append(checks, web.Check{Module: "astrotiming", Name: "google_calendar", Optional: true, Run: func(context.Context) error {
		if !m.gcal.CanRefresh() {
			return fmt.Errorf("no OAuth client (ALORIG_ASTROTIMING_GOOGLE_CLIENT_ID/SECRET): users cannot connect Google Calendar, and linked calendars sync until their access token expires")
		}
		return nil
	}})
	return append(checks, m.askCheck())
}

// SealedFields are the encrypted columns rotate-keys re-encrypts.
func (m *Module) SealedFields() []secret.Field {
	return []secret.Field{
		{Table: "webhooks", Column: "secret", IDColumn: "id"},
		{Table: "calendar_links", Column: "google_access_token", IDColumn: "user_id"},
		{Table: "calendar_links", Column: "google_refresh_token", IDColumn: "user_id"},
		{Table: "calendar_links", Column: "caldav_password", IDColumn: "user_id"},
	}
}

// PeriodicJobs are the module's schedules (UTC).
func (m *Module) PeriodicJobs() []*river.PeriodicJob {
	return append(periodicJobs(), billingSweepJob())
}
