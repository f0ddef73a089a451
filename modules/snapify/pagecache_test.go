package snapify_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/require"
)

func gunzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	require.NoError(t, err, "gzip answer")
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return out
}

func unbrotli(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
	require.NoError(t, err, "brotli answer")
	return out
}

// decoded is an answer's body with its Content-Encoding undone, once: a page compressed twice
// would come out as gzip bytes, not HTML.
func decoded(t *testing.T, res *http.Response, body string) []byte {
	t.Helper()
	require.LessOrEqual(t, len(res.Header.Values("Content-Encoding")), 1, "one coding")
	switch ce := res.Header.Get("Content-Encoding"); ce {
	case "":
		return []byte(body)
	case "gzip":
		return gunzipped(t, []byte(body))
	case "br":
		return unbrotli(t, []byte(body))
	default:
		t.Fatalf("unexpected Content-Encoding %q", ce)
		return nil
	}
}

// A cached page is answered from bytes compressed when it was stored: Brotli for browsers that
// take it, gzip for the rest that take gzip, the page as rendered otherwise, each decoding to
// the same page, each with its own ETag, and none compressed again by the middleware.
func TestCachedPageIsServedInTheEncodingTheClientAccepts(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	const path = "/ali-fabrics/chikankari-lawn-kurti-off-white"
	// The request that fills the cache already gets the stored Brotli bytes.
	first, firstBody := env.Do("GET", host, path, map[string]string{"Accept-Encoding": "gzip, deflate, br, zstd"}, "")
	require.Equal(t, 200, first.StatusCode)
	require.Equal(t, "br", first.Header.Get("Content-Encoding"))

	res, plain := env.Do("GET", host, path, nil, "")
	require.Equal(t, 200, res.StatusCode)
	require.Empty(t, res.Header.Get("Content-Encoding"))
	require.True(t, strings.HasPrefix(plain, "<!doctype html>"))
	require.Contains(t, plain, "Chikankari")
	identityTag := res.Header.Get("ETag")
	require.Regexp(t, `^"[0-9a-f]{24}"$`, identityTag)
	require.Equal(t, strconv.Itoa(len(plain)), res.Header.Get("Content-Length"))

	cases := []struct {
		accept string
		coding string
	}{
		{"", ""},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"GZIP;Q=0.5", "gzip"},
		{"br", "br"},
		{"gzip, deflate, br, zstd", "br"},
		{"gzip;q=1.0, br;q=0.1", "br"}, // Brotli is the smaller: preferred whenever it is accepted
		{"*", "br"},
		{"br;q=0, *", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0, br", "br"},
		{"br;q=0.000, gzip;q=0", ""},
		{"*;q=0", ""},
		{"gzip;q=0, *;q=0.5", "br"},
		{"identity", ""},
		{"deflate", ""},
		{"zstd", ""},
		{"gzip;q=bogus", "gzip"}, // as the compress middleware reads it
	}
	tags := map[string]string{}
	for _, tc := range cases {
		t.Run("accept "+tc.accept, func(t *testing.T) {
			h := map[string]string{}
			if tc.accept != "" {
				h["Accept-Encoding"] = tc.accept
			}
			res, body := env.Do("GET", host, path, h, "")
			require.Equal(t, 200, res.StatusCode)
			require.Equal(t, tc.coding, res.Header.Get("Content-Encoding"))
			require.Equal(t, "Accept-Encoding", res.Header.Get("Vary"))
			require.Len(t, res.Header.Values("Vary"), 1)
			require.Equal(t, strconv.Itoa(len(body)), res.Header.Get("Content-Length"))
			require.Equal(t, plain, string(decoded(t, res, body)), "decodes to the page as rendered")
			etag := res.Header.Get("ETag")
			require.Regexp(t, `^"[0-9a-f]{24}"$`, etag, "a strong tag")
			if prev, ok := tags[tc.coding]; ok {
				require.Equal(t, prev, etag, "one tag per form")
			}
			tags[tc.coding] = etag

			// HEAD has the same headers and no body.
			hres, hbody := env.Do("HEAD", host, path, h, "")
			require.Equal(t, 200, hres.StatusCode)
			require.Empty(t, hbody)
			require.Equal(t, tc.coding, hres.Header.Get("Content-Encoding"))
			require.Equal(t, etag, hres.Header.Get("ETag"))
		})
	}
	require.Len(t, tags, 3)
	require.Equal(t, identityTag, tags[""])
	require.NotEqual(t, tags["gzip"], tags["br"])
	require.NotEqual(t, tags[""], tags["gzip"])
	require.NotEqual(t, tags[""], tags["br"])
	res, again := env.Do("GET", host, path, map[string]string{"Accept-Encoding": "br"}, "")
	require.Equal(t, 200, res.StatusCode)
	require.Equal(t, firstBody, again, "later hits get the bytes the fill stored")

	// 304: If-None-Match names any form the client accepts; the answer carries the tag named,
	// which is the copy a cache holds and refreshes.
	revalidate := []struct {
		name, accept, inm string
		status            int
		tag               string
	}{
		{"identity", "", tags[""], 304, tags[""]},
		{"gzip", "gzip", tags["gzip"], 304, tags["gzip"]},
		{"brotli", "br, gzip", tags["br"], 304, tags["br"]},
		{"weak comparison", "br, gzip", "W/" + tags["br"], 304, tags["br"]},
		{"a gzip copy asked for by a Brotli client", "br, gzip", tags["gzip"], 304, tags["gzip"]},
		{"the rendered copy asked for by a gzip client", "gzip", tags[""], 304, tags[""]},
		{"one of a list", "br", `"0000", ` + tags["br"], 304, tags["br"]},
		{"star", "br", "*", 304, tags["br"]},
		{"a Brotli copy the client no longer accepts", "gzip", tags["br"], 200, tags["gzip"]},
		{"a gzip copy refused with q=0", "br, gzip;q=0", tags["gzip"], 200, tags["br"]},
		{"an old tag", "br", `"0123456789abcdef01234567"`, 200, tags["br"]},
	}
	for _, rc := range revalidate {
		t.Run("If-None-Match "+rc.name, func(t *testing.T) {
			h := map[string]string{"If-None-Match": rc.inm}
			if rc.accept != "" {
				h["Accept-Encoding"] = rc.accept
			}
			res, body := env.Do("GET", host, path, h, "")
			require.Equal(t, rc.status, res.StatusCode)
			require.Equal(t, rc.tag, res.Header.Get("ETag"))
			if rc.status == 304 {
				require.Empty(t, body)
				require.Empty(t, res.Header.Get("Content-Encoding"))
			}
		})
	}
}

// A seller's change drops every stored form of the store's pages together: no encoding keeps
// serving the old price, and no old tag revalidates.
func TestPageChangeInvalidatesEveryEncoding(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	env.StartWorkers()
	drainJobs(t, env)
	const path = "/ali-fabrics/printed-lawn-2-piece-teal"
	accepts := []string{"", "gzip", "br"}
	old := map[string]string{}
	for _, ae := range accepts {
		res, body := env.Do("GET", host, path, map[string]string{"Accept-Encoding": ae}, "")
		require.Equal(t, 200, res.StatusCode)
		require.Contains(t, string(decoded(t, res, body)), "Rs 2,899")
		old[ae] = res.Header.Get("ETag")
	}

	tok := signIn(t, env, "03001234567")
	res, body := env.Do("GET", host, "/api/v1/stores/ali-fabrics/products", bearer(tok), "")
	require.Equal(t, 200, res.StatusCode, body)
	var list struct {
		Products []struct {
			ID   int64  `json:"id"`
			Slug string `json:"slug"`
		} `json:"products"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	var id int64
	for _, p := range list.Products {
		if p.Slug == "printed-lawn-2-piece-teal" {
			id = p.ID
		}
	}
	require.NotZero(t, id)
	res, body = env.Do("PATCH", host, fmt.Sprintf("/api/v1/stores/ali-fabrics/products/%d", id), bearer(tok), `{"price_paisa":259900}`)
	require.Equal(t, 200, res.StatusCode, body)
	kv := env.Mounted("snapify").KV
	eventually(t, func() bool {
		n, _ := kv.Exists(context.Background(), "pages:ali-fabrics")
		return n == 0
	}, "invalidate_store_cache drops the store's pages")

	for _, ae := range accepts {
		for _, tag := range old {
			res, body := env.Do("GET", host, path, map[string]string{"Accept-Encoding": ae, "If-None-Match": tag}, "")
			require.Equal(t, 200, res.StatusCode, "accept %q with old tag %s", ae, tag)
			page := string(decoded(t, res, body))
			require.Contains(t, page, "Rs 2,599")
			require.NotContains(t, page, "Rs 2,899")
			require.NotEqual(t, old[ae], res.Header.Get("ETag"))
		}
	}
}

// A page that is not cached (a query parameter other than page) is still compressed, once, by
// the middleware.
func TestUncachedPageIsCompressedByTheMiddlewareOnce(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	const path = "/ali-fabrics/chikankari-lawn-kurti-off-white?utm_source=whatsapp"
	res, body := env.Do("GET", host, path, map[string]string{"Accept-Encoding": "gzip, br"}, "")
	require.Equal(t, 200, res.StatusCode)
	require.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	require.True(t, strings.HasPrefix(string(decoded(t, res, body)), "<!doctype html>"))
	require.True(t, strings.HasPrefix(res.Header.Get("ETag"), `W/"`), "the middleware's gzip is named by a weak tag")
	res, _ = env.Do("GET", host, path, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": res.Header.Get("ETag")}, "")
	require.Equal(t, 304, res.StatusCode)
}
