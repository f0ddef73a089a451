package web_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// PathID answers through the real error handler: a good id reaches the handler, every bad one
// is the 404 problem that names the thing, whatever the route calls its parameter.
func TestPathIDOverHTTP(t *testing.T) {
	t.Parallel()
	e := echo.New()
	e.HTTPErrorHandler = web.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, route := range []string{"/records/:id", "/stores/:store_id", "/orders/:order", "/line_items/:line_item_id"} {
		name := route[strings.Index(route, ":")+1:]
		e.GET(route, func(c echo.Context) error {
			id, err := web.PathID(c, name)
			if err != nil {
				return err
			}
			return c.String(http.StatusOK, strconv.FormatInt(id, 10))
		})
	}
	cases := []struct {
		path   string
		status int
		answer string // the body for 200, the problem's detail for 404
	}{
		{"/records/1", 200, "1"},
		{"/records/9223372036854775807", 200, "9223372036854775807"},
		{"/records/007", 200, "7"},
		{"/stores/42", 200, "42"},
		{"/records/0", 404, "no such record"},
		{"/records/-3", 404, "no such record"},
		{"/records/+3", 404, "no such record"},
		{"/records/9223372036854775808", 404, "no such record"},
		{"/records/abc", 404, "no such record"},
		{"/records/1.5", 404, "no such record"},
		{"/records/%20", 404, "no such record"},
		{"/stores/x", 404, "no such store"},
		{"/orders/0", 404, "no such order"},
		{"/line_items/x", 404, "no such line item"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			if tc.status == http.StatusOK {
				require.Equal(t, tc.answer, rec.Body.String())
				return
			}
			require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
			var p web.Problem
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
			require.Equal(t, tc.answer, p.Detail)
		})
	}
}
