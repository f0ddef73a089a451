package ai

import (
	"log/slog"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/shared/clock"
)

// FromConfig builds the client config describes: the chosen provider (or the first with a
// key, Anthropic first), else the offline provider. It logs which one answers.
func FromConfig(cfg config.AIConfig, clk clock.Clock, log *slog.Logger) *Client {
	var p Provider
	switch {
	case cfg.Provider == "openai" && cfg.OpenAIKey != "":
		p = NewOpenAI(OpenAIConfig{APIKey: cfg.OpenAIKey, BaseURL: cfg.OpenAIBase, Model: cfg.OpenAIModel})
	case (cfg.Provider == "anthropic" || cfg.Provider == "") && cfg.AnthropicKey != "":
		p = NewAnthropic(AnthropicConfig{APIKey: cfg.AnthropicKey, BaseURL: cfg.AnthropicBase, Model: cfg.AnthropicModel})
	case cfg.Provider == "" && cfg.OpenAIKey != "":
		p = NewOpenAI(OpenAIConfig{APIKey: cfg.OpenAIKey, BaseURL: cfg.OpenAIBase, Model: cfg.OpenAIModel})
	default:
		p = Offline{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if p.Name() == OfflineName {
		log.Info("ai: no provider key configured: the offline, rules-based provider answers")
	}
	retries := cfg.MaxRetries
	if retries == 0 {
		retries = -1 // config's 0 means none; Options' 0 means the default
	}
	var speech *OpenAI
	if cfg.OpenAIKey != "" {
		// Speech-to-text is OpenAI's whichever provider answers calls.
		speech = NewOpenAI(OpenAIConfig{APIKey: cfg.OpenAIKey, BaseURL: cfg.OpenAIBase, Model: cfg.OpenAIModel})
	}
	return New(Options{Provider: p, Speech: speech, Timeout: cfg.Timeout, MaxRetries: retries, Clock: clk, Log: log})
}

// Check is the /readyz line of the client: nil when a provider answers, an error saying the
// offline provider stands in otherwise (reported, never failing readiness).
func (c *Client) Check() error {
	if c.IsOffline() {
		return errOffline
	}
	return nil
}

type offlineError struct{}

func (offlineError) Error() string {
	return "AI provider offline: no Anthropic or OpenAI key configured, the rules-based offline provider answers"
}

var errOffline error = offlineError{}
