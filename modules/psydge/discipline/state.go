package discipline

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// OpenTrade is a trade Psydge placed (or is placing) and has not seen closed.
type OpenTrade struct {
	ClientID  string    `json:"client_id"`
	Symbol    string    `json:"symbol"`
	Timeframe Timeframe `json:"tf"`
	Direction Direction `json:"dir"`
	// Entry is the requested price until Fill records the broker's fill.
	Entry       int64     `json:"entry"`
	InitialStop int64     `json:"initial_stop"`
	Stop        int64     `json:"stop"`
	Lots        int64     `json:"lots"`
	RiskMinor   int64     `json:"risk_minor"`
	SignalID    string    `json:"signal_id,omitempty"`
	OpenedAt    time.Time `json:"opened_at"`
	Filled      bool      `json:"filled"`
}

// riskPoints is the trade's 1R in price points. Reserve and Fill keep it positive.
func (t *OpenTrade) riskPoints() int64 { return int64(t.Direction) * (t.Entry - t.InitialStop) }

// RemainingMilliR is what the trade still risks, in thousandths of its own R, if it is stopped
// at its current stop: 1000 at the initial stop, 0 at break-even. A stop trailed into profit
// counts as 0, not as a credit, so open trades never buy room for new risk.
func (t *OpenTrade) RemainingMilliR() int64 {
	rp := t.riskPoints()
	if rp <= 0 {
		return 1000
	}
	at := int64(t.Direction) * (t.Entry - t.Stop)
	if at <= 0 {
		return 0
	}
	return ceilDiv(at*1000, rp)
}

func ceilDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) == (b < 0)) {
		q++
	}
	return q
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// TradeR is a closed trade's result in thousandths of R, rounded down so a loss is never
// understated: R = direction × (exit − entry) / (direction × (entry − initial stop)).
func TradeR(dir Direction, entry, initialStop, exit int64) (int64, error) {
	rp := int64(dir) * (entry - initialStop)
	if !dir.Valid() || rp <= 0 {
		return 0, fmt.Errorf("discipline: R of a %s from %d with stop %d: stop is not on the losing side", dir, entry, initialStop)
	}
	return floorDiv(int64(dir)*(exit-entry)*1000, rp), nil
}

// State is one user's gate state, the seed's GateState, kept in the Redis hash
// psydge:gate:{user_id} (see Encode). Fields belong to the gates that read them: B Signals;
// E Day, RealisedMilliR, Open, SessionLockUntil; H LastLossAt, CooldownUntil, BlackoutUntil
// and AckPending. Gates C, D and K are computed from the config, the clock and the request and
// keep no state.
type State struct {
	// Day is the trading day (YYYYMMDD, see TradingDay) the day counters belong to.
	Day            int   `json:"day"`
	RealisedMilliR int64 `json:"realised_mr"`
	ClosedToday    int   `json:"closed_today"`
	LossesToday    int   `json:"losses_today"`

	Open []OpenTrade `json:"open"`
	// Recent holds the client ids of the last closed or released trades, so a broker poll that
	// still lists one is not mistaken for an outside execution.
	Recent []string `json:"recent"`

	LastLossAt    time.Time `json:"last_loss_at"`
	CooldownUntil time.Time `json:"cooldown_until"`

	// BlackoutUntil ends the L3 blackout (gate H), SessionLockUntil the L4 lock (gate E).
	BlackoutUntil    time.Time `json:"blackout_until"`
	SessionLockUntil time.Time `json:"session_lock_until"`
	AckPending       bool      `json:"ack_pending"`
	ViolationsToday  int       `json:"violations_today"`
	LockBreaksToday  int       `json:"lock_breaks_today"`
	MaxLevelToday    Level     `json:"max_level_today"`

	Signals []Signal `json:"signals"`
	// ExternalSeen lists broker position ids already reported as EXTERNAL_EXECUTION.
	ExternalSeen []string `json:"external_seen"`

	// Rev increases on every change, for the Redis layer's optimistic check-and-set.
	Rev int64 `json:"rev"`
}

const (
	maxSignals      = 16
	maxRecent       = 32
	maxExternalSeen = 64
)

// Sentinel errors of the state transitions.
var (
	ErrTradeNotFound  = errors.New("discipline: trade not found")
	ErrDuplicateTrade = errors.New("discipline: client id already in use")
	ErrNotAllowed     = errors.New("discipline: decision did not allow the trade")
	ErrStopWidened    = errors.New("discipline: stop moved away from entry")
	ErrBadFill        = errors.New("discipline: fill is at or beyond the stop")
)

// NewState is the state of a user with no history, for the trading day of now.
func NewState(now time.Time) State { return State{Day: TradingDay(now)} }

// Roll brings s to the trading day of now: day counters reset at the 17:00 New York roll and
// stale signals are dropped. Locks are instants and simply pass. Cooldowns and open
// trades carry over: a loss at 16:30 New York still pauses the trader at 17:30.
func (s *State) Roll(now time.Time) {
	if day := TradingDay(now); day != s.Day {
		s.Day = day
		s.RealisedMilliR, s.ClosedToday, s.LossesToday = 0, 0, 0
		s.ViolationsToday, s.LockBreaksToday, s.MaxLevelToday = 0, 0, LevelNone
		s.Rev++
	}
	// The locked rules cap a signal's life at DefaultSignalBars bars, so anything older can
	// never match again (a used one only matters to Release, which then has nothing to return).
	kept := s.Signals[:0]
	for _, sig := range s.Signals {
		if now.Before(sig.IssuedAt.Add(DefaultSignalBars * sig.Timeframe.Duration())) {
			kept = append(kept, sig)
		}
	}
	if len(kept) != len(s.Signals) {
		clear(s.Signals[len(kept):])
		s.Signals = kept
		s.Rev++
	}
}

// RealisedOn is the realised R of trading day `day` (0 if s holds another day).
func (s *State) RealisedOn(day int) int64 {
	if s.Day != day {
		return 0
	}
	return s.RealisedMilliR
}

// OpenRiskMilliR sums the open trades' remaining risk in thousandths of R.
func (s *State) OpenRiskMilliR() int64 {
	var sum int64
	for i := range s.Open {
		sum += s.Open[i].RemainingMilliR()
	}
	return sum
}

// AddSignal stores a GO signal. A signal with the same id replaces the old one (keeping its
// use); beyond maxSignals the oldest unused signal is dropped.
func (s *State) AddSignal(sig Signal, now time.Time) error {
	switch {
	case sig.ID == "":
		return &FieldError{Field: "signal.id", Reason: "missing"}
	case sig.Symbol == "":
		return &FieldError{Field: "signal.symbol", Reason: "missing"}
	case !sig.Timeframe.Valid():
		return &FieldError{Field: "signal.tf", Reason: fmt.Sprintf("%q is not a timeframe", string(sig.Timeframe))}
	case !sig.Direction.Valid():
		return &FieldError{Field: "signal.dir", Reason: "must be BUY or SELL"}
	case sig.IssuedAt.IsZero():
		return &FieldError{Field: "signal.at", Reason: "missing"}
	}
	s.Roll(now)
	sig.Symbol = strings.ToUpper(sig.Symbol)
	for i := range s.Signals {
		if s.Signals[i].ID == sig.ID {
			sig.UsedBy = s.Signals[i].UsedBy
			s.Signals[i] = sig
			s.Rev++
			return nil
		}
	}
	sig.UsedBy = ""
	s.Signals = append(s.Signals, sig)
	for len(s.Signals) > maxSignals {
		drop := 0
		for i := range s.Signals {
			if s.Signals[i].UsedBy == "" {
				drop = i
				break
			}
		}
		s.Signals = slices.Delete(s.Signals, drop, drop+1)
	}
	s.Rev++
	return nil
}

func (s *State) openIndex(clientID string) int {
	for i := range s.Open {
		if s.Open[i].ClientID == clientID {
			return i
		}
	}
	return -1
}

// Reserve applies an accepted trade to s: its full 1R joins the open risk and its GO signal is
// spent. The Redis layer runs Check and Reserve on the same decoded state inside one
// optimistic transaction (WATCH/MULTI on Rev), so two tabs cannot both spend the last 1R.
func (s *State) Reserve(d *Decision, req *Request, clientID string, now time.Time) error {
	if !d.Allowed {
		return ErrNotAllowed
	}
	if clientID == "" {
		return &FieldError{Field: "client_id", Reason: "missing"}
	}
	if s.openIndex(clientID) >= 0 || slices.Contains(s.Recent, clientID) {
		return fmt.Errorf("discipline: reserve %s: %w", clientID, ErrDuplicateTrade)
	}
	s.Roll(now)
	if d.SignalID != "" {
		for i := range s.Signals {
			if s.Signals[i].ID == d.SignalID {
				if s.Signals[i].UsedBy != "" {
					return fmt.Errorf("discipline: reserve %s: signal %s already used by %s: %w", clientID, d.SignalID, s.Signals[i].UsedBy, ErrNotAllowed)
				}
				s.Signals[i].UsedBy = clientID
			}
		}
	}
	s.Open = append(s.Open, OpenTrade{
		ClientID: clientID, Symbol: strings.ToUpper(req.Symbol), Timeframe: req.Timeframe, Direction: req.Direction,
		Entry: req.Entry, InitialStop: req.Stop, Stop: req.Stop, Lots: req.Lots,
		RiskMinor: d.RiskMinor, SignalID: d.SignalID, OpenedAt: now,
	})
	s.Rev++
	return nil
}

// CheckAndReserve runs Check and, when it allows, Reserve, on the same state.
func (e Engine) CheckAndReserve(s *State, cfg *Config, req *Request, clientID string, now time.Time) (Decision, error) {
	d := e.Check(s, cfg, req, now)
	if !d.Allowed {
		return d, nil
	}
	return d, s.Reserve(&d, req, clientID, now)
}

func (s *State) remember(clientID string) {
	s.Recent = append(s.Recent, clientID)
	if n := len(s.Recent) - maxRecent; n > 0 {
		s.Recent = slices.Delete(s.Recent, 0, n)
	}
}

// Release undoes a reservation the broker refused: the open risk is freed and the signal can
// be used again.
func (s *State) Release(clientID string) error {
	i := s.openIndex(clientID)
	if i < 0 {
		return fmt.Errorf("discipline: release %s: %w", clientID, ErrTradeNotFound)
	}
	if s.Open[i].Filled {
		return fmt.Errorf("discipline: release %s: trade is filled, close it instead", clientID)
	}
	sigID := s.Open[i].SignalID
	s.Open = slices.Delete(s.Open, i, i+1)
	for j := range s.Signals {
		if s.Signals[j].ID == sigID && s.Signals[j].UsedBy == clientID {
			s.Signals[j].UsedBy = ""
		}
	}
	s.remember(clientID)
	s.Rev++
	return nil
}

// Fill records the broker's fill price; R is measured from it. A fill at or beyond the stop
// is refused (ErrBadFill): the caller closes the trade at that price instead.
func (s *State) Fill(clientID string, price int64) error {
	i := s.openIndex(clientID)
	if i < 0 {
		return fmt.Errorf("discipline: fill %s: %w", clientID, ErrTradeNotFound)
	}
	t := &s.Open[i]
	if price <= 0 || int64(t.Direction)*(price-t.InitialStop) <= 0 {
		return fmt.Errorf("discipline: fill %s at %d with stop %d: %w", clientID, price, t.InitialStop, ErrBadFill)
	}
	t.Entry, t.Filled = price, true
	s.Rev++
	return nil
}

// MoveStop moves an open trade's stop. Moving it away from entry adds risk the checks never
// approved, so it is refused with ErrStopWidened (the caller records a STOP_WIDENED violation).
func (s *State) MoveStop(clientID string, stop int64) error {
	i := s.openIndex(clientID)
	if i < 0 {
		return fmt.Errorf("discipline: move stop %s: %w", clientID, ErrTradeNotFound)
	}
	t := &s.Open[i]
	if stop <= 0 || int64(t.Direction)*(stop-t.Stop) < 0 {
		return fmt.Errorf("discipline: move stop %s from %d to %d: %w", clientID, t.Stop, stop, ErrStopWidened)
	}
	t.Stop = stop
	s.Rev++
	return nil
}

// ClosedTrade is a trade's final record.
type ClosedTrade struct {
	OpenTrade
	Exit     int64     `json:"exit"`
	ClosedAt time.Time `json:"closed_at"`
	RMilli   int64     `json:"r_milli"`
}

// Close books a closed trade: its R goes to the realised R of the trading day of now, and a
// loss starts the cooldown. Closing is never refused by the gates: reducing exposure is always
// allowed, whatever the locks say.
func (s *State) Close(cfg *Config, clientID string, exit int64, now time.Time) (ClosedTrade, error) {
	i := s.openIndex(clientID)
	if i < 0 {
		return ClosedTrade{}, fmt.Errorf("discipline: close %s: %w", clientID, ErrTradeNotFound)
	}
	if exit <= 0 {
		return ClosedTrade{}, &FieldError{Field: "exit", Reason: "must be a positive price"}
	}
	t := s.Open[i]
	r, err := TradeR(t.Direction, t.Entry, t.InitialStop, exit)
	if err != nil {
		return ClosedTrade{}, fmt.Errorf("discipline: close %s: %w", clientID, err)
	}
	s.Roll(now)
	s.Open = slices.Delete(s.Open, i, i+1)
	s.remember(clientID)
	s.RealisedMilliR += r
	s.ClosedToday++
	if r < 0 {
		s.LossesToday++
		s.startCooldown(now, cfg)
	}
	s.Rev++
	return ClosedTrade{OpenTrade: t, Exit: exit, ClosedAt: now, RMilli: r}, nil
}

func (s *State) startCooldown(at time.Time, cfg *Config) {
	if at.After(s.LastLossAt) {
		s.LastLossAt = at
	}
	if until := at.Add(cfg.cooldown()); until.After(s.CooldownUntil) {
		s.CooldownUntil = until
	}
}
