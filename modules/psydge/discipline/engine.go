package discipline

import (
	"math/bits"
	"strings"
	"time"
)

// Engine evaluates trade requests. It holds nothing: every input is an argument, so one value
// serves every user and every goroutine.
type Engine struct{}

func pass(gate, reason string) GateResult {
	return GateResult{Gate: gate, Passed: true, Code: CodeOK, Reason: reason}
}

func fail(gate, code, reason string) GateResult {
	return GateResult{Gate: gate, Code: code, Reason: reason}
}

// Check runs all six gates on req and says whether it may go to the broker. It reads s but
// never changes it; the caller records the refusal (s.RecordViolation) or reserves the trade
// (s.Reserve). A nil s (lost state not yet rebuilt) refuses: the gates fail closed.
func (Engine) Check(s *State, cfg *Config, req *Request, now time.Time) Decision {
	d := Decision{Day: TradingDay(now)}
	if err := req.Validate(); err != nil {
		reason := err.Error()
		for i, g := range GateOrder {
			d.Gates[i] = fail(g, CodeRequestInvalid, reason)
		}
		return d
	}
	d.Gates[0], d.SignalID = gateSignal(s, cfg, req, now)
	d.Gates[1] = gateWhitelist(cfg, req)
	d.Gates[2] = gateSession(cfg, now)
	d.Gates[3] = gateEquity(s, cfg, d.Day, now)
	d.Gates[4] = gateCooldown(s, cfg, now)
	d.Gates[5], d.RiskMinor, d.RiskBasisPoints = gateRisk(cfg, req)

	d.Allowed = true
	var worst *GateResult
	worstLevel := LevelNone
	for i := range d.Gates {
		g := &d.Gates[i]
		if g.Passed {
			continue
		}
		d.Allowed = false
		if l := BaseLevel(g.Code); l > worstLevel {
			worst, worstLevel = g, l
		}
	}
	if d.Allowed {
		return d
	}
	d.SignalID = ""
	if worst != nil {
		d.Violation = &Violation{Code: worst.Code, Gate: worst.Gate, Level: s.Escalate(worst.Code, now), At: now}
	}
	return d
}

func utc(t time.Time) string { return msg(nil).utc(t).String() }

func gateSignal(s *State, cfg *Config, req *Request, now time.Time) (GateResult, string) {
	if s == nil {
		return fail(GateSignal, CodeStateUnavailable, "gate state is unavailable; it is being rebuilt"), ""
	}
	life := time.Duration(cfg.signalBars()) * req.Timeframe.Duration()
	var used, expired, early, opposite *Signal
	// Newest first: the most recent signal is the one the trader is looking at.
	for i := len(s.Signals) - 1; i >= 0; i-- {
		sig := &s.Signals[i]
		if req.SignalID != "" && sig.ID != req.SignalID {
			continue
		}
		if sig.Timeframe != req.Timeframe || !strings.EqualFold(sig.Symbol, req.Symbol) {
			continue
		}
		switch {
		case sig.Direction != req.Direction:
			opposite = pick(opposite, sig)
		case now.Before(sig.IssuedAt):
			early = pick(early, sig)
		case !now.Before(sig.IssuedAt.Add(life)):
			expired = pick(expired, sig)
		case sig.UsedBy != "":
			used = pick(used, sig)
		default:
			return pass(GateSignal, "a live GO signal matches symbol, timeframe and direction"), sig.ID
		}
	}
	what := func(m msg) msg {
		return m.s(req.Symbol).s(" ").s(string(req.Timeframe)).s(" ").s(req.Direction.String())
	}
	m := newMsg()
	switch {
	case used != nil:
		m = what(m.s("the ")).s(" GO signal ").s(used.ID).s(" (").s(used.Source).s(") was already used by trade ").s(used.UsedBy).s("; one signal, one trade")
		return fail(GateSignal, CodeSignalUsed, m.String()), ""
	case expired != nil:
		m = what(m.s("the ")).s(" GO signal ").s(expired.ID).s(" issued ").utc(expired.IssuedAt).s(" expired at ").utc(expired.IssuedAt.Add(life)).
			s(" (live for ").i(cfg.signalBars()).s(" bars of ").s(string(req.Timeframe)).s(")")
		return fail(GateSignal, CodeSignalExpired, m.String()), ""
	case early != nil:
		m = what(m.s("the ")).s(" GO signal ").s(early.ID).s(" is dated ").utc(early.IssuedAt).s(", after now (").utc(now).s(")")
		return fail(GateSignal, CodeSignalNotYetValid, m.String()), ""
	case opposite != nil:
		m = m.s("the live ").s(req.Symbol).s(" ").s(string(req.Timeframe)).s(" signal ").s(opposite.ID).s(" is ").
			s(opposite.Direction.String()).s(", not ").s(req.Direction.String())
		return fail(GateSignal, CodeSignalDirection, m.String()), ""
	case req.SignalID != "":
		m = what(m.s("no GO signal ").s(req.SignalID).s(" for "))
		return fail(GateSignal, CodeSignalNotFound, m.String()), ""
	}
	m = what(m.s("no GO signal for ")).s(" from a Vista strategy or the pre-entry validator")
	return fail(GateSignal, CodeNoGoSignal, m.String()), ""
}

func pick(cur, sig *Signal) *Signal {
	if cur == nil {
		return sig
	}
	return cur
}

func gateWhitelist(cfg *Config, req *Request) GateResult {
	if !inUniverse(req.Symbol) {
		return fail(GateWhitelist, CodeSymbolNotWhitelisted, req.Symbol+" is not a symbol Psydge trades")
	}
	allowed, listed := cfg.lookup(req.Symbol, req.Timeframe)
	switch {
	case !listed:
		return fail(GateWhitelist, CodeSymbolNotWhitelisted, req.Symbol+" is not on your symbol whitelist")
	case !allowed:
		var tfs []string
		for _, in := range cfg.Whitelist {
			if strings.EqualFold(in.Symbol, req.Symbol) {
				for _, tf := range in.Timeframes {
					tfs = append(tfs, string(tf))
				}
			}
		}
		return fail(GateWhitelist, CodeTimeframeNotWhitelisted, req.Symbol+" is whitelisted on "+strings.Join(tfs, ", ")+" only, not "+string(req.Timeframe))
	}
	return pass(GateWhitelist, "symbol and timeframe are on your whitelist")
}

func gateSession(cfg *Config, now time.Time) GateResult {
	switch name, ok := InSession(cfg, now); {
	case ok && name == "London":
		return pass(GateSession, "inside the London session")
	case ok:
		return pass(GateSession, "inside the New York session")
	}
	lon, ny := cfg.sessions()
	m := newMsg()
	if wd := now.In(london).Weekday(); wd == time.Saturday || wd == time.Sunday {
		m = m.s("weekend: ")
	}
	m = m.s("outside the sessions (London ").window(lon).s(" Europe/London, New York ").window(ny).s(" America/New_York, Monday–Friday)")
	if name, at, ok := NextSessionOpen(cfg, now); ok {
		loc := london
		if name == "New York" {
			loc = newYork
		}
		m = m.s("; next: ").s(name).s(" opens ")
		m = at.In(loc).AppendFormat(m, "Mon 2006-01-02 15:04")
		m = m.s(" local (").utc(at).s(")")
	}
	return fail(GateSession, CodeOutsideSession, m.String())
}

func gateEquity(s *State, cfg *Config, day int, now time.Time) GateResult {
	if s == nil {
		return fail(GateEquity, CodeStateUnavailable, "gate state is unavailable; it is being rebuilt")
	}
	if now.Before(s.SessionLockUntil) {
		return fail(GateEquity, CodeSessionLocked, newMsg().s("L4 session lock until the trading day ends at ").utc(s.SessionLockUntil).String())
	}
	realised := s.RealisedOn(day)
	loss, profit := cfg.lossLock(), cfg.profitLock()
	if realised <= -loss {
		m := newMsg().s("today's realised ").r(realised).s(" has reached the loss lock of ").r(-loss).
			s("; trading resumes when the day ends at ").utc(TradingDayEnd(now))
		return fail(GateEquity, CodeLossLock, m.String())
	}
	if realised >= profit {
		m := newMsg().s("today's realised ").r(realised).s(" has reached the profit lock of ").r(profit).
			s("; the day is banked until ").utc(TradingDayEnd(now))
		return fail(GateEquity, CodeProfitLock, m.String())
	}
	open := s.OpenRiskMilliR()
	if worst := realised - open - 1000; worst < -loss {
		m := newMsg().s("realised ").r(realised).s(", open risk ").r(-open).s(" and this trade's 1R would reach ").r(worst).
			s(" at the stops, past the ").r(-loss).s(" loss lock")
		return fail(GateEquity, CodeDailyRiskExceeded, m.String())
	}
	return pass(GateEquity, "the day's R with open risk and this trade stays inside the locks")
}

// CooldownEnd is when gate H lets the next order through after a loss: the later of the
// stored expiry and the last loss plus the configured cooldown (clamped to the locked rules),
// so a cooldown tightened after the loss applies at once. The gate, the Redis cooldown key and
// the gate status all read it from here.
func (s *State) CooldownEnd(cfg *Config) time.Time {
	end := s.CooldownUntil
	if !s.LastLossAt.IsZero() {
		if e := s.LastLossAt.Add(cfg.cooldown()); e.After(end) {
			end = e
		}
	}
	return end
}

func gateCooldown(s *State, cfg *Config, now time.Time) GateResult {
	if s == nil {
		return fail(GateCooldown, CodeStateUnavailable, "gate state is unavailable; it is being rebuilt")
	}
	if now.Before(s.BlackoutUntil) {
		m := newMsg().s("blackout until ").utc(s.BlackoutUntil).s(" (").dur(s.BlackoutUntil.Sub(now)).s(" left)")
		return fail(GateCooldown, CodeBlackoutActive, m.String())
	}
	if s.AckPending {
		return fail(GateCooldown, CodeAckRequired, "acknowledge the violation overlay before the next order")
	}
	if end := s.CooldownEnd(cfg); now.Before(end) {
		m := newMsg().s("cooldown after the loss closed at ").utc(s.LastLossAt).s(" runs until ").utc(end).s(" (").dur(end.Sub(now)).s(" left)")
		return fail(GateCooldown, CodeCooldownActive, m.String())
	}
	return pass(GateCooldown, "no cooldown, blackout or pending acknowledgement")
}

func gateRisk(cfg *Config, req *Request) (GateResult, int64, int64) {
	if req.Stop == 0 {
		return fail(GateRisk, CodeStopLossRequired, "every order needs a stop-loss"), 0, 0
	}
	digits := req.Spec.Digits
	dist := int64(req.Direction) * (req.Entry - req.Stop)
	if dist <= 0 {
		side := " below"
		if req.Direction == Sell {
			side = " above"
		}
		m := newMsg().s("a ").s(req.Direction.String()).s(" at ").price(req.Entry, digits).s(" needs its stop").s(side).
			s(" entry; the stop is ").price(req.Stop, digits)
		return fail(GateRisk, CodeStopLossWrongSide, m.String()), 0, 0
	}
	risk, err := LossMinor(&req.Spec, dist, req.Lots, req.Account.Currency, req.Rate)
	if err != nil {
		return fail(GateRisk, CodeRiskUncomputable, err.Error()), 0, 0
	}
	eq := uint64(req.Account.Equity)
	limit := cfg.maxRisk()
	// risk / equity ≤ limit / 10000, compared as 128-bit products so nothing rounds.
	rh, rl := bits.Mul64(uint64(risk), 10000)
	lh, ll := bits.Mul64(eq, uint64(limit))
	bp, ok := u128{rh, rl}.ceilDiv(eq)
	if !ok || bp > 1<<62 {
		bp = 1 << 62
	}
	if rh > lh || (rh == lh && rl > ll) {
		cur := req.Account.Currency
		maxMoney := int64(1 << 62)
		if lh < 10000 {
			q, _ := bits.Div64(lh, ll, 10000)
			maxMoney = int64(min(q, 1<<62))
		}
		m := newMsg().lots(req.Lots).s(" lots with the stop ").price(dist, digits).s(" away risk ").minor(risk, cur).s(", ").
			bp(int64(bp)).s(" of equity ").minor(req.Account.Equity, cur).s("; the limit is ").bp(limit).s(" (").minor(maxMoney, cur).s(")")
		return fail(GateRisk, CodeRiskTooHigh, m.String()), risk, int64(bp)
	}
	return pass(GateRisk, "risk at the stop is within the limit"), risk, int64(bp)
}
