package config_test

import (
	"testing"

	"github.com/alorig/alorig/config"
	"github.com/stretchr/testify/require"
)

// What Defaults yields is a copy: changing it changes nothing for the next caller.
func TestDefaultsYieldCopies(t *testing.T) {
	t.Parallel()
	for _, m := range config.Defaults {
		m.Hosts[0] = "changed.example"
		m.Port = 1
	}
	for _, m := range config.Defaults {
		require.NotEqual(t, "changed.example", m.Hosts[0], m.Name)
		require.NotEqual(t, 1, m.Port, m.Name)
	}
	require.Equal(t, "psydge.com", firstDefault().Hosts[0])
}

func firstDefault() config.Module {
	for _, m := range config.Defaults {
		return m
	}
	panic("no modules")
}
