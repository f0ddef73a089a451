package web

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// Render writes a templ component as a complete HTML answer. It renders into a buffer first so
// a failing component yields a clean 500 instead of half a page.
func Render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// NotFoundJSON is the default for unknown API paths.
func NotFoundJSON(c echo.Context) error {
	return NewProblem(http.StatusNotFound, "no such endpoint")
}
