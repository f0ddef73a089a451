package sitebuilder

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/alorig/alorig/shared/web"
)

// ErrNoSite: no published site answers at the host.
var ErrNoSite = errors.New("sitebuilder: no site is published at this host name")

// NoPageError: the published site has no published page at the path asked for. It carries the
// site's name because both answers (problem and HTML page) name the site.
type NoPageError struct{ Site string }

func (e *NoPageError) Error() string { return "sitebuilder: no such page on " + e.Site }

// problem maps the module's domain errors to problem+json answers, in this one place. Errors it
// does not know pass through and become the error handler's logged 500.
func problem(err error) error {
	var np *NoPageError
	switch {
	case errors.Is(err, ErrNoSite):
		return web.NotFound("no site is published at this host name")
	case errors.As(err, &np):
		return web.NotFound("no such page on " + np.Site)
	}
	return err
}

// prefersHTML reports whether the request's Accept header ranks text/html above
// application/problem+json (RFC 9110 §12.5.1: each type takes the q of the most specific range
// that matches it). A browser's "text/html,…,*/*;q=0.8" does; "application/json", "*/*" (curl)
// and no Accept at all do not: API clients keep problem+json.
func prefersHTML(r *http.Request) bool {
	accept := r.Header.Values("Accept")
	if len(accept) == 0 {
		return false
	}
	ranges := strings.Join(accept, ",")
	return acceptQ(ranges, "text", "html") > acceptQ(ranges, "application", "problem+json")
}

// acceptQ is the q-value the Accept ranges give the media type typ/sub (0 when none matches).
func acceptQ(ranges, typ, sub string) float64 {
	best, q := 0, 0.0 // specificity of the best match so far (3 exact, 2 type/*, 1 */*), its q
	for _, part := range strings.Split(ranges, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		rt, rs, _ := strings.Cut(mt, "/")
		spec := 0
		switch {
		case rt == typ && rs == sub:
			spec = 3
		case rt == typ && rs == "*":
			spec = 2
		case rt == "*" && rs == "*":
			spec = 1
		}
		if spec == 0 || spec < best {
			continue
		}
		v := 1.0
		if s, ok := params["q"]; ok {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || f < 0 || f > 1 {
				continue // a range with a malformed q says nothing we can rank
			}
			v = f
		}
		if spec > best || v > q {
			best, q = spec, v
		}
	}
	return q
}
