package testkit

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var updateAnswers = flag.Bool("update-answers", false, "rewrite the golden answer files from the current code")

// GoldenAnswers compares got, one recorded answer per request, with the JSON list in path
// (testdata/answers.golden by convention), element by element so a failure names the answer
// that changed. With -update-answers it first rewrites the file from got: run it only when an
// answer is meant to change, and read the diff.
func GoldenAnswers[T any](t testing.TB, path string, got []T, name func(T) string) {
	t.Helper()
	out, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	if *updateAnswers {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, append(out, '\n'), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update-answers once to record the answers")
	var wantList []T
	require.NoError(t, json.Unmarshal(want, &wantList))
	require.Len(t, got, len(wantList))
	for i := range wantList {
		w, _ := json.Marshal(wantList[i])
		g, _ := json.Marshal(got[i])
		require.JSONEq(t, string(w), string(g), fmt.Sprintf("answer %q changed", name(wantList[i])))
	}
}
