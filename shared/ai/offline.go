package ai

import (
	"context"
	"encoding/json"
	"fmt"
)

// OfflineName is the offline provider's name, in responses, audits and /readyz.
const OfflineName = "offline"

// Offline is the rules-based provider that answers when no key is configured. It is
// deterministic: each task brings its own rules (Request.Offline), which read the request's
// structured input; a task without rules is refused with ErrNoOfflineRules, never answered
// with an empty or made-up text.
type Offline struct{}

func (Offline) Name() string  { return OfflineName }
func (Offline) Model() string { return "offline-rules-v1" }

func (Offline) Complete(ctx context.Context, req *Request) (*Completion, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req.Offline == nil {
		return nil, ErrNoOfflineRules
	}
	out, err := req.Offline(req.Input)
	if err != nil {
		return nil, fmt.Errorf("ai: offline rules for %s: %w", req.Task, err)
	}
	if !json.Valid(out) {
		return nil, fmt.Errorf("ai: offline rules for %s returned invalid JSON", req.Task)
	}
	return &Completion{Model: "offline-rules-v1", Text: string(out)}, nil
}
