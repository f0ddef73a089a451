package discipline

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Config is a user's discipline parameters (the seed's DisciplineConfig). Defaults() holds the
// locked rules; a user's Config may only be stricter.
type Config struct {
	// LossLockMilliR is the size of the daily loss lock in thousandths of R: 2000 locks the day
	// once realised R reaches −2R.
	LossLockMilliR int64 `json:"loss_lock_mr"`
	// ProfitLockMilliR locks the day once realised R reaches +ProfitLockMilliR/1000.
	ProfitLockMilliR int64 `json:"profit_lock_mr"`
	// CooldownMinutes is the pause after a losing trade closes.
	CooldownMinutes int64 `json:"cooldown_minutes"`
	// MaxRiskBasisPoints caps the loss at the stop as a share of equity (100 = 1%).
	MaxRiskBasisPoints int64 `json:"max_risk_bp"`
	// SignalBars is how many bars of its timeframe a GO signal stays live.
	SignalBars int64 `json:"signal_bars"`
	// London is in Europe/London wall-clock time, NewYork in America/New_York.
	London  SessionHours `json:"london"`
	NewYork SessionHours `json:"new_york"`
	// Whitelist lists the symbols and, per symbol, the timeframes the user trades.
	Whitelist []Instrument `json:"whitelist"`
}

// Instrument is one whitelist entry.
type Instrument struct {
	Symbol     string      `json:"symbol"`
	Timeframes []Timeframe `json:"timeframes"`
}

// The locked rules.
const (
	DefaultLossLockMilliR     = 2000
	DefaultProfitLockMilliR   = 3000
	DefaultCooldownMinutes    = 240
	DefaultMaxRiskBasisPoints = 100
	DefaultSignalBars         = 3
	// MaxCooldownMinutes bounds tightening: a cooldown longer than a trading day would carry a
	// single loss into the next day's plan, which is a different rule (a day off), not a pause.
	MaxCooldownMinutes = 24 * 60
)

// universe is the platform's symbol list: the FX majors and crosses Vista covers, gold and the
// main indices. A user whitelist is a subset of it. Universe hands out copies, so no caller can
// change the list a running engine checks against.
var universe = []string{
	"EURUSD", "GBPUSD", "USDJPY", "USDCHF", "AUDUSD", "USDCAD", "NZDUSD",
	"EURJPY", "GBPJPY", "EURGBP", "XAUUSD", "US30", "US500", "NAS100", "DE40", "UK100",
}

// Universe returns a copy of the platform's symbol list.
func Universe() []string { return slices.Clone(universe) }

// Defaults returns the locked rules: −2R loss lock, +3R profit lock, 4 h cooldown, 1% risk,
// London 08:00–17:00 London time and New York 08:00–17:00 New York time, the whole Universe on
// every timeframe, GO signals live for 3 bars.
func Defaults() Config {
	wl := make([]Instrument, len(universe))
	for i, s := range universe {
		wl[i] = Instrument{Symbol: s, Timeframes: slices.Clone(Timeframes)}
	}
	return Config{
		LossLockMilliR:     DefaultLossLockMilliR,
		ProfitLockMilliR:   DefaultProfitLockMilliR,
		CooldownMinutes:    DefaultCooldownMinutes,
		MaxRiskBasisPoints: DefaultMaxRiskBasisPoints,
		SignalBars:         DefaultSignalBars,
		London:             SessionHours{Enabled: true, Open: 8 * 60, Close: 17 * 60},
		NewYork:            SessionHours{Enabled: true, Open: 8 * 60, Close: 17 * 60},
		Whitelist:          wl,
	}
}

var defaultLondon, defaultNewYork = Defaults().London, Defaults().NewYork

// RuleError names the rule a config change would loosen or break. The HTTP layer answers 422
// with Rule as the field.
type RuleError struct {
	Rule   string
	Reason string
}

func (e *RuleError) Error() string { return "discipline: rule " + e.Rule + ": " + e.Reason }

// Validate checks c against the locked rules: every value well formed and at least as strict
// as Defaults().
func (c *Config) Validate() error {
	if err := c.wellFormed(); err != nil {
		return err
	}
	d := Defaults()
	return c.notLooserThan(&d, "the locked rule")
}

// Tighten checks a proposed config against the user's current one and returns it when every
// value is at least as strict. A trader half-way to his own −1.5R lock must not be able to
// relax it to −2R mid-day; relaxing back towards the locked rules is a decision for a fresh
// day and goes through Validate alone.
func Tighten(current, proposed Config) (Config, error) {
	if err := proposed.Validate(); err != nil {
		return Config{}, err
	}
	if err := proposed.notLooserThan(&current, "your current setting"); err != nil {
		return Config{}, err
	}
	return proposed, nil
}

func (c *Config) wellFormed() error {
	switch {
	case c.LossLockMilliR <= 0:
		return &RuleError{Rule: "loss_lock_r", Reason: "must be a positive number of R"}
	case c.ProfitLockMilliR <= 0:
		return &RuleError{Rule: "profit_lock_r", Reason: "must be a positive number of R"}
	case c.CooldownMinutes <= 0 || c.CooldownMinutes > MaxCooldownMinutes:
		return &RuleError{Rule: "cooldown_hours", Reason: fmt.Sprintf("%d minutes is outside 1..%d", c.CooldownMinutes, MaxCooldownMinutes)}
	case c.MaxRiskBasisPoints <= 0:
		return &RuleError{Rule: "max_risk_pct", Reason: "must be positive"}
	case c.SignalBars <= 0:
		return &RuleError{Rule: "signal_bars", Reason: "must be at least 1"}
	}
	for _, s := range [...]struct {
		name string
		h    SessionHours
	}{{"London", c.London}, {"New York", c.NewYork}} {
		if s.h.Enabled && (s.h.Open < 0 || s.h.Close > 24*60 || s.h.Open >= s.h.Close) {
			return &RuleError{Rule: "session_hours", Reason: fmt.Sprintf("%s %s–%s is not a window inside one day", s.name, hhmm(s.h.Open), hhmm(s.h.Close))}
		}
	}
	if !c.London.Enabled && !c.NewYork.Enabled {
		return &RuleError{Rule: "session_hours", Reason: "at least one session must be enabled"}
	}
	for _, in := range c.Whitelist {
		if in.Symbol == "" || strings.ToUpper(in.Symbol) != in.Symbol {
			return &RuleError{Rule: "symbol_whitelist", Reason: fmt.Sprintf("symbol %q must be upper-case and not empty", in.Symbol)}
		}
		if len(in.Timeframes) == 0 {
			return &RuleError{Rule: "symbol_whitelist", Reason: fmt.Sprintf("%s lists no timeframe", in.Symbol)}
		}
		for _, tf := range in.Timeframes {
			if !tf.Valid() {
				return &RuleError{Rule: "symbol_whitelist", Reason: fmt.Sprintf("%s: timeframe %q is not one of M1 M5 M15 M30 H1 H4 D1", in.Symbol, string(tf))}
			}
		}
	}
	return nil
}

func (c *Config) notLooserThan(b *Config, what string) error {
	r := func(v int64) string { return fmt.Sprintf("%d.%03dR", v/1000, v%1000) }
	switch {
	case c.LossLockMilliR > b.LossLockMilliR:
		return &RuleError{Rule: "loss_lock_r", Reason: fmt.Sprintf("−%s is looser than %s −%s", r(c.LossLockMilliR), what, r(b.LossLockMilliR))}
	case c.ProfitLockMilliR > b.ProfitLockMilliR:
		return &RuleError{Rule: "profit_lock_r", Reason: fmt.Sprintf("+%s is looser than %s +%s", r(c.ProfitLockMilliR), what, r(b.ProfitLockMilliR))}
	case c.CooldownMinutes < b.CooldownMinutes:
		return &RuleError{Rule: "cooldown_hours", Reason: fmt.Sprintf("%v is shorter than %s %v", time.Duration(c.CooldownMinutes)*time.Minute, what, time.Duration(b.CooldownMinutes)*time.Minute)}
	case c.MaxRiskBasisPoints > b.MaxRiskBasisPoints:
		return &RuleError{Rule: "max_risk_pct", Reason: fmt.Sprintf("%s is more than %s %s", FormatBasisPoints(c.MaxRiskBasisPoints), what, FormatBasisPoints(b.MaxRiskBasisPoints))}
	case c.SignalBars > b.SignalBars:
		return &RuleError{Rule: "signal_bars", Reason: fmt.Sprintf("%d bars is longer than %s %d", c.SignalBars, what, b.SignalBars)}
	}
	for _, s := range [...]struct {
		name string
		h, b SessionHours
	}{{"London", c.London, b.London}, {"New York", c.NewYork, b.NewYork}} {
		if !s.h.Enabled {
			continue
		}
		if !s.b.Enabled || s.h.Open < s.b.Open || s.h.Close > s.b.Close {
			return &RuleError{Rule: "session_hours", Reason: fmt.Sprintf("%s %s–%s reaches outside %s %s", s.name, hhmm(s.h.Open), hhmm(s.h.Close), what, windowText(s.b))}
		}
	}
	for _, in := range c.Whitelist {
		for _, tf := range in.Timeframes {
			if !b.allows(in.Symbol, tf) {
				return &RuleError{Rule: "symbol_whitelist", Reason: fmt.Sprintf("%s %s is not in %s", in.Symbol, tf, what)}
			}
		}
	}
	return nil
}

// allows reports whether the whitelist lists symbol with timeframe tf; symbolListed whether
// it lists the symbol at all.
func (c *Config) allows(symbol string, tf Timeframe) bool {
	ok, _ := c.lookup(symbol, tf)
	return ok
}

func (c *Config) lookup(symbol string, tf Timeframe) (allowed, symbolListed bool) {
	for i := range c.Whitelist {
		in := &c.Whitelist[i]
		if !strings.EqualFold(in.Symbol, symbol) {
			continue
		}
		symbolListed = true
		if slices.Contains(in.Timeframes, tf) {
			return true, true
		}
	}
	return false, symbolListed
}

func inUniverse(symbol string) bool {
	for _, s := range universe {
		if strings.EqualFold(s, symbol) {
			return true
		}
	}
	return false
}

// The effective values clamp a stored config to the locked rules, so a corrupted or
// hand-edited row can only ever make the engine stricter, never looser.
func clampMin(v, limit int64) int64 {
	if v <= 0 || v > limit {
		return limit
	}
	return v
}

func (c *Config) lossLock() int64   { return clampMin(c.LossLockMilliR, DefaultLossLockMilliR) }
func (c *Config) profitLock() int64 { return clampMin(c.ProfitLockMilliR, DefaultProfitLockMilliR) }
func (c *Config) maxRisk() int64    { return clampMin(c.MaxRiskBasisPoints, DefaultMaxRiskBasisPoints) }
func (c *Config) signalBars() int64 { return clampMin(c.SignalBars, DefaultSignalBars) }

func (c *Config) cooldown() time.Duration {
	m := c.CooldownMinutes
	if m < DefaultCooldownMinutes {
		m = DefaultCooldownMinutes
	}
	if m > MaxCooldownMinutes {
		m = MaxCooldownMinutes
	}
	return time.Duration(m) * time.Minute
}

func (c *Config) sessions() (lon, ny SessionHours) {
	return c.London.intersect(defaultLondon), c.NewYork.intersect(defaultNewYork)
}
