package discipline

import (
	"slices"
	"time"
)

// Score weights, as the seed sets them. They sum to 100.
const (
	WeightRuleCompliance    = 25
	WeightSessionDiscipline = 15
	WeightRiskManagement    = 15
	WeightPatience          = 15
	WeightPostWinControl    = 15
	WeightCooldownRespect   = 10
	WeightRevengePrevention = 5
)

// EmotionalWindow is how soon after a close a new attempt counts as reacting to it (post-win
// euphoria after a win, revenge after a loss).
const EmotionalWindow = 30 * time.Minute

// ScoreBreakdown is a day's Discipline Score by metric, in integer points; Total is their sum,
// 0–100 (the seed's metric_breakdown JSON).
type ScoreBreakdown struct {
	RuleCompliance    int `json:"rule_compliance"`
	SessionDiscipline int `json:"session_discipline"`
	RiskManagement    int `json:"risk_management"`
	Patience          int `json:"patience"`
	PostWinControl    int `json:"post_win_control"`
	CooldownRespect   int `json:"cooldown_respect"`
	RevengePrevention int `json:"revenge_prevention"`
	Total             int `json:"total"`
}

// DayActivity is one trading day's record: the trades opened or closed in it and its
// violations.
type DayActivity struct {
	Trades     []TradeRecord `json:"trades"`
	Violations []Violation   `json:"violations"`
}

func countCodes(vs []Violation, codes ...string) int {
	n := 0
	for _, v := range vs {
		if slices.Contains(codes, v.Code) {
			n++
		}
	}
	return n
}

// isAttempt reports whether a violation was a refused order (rather than a stop moved or a
// trade placed outside Psydge).
func isAttempt(code string) bool {
	return code != CodeExternalExecution && code != CodeStopWidened && BaseLevel(code) != LevelNone
}

func deduct(weight, penalty int) int { return max(0, weight-penalty) }

// Score computes the day's Discipline Score (see docs/psydge-discipline.md for the formulas).
// An attempt is an accepted trade (its OpenedAt) or a refused order (a violation that
// isAttempt).
func Score(day DayActivity) ScoreBreakdown {
	var attempts []time.Time
	accepted := 0
	for _, t := range day.Trades {
		if !t.OpenedAt.IsZero() {
			attempts = append(attempts, t.OpenedAt)
			accepted++
		}
	}
	for _, v := range day.Violations {
		if isAttempt(v.Code) {
			attempts = append(attempts, v.At)
		}
	}
	afterWin, afterLoss := 0, 0
	for _, a := range attempts {
		win, loss := false, false
		for i := range day.Trades {
			t := &day.Trades[i]
			if !t.Closed() || !a.After(t.ClosedAt) || a.Sub(t.ClosedAt) > EmotionalWindow {
				continue
			}
			r, err := t.R()
			if err != nil {
				continue
			}
			win = win || r > 0
			loss = loss || r < 0
		}
		if win {
			afterWin++
		}
		if loss {
			afterLoss++
		}
	}
	vs := day.Violations
	var b ScoreBreakdown
	switch {
	case countCodes(vs, CodeExternalExecution) > 0:
		b.RuleCompliance = 0
	case len(attempts) == 0:
		b.RuleCompliance = WeightRuleCompliance
	default:
		b.RuleCompliance = WeightRuleCompliance * accepted / len(attempts)
	}
	b.SessionDiscipline = deduct(WeightSessionDiscipline, 5*countCodes(vs, CodeOutsideSession))
	b.RiskManagement = deduct(WeightRiskManagement, 5*countCodes(vs, CodeRiskTooHigh, CodeDailyRiskExceeded,
		CodeStopLossRequired, CodeStopLossWrongSide, CodeStopWidened))
	b.Patience = deduct(WeightPatience, 5*countCodes(vs, CodeNoGoSignal, CodeSignalExpired, CodeSignalDirection,
		CodeSignalUsed, CodeSignalNotFound, CodeSignalNotYetValid, CodeSymbolNotWhitelisted, CodeTimeframeNotWhitelisted))
	b.PostWinControl = deduct(WeightPostWinControl, 5*countCodes(vs, CodeProfitLock)+3*afterWin)
	b.CooldownRespect = deduct(WeightCooldownRespect, 5*countCodes(vs, CodeCooldownActive, CodeBlackoutActive, CodeAckRequired))
	if afterLoss == 0 && countCodes(vs, CodeLossLock, CodeSessionLocked) == 0 {
		b.RevengePrevention = WeightRevengePrevention
	}
	b.Total = b.RuleCompliance + b.SessionDiscipline + b.RiskManagement + b.Patience + b.PostWinControl +
		b.CooldownRespect + b.RevengePrevention
	return b
}
