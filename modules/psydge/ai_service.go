package psydge

// The AI roles' use cases (docs/psydge-ai.md). Every call goes through shared/ai with the
// role's schema and offline rules, is recorded in ai_interactions, and reaches the trader as an
// "ai" message on the live channel. The AI proposes; nothing here places, modifies or closes an
// order, or changes a rule.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/web"
)

// The system prompts name what the role may answer; the schema and the filter enforce it.
const (
	supervisorPrompt = "You supervise an open forex trade for a disciplined trader. Answer scale (close part), hold, tighten_sl (a stop strictly closer to the price) or exit. You cannot widen a stop, add to a position or change a rule. Answer only the JSON the schema asks for."
	preEntryPrompt   = "You are a pre-entry validator for a disciplined forex trader. Given the indicator readings of the closed bars, answer approve or stand_down with a short reasoning. Answer only the JSON the schema asks for."
	predictorPrompt  = "You predict a trader's behavioural risk for the rest of the session from today's record. Give risk alerts, and optionally propose rules to tighten (never loosen). Answer only the JSON the schema asks for."
	debriefPrompt    = "You write a trader's end-of-session debrief: a short factual summary of the day and up to five insights. Answer only the JSON the schema asks for."
)

// AISettingsRequest is the body of PUT /api/v1/ai/settings.
type AISettingsRequest struct {
	TradeSupervisor     bool   `json:"trade_supervisor"`
	PreEntryValidator   bool   `json:"pre_entry_validator"`
	BehavioralPredictor bool   `json:"behavioral_predictor"`
	SessionDebrief      bool   `json:"session_debrief"`
	PreEntryFailure     string `json:"pre_entry_failure" enum:"fail_closed,fail_open" doc:"what placement does when the validator cannot answer in time: fail_closed refuses the order"`
}

func (r *AISettingsRequest) Validate() []web.FieldError {
	if r.PreEntryFailure != failClosed && r.PreEntryFailure != failOpen {
		return []web.FieldError{{Field: "pre_entry_failure", Reason: "must be fail_closed or fail_open"}}
	}
	return nil
}

// AISettingsView is the user's switches and which provider answers.
type AISettingsView struct {
	AISettings
	Provider string `json:"provider" doc:"anthropic, openai or offline (the rules-based stand-in when no key is configured)"`
	Offline  bool   `json:"offline"`
}

func (m *Module) aiView(s *AISettings) AISettingsView {
	return AISettingsView{AISettings: *s, Provider: m.ai.Provider(), Offline: m.ai.IsOffline()}
}

// AISettings reads the user's switches.
func (m *Module) AISettingsOf(ctx context.Context, userID int64) (AISettingsView, error) {
	s, err := aiSettingsOf(ctx, m.d.DB, userID, m.d.Clock.Now())
	if err != nil {
		return AISettingsView{}, err
	}
	return m.aiView(s), nil
}

// SetAISettings stores the user's switches.
func (m *Module) SetAISettings(ctx context.Context, userID int64, r *AISettingsRequest) (AISettingsView, error) {
	s := &AISettings{UserID: userID, TradeSupervisor: r.TradeSupervisor, PreEntryValidator: r.PreEntryValidator,
		BehavioralPredictor: r.BehavioralPredictor, SessionDebrief: r.SessionDebrief, PreEntryFailure: r.PreEntryFailure, UpdatedAt: m.d.Clock.Now()}
	if err := saveAISettings(ctx, m.d.DB, s); err != nil {
		return AISettingsView{}, err
	}
	return m.aiView(s), nil
}

// AIInteractionPage is one page of GET /api/v1/ai/interactions.
type AIInteractionPage struct {
	Items []AICall `json:"items"`
	// NextBefore is the before_id of the next (older) page; 0 when this is the last.
	NextBefore int64 `json:"next_before"`
}

// AIInteractions lists the user's AI interactions, newest first.
func (m *Module) AIInteractions(ctx context.Context, userID, beforeID int64, role string, limit int) (*AIInteractionPage, error) {
	rows, err := aiCallsOf(ctx, m.d.DB, userID, beforeID, role, limit+1)
	if err != nil {
		return nil, err
	}
	page := &AIInteractionPage{Items: rows}
	if len(rows) > limit {
		page.Items = rows[:limit]
		page.NextBefore = rows[limit-1].ID
	}
	return page, nil
}

// callRole runs one call of a role and records it: the audit row carries the filtered decision
// (decide turns the validated answer into what the trader is shown; nil answer on failure).
// The row is pushed to the trader on the live channel.
func (m *Module) callRole(ctx context.Context, userID int64, tradeID *int64, role, trigger string, req *ai.Request,
	decide func(json.RawMessage) any) (*AICall, *ai.Response, error) {
	var rec *ai.Record
	resp, callErr := m.ai.Call(ctx, req, ai.AuditFunc(func(_ context.Context, r *ai.Record) error { rec = r; return nil }))
	if rec == nil {
		return nil, resp, fmt.Errorf("psydge: %s call left no audit record: %w", role, callErr)
	}
	row := &AICall{UserID: userID, TradeID: tradeID, Role: role, Trigger: trigger, InputContext: rec.Input, Output: rec.Output,
		Provider: rec.Provider, Model: rec.Model, InputTokens: rec.InputTokens, OutputTokens: rec.OutputTokens,
		LatencyMS: rec.Latency.Milliseconds(), Attempts: rec.Attempts, Outcome: string(rec.Outcome), Error: rec.Error,
		Ephemeral: rec.Ephemeral, CreatedAt: m.d.Clock.Now()}
	if rec.Priced {
		c := rec.CostMicroUSD
		row.CostMicroUSD = &c
	}
	if callErr == nil && decide != nil {
		row.Decision = mustJSON(decide(resp.JSON))
	}
	// The record is written even when the caller's context has ended (a placement that gave
	// up on the validator still leaves its audit row).
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := insertAICall(sctx, m.d.DB, row); err != nil {
		return nil, resp, err
	}
	m.pushUser(sctx, userID, "ai", row)
	return row, resp, callErr
}

// Supervise runs the trade supervisor on an open trade at a trigger ("tp1" or "r_threshold").
func (m *Module) Supervise(ctx context.Context, userID, tradeID int64, trigger string) (*AICall, error) {
	t, err := tradeOf(ctx, m.d.DB, userID, tradeID)
	if err != nil {
		return nil, err
	}
	if t.Status != StatusOpen {
		return nil, nil
	}
	q, err := m.quote(ctx, t.Symbol)
	if err != nil {
		return nil, err
	}
	v := supervisorViewOf(t, q)
	input := mustJSON(map[string]any{"trigger": trigger, "symbol": t.Symbol, "timeframe": t.Timeframe, "direction": t.Direction,
		"entry": fromPoints(t.Entry, t.Digits), "stop_loss": fromPoints(t.SL, t.Digits), "initial_stop_loss": fromPoints(t.InitialSL, t.Digits),
		"take_profit": fromPoints(t.TP, t.Digits), "price": fromPoints(v.Price, t.Digits), "r_now_milli": rNow(t, v.Price)})
	req := &ai.Request{Task: "psydge." + roleSupervisor, System: supervisorPrompt, Prompt: "Supervise this trade.", Input: input,
		Schema: supervisorSchema, MaxTokens: 400, Offline: func(json.RawMessage) (json.RawMessage, error) { return offlineSupervisor(v, trigger), nil }}
	row, _, err := m.callRole(ctx, userID, &t.ID, roleSupervisor, trigger, req, func(raw json.RawMessage) any { return filterSupervisor(raw, v) })
	if row != nil {
		// A failed call is recorded; the trade simply goes unsupervised at this trigger.
		return row, nil
	}
	return nil, err
}

func supervisorViewOf(t *Trade, q market.Quote) supervisorView {
	dir, _ := discipline.ParseDirection(t.Direction)
	price := q.Bid
	if dir == discipline.Sell {
		price = q.Ask
	}
	return supervisorView{Direction: dir, Digits: t.Digits, Entry: t.Entry, Stop: t.SL, Price: toPoints(price, t.Digits)}
}

// rNow is the trade's open R in thousandths at price points.
func rNow(t *Trade, price int64) int64 {
	dir, _ := discipline.ParseDirection(t.Direction)
	risk := (t.Entry - t.InitialSL) * int64(dir)
	if risk <= 0 {
		return 0
	}
	return (price - t.Entry) * int64(dir) * 1000 / risk
}

// supervisorTrigger names the trigger an open trade has reached at price: "tp1" once half the
// way to its take-profit is covered, "r_threshold" at +1R; "" before either.
func supervisorTrigger(t *Trade, price int64) string {
	dir, _ := discipline.ParseDirection(t.Direction)
	d := int64(dir)
	if t.TP > 0 && (t.TP-t.Entry)*d > 0 && (price-t.Entry)*d*2 >= (t.TP-t.Entry)*d {
		return "tp1"
	}
	if rNow(t, price) >= 1000 {
		return "r_threshold"
	}
	return ""
}

func (m *Module) quote(ctx context.Context, symbol string) (market.Quote, error) {
	raw, err := m.d.KV.Get(ctx, priceKey(symbol))
	if err != nil {
		return market.Quote{}, fmt.Errorf("psydge: no price for %s: %w", symbol, err)
	}
	var q market.Quote
	if err := json.Unmarshal([]byte(raw), &q); err != nil || q.Bid <= 0 || q.Ask <= 0 {
		return market.Quote{}, fmt.Errorf("psydge: unreadable price for %s", symbol)
	}
	return q, nil
}

// preEntry asks the AI pre-entry validator about a ticket the gates would allow, within the
// configured time-out. It answers nil when the user has the validator off. When the validator
// cannot answer (time-out, 429, 529, an answer that fails the schema), the user's policy
// decides: fail_closed stands down, fail_open approves; either way the verdict says so.
func (m *Module) preEntry(ctx context.Context, userID int64, t *ticket) (*PreEntryVerdict, *AICall) {
	s, err := aiSettingsOf(ctx, m.d.DB, userID, m.d.Clock.Now())
	if err != nil {
		// The switch cannot be read: the validator's own policy default applies.
		return &PreEntryVerdict{Verdict: "stand_down", Reasoning: "the AI settings could not be read", Policy: failClosed}, nil
	}
	if !s.PreEntryValidator {
		return nil, nil
	}
	tf := market.Timeframe(t.req.Timeframe)
	now := m.d.Clock.Now()
	candles := market.Closed(m.agg.Candles(t.req.Symbol, tf, time.Time{}, 60), tf, now)
	if cs, err := m.candleSeries(ctx, userID, t.req.Symbol, tf, 60); err == nil {
		candles = market.Closed(cs, tf, now)
	}
	verdict, reason := validatorVerdict(candles, t.req.Direction)
	input := mustJSON(map[string]any{"symbol": t.req.Symbol, "timeframe": t.req.Timeframe, "direction": t.req.Direction.String(),
		"bars": len(candles), "rules_verdict": verdict, "rules_reasoning": reason, "stop_loss_points": t.req.Stop, "entry_points": t.req.Entry})
	req := &ai.Request{Task: "psydge." + rolePreEntry, System: preEntryPrompt, Prompt: "Validate this entry.", Input: input,
		Schema: preEntrySchema, MaxTokens: 300, Timeout: m.d.Config.AI.PreEntryTimeout,
		Offline: func(json.RawMessage) (json.RawMessage, error) {
			return mustJSON(map[string]any{"verdict": verdict, "reasoning": "offline rules: " + reason}), nil
		}}
	var out *PreEntryVerdict
	row, _, err := m.callRole(ctx, userID, nil, rolePreEntry, "placement", req, func(raw json.RawMessage) any {
		var v PreEntryVerdict
		_ = json.Unmarshal(raw, &v)
		out = &v
		return v
	})
	if err == nil && out != nil {
		return out, row
	}
	why := "it did not answer"
	switch {
	case errors.Is(err, ai.ErrTimeout):
		why = "it did not answer within " + m.d.Config.AI.PreEntryTimeout.String()
	case errors.Is(err, ai.ErrInvalidOutput):
		why = "its answer did not match the expected form"
	}
	if s.PreEntryFailure == failOpen {
		return &PreEntryVerdict{Verdict: "approve", Reasoning: "the AI pre-entry validator could not be used (" + why + "); your policy is fail_open", Policy: failOpen}, row
	}
	return &PreEntryVerdict{Verdict: "stand_down", Reasoning: "the AI pre-entry validator could not be used (" + why + "); your policy is fail_closed", Policy: failClosed}, row
}

// aiStandDown is the refusal of a ticket the validator stood down: the gates as the engine
// sees them, with gate B failed by the validator.
func (m *Module) aiStandDown(ctx context.Context, userID int64, t *ticket, v *PreEntryVerdict) (*Placement, error) {
	l, err := m.loadStateWith(ctx, userID, t.cfg)
	if err != nil {
		return nil, err
	}
	now := m.d.Clock.Now()
	mergeSignals(&l.State, t, now)
	d := m.engine.Check(&l.State, &l.Config.Config, &t.req, now)
	d.Allowed = false
	for i := range d.Gates {
		if d.Gates[i].Gate == "B" {
			d.Gates[i].Passed, d.Gates[i].Code, d.Gates[i].Reason = false, "AI_STAND_DOWN", "AI pre-entry validator: "+v.Reasoning
		}
	}
	return &Placement{Outcome: OutcomeRefused, Refusal: &Refusal{CheckResult: checkResult(&d, t)}}, nil
}

// wouldAllow is the dry run placement would take: the validator is only asked about tickets
// the gates would let through.
func (m *Module) wouldAllow(ctx context.Context, userID int64, t *ticket) bool {
	l, err := m.loadStateWith(ctx, userID, t.cfg)
	if err != nil {
		return false
	}
	now := m.d.Clock.Now()
	mergeSignals(&l.State, t, now)
	d := m.engine.Check(&l.State, &l.Config.Config, &t.req, now)
	return d.Allowed
}

// gatePreEntry is placement's call: nil to go on, or the refusal to answer.
func (m *Module) gatePreEntry(ctx context.Context, userID int64, t *ticket) (*Placement, error) {
	s, err := aiSettingsOf(ctx, m.d.DB, userID, m.d.Clock.Now())
	if err == nil && !s.PreEntryValidator {
		return nil, nil
	}
	if !m.wouldAllow(ctx, userID, t) {
		return nil, nil // the gates refuse on their own, and record it
	}
	v, _ := m.preEntry(ctx, userID, t)
	if v == nil || v.Verdict == "approve" {
		return nil, nil
	}
	return m.aiStandDown(ctx, userID, t, v)
}

// Predict runs the behavioral predictor for a user at session start or after a trade.
func (m *Module) Predict(ctx context.Context, userID int64, tradeID *int64, trigger string) (*AICall, error) {
	now := m.d.Clock.Now()
	start, _ := discipline.TradingDayBounds(now)
	act, err := dayActivity(ctx, m.d.DB, userID, start, now.Add(time.Second))
	if err != nil {
		return nil, err
	}
	cfg, err := configOrDefault(ctx, m.d.DB, userID, now)
	if err != nil {
		return nil, err
	}
	f := predictorFacts{Trigger: trigger, ViolationsToday: len(act.Violations), LossLockMilliR: cfg.Config.LossLockMilliR,
		MaxRiskBP: cfg.Config.MaxRiskBasisPoints, CooldownMinutes: cfg.Config.CooldownMinutes}
	for _, t := range act.Trades {
		if !t.Closed() {
			continue
		}
		f.TradesToday++
		if r, err := t.R(); err == nil {
			f.RealisedMilliR += r
			if r < 0 {
				f.LossesToday++
				f.ConsecutiveLoss++
			} else {
				f.ConsecutiveLoss = 0
			}
		}
	}
	req := &ai.Request{Task: "psydge." + rolePredictor, System: predictorPrompt, Prompt: "Assess the trader's risk now.", Input: mustJSON(f),
		Schema: predictorSchema, MaxTokens: 500, Offline: func(json.RawMessage) (json.RawMessage, error) { return offlinePredictor(f), nil }}
	row, _, err := m.callRole(ctx, userID, tradeID, rolePredictor, trigger, req, func(raw json.RawMessage) any { return filterPredictor(raw, cfg.Config) })
	if row != nil {
		return row, nil
	}
	return nil, err
}

// Debrief writes the session debrief of the trading day containing at, stores its summary on
// the day's reflection, and returns the interaction.
func (m *Module) Debrief(ctx context.Context, userID int64, at time.Time) (*AICall, error) {
	start, end := discipline.TradingDayBounds(at)
	act, err := dayActivity(ctx, m.d.DB, userID, start, end)
	if err != nil {
		return nil, err
	}
	day := dayDate(at)
	f := debriefFacts{Day: day.Format(time.DateOnly), Violations: map[string]int{}}
	for _, t := range act.Trades {
		if r, err := t.R(); err == nil && t.Closed() {
			f.Trades++
			f.TotalMilli += r
			if r > 0 {
				f.Wins++
			}
		}
	}
	for _, v := range act.Violations {
		f.Violations[v.Code]++
	}
	if scores, err := scoresBetween(ctx, m.d.DB, userID, day, day); err == nil && len(scores) > 0 {
		f.Score = &scores[0].Score
	}
	req := &ai.Request{Task: "psydge." + roleDebrief, System: debriefPrompt, Prompt: "Debrief this session.", Input: mustJSON(f),
		Schema: debriefSchema, MaxTokens: 800, Offline: func(json.RawMessage) (json.RawMessage, error) { return offlineDebrief(f), nil }}
	var out DebriefOutput
	row, _, err := m.callRole(ctx, userID, nil, roleDebrief, "session_end", req, func(raw json.RawMessage) any {
		_ = json.Unmarshal(raw, &out)
		if out.Insights == nil {
			out.Insights = []string{}
		}
		return out
	})
	if row == nil {
		return nil, err
	}
	if err == nil {
		if serr := setDaySummary(ctx, m.d.DB, userID, day, out.Summary, m.d.Clock.Now()); serr != nil {
			return row, serr
		}
	}
	return row, nil
}

// weeklyDebriefs is the sentence the weekly report adds from the week's debriefs.
func (m *Module) weeklyDebriefs(ctx context.Context, userID int64, from, to time.Time) string {
	rows, err := debriefsBetween(ctx, m.d.DB, userID, from, to)
	if err != nil || len(rows) == 0 {
		return ""
	}
	var insights []string
	for _, r := range rows {
		var d DebriefOutput
		if json.Unmarshal(r.Decision, &d) == nil {
			insights = append(insights, d.Insights...)
		}
	}
	s := fmt.Sprintf(" %d session debriefs.", len(rows))
	if len(insights) > 0 {
		s += " Their insights: " + strings.Join(insights[:min(len(insights), 5)], " ")
	}
	return s
}
