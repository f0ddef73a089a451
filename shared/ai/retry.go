package ai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryAfter reads how long a provider asked us to wait: retry-after-ms (OpenAI's), then
// retry-after in seconds or as an HTTP date. Nothing usable is 0.
func retryAfter(h http.Header) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

func maxTokens(req *Request) int {
	if req.MaxTokens > 0 {
		return req.MaxTokens
	}
	return 1024
}

// userTurn is the prompt with the structured input appended as JSON.
func userTurn(req *Request) string {
	if len(req.Input) == 0 {
		return req.Prompt
	}
	var compact strings.Builder
	var v any
	if json.Unmarshal(req.Input, &v) == nil {
		b, _ := json.Marshal(v)
		compact.Write(b)
	} else {
		compact.Write(req.Input)
	}
	return fmt.Sprintf("%s\n\nContext (JSON):\n%s", req.Prompt, compact.String())
}
