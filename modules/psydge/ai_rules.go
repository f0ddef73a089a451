package psydge

// The AI roles' rules, with no HTTP and no SQL: the schemas each role's answer must satisfy,
// the filter that keeps only what tightens (the AI can tighten and never loosen), and the
// offline provider's deterministic answers.

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/ai"
)

// The four roles (job kinds psydge.<role>).
const (
	roleSupervisor = "trade_supervisor"
	rolePreEntry   = "pre_entry_validator"
	rolePredictor  = "behavioral_predictor"
	roleDebrief    = "session_debrief"

	failClosed = "fail_closed"
	failOpen   = "fail_open"
)

// The schemas are written for both providers' strict modes: every property required, none
// other allowed; an absent value is null.
var (
	supervisorSchema = ai.MustSchema("trade_supervisor", `{"type":"object","additionalProperties":false,
	 "required":["action","new_stop_loss","scale_out_fraction","reasoning"],
	 "properties":{"action":{"type":"string","enum":["scale","hold","tighten_sl","exit"]},
	  "new_stop_loss":{"type":["number","null"]},"scale_out_fraction":{"type":["number","null"]},
	  "reasoning":{"type":"string","maxLength":600}}}`)
	preEntrySchema = ai.MustSchema("pre_entry_validator", `{"type":"object","additionalProperties":false,
	 "required":["verdict","reasoning"],
	 "properties":{"verdict":{"type":"string","enum":["approve","stand_down"]},"reasoning":{"type":"string","maxLength":600}}}`)
	predictorSchema = ai.MustSchema("behavioral_predictor", `{"type":"object","additionalProperties":false,
	 "required":["risk_level","alerts","tightening"],
	 "properties":{"risk_level":{"type":"string","enum":["low","elevated","high"]},
	  "alerts":{"type":"array","maxItems":5,"items":{"type":"string","maxLength":300}},
	  "tightening":{"type":"array","maxItems":4,"items":{"type":"object","additionalProperties":false,
	   "required":["rule","value","reasoning"],
	   "properties":{"rule":{"type":"string","enum":["loss_lock_r","profit_lock_r","cooldown_minutes","max_risk_pct"]},
	    "value":{"type":"number"},"reasoning":{"type":"string","maxLength":300}}}}}}`)
	debriefSchema = ai.MustSchema("session_debrief", `{"type":"object","additionalProperties":false,
	 "required":["summary","insights"],
	 "properties":{"summary":{"type":"string","maxLength":1200},
	  "insights":{"type":"array","maxItems":5,"items":{"type":"string","maxLength":300}}}}`)
)

// SupervisorProposal is the trade supervisor's answer after the filter. It is a proposal to
// the trader: nothing here moves a stop, scales or closes a position.
type SupervisorProposal struct {
	Action string `json:"action" enum:"scale,hold,tighten_sl,exit"`
	// NewStopLoss is the proposed stop (a price) for tighten_sl.
	NewStopLoss float64 `json:"new_stop_loss,omitempty"`
	// ScaleOutFraction is the share of the position to close for scale (0 < f < 1).
	ScaleOutFraction float64 `json:"scale_out_fraction,omitempty"`
	Reasoning        string  `json:"reasoning"`
	// Rejected says why the model's own proposal was replaced by hold.
	Rejected string `json:"rejected,omitempty"`
}

type supervisorAnswer struct {
	Action           string   `json:"action"`
	NewStopLoss      *float64 `json:"new_stop_loss"`
	ScaleOutFraction *float64 `json:"scale_out_fraction"`
	Reasoning        string   `json:"reasoning"`
}

// supervisorView is what the supervisor is told about a trade; prices are points.
type supervisorView struct {
	Direction discipline.Direction
	Digits    int
	Entry     int64
	Stop      int64
	// Price is where the trade would close now (bid for a buy, ask for a sell).
	Price int64
}

// filterSupervisor keeps a proposal only when it cannot add risk: a stop strictly closer to
// the price than the current one and still behind it; scaling out only; exit and hold as they
// are. Anything else becomes hold, saying why.
func filterSupervisor(raw json.RawMessage, v supervisorView) SupervisorProposal {
	var a supervisorAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		return SupervisorProposal{Action: "hold", Rejected: "the answer could not be read"}
	}
	p := SupervisorProposal{Action: a.Action, Reasoning: a.Reasoning}
	hold := func(why string) SupervisorProposal {
		return SupervisorProposal{Action: "hold", Reasoning: a.Reasoning, Rejected: why}
	}
	switch a.Action {
	case "hold", "exit":
		return p
	case "scale":
		if a.ScaleOutFraction == nil || !(*a.ScaleOutFraction > 0 && *a.ScaleOutFraction < 1) {
			return hold("scale means closing part of the position: a fraction between 0 and 1 is required")
		}
		p.ScaleOutFraction = *a.ScaleOutFraction
		return p
	case "tighten_sl":
		if a.NewStopLoss == nil || math.IsNaN(*a.NewStopLoss) || math.IsInf(*a.NewStopLoss, 0) || *a.NewStopLoss <= 0 {
			return hold("tighten_sl needs a stop-loss price")
		}
		sl := toPoints(*a.NewStopLoss, v.Digits)
		d := int64(v.Direction)
		if (sl-v.Stop)*d <= 0 {
			return hold(fmt.Sprintf("the proposed stop %s would not be tighter than the current %s", discipline.FormatPrice(sl, v.Digits), discipline.FormatPrice(v.Stop, v.Digits)))
		}
		if (v.Price-sl)*d <= 0 {
			return hold("the proposed stop is beyond the current price")
		}
		p.NewStopLoss = fromPoints(sl, v.Digits)
		return p
	}
	return hold("unknown action")
}

// offlineSupervisor: at the threshold, move the stop to the entry (break-even) if it is still
// behind it; otherwise hold.
func offlineSupervisor(v supervisorView, trigger string) json.RawMessage {
	d := int64(v.Direction)
	if (v.Entry-v.Stop)*d > 0 && (v.Price-v.Entry)*d > 0 {
		sl := fromPoints(v.Entry, v.Digits)
		return mustJSON(map[string]any{"action": "tighten_sl", "new_stop_loss": sl, "scale_out_fraction": nil,
			"reasoning": fmt.Sprintf("offline rules: the trade reached %s; a stop at the entry takes the loss off the table", triggerText(trigger))})
	}
	return mustJSON(map[string]any{"action": "hold", "new_stop_loss": nil, "scale_out_fraction": nil,
		"reasoning": fmt.Sprintf("offline rules: the trade reached %s and the stop already protects the entry", triggerText(trigger))})
}

func triggerText(trigger string) string {
	if trigger == "tp1" {
		return "its first target (half-way to the take-profit)"
	}
	return "+1R"
}

// PreEntryVerdict is the pre-entry validator's answer as placement uses it.
type PreEntryVerdict struct {
	Verdict   string `json:"verdict" enum:"approve,stand_down"`
	Reasoning string `json:"reasoning"`
	// Policy is set when the validator did not answer and the user's policy decided.
	Policy string `json:"policy,omitempty"`
}

// TighteningProposal is one rule the predictor proposes to tighten, in the API's units. It is
// a proposal: the trader applies it through PUT /api/v1/discipline-config, which refuses any
// loosening on its own.
type TighteningProposal struct {
	Rule      string  `json:"rule" enum:"loss_lock_r,profit_lock_r,cooldown_minutes,max_risk_pct"`
	Value     float64 `json:"value"`
	Reasoning string  `json:"reasoning"`
}

// PredictorOutput is the behavioral predictor's answer after the filter.
type PredictorOutput struct {
	RiskLevel  string               `json:"risk_level" enum:"low,elevated,high"`
	Alerts     []string             `json:"alerts"`
	Tightening []TighteningProposal `json:"tightening"`
	// Dropped lists the proposals removed because they would not tighten.
	Dropped []string `json:"dropped,omitempty"`
}

// applyProposal returns cur with one proposal applied, in the engine's units.
func applyProposal(cur discipline.Config, p TighteningProposal) (discipline.Config, error) {
	next := cur
	whole := func(v float64) (int64, error) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > 1e6 || v != math.Trunc(v) {
			return 0, fmt.Errorf("%s: %v is not a usable value", p.Rule, p.Value)
		}
		return int64(v), nil
	}
	var err error
	switch p.Rule {
	case "loss_lock_r":
		next.LossLockMilliR, err = whole(math.Round(p.Value*1e6) / 1e3)
	case "profit_lock_r":
		next.ProfitLockMilliR, err = whole(math.Round(p.Value*1e6) / 1e3)
	case "cooldown_minutes":
		next.CooldownMinutes, err = whole(p.Value)
	case "max_risk_pct":
		next.MaxRiskBasisPoints, err = whole(math.Round(p.Value*1e4) / 1e2)
	default:
		err = fmt.Errorf("no rule %q", p.Rule)
	}
	return next, err
}

// filterPredictor keeps the tightening proposals that discipline.Tighten accepts against the
// user's current config; the rest are dropped, saying why.
func filterPredictor(raw json.RawMessage, cur discipline.Config) PredictorOutput {
	var out PredictorOutput
	if err := json.Unmarshal(raw, &out); err != nil {
		return PredictorOutput{RiskLevel: "low", Alerts: []string{}, Tightening: []TighteningProposal{}, Dropped: []string{"the answer could not be read"}}
	}
	kept := []TighteningProposal{}
	for _, p := range out.Tightening {
		next, err := applyProposal(cur, p)
		if err == nil {
			_, err = discipline.Tighten(cur, next)
		}
		if err != nil || !changesRule(cur, next) {
			reason := "it would not change the rule"
			if err != nil {
				reason = err.Error()
			}
			out.Dropped = append(out.Dropped, fmt.Sprintf("%s %v: %s", p.Rule, p.Value, reason))
			continue
		}
		kept = append(kept, p)
	}
	out.Tightening = kept
	if out.Alerts == nil {
		out.Alerts = []string{}
	}
	return out
}

func changesRule(a, b discipline.Config) bool {
	return a.LossLockMilliR != b.LossLockMilliR || a.ProfitLockMilliR != b.ProfitLockMilliR ||
		a.CooldownMinutes != b.CooldownMinutes || a.MaxRiskBasisPoints != b.MaxRiskBasisPoints
}

// predictorFacts is what the predictor and its offline rules read.
type predictorFacts struct {
	Trigger          string `json:"trigger"`
	TradesToday      int    `json:"trades_today"`
	LossesToday      int    `json:"losses_today"`
	ConsecutiveLoss  int    `json:"consecutive_losses"`
	RealisedMilliR   int64  `json:"realised_milli_r"`
	ViolationsToday  int    `json:"violations_today"`
	LossLockMilliR   int64  `json:"loss_lock_milli_r"`
	MaxRiskBP        int64  `json:"max_risk_bp"`
	CooldownMinutes  int64  `json:"cooldown_minutes"`
	RecentPatternTop string `json:"top_pattern,omitempty"`
}

// offlinePredictor: two losses in a row, or half the loss lock spent, is high risk and
// proposes half the risk per trade; a violation today is elevated.
func offlinePredictor(f predictorFacts) json.RawMessage {
	out := map[string]any{"risk_level": "low", "alerts": []string{}, "tightening": []any{}}
	switch {
	case f.ConsecutiveLoss >= 2 || (f.LossLockMilliR > 0 && -f.RealisedMilliR*2 >= f.LossLockMilliR):
		out["risk_level"] = "high"
		out["alerts"] = []string{fmt.Sprintf("offline rules: %d losses in a row and %+.2fR today: the next trade is the one revenge trading is made of", f.ConsecutiveLoss, float64(f.RealisedMilliR)/1000)}
		if f.MaxRiskBP > 50 {
			out["tightening"] = []any{map[string]any{"rule": "max_risk_pct", "value": 0.5, "reasoning": "halve the risk per trade for the rest of the day"}}
		}
	case f.ViolationsToday > 0:
		out["risk_level"] = "elevated"
		out["alerts"] = []string{fmt.Sprintf("offline rules: %d refused orders today; slow down and wait for a GO signal", f.ViolationsToday)}
	}
	return mustJSON(out)
}

// DebriefOutput is the session debrief.
type DebriefOutput struct {
	Summary  string   `json:"summary"`
	Insights []string `json:"insights"`
}

type debriefFacts struct {
	Day        string         `json:"day"`
	Trades     int            `json:"trades_closed"`
	Wins       int            `json:"wins"`
	TotalMilli int64          `json:"total_milli_r"`
	Violations map[string]int `json:"violations"`
	Score      *int           `json:"score,omitempty"`
}

func offlineDebrief(f debriefFacts) json.RawMessage {
	summary := fmt.Sprintf("Session %s: %d trades closed, %d winners, %+.2fR.", f.Day, f.Trades, f.Wins, float64(f.TotalMilli)/1000)
	if f.Score != nil {
		summary += fmt.Sprintf(" Discipline score %d.", *f.Score)
	}
	insights := []string{}
	n := 0
	for _, c := range f.Violations {
		n += c
	}
	if n == 0 {
		insights = append(insights, "Every order respected the rules.")
	} else {
		insights = append(insights, fmt.Sprintf("%d orders were refused by the gates: name the urge before the next ticket.", n))
	}
	if f.Trades > 0 && f.Wins == 0 {
		insights = append(insights, "No winner today: a day off after a losing session is a rule many traders keep.")
	}
	return mustJSON(map[string]any{"summary": "offline rules: " + summary, "insights": insights})
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
