package aitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// OpenAIRequest is what the OpenAI fake received, decoded.
type OpenAIRequest struct {
	Header   http.Header
	Model    string `json:"model"`
	Stream   bool   `json:"stream"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string         `json:"name"`
			Strict bool           `json:"strict"`
			Schema map[string]any `json:"schema"`
		} `json:"json_schema"`
	} `json:"response_format"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	Prompt string `json:"-"`
	// Images are the last user message's image_url parts, decoded from their data: URLs.
	Images []Image `json:"-"`
}

// OpenAI is a fake of POST /v1/chat/completions and POST /v1/audio/transcriptions (the
// client's base URL is URL+"/v1").
type OpenAI struct {
	*httptest.Server
	Key string
	script
	reqMu    sync.Mutex
	requests []OpenAIRequest
	// transcription requests received and answers scripted (transcribe.go)
	transcriptions []TranscriptionRequest
	transcripts    []Transcription
}

// NewOpenAI starts the fake; it accepts only key.
func NewOpenAI(t testing.TB, key string) *OpenAI {
	f := &OpenAI{Key: key}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// Enqueue scripts the next answers, in order.
func (f *OpenAI) Enqueue(r ...Reply) {
	f.mu.Lock()
	f.queue = append(f.queue, r...)
	f.mu.Unlock()
}

// Answer sets the text answered when nothing is queued.
func (f *OpenAI) Answer(fn func(prompt string) string) {
	f.mu.Lock()
	f.answer = fn
	f.mu.Unlock()
}

// Requests lists the requests that passed the checks.
func (f *OpenAI) Requests() []OpenAIRequest {
	f.reqMu.Lock()
	defer f.reqMu.Unlock()
	return append([]OpenAIRequest(nil), f.requests...)
}

func openaiErrBody(typ, code, msg string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": code}})
	return string(b)
}

// OpenAIRateLimited is OpenAI's 429 with retry-after in seconds.
func OpenAIRateLimited(seconds int) Reply {
	return Reply{Status: 429, Header: map[string]string{"retry-after": fmt.Sprint(seconds)},
		Body: openaiErrBody("requests", "rate_limit_exceeded", "Rate limit reached for requests")}
}

// OpenAIUnavailable is OpenAI's 503.
func OpenAIUnavailable() Reply {
	return Reply{Status: 503, Body: openaiErrBody("server_error", "", "The engine is currently overloaded, please try again later")}
}

func (f *OpenAI) fail(w http.ResponseWriter, status int, typ, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, openaiErrBody(typ, code, msg))
}

func (f *OpenAI) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/v1/audio/transcriptions" {
		f.transcribe(w, r)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		f.fail(w, 404, "invalid_request_error", "unknown_url", "Invalid URL ("+r.Method+" "+r.URL.Path+")")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.Key {
		f.fail(w, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		f.fail(w, 400, "invalid_request_error", "", "body unreadable")
		return
	}
	var req OpenAIRequest
	if err := json.Unmarshal(body, &req); err != nil {
		f.fail(w, 400, "invalid_request_error", "", "We could not parse the JSON body of your request.")
		return
	}
	if msg := req.check(); msg != "" {
		f.fail(w, 400, "invalid_request_error", "", msg)
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
	usage := map[string]any{"prompt_tokens": in, "completion_tokens": out, "total_tokens": in + out}
	if req.Stream {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		chunk := func(delta map[string]any, finish any) {
			b, _ := json.Marshal(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1767225600, "model": req.Model,
				"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}})
			sse(w, "", string(b))
		}
		chunk(map[string]any{"role": "assistant", "content": ""}, nil)
		for text := rep.Text; len(text) > 0; {
			n := min(len(text), 16)
			chunk(map[string]any{"content": text[:n]}, nil)
			text = text[n:]
		}
		chunk(map[string]any{}, "stop")
		if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
			b, _ := json.Marshal(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1767225600, "model": req.Model,
				"choices": []any{}, "usage": usage})
			sse(w, "", string(b))
		}
		sse(w, "", "[DONE]")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion", "created": 1767225600, "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": rep.Text, "refusal": nil},
			"logprobs": nil, "finish_reason": "stop"}}, "usage": usage})
}

func (req *OpenAIRequest) check() string {
	if req.Model == "" {
		return "you must provide a model parameter"
	}
	if len(req.Messages) == 0 {
		return "[] is too short - 'messages'"
	}
	for _, m := range req.Messages {
		if m.Role == "" {
			return "Missing required parameter: 'messages[0].role'."
		}
	}
	last := req.Messages[len(req.Messages)-1]
	var s string
	if json.Unmarshal(last.Content, &s) != nil {
		var parts []struct {
			Type     string `json:"type"`
			Text     string `json:"text"`
			ImageURL *struct {
				URL    string `json:"url"`
				Detail string `json:"detail"`
			} `json:"image_url"`
		}
		if json.Unmarshal(last.Content, &parts) != nil {
			return "Invalid type for 'messages.content'"
		}
		var sb strings.Builder
		for i, p := range parts {
			switch p.Type {
			case "text":
				sb.WriteString(p.Text)
			case "image_url":
				if p.ImageURL == nil || p.ImageURL.URL == "" {
					return fmt.Sprintf("Missing required parameter: 'messages[%d].content[%d].image_url.url'.", len(req.Messages)-1, i)
				}
				if d := p.ImageURL.Detail; d != "" && d != "auto" && d != "low" && d != "high" && d != "original" {
					return fmt.Sprintf("Invalid value: '%s'. Supported values are: 'auto', 'low', 'high' and 'original'.", d)
				}
				im, why := decodeDataURL(p.ImageURL.URL)
				if why != "" {
					return fmt.Sprintf("Invalid image in 'messages[%d].content[%d].image_url': %s", len(req.Messages)-1, i, why)
				}
				req.Images = append(req.Images, im)
			default:
				return fmt.Sprintf("Invalid value: '%s'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.", p.Type)
			}
		}
		s = sb.String()
	}
	req.Prompt = s
	if rf := req.ResponseFormat; rf != nil && rf.Type == "json_schema" && (rf.JSONSchema == nil || rf.JSONSchema.Name == "" || rf.JSONSchema.Schema == nil) {
		return "Missing required parameter: 'response_format.json_schema.name'."
	}
	return ""
}
