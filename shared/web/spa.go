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

// SPAOptions configures MountSPA.
type SPAOptions struct {
	// Connect lists origins the app may open connections to besides its own (a live channel
	// on another host, e.g. "wss://ws.psydge.com").
	Connect []string
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

// spaFile is one file of a bundle, held with its gzip form and validator.
type spaFile struct {
	body, gz []byte
	ctype    string
	etag     string
}

// MountSPA serves a built single-page app at prefix ("/app"): hashed files under
// prefix/assets/ are immutable for a year; any other path under prefix/ that is not a file of
// the bundle is a client route and gets index.html, which is never cached and carries a strict
// Content-Security-Policy (scripts and styles from the bundle only, no inline code). A missing
// file under assets/ is a 404, never the HTML shell: a browser loading a module from an old
// deployment must fail visibly rather than parse HTML as JavaScript.
//
// The bundle is read and gzipped once, here; answers are served from memory with their gzip
// form to clients that accept it, so the compress middleware leaves them alone.
func MountSPA(e *echo.Echo, prefix string, bundle fs.FS, o SPAOptions) error {
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
		return err
	}
	shell := files["index.html"]
	if shell == nil {
		return fs.ErrNotExist
	}
	csp := spaCSP(o.Connect)

	serve := func(c echo.Context) error {
		rel := strings.TrimPrefix(strings.TrimPrefix(c.Request().URL.Path, prefix), "/")
		h := c.Response().Header()
		if f, ok := files[rel]; ok && rel != "index.html" {
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
		h.Set("Content-Security-Policy", csp)
		return sendSPAFile(c, shell)
	}
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
// inline script or style, connections to the origin and the listed live-channel origins.
func spaCSP(connect []string) string {
	conn := "'self'"
	for _, o := range connect {
		conn += " " + o
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
		"connect-src " + conn + "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
}
