package snapify

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMinifyCSS(t *testing.T) {
	t.Parallel()
	in := "/* note */\n.a :is(.b, .c) > d {\n  color : red ;\n  width: calc(100% - 2rem);\n}\n.x::before { content: \"a  ;  b\" }\n@media (min-width: 40rem) { .g { gap: 1px 2px } }"
	want := `.a :is(.b,.c)>d{color :red;width:calc(100% - 2rem)}.x::before{content:"a  ;  b"}@media (min-width:40rem){.g{gap:1px 2px}}`
	require.Equal(t, want, minifyCSS(in))
}

func TestCriticalCSSBudget(t *testing.T) {
	t.Parallel()
	const budget = 15 * 1024
	for _, th := range Themes() {
		css := CriticalCSS(th)
		require.LessOrEqual(t, len(css), budget, "%s CSS is %d bytes", th, len(css))
		require.NotContains(t, css, "</style")
		require.NotContains(t, css, "/*")
		require.Equal(t, strings.Count(css, "{"), strings.Count(css, "}"), "balanced braces")
	}
	require.LessOrEqual(t, len(PlatformCSS()), budget)
	require.Less(t, len(baseCSS), len(baseCSSSource))
	require.NotContains(t, baseCSS, "\n")
	t.Logf("critical CSS: base %d bytes minified (source %d); with theme: bazaar %d, tech %d",
		len(baseCSS), len(baseCSSSource), len(CriticalCSS(Bazaar)), len(CriticalCSS(Tech)))
}
