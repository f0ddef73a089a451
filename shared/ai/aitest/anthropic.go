package aitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// AnthropicRequest is what the fake received, decoded.
type AnthropicRequest struct {
	Header  http.Header
	Model   string `json:"model"`
	MaxTok  int64  `json:"max_tokens"`
	Stream  bool   `json:"stream"`
	System  any    `json:"system"`
	Message []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	OutputConfig *struct {
		Format *struct {
			Type   string         `json:"type"`
			Schema map[string]any `json:"schema"`
		} `json:"format"`
	} `json:"output_config"`
	// Prompt is the text of the last user message.
	Prompt string `json:"-"`
	// Images are the last user message's image blocks, decoded (checked as the API checks them).
	Images []Image `json:"-"`
}

// Anthropic is a fake of POST /v1/messages.
type Anthropic struct {
	*httptest.Server
	Key string
	script
	reqMu    sync.Mutex
	requests []AnthropicRequest
}

var versionRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// NewAnthropic starts the fake; it accepts only key.
func NewAnthropic(t testing.TB, key string) *Anthropic {
	f := &Anthropic{Key: key}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// Enqueue scripts the next answers, in order; after them Answer (or "{}") answers.
func (f *Anthropic) Enqueue(r ...Reply) {
	f.mu.Lock()
	f.queue = append(f.queue, r...)
	f.mu.Unlock()
}

// Answer sets the text answered when nothing is queued, from the last user message.
func (f *Anthropic) Answer(fn func(prompt string) string) {
	f.mu.Lock()
	f.answer = fn
	f.mu.Unlock()
}

// Requests lists the requests that passed the checks, in order.
func (f *Anthropic) Requests() []AnthropicRequest {
	f.reqMu.Lock()
	defer f.reqMu.Unlock()
	return append([]AnthropicRequest(nil), f.requests...)
}

// Calls counts the requests answered from the script (every valid request).
func (f *Anthropic) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func anthropicErr(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", "req_fake")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"type":"error","error":{"type":%q,"message":%q},"request_id":"req_fake"}`, typ, msg)
}

// Overloaded is Anthropic's 529.
func Overloaded() Reply {
	return Reply{Status: 529, Body: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_fake"}`}
}

// RateLimited is Anthropic's 429 asking for a pause of seconds.
func RateLimited(seconds int) Reply {
	return Reply{Status: 429, Header: map[string]string{"retry-after": fmt.Sprint(seconds)},
		Body: `{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_fake"}`}
}

// ServerError is Anthropic's 500 api_error.
func ServerError() Reply {
	return Reply{Status: 500, Body: `{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_fake"}`}
}

func (f *Anthropic) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" {
		anthropicErr(w, 404, "not_found_error", "Not found: "+r.Method+" "+r.URL.Path)
		return
	}
	if r.Header.Get("x-api-key") != f.Key {
		anthropicErr(w, 401, "authentication_error", "invalid x-api-key")
		return
	}
	if !versionRE.MatchString(r.Header.Get("anthropic-version")) {
		anthropicErr(w, 400, "invalid_request_error", "anthropic-version: header is required")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		anthropicErr(w, 400, "invalid_request_error", "Content-Type must be application/json")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		anthropicErr(w, 400, "invalid_request_error", "body unreadable")
		return
	}
	var req AnthropicRequest
	if err := json.Unmarshal(body, &req); err != nil {
		anthropicErr(w, 400, "invalid_request_error", "body is not valid JSON")
		return
	}
	if msg := req.check(); msg != "" {
		anthropicErr(w, 400, "invalid_request_error", msg)
		return
	}
	req.Header = r.Header.Clone()
	f.reqMu.Lock()
	f.requests = append(f.requests, req)
	f.reqMu.Unlock()

	rep := f.next(req.Prompt)
	if !wait(r, rep.Delay) {
		return
	}
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	if rep.Status != 0 || rep.Body != "" {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(max(rep.Status, 200))
		_, _ = io.WriteString(w, rep.Body)
		return
	}
	in, out := tokens(string(body)), tokens(rep.Text)
	if req.Stream {
		f.stream(w, &req, rep, in, out)
		return
	}
	msg := map[string]any{"id": "msg_fake01", "type": "message", "role": "assistant", "model": req.Model,
		"content": []any{map[string]any{"type": "text", "text": rep.Text}}, "stop_reason": "end_turn", "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": in, "output_tokens": out}}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", "req_fake")
	_ = json.NewEncoder(w).Encode(msg)
}

// check answers what the real API says of a request it refuses, or "".
func (req *AnthropicRequest) check() string {
	switch {
	case req.Model == "":
		return "model: Field required"
	case req.MaxTok <= 0:
		return "max_tokens: Field required"
	case len(req.Message) == 0:
		return "messages: at least one message is required"
	case req.Message[0].Role != "user":
		return "messages: first message must use the \"user\" role"
	}
	last := req.Message[len(req.Message)-1]
	var s string
	if json.Unmarshal(last.Content, &s) != nil {
		var blocks []struct {
			Type   string `json:"type"`
			Text   string `json:"text"`
			Source *struct {
				Type      string `json:"type"`
				MediaType string `json:"media_type"`
				Data      string `json:"data"`
				URL       string `json:"url"`
			} `json:"source"`
		}
		if json.Unmarshal(last.Content, &blocks) != nil || len(blocks) == 0 {
			return "messages.content: Input should be a valid string or list of content blocks"
		}
		for i, b := range blocks {
			switch b.Type {
			case "text":
				s += b.Text
			case "image":
				if b.Source == nil {
					return fmt.Sprintf("messages.0.content.%d.image.source: Field required", i)
				}
				if b.Source.Type != "base64" {
					return fmt.Sprintf("messages.0.content.%d.image.source.type: this fake takes base64 images only, got %q", i, b.Source.Type)
				}
				im, why := decodeImage(b.Source.MediaType, b.Source.Data)
				if why != "" {
					return fmt.Sprintf("messages.0.content.%d.image.source.base64: %s", i, why)
				}
				req.Images = append(req.Images, im)
			default:
				return fmt.Sprintf("messages.0.content.%d.type: unexpected block type %q", i, b.Type)
			}
		}
	}
	req.Prompt = s
	if oc := req.OutputConfig; oc != nil && oc.Format != nil && (oc.Format.Type != "json_schema" || oc.Format.Schema == nil) {
		return "output_config.format: type must be json_schema with a schema"
	}
	if oc := req.OutputConfig; oc != nil && oc.Format != nil {
		if why := unsupportedKeyword(oc.Format.Schema); why != "" {
			return "output_config.format.schema: " + why
		}
	}
	return ""
}

// unsupportedKeyword finds a bound the API's structured outputs refuse, as it does: the
// numeric, string-length and array-size bounds of JSON Schema.
func unsupportedKeyword(v any) string {
	refused := []string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
		"minLength", "maxLength", "maxItems", "uniqueItems", "minProperties", "maxProperties"}
	switch t := v.(type) {
	case map[string]any:
		for _, k := range refused {
			if val, ok := t[k]; ok {
				if _, isSchema := val.(map[string]any); !isSchema {
					typ, _ := t["type"].(string)
					return "For '" + typ + "' type, property '" + k + "' is not supported"
				}
			}
		}
		for k, child := range t {
			if k == "properties" || k == "$defs" || k == "definitions" {
				if named, ok := child.(map[string]any); ok {
					for _, sub := range named {
						if why := unsupportedKeyword(sub); why != "" {
							return why
						}
					}
				}
				continue
			}
			if why := unsupportedKeyword(child); why != "" {
				return why
			}
		}
	case []any:
		for _, child := range t {
			if why := unsupportedKeyword(child); why != "" {
				return why
			}
		}
	}
	return ""
}

// stream writes the answer as the API's event sequence: message_start, content_block_start,
// ping, content_block_delta (in pieces), content_block_stop, message_delta, message_stop.
func (f *Anthropic) stream(w http.ResponseWriter, req *AnthropicRequest, rep Reply, in, out int64) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(200)
	start, _ := json.Marshal(map[string]any{"type": "message_start", "message": map[string]any{"id": "msg_fake01", "type": "message",
		"role": "assistant", "model": req.Model, "content": []any{}, "stop_reason": nil, "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": in, "output_tokens": 1}}})
	sse(w, "message_start", string(start))
	sse(w, "content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`)
	sse(w, "ping", `{"type": "ping"}`)
	text := rep.Text
	for i := 0; len(text) > 0; i++ {
		n := min(len(text), 16)
		d, _ := json.Marshal(map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]any{"type": "text_delta", "text": text[:n]}})
		sse(w, "content_block_delta", string(d))
		text = text[n:]
		if i == 0 && rep.StreamError != "" {
			sse(w, "error", fmt.Sprintf(`{"type":"error","error":{"type":%q,"message":"Overloaded"}}`, rep.StreamError))
			return
		}
	}
	sse(w, "content_block_stop", `{"type":"content_block_stop","index":0}`)
	sse(w, "message_delta", fmt.Sprintf(`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":%d}}`, out))
	sse(w, "message_stop", `{"type":"message_stop"}`)
}
