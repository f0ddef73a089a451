package storage_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/shared/storage"
)

func TestValidateKey(t *testing.T) {
	t.Parallel()
	good := []string{"a", "snapify/12/p/ab12/640.jpg", "a b/ü.png", "x..y/z"}
	bad := []string{"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a/", `a\b`, "a\x00b", "a\nb", strings.Repeat("k", 1025), "a/..", "\xff"}
	for _, k := range good {
		require.NoError(t, storage.ValidateKey(k), k)
	}
	for _, k := range bad {
		require.ErrorIs(t, storage.ValidateKey(k), storage.ErrInvalidKey, "%q", k)
	}
}

func FuzzValidateKey(f *testing.F) {
	for _, s := range []string{"a/b.jpg", "../x", "a//b", "ü/..", "a\\b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if storage.ValidateKey(key) != nil {
			return
		}
		// Any accepted key stays inside its root whatever the platform's path rules.
		require.False(t, strings.HasPrefix(key, "/"))
		for seg := range strings.SplitSeq(key, "/") {
			require.NotContains(t, []string{"", ".", ".."}, seg)
		}
		require.NotContains(t, key, "\\")
	})
}
