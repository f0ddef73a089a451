package ai

import (
	"context"
	"errors"
	"net/http"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
)

// OpenAIConfig configures the OpenAI provider.
type OpenAIConfig struct {
	APIKey     string
	BaseURL    string // https://api.openai.com/v1 unless a test or a proxy says otherwise
	Model      string
	HTTPClient *http.Client
	// TranscribeModel is the speech-to-text model (default whisper-1).
	TranscribeModel string
}

// OpenAI calls the Chat Completions API through the official SDK, with structured outputs
// (response_format json_schema, strict). As with Anthropic, the SDK's retries are off.
type OpenAI struct {
	c           openai.Client
	model       string
	speechModel string
}

// NewOpenAI builds the provider; the key and base URL given here win over the SDK's
// environment defaults.
func NewOpenAI(cfg OpenAIConfig) *OpenAI {
	opts := []option.RequestOption{option.WithAPIKey(cfg.APIKey), option.WithMaxRetries(0)}
	if cfg.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(cfg.BaseURL))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
	}
	return &OpenAI{c: openai.NewClient(opts...), model: cfg.Model, speechModel: cfg.TranscribeModel}
}

func (o *OpenAI) Name() string  { return "openai" }
func (o *OpenAI) Model() string { return o.model }

func (o *OpenAI) Complete(ctx context.Context, req *Request) (*Completion, error) {
	params := openai.ChatCompletionNewParams{
		Model:               shared.ChatModel(o.model),
		MaxCompletionTokens: openai.Int(int64(maxTokens(req))),
	}
	if req.System != "" {
		params.Messages = append(params.Messages, openai.SystemMessage(req.System))
	}
	params.Messages = append(params.Messages, openaiUser(req))
	if req.Schema != nil {
		params.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
			JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: req.Schema.Name, Schema: req.Schema.Map(), Strict: openai.Bool(true)},
		}}
	}
	var cc *openai.ChatCompletion
	var err error
	if req.Stream {
		params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
		acc := &openai.ChatCompletionAccumulator{}
		stream := o.c.Chat.Completions.NewStreaming(ctx, params)
		for stream.Next() {
			acc.AddChunk(stream.Current())
		}
		err = stream.Err()
		_ = stream.Close()
		cc = &acc.ChatCompletion
	} else {
		cc, err = o.c.Chat.Completions.New(ctx, params)
	}
	var comp *Completion
	if cc != nil {
		comp = &Completion{Model: cc.Model, Usage: Usage{InputTokens: cc.Usage.PromptTokens, OutputTokens: cc.Usage.CompletionTokens}}
		if len(cc.Choices) > 0 {
			comp.Text = cc.Choices[0].Message.Content
			if r := cc.Choices[0].Message.Refusal; r != "" && comp.Text == "" {
				return comp, &APIError{Provider: "openai", Status: 200, Type: "refusal", Message: r}
			}
		}
	}
	if err != nil {
		return comp, openaiError(err)
	}
	return comp, nil
}

func openaiError(err error) error {
	var oe *openai.Error
	if !errors.As(err, &oe) {
		return err
	}
	out := &APIError{Provider: "openai", Status: oe.StatusCode, Type: oe.Code, Message: oe.Message}
	if out.Type == "" {
		out.Type = oe.Type
	}
	if oe.Response != nil {
		out.RetryAfter = retryAfter(oe.Response.Header)
	}
	return out
}
