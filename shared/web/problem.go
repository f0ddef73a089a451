// Package web is the HTTP platform every module shares: RFC 9457 problem answers, strict JSON
// binding, middleware, health endpoints and the Host dispatcher in front of the modules' echo
// instances.
package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string       `json:"type,omitempty"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Code     string       `json:"code,omitempty"`
	Errors   []FieldError `json:"errors,omitempty"`
	// RequestID is the X-Request-ID of the answer: what to quote to support, and what finds
	// the request in the logs.
	RequestID string `json:"request_id,omitempty"`
	// Extra members are merged into the top-level object (e.g. the gates of a refused trade).
	Extra map[string]any `json:"-"`
	// RetryAfter, when set, becomes the Retry-After header.
	RetryAfter int `json:"-"`
}

// FieldError names one invalid field and why.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (p *Problem) Error() string {
	if p.Detail != "" {
		return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail)
	}
	return fmt.Sprintf("%d %s", p.Status, p.Title)
}

// MarshalJSON merges Extra into the object.
func (p *Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	base, err := json.Marshal((*plain)(p))
	if err != nil || len(p.Extra) == 0 {
		return base, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(base, &m); err != nil {
		return nil, err
	}
	for k, v := range p.Extra {
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// NewProblem builds a problem with the standard title for status.
func NewProblem(status int, detail string) *Problem {
	return &Problem{Title: http.StatusText(status), Status: status, Detail: detail}
}

// Invalid is a 422 listing each field and why.
func Invalid(errs ...FieldError) *Problem {
	p := NewProblem(http.StatusUnprocessableEntity, "the request has invalid fields")
	p.Errors = errs
	return p
}

// BadRequest, NotFound, Forbidden, Unauthorized and Conflict are the common answers.
func BadRequest(detail string) *Problem { return NewProblem(http.StatusBadRequest, detail) }
func NotFound(detail string) *Problem   { return NewProblem(http.StatusNotFound, detail) }
func Forbidden(detail string) *Problem  { return NewProblem(http.StatusForbidden, detail) }
func Conflict(detail string) *Problem   { return NewProblem(http.StatusConflict, detail) }
func Unauthorized(detail string) *Problem {
	return NewProblem(http.StatusUnauthorized, detail)
}

// WithCode sets a stable machine-readable code.
func (p *Problem) WithCode(code string) *Problem { p.Code = code; return p }

// With adds a top-level member.
func (p *Problem) With(key string, value any) *Problem {
	if p.Extra == nil {
		p.Extra = map[string]any{}
	}
	p.Extra[key] = value
	return p
}

// WriteProblem writes p as application/problem+json.
func WriteProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p.Instance == "" && r != nil {
		p.Instance = r.URL.Path
	}
	if p.RequestID == "" {
		p.RequestID = w.Header().Get(echo.HeaderXRequestID)
	}
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// ErrorHandler turns any error a handler returns into a problem answer. Internal errors are
// logged with the request id and answered with a generic 500 that leaks nothing.
func ErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		var p *Problem
		var he *echo.HTTPError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &p):
		case errors.As(err, &mbe):
			p = NewProblem(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", mbe.Limit))
		case errors.As(err, &he):
			detail := ""
			if msg, ok := he.Message.(string); ok && msg != http.StatusText(he.Code) {
				detail = msg
			}
			switch he.Code {
			case http.StatusRequestEntityTooLarge:
				detail = "the request body is larger than this endpoint accepts"
			case http.StatusNotFound:
				detail = "no such page or resource"
			case http.StatusMethodNotAllowed:
				detail = "this method is not allowed here"
			}
			p = NewProblem(he.Code, detail)
		default:
			log.ErrorContext(c.Request().Context(), "request failed",
				"err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "path", c.Request().URL.Path)
			p = NewProblem(http.StatusInternalServerError, "something went wrong on our side; the request id identifies it in our logs")
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(p.Status)
			return
		}
		WriteProblem(c.Response(), c.Request(), p)
	}
}
