package web

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

type bindProbe struct {
	Title string    `json:"title"`
	Price int64     `json:"price_paisa"`
	Qty   *int32    `json:"qty"`
	Count uint8     `json:"count"`
	Ratio float64   `json:"ratio"`
	On    bool      `json:"on"`
	Tags  []string  `json:"tags"`
	Raw   []byte    `json:"raw"`
	Inner bindInner `json:"inner"`
}

type bindInner struct {
	Name string `json:"name"`
}

// A type error must say what JSON to send, never the server's Go type names.
func TestDecodeStrictTypeErrorsSpeakJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body, field, reason string
	}{
		{`[1,2]`, "(body)", "must be an object"},
		{`{"title":5}`, "title", "must be a string"},
		{`{"price_paisa":99999999999999999999}`, "price_paisa", "must be a whole number from -9223372036854775808 to 9223372036854775807"},
		{`{"price_paisa":1.5}`, "price_paisa", "must be a whole number from -9223372036854775808 to 9223372036854775807"},
		{`{"qty":"2"}`, "qty", "must be a whole number from -2147483648 to 2147483647"},
		{`{"count":300}`, "count", "must be a whole number from 0 to 255"},
		{`{"ratio":"x"}`, "ratio", "must be a number"},
		{`{"on":1}`, "on", "must be true or false"},
		{`{"tags":"a"}`, "tags", "must be an array"},
		{`{"raw":5}`, "raw", "must be a base64 string"},
		{`{"inner":[]}`, "inner", "must be an object"},
		{`{"inner":{"name":false}}`, "inner.name", "must be a string"},
	}
	for _, tc := range cases {
		t.Run(tc.body, func(t *testing.T) {
			t.Parallel()
			var dst bindProbe
			err := DecodeStrict([]byte(tc.body), &dst)
			var p *Problem
			require.True(t, errors.As(err, &p), "%v", err)
			require.Equal(t, http.StatusBadRequest, p.Status)
			require.Equal(t, []FieldError{{Field: tc.field, Reason: tc.reason}}, p.Errors)
			require.NotContains(t, p.Detail, "bindProbe")
			require.NotContains(t, p.Detail, "int64")
			require.NotContains(t, p.Detail, "web.")
		})
	}
}
