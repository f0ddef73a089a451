package snapify

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// apiUploadImage takes one picture (multipart field "file", or the raw body with an image
// Content-Type) and returns the Picture to put in a product or the store settings, with how it
// will be shown (UploadImage checks, cleans and stores it).
func (m *Module) apiUploadImage(c echo.Context, s *Store) error {
	var data []byte
	var err error
	if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		fh, ferr := c.FormFile("file")
		var tooLarge *http.MaxBytesError
		if errors.As(ferr, &tooLarge) {
			return ferr
		}
		if ferr != nil {
			return web.Invalid(web.FieldError{Field: "file", Reason: "send the picture in a multipart field named file"})
		}
		f, ferr := fh.Open()
		if ferr != nil {
			return fmt.Errorf("snapify: open upload: %w", ferr)
		}
		defer f.Close()
		data, err = media.ReadUpload(f, media.DefaultLimits)
	} else {
		data, err = media.ReadUpload(c.Request().Body, media.DefaultLimits)
	}
	if err != nil {
		return problem(err)
	}
	pic, err := m.UploadImage(c.Request().Context(), s, data, strings.TrimSpace(c.QueryParam("alt")))
	if err != nil {
		return problem(err)
	}
	st := site{origin: m.platformOrigin(c)}
	return c.JSON(http.StatusCreated, uploaded{Picture: pic, Preview: m.image(pic, st)})
}
