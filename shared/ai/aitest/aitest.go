// Package aitest has local fake servers that speak Anthropic's Messages API and OpenAI's Chat
// Completions API as the real services do: the same headers checked (x-api-key and
// anthropic-version; Authorization: Bearer), the same required body fields, the same answer,
// streaming (server-sent events) and error shapes. Tests script each answer: a text, a 429
// with retry-after, a 529 overload, a 5xx, a malformed body or a hang past the caller's
// deadline.
package aitest

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Reply is one scripted answer.
type Reply struct {
	// Status of an error answer (0: a successful answer with Text).
	Status int
	Header map[string]string
	// Body replaces the answer's body as is (a malformed body, an error body).
	Body string
	// Text is the assistant's text in a successful answer.
	Text string
	// Delay holds the answer back; a delay past the caller's deadline is a time-out.
	Delay time.Duration
	// StreamError, for a streamed answer, sends an error event of this type after the first
	// text delta (Anthropic's mid-stream overload).
	StreamError string
}

// Text answers text.
func Text(s string) Reply { return Reply{Text: s} }

// Malformed answers 200 with a body that is not the API's JSON.
func Malformed() Reply {
	return Reply{Header: map[string]string{"Content-Type": "application/json"}, Body: `{"id":"msg_01","type":"mess`}
}

// Hang holds the answer for d (a time-out for any caller with a shorter deadline).
func Hang(d time.Duration) Reply { return Reply{Delay: d, Text: "{}"} }

// script is the queue and the default answer shared by both fakes.
type script struct {
	mu     sync.Mutex
	queue  []Reply
	answer func(prompt string) string
	calls  int
}

func (s *script) next(prompt string) Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if len(s.queue) > 0 {
		r := s.queue[0]
		s.queue = s.queue[1:]
		return r
	}
	if s.answer != nil {
		return Reply{Text: s.answer(prompt)}
	}
	return Reply{Text: "{}"}
}

// wait holds the answer for d or until the client goes away.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func tokens(s string) int64 { return int64(len(s)/4 + 1) }

func sse(w http.ResponseWriter, event, data string) {
	if event != "" {
		fmt.Fprintf(w, "event: %s\n", event)
	}
	fmt.Fprintf(w, "data: %s\n\n", data)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}
