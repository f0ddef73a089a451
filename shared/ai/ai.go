// Package ai is the platform's language-model layer: one Client over a Provider (Anthropic or
// OpenAI through their official SDKs, or the offline, rules-based provider when no key is
// configured), with a deadline per call, retries that honour retry-after, structured output
// validated against a JSON schema (an answer that fails it is rejected, never repaired), token
// and cost accounting, and an audit record of every call written by the calling module into
// its own table.
package ai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Request is one call.
type Request struct {
	// Task names the call in the audit ("psydge.trade_supervisor").
	Task string
	// System is the system prompt; Prompt the user turn. Input, when set, is the structured
	// context: it is appended to the prompt as JSON, recorded as the audit's input context and
	// read by the offline rules.
	System string
	Prompt string
	Input  json.RawMessage
	// Images are pictures for a vision model, sent before the prompt (vision.go). They are not
	// part of the audit's input context.
	Images []Image
	// Schema, when set, makes the answer one JSON value that must validate against it.
	Schema *Schema
	// MaxTokens bounds the answer (default 1024).
	MaxTokens int
	// Timeout overrides the client's deadline for this call (retries included).
	Timeout time.Duration
	// Ephemeral calls are audited by metadata only: no input context, no output.
	Ephemeral bool
	// Stream asks the provider for a streamed answer (server-sent events), assembled here.
	Stream bool
	// Offline is the rules-based answer the offline provider gives for this task. Without it
	// the offline provider refuses the call with ErrNoOfflineRules.
	Offline func(input json.RawMessage) (json.RawMessage, error)
}

// Usage counts the tokens of one call, retries included.
type Usage struct {
	InputTokens  int64 `json:"input_tokens"`
	OutputTokens int64 `json:"output_tokens"`
}

// Response is a call's answer.
type Response struct {
	// Provider is "anthropic", "openai" or "offline".
	Provider string `json:"provider"`
	Model    string `json:"model"`
	// Offline is true when the rules-based provider answered.
	Offline bool   `json:"offline"`
	Text    string `json:"text"`
	// JSON is the validated answer when the request had a schema.
	JSON  json.RawMessage `json:"json,omitempty"`
	Usage Usage           `json:"usage"`
	// CostMicroUSD is the price of Usage in millionths of a US dollar; Priced is false when
	// the model is not in the price table (the cost is then unknown, not zero).
	CostMicroUSD int64         `json:"cost_micro_usd"`
	Priced       bool          `json:"priced"`
	Attempts     int           `json:"attempts"`
	Latency      time.Duration `json:"latency"`
}

// Completion is what a provider returns for one attempt.
type Completion struct {
	Model string
	Text  string
	Usage Usage
}

// Provider is one language-model service.
type Provider interface {
	Name() string
	// Model is the model the provider calls by default.
	Model() string
	Complete(ctx context.Context, req *Request) (*Completion, error)
}

// Outcome is how a call ended, as the audit records it.
type Outcome string

const (
	OutcomeOK            Outcome = "ok"
	OutcomeInvalidOutput Outcome = "invalid_output"
	OutcomeTimeout       Outcome = "timeout"
	OutcomeRateLimited   Outcome = "rate_limited"
	OutcomeOverloaded    Outcome = "overloaded"
	OutcomeProviderError Outcome = "provider_error"
	OutcomeRefused       Outcome = "refused"
	OutcomeBadRequest    Outcome = "invalid_request"
)

var (
	// ErrInvalidOutput: the answer was not one JSON value valid against the request's schema,
	// or was larger than MaxOutputBytes.
	ErrInvalidOutput = errors.New("ai: the answer does not match the requested schema")
	// ErrTimeout: the call's deadline passed before an answer.
	ErrTimeout = errors.New("ai: no answer within the call's deadline")
	// ErrNoOfflineRules: the offline provider has no rules for this task.
	ErrNoOfflineRules = errors.New("ai: the offline provider has no rules for this task")
)

// MaxOutputBytes bounds an answer's text; a longer one is rejected as invalid output.
const MaxOutputBytes = 32 << 10

// APIError is a provider's HTTP error, normalised.
type APIError struct {
	Provider string
	Status   int
	// Type is the provider's error type ("overloaded_error", "rate_limit_exceeded").
	Type    string
	Message string
	// RetryAfter is what the answer's retry-after (or retry-after-ms) asked for; 0 if nothing.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("ai: %s answered %d %s: %s", e.Provider, e.Status, e.Type, e.Message)
}

// Retryable reports whether the same request may succeed later: a rate limit, an overload,
// a time-out at the server or a server error.
func (e *APIError) Retryable() bool {
	return e.Status == 408 || e.Status == 409 || e.Status == 429 || e.Status >= 500
}

// outcomeOf names the outcome of a failed call.
func outcomeOf(err error) Outcome {
	var ae *APIError
	switch {
	case errors.Is(err, ErrInvalidOutput):
		return OutcomeInvalidOutput
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return OutcomeTimeout
	case errors.Is(err, ErrNoOfflineRules), errors.Is(err, ErrNoTranscriber):
		return OutcomeRefused
	case errors.Is(err, ErrInvalidRequest):
		return OutcomeBadRequest
	case errors.As(err, &ae) && ae.Status == 429:
		return OutcomeRateLimited
	case errors.As(err, &ae) && ae.Status == 529:
		return OutcomeOverloaded
	}
	return OutcomeProviderError
}
