package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// SPAOptions configures an app's server (NewSPA, MountSPA, MountApp).
type SPAOptions struct {
	// Connect lists origins the app may open connections to besides its own (a live channel
	// on another host, e.g. "wss://ws.psydge.com").
	Connect []string
	// Images lists origins the app may show pictures from besides its own (uploaded photos
	// served by the platform's public host, object storage or an image CDN).
	Images []string
	// Frames lists origins the app may show in an <iframe> besides its own.
	Frames []string
	// Forms lists origins the app may submit forms to besides its own (a payment gateway's
	// hosted checkout page).
	Forms []string
}

// AppRouteName names the routes of a mounted app: HTML and files, not API, so the OpenAPI
// drift check leaves them out.
const AppRouteName = "web.app"

// MountApp mounts a module's built app at prefix, the bundle as static.App returned it. When
// the bundle could not be read, every path under prefix answers 503 naming the reason, so a
// binary built without its front end says so instead of serving nothing.
func MountApp(e *echo.Echo, prefix string, bundle fs.FS, loadErr error, o SPAOptions) {
	if loadErr == nil {
		loadErr = MountSPA(e, prefix, bundle, o)
	}
	if loadErr != nil {
		unbuilt := func(echo.Context) error {
			return NewProblem(http.StatusServiceUnavailable, loadErr.Error()).WithCode("APP_NOT_BUILT")
		}
		e.GET(prefix, unbuilt).Name = AppRouteName
		e.GET(prefix+"/*", unbuilt).Name = AppRouteName
	}
}

// HostApp is the handler of an app served at the root of a host of its own (Snapify's seller
// app on app.snapify.pk): the caller routes that host's non-API paths to it, with the path
// inside the app being the request's path. Like MountApp, a bundle that could not be read
// answers 503 APP_NOT_BUILT naming the reason.
func HostApp(bundle fs.FS, loadErr error, o SPAOptions) echo.HandlerFunc {
	var spa *SPA
	if loadErr == nil {
		spa, loadErr = NewSPA(bundle, o)
	}
	if loadErr != nil {
		return func(echo.Context) error {
			return NewProblem(http.StatusServiceUnavailable, loadErr.Error()).WithCode("APP_NOT_BUILT")
		}
	}
	return spa.Handler("")
}

// spaFile is one file of a bundle, held with its gzip form and validator.
type spaFile struct {
	body, gz []byte
	ctype    string
	etag     string
}

// SPA is a built single-page app held in memory, served by Serve at any path prefix or at the
// root of a host of its own:
//
//   - hashed files under assets/ are immutable for a year;
//   - any other path that is not a file of the bundle is a client route and gets index.html,
//     which is never cached and carries a strict Content-Security-Policy (scripts and styles
//     from the bundle only, no inline code; workers, such as a service worker, from the app's
//     own origin only);
//   - other files at the root of the bundle (a service worker sw.js, the web app manifest,
//     icons) are served as they are with no-cache, so a new deployment reaches them at once;
//   - a missing file under assets/ (or any missing path with a file extension other than
//     .html) is a 404, never the HTML shell: a browser loading a module from an old deployment
//     must fail visibly rather than parse HTML as JavaScript.
//
// The bundle is read and gzipped once, in NewSPA; answers are served from memory with their
// gzip form to clients that accept it, with an ETag and 304 Not Modified, so the compress
// middleware leaves them alone.
type SPA struct {
	files map[string]*spaFile
	shell *spaFile
	csp   string
}

// NewSPA reads a built bundle (index.html at its root, hashed files under assets/).
func NewSPA(bundle fs.FS, o SPAOptions) (*SPA, error) {
	files := map[string]*spaFile{}
	err := fs.WalkDir(bundle, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(bundle, p)
		if err != nil {
			return err
		}
		f := &spaFile{body: body, ctype: mime.TypeByExtension(path.Ext(p))}
		if f.ctype == "" {
			f.ctype = http.DetectContentType(body)
		}
		sum := sha256.Sum256(body)
		f.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
		if compressible(f.ctype) && len(body) >= 512 {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(body)
			_ = zw.Close()
			if buf.Len() < len(body) {
				f.gz = buf.Bytes()
			}
		}
		files[p] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	shell := files["index.html"]
	if shell == nil {
		return nil, fs.ErrNotExist
	}
	return &SPA{files: files, shell: shell, csp: spaCSP(o)}, nil
}

// Serve answers the request for rel, the path inside the app ("" or "orders/12" for a client
// route, "assets/index-abc.js", "sw.js").
func (s *SPA) Serve(c echo.Context, rel string) error {
	rel = strings.TrimPrefix(rel, "/")
	h := c.Response().Header()
	if f, ok := s.files[rel]; ok && rel != "index.html" {
		if strings.HasPrefix(rel, "assets/") {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		return sendSPAFile(c, f)
	}
	if strings.HasPrefix(rel, "assets/") || (path.Ext(rel) != "" && !strings.HasSuffix(rel, ".html")) {
		return NotFound("no such file in the app bundle: " + rel)
	}
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", s.csp)
	return sendSPAFile(c, s.shell)
}

// Handler serves the app mounted at prefix ("/app", or "" for the root of a host).
func (s *SPA) Handler(prefix string) echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.Serve(c, strings.TrimPrefix(c.Request().URL.Path, prefix))
	}
}

// MountSPA serves a built single-page app at prefix ("/app") as SPA describes; prefix alone
// redirects to prefix/.
func MountSPA(e *echo.Echo, prefix string, bundle fs.FS, o SPAOptions) error {
	spa, err := NewSPA(bundle, o)
	if err != nil {
		return err
	}
	serve := spa.Handler(prefix)
	e.GET(prefix, func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, prefix+"/") }).Name = AppRouteName
	e.GET(prefix+"/*", serve).Name = AppRouteName
	e.HEAD(prefix+"/*", serve).Name = AppRouteName
	return nil
}

func sendSPAFile(c echo.Context, f *spaFile) error {
	req, h := c.Request(), c.Response().Header()
	h.Set("ETag", f.etag)
	h.Add("Vary", "Accept-Encoding")
	if match := req.Header.Get("If-None-Match"); match != "" && etagMatches(match, f.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	body := f.body
	if f.gz != nil && acceptsGzip(req.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	return c.Blob(http.StatusOK, f.ctype, body)
}

func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		p := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if p == etag || p == "*" {
			return true
		}
	}
	return false
}

// spaCSP is the policy of an app's HTML shell: everything from the app's own origin, no
// inline script or style, workers (the service worker) and the manifest from the origin only,
// connections, pictures and frames from the origin and the listed origins.
func spaCSP(o SPAOptions) string {
	list := func(extra []string) string {
		v := "'self'"
		for _, x := range extra {
			v += " " + x
		}
		return v
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + list(o.Images) + " data: blob:; font-src 'self'; " +
		"connect-src " + list(o.Connect) + "; frame-src " + list(o.Frames) + "; worker-src 'self'; manifest-src 'self'; " +
		"object-src 'none'; base-uri 'self'; form-action " + list(o.Forms) + "; frame-ancestors 'none'"
}
