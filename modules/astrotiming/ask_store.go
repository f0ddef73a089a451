package astrotiming

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/alorig/alorig/shared/ai"
	"github.com/uptrace/bun"
)

// AICall is an ai_interactions row: the seed's AIInteraction (user, role, input context,
// output) with the audit's metadata, one per call of the AI layer.
type AICall struct {
	bun.BaseModel `bun:"table:ai_interactions"`
	ID            int64           `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64           `bun:"user_id" json:"-"`
	APIKeyID      *int64          `bun:"api_key_id" json:"api_key_id,omitempty"`
	Role          string          `bun:"role" json:"role"`
	InputContext  json.RawMessage `bun:"input_context,type:jsonb,nullzero" json:"input_context,omitempty"`
	Output        string          `bun:"output" json:"output"`
	Decision      json.RawMessage `bun:"decision,type:jsonb,nullzero" json:"decision,omitempty"`
	Provider      string          `bun:"provider" json:"provider"`
	Model         string          `bun:"model" json:"model"`
	InputTokens   int64           `bun:"input_tokens" json:"input_tokens"`
	OutputTokens  int64           `bun:"output_tokens" json:"output_tokens"`
	CostMicroUSD  *int64          `bun:"cost_micro_usd" json:"cost_micro_usd,omitempty"`
	LatencyMS     int64           `bun:"latency_ms" json:"latency_ms"`
	Attempts      int             `bun:"attempts" json:"attempts"`
	Outcome       string          `bun:"outcome" json:"outcome"`
	Error         string          `bun:"error" json:"error,omitempty"`
	Ephemeral     bool            `bun:"ephemeral" json:"ephemeral"`
	CreatedAt     time.Time       `bun:"created_at" json:"created_at"`
}

// aiCallRow is the row of one audited call.
func aiCallRow(who Caller, role string, r *ai.Record) *AICall {
	row := &AICall{UserID: who.UserID, Role: role, InputContext: r.Input, Output: r.Output, Provider: r.Provider, Model: r.Model,
		InputTokens: r.InputTokens, OutputTokens: r.OutputTokens, LatencyMS: r.Latency.Milliseconds(), Attempts: r.Attempts,
		Outcome: string(r.Outcome), Error: r.Error, Ephemeral: r.Ephemeral, CreatedAt: r.At}
	if who.Key != nil {
		id := who.Key.ID
		row.APIKeyID = &id
	}
	if r.Priced {
		c := r.CostMicroUSD
		row.CostMicroUSD = &c
	}
	return row
}

func insertAICall(ctx context.Context, db bun.IDB, row *AICall) error {
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("astrotiming: record %s call of user %d: %w", row.Role, row.UserID, err)
	}
	return nil
}

// refuseAICall marks a recorded call whose answer was not used, and why.
func refuseAICall(ctx context.Context, db bun.IDB, id int64, outcome ai.Outcome, reason string) error {
	if id == 0 {
		return nil // the audit could not be written; the client has logged it
	}
	if _, err := db.NewUpdate().Model((*AICall)(nil)).Set("outcome = ?", string(outcome)).Set("error = ?", reason).
		Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("astrotiming: mark ai call %d refused: %w", id, err)
	}
	return nil
}

// setAIDecision stores the answer that was used on its call's row.
func setAIDecision(ctx context.Context, db bun.IDB, id int64, decision json.RawMessage) error {
	if id == 0 {
		return nil
	}
	if _, err := db.NewUpdate().Model((*AICall)(nil)).Set("decision = ?::jsonb", string(decision)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("astrotiming: store decision of ai call %d: %w", id, err)
	}
	return nil
}

// aiCallsOf lists the user's recorded calls, newest first.
func aiCallsOf(ctx context.Context, db bun.IDB, userID int64, limit int) ([]AICall, error) {
	rows := []AICall{}
	if err := db.NewSelect().Model(&rows).Where("user_id = ?", userID).Order("id DESC").Limit(limit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("astrotiming: ai interactions of user %d: %w", userID, err)
	}
	return rows, nil
}
