package discipline

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	d := Defaults()
	require.NoError(t, d.Validate())
	for _, tc := range []struct {
		rule   string
		mutate func(c *Config)
		ok     bool
	}{
		{"loss_lock_r", func(c *Config) { c.LossLockMilliR = 2500 }, false},
		{"loss_lock_r", func(c *Config) { c.LossLockMilliR = 1000 }, true},
		{"loss_lock_r", func(c *Config) { c.LossLockMilliR = 0 }, false},
		{"profit_lock_r", func(c *Config) { c.ProfitLockMilliR = 3001 }, false},
		{"profit_lock_r", func(c *Config) { c.ProfitLockMilliR = 2000 }, true},
		{"cooldown_hours", func(c *Config) { c.CooldownMinutes = 239 }, false},
		{"cooldown_hours", func(c *Config) { c.CooldownMinutes = 360 }, true},
		{"cooldown_hours", func(c *Config) { c.CooldownMinutes = MaxCooldownMinutes + 1 }, false},
		{"max_risk_pct", func(c *Config) { c.MaxRiskBasisPoints = 101 }, false},
		{"max_risk_pct", func(c *Config) { c.MaxRiskBasisPoints = 50 }, true},
		{"signal_bars", func(c *Config) { c.SignalBars = 4 }, false},
		{"signal_bars", func(c *Config) { c.SignalBars = 1 }, true},
		{"session_hours", func(c *Config) { c.London.Open = 7 * 60 }, false},
		{"session_hours", func(c *Config) { c.NewYork.Close = 18 * 60 }, false},
		{"session_hours", func(c *Config) { c.London.Open, c.London.Close = 10*60, 9*60 }, false},
		{"session_hours", func(c *Config) { c.London.Enabled, c.NewYork.Enabled = false, false }, false},
		{"session_hours", func(c *Config) { c.London = SessionHours{Enabled: true, Open: 9 * 60, Close: 12 * 60} }, true},
		{"symbol_whitelist", func(c *Config) {
			c.Whitelist = append(c.Whitelist, Instrument{Symbol: "BTCUSD", Timeframes: []Timeframe{H1}})
		}, false},
		{"symbol_whitelist", func(c *Config) { c.Whitelist = []Instrument{{Symbol: "EURUSD", Timeframes: []Timeframe{"M2"}}} }, false},
		{"symbol_whitelist", func(c *Config) { c.Whitelist = []Instrument{{Symbol: "eurusd", Timeframes: []Timeframe{H1}}} }, false},
		{"symbol_whitelist", func(c *Config) { c.Whitelist = []Instrument{{Symbol: "EURUSD", Timeframes: []Timeframe{M15, H1}}} }, true},
	} {
		c := Defaults()
		tc.mutate(&c)
		err := c.Validate()
		if tc.ok {
			require.NoError(t, err, tc.rule)
			continue
		}
		var re *RuleError
		require.ErrorAs(t, err, &re, tc.rule)
		require.Equal(t, tc.rule, re.Rule)
	}
}

func TestTighten(t *testing.T) {
	t.Parallel()
	cur := Defaults()
	cur.LossLockMilliR = 1500
	cur.Whitelist = []Instrument{{Symbol: "EURUSD", Timeframes: []Timeframe{M15, H1}}}

	p := cur
	p.LossLockMilliR = 1000
	got, err := Tighten(cur, p)
	require.NoError(t, err)
	require.Equal(t, int64(1000), got.LossLockMilliR)

	p = cur
	p.LossLockMilliR = 2000 // allowed by the locked rules, looser than the user's own
	_, err = Tighten(cur, p)
	var re *RuleError
	require.ErrorAs(t, err, &re)
	require.Equal(t, "loss_lock_r", re.Rule)
	require.Contains(t, re.Reason, "your current setting")

	p = cur
	p.Whitelist = []Instrument{{Symbol: "EURUSD", Timeframes: []Timeframe{M15, H1, H4}}}
	_, err = Tighten(cur, p)
	require.ErrorAs(t, err, &re)
	require.Equal(t, "symbol_whitelist", re.Rule)
}

func TestEffectiveValuesNeverLooser(t *testing.T) {
	t.Parallel()
	c := Config{LossLockMilliR: 9000, ProfitLockMilliR: -1, CooldownMinutes: 1, MaxRiskBasisPoints: 500, SignalBars: 99}
	require.Equal(t, int64(DefaultLossLockMilliR), c.lossLock())
	require.Equal(t, int64(DefaultProfitLockMilliR), c.profitLock())
	require.Equal(t, int64(DefaultMaxRiskBasisPoints), c.maxRisk())
	require.Equal(t, int64(DefaultSignalBars), c.signalBars())
	require.Equal(t, int64(DefaultCooldownMinutes), int64(c.cooldown().Minutes()))
	c = Config{LossLockMilliR: 500, CooldownMinutes: 600}
	require.Equal(t, int64(500), c.lossLock())
	require.Equal(t, int64(600), int64(c.cooldown().Minutes()))
}
