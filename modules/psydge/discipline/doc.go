// Package discipline is Psydge's discipline engine: the six gates (B GO signal, C whitelist,
// D session, E R-based equity guard, H cooldown, K risk), the locked rules a user may only
// tighten, the violation ladder L1–L4, the gate state kept in Redis and rebuilt from Postgres,
// the daily Discipline Score and the behavioural pattern detector.
//
// Everything here is pure: no I/O, no clock reads. The caller passes the time in, so a
// session boundary or a cooldown expiry is decided by the instant it is given, and tests can
// walk through DST changes without waiting for them. docs/psydge-discipline.md is the rule book.
package discipline
