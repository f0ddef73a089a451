package ai

import (
	"context"
	"encoding/json"
	"time"
)

// Record is the audit of one call (the seed's AIInteraction): what was asked, what came back,
// by which model, at what cost, how long it took and how it ended. An ephemeral call's record
// has no Input and no Output: only its metadata is kept.
type Record struct {
	Task         string
	Provider     string
	Model        string
	Input        json.RawMessage // nil for an ephemeral call
	Output       string          // empty for an ephemeral call
	InputTokens  int64
	OutputTokens int64
	CostMicroUSD int64
	Priced       bool
	Latency      time.Duration
	Attempts     int
	Outcome      Outcome
	Error        string
	Ephemeral    bool
	At           time.Time
}

// Auditor stores records; each module implements it over its own table.
type Auditor interface {
	Audit(ctx context.Context, r *Record) error
}

// AuditFunc adapts a function to Auditor.
type AuditFunc func(ctx context.Context, r *Record) error

func (f AuditFunc) Audit(ctx context.Context, r *Record) error { return f(ctx, r) }
