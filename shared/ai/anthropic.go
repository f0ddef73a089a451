package ai

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// AnthropicConfig configures the Anthropic provider.
type AnthropicConfig struct {
	APIKey  string
	BaseURL string // https://api.anthropic.com unless a test or a proxy says otherwise
	Model   string
	// HTTPClient, when set, replaces the SDK's default client.
	HTTPClient *http.Client
}

// Anthropic calls Claude through the official SDK (the Messages API). The SDK's own retries
// are off: Client retries, so one policy (retry-after honoured, the call's deadline kept)
// covers every provider and every attempt is counted.
type Anthropic struct {
	c     anthropic.Client
	model string
}

// NewAnthropic builds the provider. The SDK reads nothing from the environment: the key and
// base URL are the ones config loaded. The key goes in x-api-key, the header the Messages API
// documents for API keys (the SDK's WithAPIKey sends it as a bearer token instead).
func NewAnthropic(cfg AnthropicConfig) *Anthropic {
	opts := []option.RequestOption{option.WithoutEnvironmentDefaults(), option.WithHeader("X-Api-Key", cfg.APIKey), option.WithMaxRetries(0)}
	if cfg.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(cfg.BaseURL))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
	}
	return &Anthropic{c: anthropic.NewClient(opts...), model: cfg.Model}
}

func (a *Anthropic) Name() string  { return "anthropic" }
func (a *Anthropic) Model() string { return a.model }

func (a *Anthropic) Complete(ctx context.Context, req *Request) (*Completion, error) {
	params := anthropic.MessageNewParams{
		Model:     anthropic.Model(a.model),
		MaxTokens: int64(maxTokens(req)),
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropicContent(req)...)},
	}
	if req.System != "" {
		params.System = []anthropic.TextBlockParam{{Text: req.System}}
	}
	if req.Schema != nil {
		params.OutputConfig = anthropic.OutputConfigParam{Format: anthropic.JSONOutputFormatParam{Schema: req.Schema.Map()}}
	}
	var msg *anthropic.Message
	var err error
	if req.Stream {
		msg = &anthropic.Message{}
		stream := a.c.Messages.NewStreaming(ctx, params)
		for stream.Next() {
			if aerr := msg.Accumulate(stream.Current()); aerr != nil {
				err = aerr
				break
			}
		}
		if err == nil {
			err = stream.Err()
		}
		_ = stream.Close()
	} else {
		msg, err = a.c.Messages.New(ctx, params)
	}
	var comp *Completion
	if msg != nil {
		comp = &Completion{Model: string(msg.Model), Usage: Usage{InputTokens: msg.Usage.InputTokens, OutputTokens: msg.Usage.OutputTokens}}
		var sb strings.Builder
		for _, b := range msg.Content {
			if b.Type == "text" {
				sb.WriteString(b.Text)
			}
		}
		comp.Text = sb.String()
	}
	if err != nil {
		return comp, anthropicError(err)
	}
	return comp, nil
}

// anthropicStatus maps an error type sent inside a stream (whose HTTP status was 200) to the
// status the same error has as a plain answer.
var anthropicStatus = map[string]int{
	"overloaded_error": 529, "rate_limit_error": 429, "api_error": 500, "timeout_error": 504,
	"invalid_request_error": 400, "authentication_error": 401, "permission_error": 403, "not_found_error": 404,
	"request_too_large": 413,
}

func anthropicError(err error) error {
	var ae *anthropic.Error
	if !errors.As(err, &ae) {
		return err
	}
	out := &APIError{Provider: "anthropic", Status: ae.StatusCode, Type: string(ae.Type()), Message: ae.Message}
	if s, ok := anthropicStatus[out.Type]; ok && out.Status < 300 {
		out.Status = s
	}
	if ae.Response != nil {
		out.RetryAfter = retryAfter(ae.Response.Header)
	}
	return out
}
