package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alorig/alorig/shared/web"
	"github.com/stretchr/testify/require"
)

func TestSourceOfferOnEveryPath(t *testing.T) {
	t.Parallel()
	offer := web.SourceOffer{URL: "https://example.org/alorig/tree/v1.2.3", Version: "v1.2.3",
		Libraries: []web.Library{{Name: "libswe", Version: "2.10.03", Licence: "AGPL-3.0"}}}
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Link", "</style.css>; rel=preload")
		_, _ = w.Write([]byte("module answer"))
	})
	h := offer.Wrap(inner)
	for _, tc := range []struct {
		name, method, path, accept string
		status                     int
		contains, notContains      []string
	}{
		{"page", "GET", "/source", "text/html", 200, []string{"https://example.org/alorig/tree/v1.2.3", "v1.2.3", "libswe 2.10.03", "AGPL-3.0"}, []string{"module answer"}},
		{"json", "GET", "/source", "application/json", 200, []string{`"source":"https://example.org/alorig/tree/v1.2.3"`, `"licence":"AGPL-3.0"`}, nil},
		{"post refused", "POST", "/source", "", 405, []string{"use GET"}, nil},
		{"module path", "GET", "/api/v1/hours", "", 200, []string{"module answer"}, []string{"example.org"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			req.Header.Set("Accept", tc.accept)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, tc.status, rec.Code)
			for _, s := range tc.contains {
				require.Contains(t, rec.Body.String(), s)
			}
			for _, s := range tc.notContains {
				require.NotContains(t, rec.Body.String(), s)
			}
			if tc.path != "/source" {
				require.Equal(t, []string{`</source>; rel="license"`, "</style.css>; rel=preload"}, rec.Header().Values("Link"),
					"every answer points to the offer; a handler's own Link is kept")
			}
		})
	}
	// The shared header value is not changed by a handler that added its own.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	require.Len(t, rec.Header().Values("Link"), 2)

	var got map[string]any
	req := httptest.NewRequest("GET", "/source", nil)
	req.Header.Set("Accept", "application/json")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	require.Equal(t, "v1.2.3", got["version"])
}
