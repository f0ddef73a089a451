package ai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema is a JSON schema an answer must satisfy. Providers are asked for it (Anthropic's
// output_config.format, OpenAI's response_format), and the answer is validated here again,
// because a provider's promise is not a check.
type Schema struct {
	Name     string
	raw      json.RawMessage
	compiled *jsonschema.Schema
}

// NewSchema compiles a JSON schema (draft 2020-12) named name.
func NewSchema(name, schema string) (*Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(schema)))
	if err != nil {
		return nil, fmt.Errorf("ai: schema %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	url := "mem:///" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("ai: schema %s: %w", name, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("ai: schema %s: %w", name, err)
	}
	return &Schema{Name: name, raw: json.RawMessage(schema), compiled: sch}, nil
}

// MustSchema is NewSchema for schemas written in the source: a broken one is a programming
// error found at start-up.
func MustSchema(name, schema string) *Schema {
	s, err := NewSchema(name, schema)
	if err != nil {
		panic(err)
	}
	return s
}

// Map is the schema as the providers are sent it (a copy): without the bounds their
// constrained decoding refuses (UnsupportedByProviders). Anthropic answers 400 to a schema that
// has them ("For 'integer' type, property 'minimum' is not supported"). The bounds stay in
// force: Validate checks every answer against the whole schema.
func (s *Schema) Map() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(s.raw, &m)
	stripUnsupported(m)
	return m
}

// UnsupportedByProviders lists the JSON Schema keywords left out of the schema sent to a
// provider: numeric, string-length, array-size and object-size bounds.
var UnsupportedByProviders = []string{
	"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
	"minLength", "maxLength", "maxItems", "uniqueItems", "minProperties", "maxProperties",
}

// stripUnsupported removes UnsupportedByProviders from every schema object under v. Under
// "properties" (and other name-keyed maps) the keys are names, not keywords, so a property
// called "maximum" is kept.
func stripUnsupported(v any) {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range UnsupportedByProviders {
			if _, isSchemaKeyword := t[k].(map[string]any); !isSchemaKeyword {
				delete(t, k)
			}
		}
		for k, child := range t {
			if k == "properties" || k == "$defs" || k == "definitions" || k == "patternProperties" {
				if named, ok := child.(map[string]any); ok {
					for _, sub := range named {
						stripUnsupported(sub)
					}
				}
				continue
			}
			stripUnsupported(child)
		}
	case []any:
		for _, child := range t {
			stripUnsupported(child)
		}
	}
}

// Validate accepts text only when it is exactly one JSON value that satisfies the schema.
// Nothing is repaired: no code fences are stripped, no trailing text ignored.
func (s *Schema) Validate(text string) (json.RawMessage, error) {
	if len(text) > MaxOutputBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrInvalidOutput, len(text), MaxOutputBytes)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: not JSON: %v", ErrInvalidOutput, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: text after the JSON value", ErrInvalidOutput)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(text)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidOutput, err)
	}
	if err := s.compiled.Validate(inst); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidOutput, err)
	}
	return json.RawMessage(bytes.TrimSpace([]byte(text))), nil
}
