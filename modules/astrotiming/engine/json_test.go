package engine

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// The API's JSON must decode back into the engine's types (clients and tests read it).
func TestTextRoundTrip(t *testing.T) {
	t.Parallel()
	type doc struct {
		D Date       `json:"d"`
		S Sign       `json:"s"`
		A AspectKind `json:"a"`
		P Planet     `json:"p"`
	}
	in := doc{D: Date{2026, 3, 11}, S: Sagittarius, A: Trine, P: Venus}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	require.JSONEq(t, `{"d":"2026-03-11","s":"Sagittarius","a":"trine","p":"Venus"}`, string(b))
	var out doc
	require.NoError(t, json.Unmarshal(b, &out))
	require.Equal(t, in, out)
	require.Error(t, json.Unmarshal([]byte(`{"s":"Ophiuchus"}`), &out))
	require.Error(t, json.Unmarshal([]byte(`{"a":"quincunx"}`), &out))
	require.Error(t, json.Unmarshal([]byte(`{"d":"2026-02-31"}`), &out))
}
