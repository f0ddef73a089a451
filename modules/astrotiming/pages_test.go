package astrotiming_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var (
	scriptTag   = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	srcAttr     = regexp.MustCompile(`(?i)\bsrc\s*=\s*"([^"]*)"`)
	nonceAttr   = regexp.MustCompile(`(?i)\bnonce\s*=\s*"([^"]*)"`)
	handlerAttr = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
)

// scriptSources returns the page's script-src list (default-src when there is none).
func scriptSources(t *testing.T, csp string) []string {
	t.Helper()
	directives := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			directives[strings.ToLower(f[0])] = f[1:]
		}
	}
	if s, ok := directives["script-src"]; ok {
		return s
	}
	s, ok := directives["default-src"]
	require.True(t, ok, "no script-src or default-src in %q", csp)
	return s
}

// A browser runs only the scripts the page's own Content-Security-Policy allows: every script
// on the day page must pass it, or the countdown silently never starts.
func TestDayPageScriptsAreAllowedByItsContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	for _, path := range []string{"/", "/?city=London&activity=travel"} {
		res, body := env.Do("GET", host, path, nil, "")
		require.Equal(t, http.StatusOK, res.StatusCode, body)
		csp := res.Header.Get("Content-Security-Policy")
		require.NotEmpty(t, csp)
		sources := scriptSources(t, csp)
		has := func(tok string) bool {
			for _, s := range sources {
				if s == tok {
					return true
				}
			}
			return false
		}
		hashesOrNonces := false
		for _, s := range sources {
			if strings.HasPrefix(s, "'sha256-") || strings.HasPrefix(s, "'nonce-") {
				hashesOrNonces = true // a browser then ignores 'unsafe-inline'
			}
		}
		inlineAllowed := has("'unsafe-inline'") && !hashesOrNonces

		scripts := scriptTag.FindAllStringSubmatch(body, -1)
		require.NotEmpty(t, scripts, "the page has its countdown script")
		for _, s := range scripts {
			attrs, content := s[1], s[2]
			if m := srcAttr.FindStringSubmatch(attrs); m != nil {
				src := m[1]
				require.True(t, strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "//"), "script %q is not same-origin", src)
				require.True(t, has("'self'"), "script-src %v does not allow same-origin %s", sources, src)
				res, js := env.Do("GET", host, src, nil, "")
				require.Equal(t, http.StatusOK, res.StatusCode, "%s: %s", src, js)
				require.Contains(t, res.Header.Get("Content-Type"), "javascript")
				require.Contains(t, js, "countdown")
				continue
			}
			sum := sha256.Sum256([]byte(content))
			ok := inlineAllowed || has("'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
			if m := nonceAttr.FindStringSubmatch(attrs); m != nil {
				ok = ok || has("'nonce-"+m[1]+"'")
			}
			require.True(t, ok, "inline script %.60q is blocked by script-src %v", content, sources)
		}
		if !inlineAllowed && !has("'unsafe-hashes'") {
			require.NotRegexp(t, handlerAttr, body, "inline event handlers are blocked by script-src %v", sources)
		}
	}
}
