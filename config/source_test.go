package config_test

import (
	"testing"

	"github.com/alorig/alorig/config"
	"github.com/stretchr/testify/require"
)

func TestSourceURL(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, config.DefaultSourceURL, cfg.SourceURL)

	cfg, err = config.Load(env(map[string]string{"ALORIG_SOURCE_URL": "https://git.example.org/alorig/tree/v2"}))
	require.NoError(t, err)
	require.Equal(t, "https://git.example.org/alorig/tree/v2", cfg.SourceURL)

	for _, bad := range []string{"git.example.org/alorig", "ftp://example.org/a", "https://user:pw@example.org/a"} {
		_, err := config.Load(env(map[string]string{"ALORIG_SOURCE_URL": bad}))
		require.ErrorContains(t, err, "ALORIG_SOURCE_URL", bad)
	}
}
