package snapify

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDumpSamples writes every sample page to $SNAPIFY_VIEWS_DUMP for a look in a browser or
// for the page-budget script; without the variable it has nothing to do.
func TestDumpSamples(t *testing.T) {
	dir := os.Getenv("SNAPIFY_VIEWS_DUMP")
	if dir == "" {
		t.Skip("set SNAPIFY_VIEWS_DUMP=dir to write the sample pages")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, s := range SamplePages() {
		var b bytes.Buffer
		require.NoError(t, s.Page.Render(context.Background(), &b), s.Name)
		require.NoError(t, os.WriteFile(filepath.Join(dir, s.Name+".html"), b.Bytes(), 0o644))
	}
}
