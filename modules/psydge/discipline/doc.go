// Package discipline is Psydge's discipline engine: the six gates (B GO signal, C whitelist,
// D session, E R-based equity guard, H cooldown, K risk), the locked rules a user may only
// tighten, the violation ladder L1–L4, the gate state kept in Redis and rebuilt from Postgres,
// the daily Discipline Score and the behavioural pattern detector.
//
// Everything here is pure: no I/O, no clock reads. The caller passes the time in, so a
// session boundary or a cooldown expiry is decided by the instant it is given, and tests can
// walk through DST changes without waiting for them. docs/psydge-discipline.md is the rule book.
//
// Where each rule lives, once: the six gates are the gate* functions of engine.go, one each
// (gateSignal B, gateWhitelist C, gateSession D, gateEquity E, gateCooldown H with
// State.CooldownEnd, gateRisk K), and Engine.Check runs them in that order. The trading day and
// the sessions are calendar.go (TradingDay, TradingDayBounds, InSession); the locked rules and
// tightening are config.go; the violation ladder is levels.go; money and prices are risk.go.
// The order flow around the engine (modules/psydge) calls these and never re-derives them.
package discipline
