package snapify

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

func render(t testing.TB, c templ.Component) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, c.Render(context.Background(), &b))
	return b.String()
}

func gzipSize(t testing.TB, s string) int {
	t.Helper()
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	require.NoError(t, err)
	_, err = zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Len()
}

// page is a rendered document parsed the way a browser parses it.
type page struct {
	t    testing.TB
	raw  string
	root *html.Node
}

func parse(t testing.TB, raw string) page {
	t.Helper()
	root, err := html.Parse(strings.NewReader(raw))
	require.NoError(t, err)
	return page{t: t, raw: raw, root: root}
}

func renderPage(t testing.TB, c templ.Component) page {
	t.Helper()
	return parse(t, render(t, c))
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func (p page) all(match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.root)
	return out
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func tagWith(name, key, val string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		v, ok := attr(n, key)
		return n.Data == name && ok && v == val
	}
}

// meta returns the content of the single <meta> with that property or name.
func (p page) meta(key string) string {
	p.t.Helper()
	var found []string
	for _, n := range p.all(tag("meta")) {
		prop, _ := attr(n, "property")
		name, _ := attr(n, "name")
		if prop == key || name == key {
			v, _ := attr(n, "content")
			found = append(found, v)
		}
	}
	require.Len(p.t, found, 1, "meta %s", key)
	return found[0]
}

func (p page) canonical() string {
	p.t.Helper()
	links := p.all(tagWith("link", "rel", "canonical"))
	require.Len(p.t, links, 1)
	v, _ := attr(links[0], "href")
	return v
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// jsonLD decodes every structured-data block; a block that is not valid JSON fails the test.
func (p page) jsonLD() []map[string]any {
	p.t.Helper()
	var out []map[string]any
	for _, n := range p.all(tagWith("script", "type", "application/ld+json")) {
		var v map[string]any
		require.NoError(p.t, json.Unmarshal([]byte(textOf(n)), &v), "JSON-LD: %s", textOf(n))
		out = append(out, v)
	}
	return out
}

func (p page) ldOfType(typ string) map[string]any {
	p.t.Helper()
	var found []map[string]any
	for _, v := range p.jsonLD() {
		if v["@type"] == typ {
			found = append(found, v)
		}
	}
	require.Len(p.t, found, 1, "JSON-LD blocks of @type %s", typ)
	return found[0]
}

func (p page) htmlAttr(key string) string {
	p.t.Helper()
	els := p.all(tag("html"))
	require.Len(p.t, els, 1)
	v, _ := attr(els[0], key)
	return v
}

func (p page) eagerImages() []*html.Node {
	return p.all(func(n *html.Node) bool {
		v, _ := attr(n, "fetchpriority")
		return n.Data == "img" && v == "high"
	})
}

func intAttr(t testing.TB, n *html.Node, key string) int {
	t.Helper()
	v, ok := attr(n, key)
	require.True(t, ok, "<%s> has %s", n.Data, key)
	i, err := strconv.Atoi(v)
	require.NoError(t, err)
	return i
}
