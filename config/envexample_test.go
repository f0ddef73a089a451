package config_test

import (
	"bufio"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alorig/alorig/config"
	"github.com/stretchr/testify/require"
)

// exampleLine is a variable in alorig.env.example: "KEY=value", or "# KEY=value" for the
// per-module variables shown once, for psydge.
var exampleLine = regexp.MustCompile(`^(?:#\s*)?(ALORIG_[A-Z0-9_]+)=(.*)$`)

// readByLoad is every variable config.Load asks for, in development and in production, with
// and without a module list (some are read only then).
func readByLoad(t *testing.T) map[string]bool {
	read := map[string]bool{}
	for _, set := range []map[string]string{
		{},
		{"ALORIG_ENV": "production", "ALORIG_APPS": "all"},
	} {
		_, _ = config.Load(func(k string) string { read[k] = true; return set[k] })
	}
	return read
}

// perModule writes ALORIG_PSYDGE_<REST> as ALORIG_<MODULE>_<REST> (the token the example
// uses) when Load reads REST for more than one module: those are the
// per-module variables the example shows once. Module-specific ones (ALORIG_SNAPIFY_S3_BUCKET)
// stay as they are.
func perModule(read map[string]bool) func(string) string {
	count := map[string]int{}
	for k := range read {
		for _, m := range config.Names() {
			if rest, ok := strings.CutPrefix(k, "ALORIG_"+strings.ToUpper(m)+"_"); ok {
				count[rest]++
			}
		}
	}
	return func(k string) string {
		for _, m := range config.Names() {
			if rest, ok := strings.CutPrefix(k, "ALORIG_"+strings.ToUpper(m)+"_"); ok && count[rest] > 1 {
				return "ALORIG_<MODULE>_" + rest
			}
		}
		return k
	}
}

// The env example lists exactly the variables config.Load reads, each with the value Load
// uses when the variable is unset: setting every listed value changes nothing.
func TestEnvExampleListsWhatLoadReadsWithItsDefaults(t *testing.T) {
	t.Parallel()
	f, err := os.Open("alorig.env.example")
	require.NoError(t, err)
	defer f.Close()
	listed := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := exampleLine.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil {
			_, dup := listed[m[1]]
			require.False(t, dup, "%s is listed twice", m[1])
			listed[m[1]] = m[2]
		}
	}
	require.NoError(t, sc.Err())

	read := readByLoad(t)
	norm := perModule(read)
	var want, got []string
	for k := range read {
		want = append(want, norm(k))
	}
	for k := range listed {
		got = append(got, norm(k))
	}
	slices.Sort(want)
	slices.Sort(got)
	require.Equal(t, slices.Compact(want), slices.Compact(got), "variables in config/alorig.env.example vs what config.Load reads")

	base, err := config.Load(func(string) string { return "" })
	require.NoError(t, err)
	for k, v := range listed {
		cfg, err := config.Load(func(key string) string {
			if key == k {
				return v
			}
			return ""
		})
		require.NoError(t, err, "%s=%s", k, v)
		require.True(t, reflect.DeepEqual(base, cfg), "%s=%s in the example is not the default config.Load uses", k, v)
	}
}

// A misspelt log level is refused, naming the levels there are, not quietly taken as info.
func TestLogLevelIsOneOfFour(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{"ALORIG_LOG_LEVEL": "verbose"}))
	require.EqualError(t, err, `ALORIG_LOG_LEVEL="verbose": want one of debug, info, warn, error`)
	cfg, err := config.Load(env(map[string]string{"ALORIG_LOG_LEVEL": "WARN"}))
	require.NoError(t, err)
	require.Equal(t, "warn", cfg.LogLevel)
}
