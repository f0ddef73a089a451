package discipline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func closedTrade(id string, opened time.Time, closedAfter time.Duration, rSign int) TradeRecord {
	exit := int64(110)
	switch {
	case rSign < 0:
		exit = 90
	case rSign == 0:
		exit = 100
	}
	return TradeRecord{ClientID: id, Direction: Buy, Entry: 100, InitialStop: 90, Exit: exit, OpenedAt: opened, ClosedAt: opened.Add(closedAfter)}
}

func vio(code string, at time.Time) Violation {
	return Violation{Code: code, Level: BaseLevel(code), At: at}
}

func TestScoreMetrics(t *testing.T) {
	t.Parallel()
	full := ScoreBreakdown{25, 15, 15, 15, 15, 10, 5, 100}
	for _, tc := range []struct {
		name string
		day  DayActivity
		want ScoreBreakdown
	}{
		{"a day without trades is a perfect day", DayActivity{}, full},
		{"two clean trades", DayActivity{Trades: []TradeRecord{
			closedTrade("a", t0, time.Hour, 1), closedTrade("b", t0.Add(3*time.Hour), time.Hour, -1)}}, full},
		{"rule compliance is the accepted share, floored", DayActivity{
			Trades:     []TradeRecord{closedTrade("a", t0, time.Hour, 0), closedTrade("b", t0.Add(2*time.Hour), time.Hour, 0)},
			Violations: []Violation{vio(CodeRiskTooHigh, t0.Add(5*time.Hour))}},
			ScoreBreakdown{16, 15, 10, 15, 15, 10, 5, 86}},
		{"outside execution zeroes rule compliance", DayActivity{
			Trades:     []TradeRecord{closedTrade("a", t0, time.Hour, 1)},
			Violations: []Violation{vio(CodeExternalExecution, t0.Add(3*time.Hour))}},
			ScoreBreakdown{0, 15, 15, 15, 15, 10, 5, 75}},
		{"session discipline loses 5 per attempt", DayActivity{Violations: []Violation{
			vio(CodeOutsideSession, t0), vio(CodeOutsideSession, t0.Add(time.Hour))}},
			ScoreBreakdown{0, 5, 15, 15, 15, 10, 5, 65}},
		{"session discipline floors at 0", DayActivity{Violations: []Violation{
			vio(CodeOutsideSession, t0), vio(CodeOutsideSession, t0), vio(CodeOutsideSession, t0), vio(CodeOutsideSession, t0)}},
			ScoreBreakdown{0, 0, 15, 15, 15, 10, 5, 60}},
		{"risk management counts stops and sizing", DayActivity{
			Trades: []TradeRecord{closedTrade("a", t0, time.Hour, 0)},
			Violations: []Violation{vio(CodeStopLossRequired, t0.Add(2*time.Hour)), vio(CodeStopWidened, t0.Add(10*time.Minute)),
				vio(CodeDailyRiskExceeded, t0.Add(3*time.Hour))}},
			ScoreBreakdown{8, 15, 0, 15, 15, 10, 5, 68}},
		{"patience counts signal and whitelist slips", DayActivity{
			Trades:     []TradeRecord{closedTrade("a", t0, time.Hour, 0)},
			Violations: []Violation{vio(CodeNoGoSignal, t0.Add(2*time.Hour)), vio(CodeTimeframeNotWhitelisted, t0.Add(3*time.Hour))}},
			ScoreBreakdown{8, 15, 15, 5, 15, 10, 5, 73}},
		{"post-win control: attempts right after a win and at the profit lock", DayActivity{
			Trades: []TradeRecord{closedTrade("a", t0, time.Hour, 1), closedTrade("b", t0.Add(time.Hour+10*time.Minute), time.Hour, 0)},
			Violations: []Violation{vio(CodeProfitLock, t0.Add(5*time.Hour)),
				vio(CodeNoGoSignal, t0.Add(time.Hour+20*time.Minute)), vio(CodeNoGoSignal, t0.Add(time.Hour+31*time.Minute))}},
			// b at +10m and the NO_GO at +20m follow the win; the one at +31m does not.
			ScoreBreakdown{10, 15, 15, 5, 4, 10, 5, 64}},
		{"cooldown respect", DayActivity{
			Trades:     []TradeRecord{closedTrade("a", t0, time.Hour, -1)},
			Violations: []Violation{vio(CodeCooldownActive, t0.Add(3*time.Hour)), vio(CodeAckRequired, t0.Add(4*time.Hour))}},
			ScoreBreakdown{8, 15, 15, 15, 15, 0, 5, 73}},
		{"revenge: an attempt within 30 minutes of a loss", DayActivity{
			Trades:     []TradeRecord{closedTrade("a", t0, time.Hour, -1)},
			Violations: []Violation{vio(CodeCooldownActive, t0.Add(time.Hour+5*time.Minute))}},
			ScoreBreakdown{12, 15, 15, 15, 15, 5, 0, 77}},
		{"revenge: trying through the loss lock", DayActivity{
			Violations: []Violation{vio(CodeLossLock, t0)}},
			ScoreBreakdown{0, 15, 15, 15, 15, 10, 0, 70}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Score(tc.day)
			require.Equal(t, tc.want, got)
			require.Equal(t, got.RuleCompliance+got.SessionDiscipline+got.RiskManagement+got.Patience+
				got.PostWinControl+got.CooldownRespect+got.RevengePrevention, got.Total)
		})
	}
	require.Equal(t, 100, WeightRuleCompliance+WeightSessionDiscipline+WeightRiskManagement+WeightPatience+
		WeightPostWinControl+WeightCooldownRespect+WeightRevengePrevention)
}
