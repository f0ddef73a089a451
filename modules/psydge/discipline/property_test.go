package discipline

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The property test drives random sequences of signals, order attempts, fills, stop moves,
// closes, releases, outside executions, acknowledgements and clock steps through the engine,
// and checks every decision against an oracle that keeps its own event log and recomputes
// each locked rule from it with separate code (its own time zones, trading-day rule, escalation
// table and big.Rat money). Two directions are checked:
//   - soundness: an accepted trade broke no rule (the property the product promises);
//   - completeness: a well-formed request that broke no rule was accepted (the engine is not
//     refusing for reasons the rule book does not state).
// At the end of every sequence the state is rebuilt from the oracle's durable record and must
// decide exactly like the live one.

var (
	propSpecs = map[string]SymbolSpec{
		"EURUSD": specEURUSD,
		"GBPUSD": {Symbol: "GBPUSD", Digits: 5, ContractSize: 100_000, TickSize: 1, ProfitCurrency: "USD", MinLots: 1, LotStep: 1},
		"USDJPY": specUSDJPY,
		"XAUUSD": specXAUUSD,
		"DE40":   specDE40,
		"US30":   specUS30,
		"BTCUSD": {Symbol: "BTCUSD", Digits: 2, ContractSize: 1, TickSize: 1, ProfitCurrency: "USD", MinLots: 1, LotStep: 1},
	}
	propBase = map[string]int64{"EURUSD": 108_500, "GBPUSD": 127_000, "USDJPY": 151_500, "XAUUSD": 235_000,
		"DE40": 1_800_000, "US30": 3_900_000, "BTCUSD": 6_500_000}
	propDist = map[string]int64{"EURUSD": 500, "GBPUSD": 500, "USDJPY": 500, "XAUUSD": 3_000, "DE40": 10_000,
		"US30": 20_000, "BTCUSD": 100_000}
	propSymbols = []string{"EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "DE40", "US30", "BTCUSD"}
	// rates[profit][account] as account units per profit unit.
	propRates = map[string]map[string]Rate{
		"USD": {"USD": {}, "EUR": {Num: 100_000, Den: 108_500}, "JPY": {Num: 151_500, Den: 1_000}},
		"EUR": {"USD": {Num: 108_500, Den: 100_000}, "EUR": {}, "JPY": {Num: 164_378, Den: 1_000}},
		"JPY": {"USD": {Num: 1_000, Den: 151_500}, "EUR": {Num: 1_000, Den: 164_378}, "JPY": {}},
	}
	oracleExp = map[string]int64{"USD": 2, "EUR": 2, "JPY": 0}
	oracleTF  = map[Timeframe]time.Duration{M1: time.Minute, M5: 5 * time.Minute, M15: 15 * time.Minute,
		M30: 30 * time.Minute, H1: time.Hour, H4: 4 * time.Hour, D1: 24 * time.Hour}
	oracleBase = map[string]Level{
		CodeNoGoSignal: 1, CodeSignalExpired: 1, CodeSignalDirection: 1, CodeSignalUsed: 1, CodeSignalNotYetValid: 1,
		CodeSignalNotFound: 1, CodeSymbolNotWhitelisted: 1, CodeTimeframeNotWhitelisted: 1, CodeOutsideSession: 1,
		CodeRiskTooHigh: 2, CodeStopLossRequired: 2, CodeStopLossWrongSide: 2, CodeDailyRiskExceeded: 2, CodeStopWidened: 2,
		CodeLossLock: 3, CodeProfitLock: 3, CodeSessionLocked: 3, CodeBlackoutActive: 3, CodeAckRequired: 3,
		CodeCooldownActive: 3, CodeExternalExecution: 4,
	}
)

type pSignal struct {
	sig    Signal
	usedBy string
}

type pTrade struct {
	rec TradeRecord
}

type pViolation struct {
	v   Violation
	seq int
}

type oracle struct {
	cfg        Config
	lon, ny    *time.Location
	signals    []*pSignal
	open       []*pTrade
	closed     []TradeRecord
	closeR     []int64
	violations []pViolation
	seq, ackSq int
	lastAck    time.Time
}

var oracleZones = sync.OnceValues(func() ([2]*time.Location, error) {
	lon, err := time.LoadLocation("Europe/London")
	if err != nil {
		return [2]*time.Location{}, err
	}
	ny, err := time.LoadLocation("America/New_York")
	return [2]*time.Location{lon, ny}, err
})

func newOracle(t *testing.T, cfg Config) *oracle {
	z, err := oracleZones()
	require.NoError(t, err)
	return &oracle{cfg: cfg, lon: z[0], ny: z[1]}
}

// day: the New York wall clock shifted by the seven hours from 17:00 to midnight.
func (o *oracle) day(t time.Time) string { return t.In(o.ny).Add(7 * time.Hour).Format("2006-01-02") }

func (o *oracle) inWindow(h SessionHours, loc *time.Location, t time.Time) bool {
	l := t.In(loc)
	if !h.Enabled || l.Weekday() == time.Saturday || l.Weekday() == time.Sunday {
		return false
	}
	m := l.Hour()*60 + l.Minute()
	return h.Open <= m && m < h.Close
}

func (o *oracle) realisedToday(now time.Time) int64 {
	var sum int64
	for i, c := range o.closed {
		if o.day(c.ClosedAt) == o.day(now) {
			sum += o.closeR[i]
		}
	}
	return sum
}

func oracleR(dir Direction, entry, stop, exit int64) int64 {
	num := big.NewInt(int64(dir) * (exit - entry) * 1000)
	den := big.NewInt(int64(dir) * (entry - stop))
	q := new(big.Int)
	q.Div(num, den) // Euclidean division; with den > 0 it is the floor
	return q.Int64()
}

func (o *oracle) openRisk() int64 {
	var sum int64
	for _, p := range o.open {
		tr := p.rec
		rp := int64(tr.Direction) * (tr.Entry - tr.InitialStop)
		left := max(0, int64(tr.Direction)*(tr.Entry-tr.Stop))
		sum += (left*1000 + rp - 1) / rp
	}
	return sum
}

// loss is the money at risk, exact, rounded up to the account's minor unit.
func (o *oracle) loss(req *Request) int64 {
	sp := req.Spec
	dist := new(big.Rat).SetFrac64(int64(req.Direction)*(req.Entry-req.Stop), 1)
	price := new(big.Rat).Quo(dist, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(sp.Digits)), nil)))
	perLot := new(big.Rat).Mul(price, new(big.Rat).SetInt64(sp.ContractSize))
	money := new(big.Rat).Mul(perLot, big.NewRat(req.Lots, 100))
	if !req.Rate.IsZero() {
		money.Mul(money, big.NewRat(req.Rate.Num, req.Rate.Den))
	}
	money.Mul(money, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(oracleExp[req.Account.Currency]), nil)))
	q, r := new(big.Int).QuoRem(money.Num(), money.Denom(), new(big.Int))
	if r.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

// broken lists the rules req would break at now, per the rule book.
func (o *oracle) broken(req *Request, now time.Time) []string {
	var out []string
	c := &o.cfg
	life := time.Duration(c.SignalBars) * oracleTF[req.Timeframe]
	live := false
	for _, ps := range o.signals {
		s := ps.sig
		if s.Symbol == req.Symbol && s.Timeframe == req.Timeframe && s.Direction == req.Direction &&
			!now.Before(s.IssuedAt) && now.Before(s.IssuedAt.Add(life)) && ps.usedBy == "" {
			live = true
		}
	}
	if !live {
		out = append(out, "B: no live unused GO signal")
	}
	listed := false
	for _, in := range c.Whitelist {
		listed = listed || (in.Symbol == req.Symbol && slices.Contains(in.Timeframes, req.Timeframe))
	}
	if !listed || !slices.Contains(Universe(), req.Symbol) {
		out = append(out, "C: not whitelisted")
	}
	if !o.inWindow(c.London, o.lon, now) && !o.inWindow(c.NewYork, o.ny, now) {
		out = append(out, "D: outside sessions")
	}
	realised, open := o.realisedToday(now), o.openRisk()
	if realised <= -c.LossLockMilliR {
		out = append(out, "E: loss lock")
	}
	if realised >= c.ProfitLockMilliR {
		out = append(out, "E: profit lock")
	}
	if realised-open-1000 < -c.LossLockMilliR {
		out = append(out, fmt.Sprintf("E: daily risk realised %d open %d", realised, open))
	}
	for _, pv := range o.violations {
		v := pv.v
		if v.Level == L4 && o.day(v.At) == o.day(now) {
			out = append(out, "E: L4 lock")
		}
		if v.Level >= L3 && now.Before(v.At.Add(30*time.Minute)) {
			out = append(out, "H: blackout")
		}
		if v.Level >= L2 && pv.seq > o.ackSq {
			out = append(out, "H: ack pending")
		}
	}
	for i, cl := range o.closed {
		if o.closeR[i] < 0 && now.Before(cl.ClosedAt.Add(time.Duration(c.CooldownMinutes)*time.Minute)) {
			out = append(out, "H: cooldown")
		}
	}
	dist := int64(req.Direction) * (req.Entry - req.Stop)
	switch {
	case req.Stop == 0:
		out = append(out, "K: no stop")
	case dist <= 0:
		out = append(out, "K: stop on the wrong side")
	default:
		lhs := new(big.Int).Mul(big.NewInt(o.loss(req)), big.NewInt(10_000))
		rhs := new(big.Int).Mul(big.NewInt(req.Account.Equity), big.NewInt(c.MaxRiskBasisPoints))
		if lhs.Cmp(rhs) > 0 {
			out = append(out, "K: risk above the limit")
		}
	}
	return out
}

func (o *oracle) level(code string, now time.Time) Level {
	base := oracleBase[code]
	n, breaks := 1, 0
	for _, pv := range o.violations {
		if o.day(pv.v.At) == o.day(now) {
			n++
			if oracleBase[pv.v.Code] == 3 {
				breaks++
			}
		}
	}
	byCount := Level(1)
	if n >= 3 {
		byCount = 2
	}
	if n == 5 {
		byCount = 3
	}
	if n >= 6 {
		byCount = 4
	}
	lvl := max(base, byCount)
	if base == 3 && breaks > 0 {
		lvl = 4
	}
	return lvl
}

func (o *oracle) record(t *testing.T, got Violation, now time.Time) {
	if want := o.level(got.Code, now); want != got.Level {
		t.Fatalf("level of %s at %s: got %s, want %s", got.Code, now, got.Level, want)
	}
	o.seq++
	o.violations = append(o.violations, pViolation{v: got, seq: o.seq})
}

func randomConfig(r *rand.Rand) Config {
	c := Defaults()
	if r.IntN(2) == 0 {
		return c
	}
	c.LossLockMilliR = []int64{1000, 1500, 2000}[r.IntN(3)]
	c.ProfitLockMilliR = []int64{1500, 2000, 3000}[r.IntN(3)]
	c.CooldownMinutes = []int64{240, 300, 480}[r.IntN(3)]
	c.MaxRiskBasisPoints = []int64{50, 75, 100}[r.IntN(3)]
	c.SignalBars = int64(1 + r.IntN(3))
	if r.IntN(3) == 0 {
		c.London = SessionHours{Enabled: true, Open: 9 * 60, Close: 12 * 60}
	}
	if r.IntN(4) == 0 {
		c.NewYork.Enabled = false
	}
	if r.IntN(2) == 0 {
		c.Whitelist = []Instrument{
			{Symbol: "EURUSD", Timeframes: []Timeframe{M15, H1}},
			{Symbol: "XAUUSD", Timeframes: slices.Clone(Timeframes)},
			{Symbol: "DE40", Timeframes: []Timeframe{M5, M15, M30, H1}},
			{Symbol: "USDJPY", Timeframes: []Timeframe{M1, M5}},
		}
	}
	return c
}

type propStats struct {
	ops, attempts, accepted, refused, closes int
	codes                                    map[string]int
}

func TestPropertyNoAcceptedTradeBreaksALockedRule(t *testing.T) {
	t.Parallel()
	sequences := 10_000
	if testing.Short() {
		sequences = 1_000
	}
	st := propStats{codes: map[string]int{}}
	for i := range sequences {
		runSequence(t, uint64(i), &st)
		if t.Failed() {
			t.Fatalf("sequence %d failed", i)
		}
	}
	t.Logf("%d sequences, %d ops, %d attempts: %d accepted, %d refused, %d closes; refusals by code %v",
		sequences, st.ops, st.attempts, st.accepted, st.refused, st.closes, st.codes)
	// A property that is never exercised proves nothing.
	require.Greater(t, st.accepted, sequences)
	for _, code := range []string{CodeNoGoSignal, CodeOutsideSession, CodeLossLock, CodeDailyRiskExceeded,
		CodeCooldownActive, CodeRiskTooHigh, CodeBlackoutActive, CodeSessionLocked, CodeSymbolNotWhitelisted} {
		require.Positive(t, st.codes[code], code)
	}
}

func runSequence(t *testing.T, seed uint64, st *propStats) {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	cfg := randomConfig(r)
	require.NoError(t, cfg.Validate())
	o := newOracle(t, cfg)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(365*24)) * time.Hour)
	now := start.Add(time.Duration(r.IntN(60)) * time.Minute)
	s := NewState(now)
	account := []string{"USD", "USD", "EUR", "JPY"}[r.IntN(4)]
	nextID, signals := 0, 0

	randomRequest := func() Request {
		var sym string
		var tf Timeframe
		var dir Direction
		// A careful trader waits for a live signal and sizes small; a careless one clicks
		// whatever is on screen.
		careful := r.IntN(2) == 0
		var live []Signal
		for _, ps := range o.signals {
			life := time.Duration(cfg.SignalBars) * oracleTF[ps.sig.Timeframe]
			if ps.usedBy == "" && !now.Before(ps.sig.IssuedAt) && now.Before(ps.sig.IssuedAt.Add(life)) {
				live = append(live, ps.sig)
			}
		}
		switch {
		case careful && len(live) > 0:
			sig := live[r.IntN(len(live))]
			sym, tf, dir = sig.Symbol, sig.Timeframe, sig.Direction
		case len(o.signals) > 0 && r.IntN(10) < 7:
			sig := o.signals[len(o.signals)-1-r.IntN(min(3, len(o.signals)))].sig
			sym, tf, dir = sig.Symbol, sig.Timeframe, sig.Direction
		default:
			sym, tf, dir = propSymbols[r.IntN(len(propSymbols))], Timeframes[r.IntN(len(Timeframes))], Direction(1-2*r.IntN(2))
		}
		spec := propSpecs[sym]
		entry := propBase[sym] + int64(r.IntN(2001)-1000)*spec.TickSize
		dist := (1 + r.Int64N(propDist[sym])) * spec.TickSize
		if careful {
			dist = (1 + r.Int64N(propDist[sym]/5)) * spec.TickSize
		}
		stop := entry - int64(dir)*dist
		switch r.IntN(40) {
		case 0:
			stop = 0
		case 1:
			stop = entry + int64(dir)*dist
		}
		step := max(spec.LotStep, 1)
		lots := max(spec.MinLots, step*(1+r.Int64N(200/step+1)))
		if careful {
			lots = max(spec.MinLots, step)
		}
		eq := int64(200_000 + r.IntN(5_000_000))
		if account == "JPY" {
			eq = int64(30_000 + r.IntN(7_500_000))
		}
		return Request{Symbol: sym, Timeframe: tf, Direction: dir, Lots: lots, Entry: entry, Stop: stop,
			Spec: spec, Account: Account{Currency: account, Equity: eq}, Rate: propRates[spec.ProfitCurrency][account]}
	}

	for range 40 {
		st.ops++
		// Every event gets its own instant so "before" and "after" are never ambiguous.
		now = now.Add(time.Millisecond)
		if r.IntN(20) == 0 {
			// Occasionally round-trip through the Redis encoding mid-sequence.
			got, err := DecodeState(s.Encode())
			require.NoError(t, err)
			s = got
		}
		switch op := r.IntN(100); {
		case op < 18: // clock step
			switch k := r.IntN(10); {
			case k < 6:
				now = now.Add(time.Duration(1+r.IntN(30)) * time.Minute)
			case k < 8:
				now = now.Add(time.Duration(1+r.IntN(6*60)) * time.Minute)
			case k < 9:
				if _, open, ok := NextSessionOpen(&cfg, now); ok {
					now = open.Add(time.Duration(r.IntN(90)) * time.Minute)
				}
			default:
				now = now.Add(time.Duration(12+r.IntN(48)) * time.Hour)
			}
		case op < 34: // a GO signal
			if signals >= 12 {
				continue
			}
			// Vista strategies mostly fire during the sessions.
			inSession := o.inWindow(cfg.London, o.lon, now) || o.inWindow(cfg.NewYork, o.ny, now)
			if _, open, ok := NextSessionOpen(&cfg, now); ok && !inSession && r.IntN(3) > 0 {
				now = open.Add(time.Duration(r.IntN(60)) * time.Minute)
			}
			signals++
			sym := propSymbols[r.IntN(len(propSymbols))]
			tf := Timeframes[r.IntN(len(Timeframes))]
			if r.IntN(10) < 7 {
				var known []Instrument
				for _, in := range cfg.Whitelist {
					if _, ok := propSpecs[in.Symbol]; ok {
						known = append(known, in)
					}
				}
				in := known[r.IntN(len(known))]
				sym, tf = in.Symbol, in.Timeframes[r.IntN(len(in.Timeframes))]
			}
			age := time.Duration(r.Int64N(int64(oracleTF[tf])))
			if r.IntN(4) == 0 {
				age = time.Duration(r.Int64N(int64(4 * oracleTF[tf])))
			}
			sig := Signal{ID: "sig-" + strconv.Itoa(signals), Source: "vista:test", Symbol: sym, Timeframe: tf,
				Direction: Direction(1 - 2*r.IntN(2)), IssuedAt: now.Add(-age)}
			require.NoError(t, s.AddSignal(sig, now))
			o.signals = append(o.signals, &pSignal{sig: sig})
		case op < 70: // an order attempt
			st.attempts++
			req := randomRequest()
			d := engine.Check(&s, &cfg, &req, now)
			broken := o.broken(&req, now)
			// Plain ifs in this loop: require's helpers walk the stack on every call, which would
			// make the 10,000 sequences slow.
			if req.Validate() != nil {
				if d.Allowed {
					t.Fatalf("seed %d: accepted a malformed request %+v", seed, req)
				}
				continue
			}
			if k := d.Gates[5]; (k.Passed || k.Code == CodeRiskTooHigh) && o.loss(&req) != d.RiskMinor {
				t.Fatalf("seed %d: risk of %+v: got %d, want %d", seed, req, d.RiskMinor, o.loss(&req))
			}
			if d.Allowed {
				if len(broken) > 0 {
					t.Fatalf("seed %d: accepted %+v at %s breaking %v", seed, req, now, broken)
				}
				nextID++
				id := "psy-" + strconv.Itoa(nextID)
				require.NoError(t, s.Reserve(&d, &req, id, now))
				for _, ps := range o.signals {
					if ps.sig.ID == d.SignalID {
						require.Empty(t, ps.usedBy)
						ps.usedBy = id
					}
				}
				o.open = append(o.open, &pTrade{rec: TradeRecord{ClientID: id, Symbol: req.Symbol, Timeframe: req.Timeframe,
					Direction: req.Direction, Entry: req.Entry, InitialStop: req.Stop, Stop: req.Stop, Lots: req.Lots,
					RiskMinor: d.RiskMinor, SignalID: d.SignalID, OpenedAt: now}})
				st.accepted++
				continue
			}
			if len(broken) == 0 {
				t.Fatalf("seed %d: refused %+v at %s with no rule broken: %+v", seed, req, now, d.Failed())
			}
			st.refused++
			// Most of the time the trader sees the red gate on the panel and does not click.
			if d.Violation != nil && r.IntN(10) < 3 {
				st.codes[d.Violation.Code]++
				got := s.RecordViolation(*d.Violation)
				o.record(t, got, now)
			}
		case op < 80: // close
			if len(o.open) == 0 {
				continue
			}
			i := r.IntN(len(o.open))
			tr := o.open[i].rec
			rp := int64(tr.Direction) * (tr.Entry - tr.InitialStop)
			exit := tr.Entry + int64(tr.Direction)*rp*int64(r.IntN(4800)-1300)/1000
			if exit <= 0 {
				exit = 1
			}
			ct, err := s.Close(&cfg, tr.ClientID, exit, now)
			require.NoError(t, err)
			want := oracleR(tr.Direction, tr.Entry, tr.InitialStop, exit)
			if want != ct.RMilli {
				t.Fatalf("seed %d: R of %+v closed at %d: got %d, want %d", seed, tr, exit, ct.RMilli, want)
			}
			tr.Exit, tr.ClosedAt = exit, now
			o.closed, o.closeR = append(o.closed, tr), append(o.closeR, want)
			o.open = slices.Delete(o.open, i, i+1)
			st.closes++
		case op < 88: // acknowledge the overlay
			s.Acknowledge()
			o.ackSq, o.lastAck = o.seq, now
		case op < 92: // fill
			if len(o.open) == 0 {
				continue
			}
			p := o.open[r.IntN(len(o.open))]
			if p.rec.Filled {
				continue
			}
			spec := propSpecs[p.rec.Symbol]
			fill := p.rec.Entry + int64(r.IntN(41)-20)*spec.TickSize
			err := s.Fill(p.rec.ClientID, fill)
			if int64(p.rec.Direction)*(fill-p.rec.InitialStop) <= 0 {
				require.ErrorIs(t, err, ErrBadFill)
				continue
			}
			require.NoError(t, err)
			p.rec.Entry, p.rec.Filled = fill, true
		case op < 96: // move the stop
			if len(o.open) == 0 {
				continue
			}
			p := o.open[r.IntN(len(o.open))]
			rp := int64(p.rec.Direction) * (p.rec.Entry - p.rec.InitialStop)
			stop := p.rec.Stop + int64(p.rec.Direction)*rp*int64(r.IntN(150)-30)/100
			if stop <= 0 {
				continue
			}
			err := s.MoveStop(p.rec.ClientID, stop)
			if int64(p.rec.Direction)*(stop-p.rec.Stop) < 0 {
				require.ErrorIs(t, err, ErrStopWidened)
				o.record(t, s.RecordViolation(Violation{Code: CodeStopWidened, At: now, Ref: p.rec.ClientID}), now)
				continue
			}
			require.NoError(t, err)
			p.rec.Stop = stop
		case op < 98: // the broker refused a reservation
			for i, p := range o.open {
				if p.rec.Filled {
					continue
				}
				require.NoError(t, s.Release(p.rec.ClientID))
				for _, ps := range o.signals {
					if ps.usedBy == p.rec.ClientID {
						ps.usedBy = ""
					}
				}
				o.open = slices.Delete(o.open, i, i+1)
				break
			}
		default: // a position opened in MT5 directly
			pos := BrokerPosition{ID: "mt-" + strconv.Itoa(r.IntN(1_000_000)), Symbol: "EURUSD"}
			for _, p := range s.ExternalPositions([]BrokerPosition{pos}) {
				o.record(t, s.RecordExternal(p, now), now)
			}
		}
	}
	require.Equal(t, o.openRisk(), s.OpenRiskMilliR())

	// Lose the Redis state and rebuild it from the durable record: it must decide the same.
	rec := Record{LastAckAt: o.lastAck}
	for _, ps := range o.signals {
		rec.Signals = append(rec.Signals, ps.sig)
	}
	rec.Trades = append(rec.Trades, o.closed...)
	for _, p := range o.open {
		rec.Trades = append(rec.Trades, p.rec)
	}
	for _, pv := range o.violations {
		rec.Violations = append(rec.Violations, pv.v)
	}
	rebuilt, err := Rebuild(now, &cfg, rec)
	require.NoError(t, err)
	for range 5 {
		req := randomRequest()
		later := now.Add(time.Duration(r.IntN(8*60)) * time.Minute)
		a, b := engine.Check(&s, &cfg, &req, later), engine.Check(&rebuilt, &cfg, &req, later)
		for i := range a.Gates {
			ga, gb := a.Gates[i], b.Gates[i]
			// Rebuild drops long-dead signals the live state had not pruned yet, so gate B may
			// say NO_GO_SIGNAL where the live state says SIGNAL_EXPIRED; every other code matches.
			if ga.Passed != gb.Passed || (ga.Gate != GateSignal && ga.Code != gb.Code) {
				t.Fatalf("seed %d: at %s gate %s live %s, rebuilt %s", seed, later, ga.Gate, ga.Code, gb.Code)
			}
		}
		if a.Allowed != b.Allowed || (a.Violation != nil && a.Violation.Level != b.Violation.Level) {
			t.Fatalf("seed %d: at %s live and rebuilt decisions differ: %+v vs %+v", seed, later, a, b)
		}
	}
}
