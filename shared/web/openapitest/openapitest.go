// Package openapitest checks a module's OpenAPI document against the routes its echo instance
// really has. Every module's tests call Check once:
//
//	e := echo.New()
//	m.Web(e)
//	openapitest.Check(t, e, m.API().JSON(), openapitest.Skip("/s/"))
//
// It is a package of its own so kin-openapi, which does the validating, stays out of the binary.
package openapitest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/web"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// Option changes what Check compares.
type Option func(*options)

type options struct{ skip []string }

// Skip leaves routes out of the comparison: the module's HTML pages, which are not API. A
// pattern is an echo path ("/", "/s/:slug") or a prefix ending in * ("/s/*"). A documented
// operation is still checked against the routes Skip leaves out.
func Skip(patterns ...string) Option {
	return func(o *options) { o.skip = append(o.skip, patterns...) }
}

// Check fails t for every way doc and e disagree or doc is not a valid and complete OpenAPI
// document (see Validate, Complete and Drift).
func Check(t testing.TB, e *echo.Echo, doc []byte, opts ...Option) {
	t.Helper()
	parsed, err := Validate(doc)
	if err != nil {
		t.Errorf("the OpenAPI document is not valid: %v", err)
		return
	}
	for _, p := range Complete(parsed) {
		t.Errorf("incomplete OpenAPI document: %s", p)
	}
	for _, p := range Drift(e, parsed, opts...) {
		t.Errorf("routes and OpenAPI document disagree: %s", p)
	}
}

// Validate parses doc and validates it with kin-openapi (OpenAPI 3.1 and its JSON Schema).
func Validate(doc []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	parsed, err := loader.LoadFromData(doc)
	if err != nil {
		return nil, err
	}
	if err := parsed.Validate(context.Background()); err != nil {
		return nil, err
	}
	return parsed, nil
}

// Complete lists the operations that do not say enough: no summary, no successful answer, or
// a 200 or 201 without a body schema (here those always carry one).
func Complete(doc *openapi3.T) []string {
	var out []string
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			name := method + " " + path
			if strings.TrimSpace(op.Summary) == "" {
				out = append(out, name+" has no summary")
			}
			success := false
			for code, r := range op.Responses.Map() {
				if code == "default" || code >= "400" {
					continue
				}
				success = true
				if (code == "200" || code == "201") && (r.Value == nil || len(r.Value.Content) == 0) {
					out = append(out, name+" answers "+code+" without a body schema")
				}
			}
			if !success {
				out = append(out, name+" documents no successful answer")
			}
		}
	}
	slices.Sort(out)
	return out
}

// Drift lists routes on e that doc lacks and operations in doc that e does not route. It leaves
// out what is not the module's API: HEAD and OPTIONS, echo's own catch-alls (groups with
// middleware add them), wildcard routes (static files), the platform's /healthz, /readyz,
// /internal/ and /debug/, the document and viewer that API.Mount adds, and Skip's prefixes.
func Drift(e *echo.Echo, doc *openapi3.T, opts ...Option) []string {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	routed := map[string]bool{}
	var out []string
	for _, r := range e.Routes() {
		if ignored(r, o) {
			continue
		}
		key := r.Method + " " + web.OpenAPIPath(r.Path)
		routed[key] = true
		item := doc.Paths.Value(web.OpenAPIPath(r.Path))
		if item == nil || item.GetOperation(r.Method) == nil {
			out = append(out, fmt.Sprintf("%s is routed (echo path %s) but not documented", key, r.Path))
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for method := range doc.Paths.Value(path).Operations() {
			key := method + " " + path
			if !routed[key] && !routedAnyway(e, method, path) {
				out = append(out, key+" is documented but no route serves it")
			}
		}
	}
	slices.Sort(out)
	return out
}

func ignored(r *echo.Route, o options) bool {
	switch {
	case r.Method == http.MethodHead, r.Method == http.MethodOptions, r.Method == echo.RouteNotFound,
		r.Name == web.DocsRouteName, r.Name == web.AppRouteName, strings.Contains(r.Name, "labstack/echo"),
		strings.Contains(r.Path, "*"),
		r.Path == "/healthz", r.Path == "/readyz",
		strings.HasPrefix(r.Path, "/internal/"), strings.HasPrefix(r.Path, "/debug/"):
		return true
	}
	for _, p := range o.skip {
		if prefix, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(r.Path, prefix) || r.Path == p {
			return true
		}
	}
	return false
}

// routedAnyway catches a documented operation whose route Drift skipped (under a Skip prefix):
// it is served if e has the method and path at all.
func routedAnyway(e *echo.Echo, method, path string) bool {
	for _, r := range e.Routes() {
		if r.Method == method && web.OpenAPIPath(r.Path) == path && r.Name != web.DocsRouteName {
			return true
		}
	}
	return false
}
