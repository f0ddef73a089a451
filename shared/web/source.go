package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
)

// SourcePath answers on every host of every module with the offer of this program's source.
const SourcePath = "/source"

// SourceOffer is the AGPL-3.0 §13 offer of the Corresponding Source to everyone who uses the
// program over a network: the binary links Debian's libswe (the Swiss Ephemeris, AGPL-3.0), so
// every user of every module, not only AstroTiming's, must be able to get the source of the
// version they use.
type SourceOffer struct {
	URL       string // where the source of this program is published (ALORIG_SOURCE_URL)
	Version   string // the build's version (main.version)
	Libraries []Library
}

// Library is one linked library the offer names with its licence.
type Library struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Licence string `json:"licence"`
}

// Wrap serves SourcePath itself and adds a Link header pointing to it to every other
// answer, so API clients that never see a page's footer are told too.
func (o SourceOffer) Wrap(next http.Handler) http.Handler {
	link := []string{o.Headers()[0].Value}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == SourcePath {
			o.ServeHTTP(w, r)
			return
		}
		// The shared slice is never appended to in place: Header.Add copies a full slice.
		w.Header()["Link"] = link
		next.ServeHTTP(w, r)
	})
}

// Headers are what Wrap adds to every answer, for answers that do not pass through it (the
// hot path's: HotOptions.Header).
func (o SourceOffer) Headers() []HotHeader {
	return []HotHeader{{Name: "Link", Value: "<" + SourcePath + `>; rel="license"`}}
}

type sourceJSON struct {
	Program   string    `json:"program"`
	Version   string    `json:"version"`
	Licence   string    `json:"licence"`
	Source    string    `json:"source"`
	Libraries []Library `json:"libraries"`
}

var sourcePage = template.Must(template.New("source").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Source code — Alorig</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1d232b}</style>
</head><body>
<h1>Source code</h1>
<p>This service runs Alorig {{.Version}}. Because it links libraries licensed under the
GNU Affero General Public License version 3, you may get the complete corresponding source of the
program you are using, under the same licence:</p>
<p><a href="{{.Source}}">{{.Source}}</a></p>
<ul>{{range .Libraries}}<li>{{.Name}} {{.Version}} — {{.Licence}}</li>{{end}}</ul>
<p>The licence: <a href="https://www.gnu.org/licenses/agpl-3.0.html">GNU AGPL v3</a>.</p>
</body></html>
`))

// ServeHTTP answers the offer: JSON when the client asks for it, else a small page.
func (o SourceOffer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		WriteProblem(w, r, NewProblem(http.StatusMethodNotAllowed, "use GET"))
		return
	}
	body := sourceJSON{Program: "alorig", Version: o.Version, Licence: "AGPL-3.0 (the whole program, as it links the Swiss Ephemeris)",
		Source: o.URL, Libraries: o.Libraries}
	if body.Libraries == nil {
		body.Libraries = []Library{}
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = sourcePage.Execute(w, body)
}
