package observer_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/alorig/alorig/modules/observer"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// follow finds the landing page's control whose text starts with label and sends the request
// a browser sends when it is clicked: GET href for a link, the form's method and action for a
// button in a form (an empty form body, as a one-button form has no fields).
func follow(t *testing.T, env *testkit.Env, page, label string, header map[string]string) (*http.Response, string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err)
	var method, target string
	var walk func(n *html.Node, form *html.Node)
	walk = func(n *html.Node, form *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" {
			form = n
		}
		if n.Type == html.ElementNode && (n.Data == "a" || n.Data == "button") && strings.HasPrefix(strings.TrimSpace(text(n)), label) {
			switch {
			case n.Data == "a":
				method, target = http.MethodGet, attr(n, "href")
			case form != nil:
				method, target = strings.ToUpper(attr(form, "method")), attr(form, "action")
				if method == "" {
					method = http.MethodGet
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, form)
		}
	}
	walk(doc, nil)
	require.NotEmpty(t, target, "the landing page has no %q control: %s", label, page)
	h := map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
	for k, v := range header {
		h[k] = v
	}
	if method == http.MethodPost {
		h["Content-Type"] = "application/x-www-form-urlencoded"
	}
	return env.Do(method, "observer.localhost", target, h, "")
}

func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
	}
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// Clicking "Start anonymously" on the landing page signs the visitor in (it used to link to a
// GET that answered 401), and a returning visitor is offered their account, which answers too.
func TestLandingStartAnonymouslySignsIn(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"observer": observer.New})

	res, page := env.Do(http.MethodGet, "observer.localhost", "/", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Header.Values("Vary"), "Cookie")
	res, body := follow(t, env, page, "Start anonymously", nil)
	require.NotEqual(t, http.StatusUnauthorized, res.StatusCode, body)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	var signed struct {
		User struct {
			Anonymous bool `json:"anonymous"`
		} `json:"user"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &signed))
	require.True(t, signed.User.Anonymous)
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "observer_session" {
			session = c
		}
	}
	require.NotNil(t, session, "the sign-in sets the session cookie the browser keeps")
	cookie := map[string]string{"Cookie": "observer_session=" + session.Value}

	env.Run(t, []testkit.Scenario{
		{Name: "the new session is signed in", Host: "observer.localhost", Path: "/api/v1/auth/me", Header: cookie, Status: 200,
			Contains: []string{`"anonymous":true`}},
	})

	// Back on the landing page with the cookie: no second anonymous account (it would strand
	// the first one's journal), a link to the account instead.
	res, page = env.Do(http.MethodGet, "observer.localhost", "/", cookie, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, page, "Start anonymously")
	res, body = follow(t, env, page, "Your account", cookie)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `"anonymous":true`)
}
