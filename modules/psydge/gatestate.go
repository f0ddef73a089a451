package psydge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/database"
)

func isNotFound(err error) bool { return errors.Is(err, database.ErrNotFound) }

// Redis keys, exactly the seed's (the keyspace adds "psydge:").
func gateKey(userID int64) string     { return "gate:" + strconv.FormatInt(userID, 10) }
func cooldownKey(userID int64) string { return "cooldown:" + strconv.FormatInt(userID, 10) }
func sessionRKey(userID int64) string { return "session_r:" + strconv.FormatInt(userID, 10) }
func positionsKey(userID int64) string {
	return "positions:" + strconv.FormatInt(userID, 10)
}
func priceKey(symbol string) string { return "prices:" + symbol }
func lockKey(userID int64) string   { return "lock:" + strconv.FormatInt(userID, 10) }

// saveScript replaces the gate hash only if its rev is still the one the caller read (or, with
// an empty expected rev, only if no hash exists), and rewrites the three derived keys in the
// same step so they can never disagree with the hash:
//
//	KEYS: gate, cooldown, session_r, lock
//	ARGV: expected rev, cooldown until (unix s), cooldown ttl ms, session R (milli-R),
//	      session_r ttl ms, lock until (unix s), lock ttl ms, then field/value pairs.
//
// A TTL of 0 deletes the key. Returns 1 on success, 0 on a lost race.
var saveScript = cache.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'rev')
if ARGV[1] == '' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
elseif cur ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 8))
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) else redis.call('DEL', KEYS[2]) end
if tonumber(ARGV[5]) > 0 then redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5]) else redis.call('DEL', KEYS[3]) end
if tonumber(ARGV[7]) > 0 then redis.call('SET', KEYS[4], ARGV[6], 'PX', ARGV[7]) else redis.call('DEL', KEYS[4]) end
return 1
`)

// loaded is a decoded gate state with the rev it was read at ("" when it was rebuilt and is
// not yet stored) and the config it is judged with.
type loaded struct {
	State   discipline.State
	ReadRev string
	Config  *ConfigRow
}

// loadState reads psydge:gate:{id}; a missing or corrupt hash is rebuilt from Postgres and
// stored. Any failure is ErrGateState: there is no "open" default.
func (m *Module) loadState(ctx context.Context, userID int64) (*loaded, error) {
	return m.loadStateWith(ctx, userID, nil)
}

// loadStateWith is loadState with the user's config already read (the ticket context reads
// it in the same round trip as the connection and the signals).
func (m *Module) loadStateWith(ctx context.Context, userID int64, cfg *ConfigRow) (*loaded, error) {
	now := m.d.Clock.Now()
	h, err := m.d.KV.HGetAll(ctx, gateKey(userID))
	if err != nil {
		return nil, fmt.Errorf("%w: read gate:%d: %v", ErrGateState, userID, err)
	}
	if cfg == nil {
		if cfg, err = configOrDefault(ctx, m.d.DB, userID, now); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrGateState, err)
		}
	}
	st, err := discipline.DecodeState(h)
	if err == nil {
		st.Roll(now)
		return &loaded{State: st, ReadRev: h["rev"], Config: cfg}, nil
	}
	if !errors.Is(err, discipline.ErrNoState) && !errors.Is(err, discipline.ErrStateCorrupt) {
		return nil, fmt.Errorf("%w: decode gate:%d: %v", ErrGateState, userID, err)
	}
	if errors.Is(err, discipline.ErrStateCorrupt) {
		m.d.Log.Warn("gate state corrupt, rebuilding from Postgres", "user", userID, "err", err)
		if _, err := m.d.KV.Del(ctx, gateKey(userID)); err != nil {
			return nil, fmt.Errorf("%w: drop corrupt gate:%d: %v", ErrGateState, userID, err)
		}
	}
	rec, cfg, err := recordOf(ctx, m.d.DB, userID, now)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrGateState, err)
	}
	st, err = discipline.Rebuild(now, &cfg.Config, rec)
	if err != nil {
		return nil, fmt.Errorf("%w: rebuild gate:%d: %v", ErrGateState, userID, err)
	}
	l := &loaded{State: st, Config: cfg}
	if err := m.saveState(ctx, userID, l); err != nil && !errors.Is(err, errConflict) {
		return nil, err
	}
	// Whoever stored first wins; read back so every caller decides on the stored state.
	h, err = m.d.KV.HGetAll(ctx, gateKey(userID))
	if err != nil {
		return nil, fmt.Errorf("%w: read gate:%d: %v", ErrGateState, userID, err)
	}
	if st, err = discipline.DecodeState(h); err != nil {
		return nil, fmt.Errorf("%w: decode rebuilt gate:%d: %v", ErrGateState, userID, err)
	}
	st.Roll(now)
	return &loaded{State: st, ReadRev: h["rev"], Config: cfg}, nil
}

func ttlMillis(until, now time.Time) int64 {
	if !until.After(now) {
		return 0
	}
	return max(1, until.Sub(now).Milliseconds())
}

// saveState writes l.State if the hash still has l.ReadRev. The rev always moves forward so a
// writer that read before us cannot overwrite us.
func (m *Module) saveState(ctx context.Context, userID int64, l *loaded) error {
	now := m.d.Clock.Now()
	if old, err := strconv.ParseInt(l.ReadRev, 10, 64); err == nil && l.State.Rev <= old {
		l.State.Rev = old + 1
	}
	fields := l.State.Encode()
	cooldownUntil := l.State.CooldownEnd(&l.Config.Config)
	lockUntil := l.State.SessionLockUntil
	args := []any{l.ReadRev,
		cooldownUntil.Unix(), ttlMillis(cooldownUntil, now),
		l.State.RealisedMilliR, ttlMillis(discipline.TradingDayEnd(now), now),
		lockUntil.Unix(), ttlMillis(lockUntil, now)}
	for k, v := range fields {
		args = append(args, k, v)
	}
	res, err := m.d.KV.Run(ctx, saveScript, []string{gateKey(userID), cooldownKey(userID), sessionRKey(userID), lockKey(userID)}, args...)
	if err != nil {
		return fmt.Errorf("%w: write gate:%d: %v", ErrGateState, userID, err)
	}
	if n, _ := res.(int64); n != 1 {
		return errConflict
	}
	l.ReadRev = strconv.FormatInt(l.State.Rev, 10)
	return nil
}

// update runs fn on the freshest state and stores the result, retrying lost races. fn may be
// run several times and must only change the state it is given.
func (m *Module) update(ctx context.Context, userID int64, fn func(l *loaded) error) (*loaded, error) {
	return m.updateWith(ctx, userID, nil, fn)
}

func (m *Module) updateWith(ctx context.Context, userID int64, cfg *ConfigRow, fn func(l *loaded) error) (*loaded, error) {
	for attempt := 0; attempt < 16; attempt++ {
		l, err := m.loadStateWith(ctx, userID, cfg)
		if err != nil {
			return nil, err
		}
		if err := fn(l); err != nil {
			return l, err
		}
		err = m.saveState(ctx, userID, l)
		if errors.Is(err, errConflict) {
			continue
		}
		return l, err
	}
	return nil, fmt.Errorf("%w: gate:%d kept changing under 16 attempts", ErrGateState, userID)
}

// forgetState drops the hash after a Postgres write whose Redis half failed, so the next read
// rebuilds from the record instead of trusting a stale hash.
func (m *Module) forgetState(ctx context.Context, userID int64) {
	if _, err := m.d.KV.Del(ctx, gateKey(userID)); err != nil {
		m.d.Log.Error("gate state may be stale: could not drop it", "user", userID, "err", err)
	}
}

// GateStatus is what GET /api/v1/gates and the live channel show.
type GateStatus struct {
	Day             int                 `json:"trading_day"`
	RealisedR       float64             `json:"realised_r"`
	OpenRiskR       float64             `json:"open_risk_r"`
	OpenTrades      int                 `json:"open_trades"`
	LossLockR       float64             `json:"loss_lock_r"`
	ProfitLockR     float64             `json:"profit_lock_r"`
	CooldownUntil   *time.Time          `json:"cooldown_until,omitempty"`
	BlackoutUntil   *time.Time          `json:"blackout_until,omitempty"`
	SessionLocked   *time.Time          `json:"session_locked_until,omitempty"`
	AckPending      bool                `json:"ack_pending"`
	Level           string              `json:"level"`
	ViolationsToday int                 `json:"violations_today"`
	InSession       bool                `json:"in_session"`
	Session         string              `json:"session,omitempty"`
	Signals         []discipline.Signal `json:"signals"`
	// Now is the server's time when the status was read: countdowns run against it, not the
	// browser's clock, which may be off (and is, under a development ALORIG_CLOCK).
	Now time.Time `json:"now"`
}

func timePtr(t time.Time, now time.Time) *time.Time {
	if !t.After(now) {
		return nil
	}
	t = t.UTC()
	return &t
}

// gateStatus is what the trader is shown of the gate state. Its unused GO signals are only
// those the user may count now: Vista's need the Vista plan (as gate B does, mergeSignals), so
// a Core trader's status never lists Vista's signals, even when a rebuilt state holds them.
// A plan that cannot be read counts as Core here: the status shows less, never more.
func (m *Module) gateStatus(ctx context.Context, userID int64, l *loaded) GateStatus {
	vistaOK, err := m.billing.Entitled(ctx, userID, TierVista)
	if err != nil {
		vistaOK = false
	}
	now := m.d.Clock.Now()
	s := &l.State
	cfg := &l.Config.Config
	lvl, _ := s.ActiveLock(now)
	sess, in := discipline.InSession(cfg, now)
	cool := s.CooldownEnd(cfg)
	sigs := []discipline.Signal{}
	for _, sg := range s.Signals {
		if sg.UsedBy == "" && usableSignal(&sg, vistaOK) {
			sigs = append(sigs, sg)
		}
	}
	return GateStatus{
		Day: s.Day, RealisedR: float64(s.RealisedMilliR) / 1000, OpenRiskR: float64(s.OpenRiskMilliR()) / 1000,
		OpenTrades: len(s.Open), LossLockR: -float64(max(cfg.LossLockMilliR, 0)) / 1000, ProfitLockR: float64(cfg.ProfitLockMilliR) / 1000,
		CooldownUntil: timePtr(cool, now), BlackoutUntil: timePtr(s.BlackoutUntil, now), SessionLocked: timePtr(s.SessionLockUntil, now),
		AckPending: s.AckPending, Level: lvl.String(), ViolationsToday: s.ViolationsToday, InSession: in, Session: sess, Signals: sigs,
		Now: now.UTC(),
	}
}

// snapshotJSON is the gate state stored with a violation.
func snapshotJSON(s *discipline.State) json.RawMessage {
	b, err := json.Marshal(s)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return b
}
