package psydge

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/shared/web/openapitest"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// Every route the module mounts is in the document at /api/openapi.json, every documented
// operation is routed, each says what it answers, and kin-openapi validates the document.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	h := start(t)
	e := echo.New()
	h.m.Web(e)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	doc := rec.Body.Bytes()
	openapitest.Check(t, e, doc,
		// The landing page is HTML, not API.
		openapitest.Skip("/"))
	openapitest.MatchCommitted(t, "psydge", doc)
	for _, p := range []string{"/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/auth/me", "/api/v1/auth/sessions", "/api/v1/trades/{id}/close"} {
		require.Contains(t, string(doc), `"`+p+`"`)
	}

	// Prices and volume are JSON numbers on the wire, though the Go type keeps their text.
	var d struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Type any `json:"type"`
				} `json:"properties"`
				Required []string `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(doc, &d))
	ticket := d.Components.Schemas["TicketRequest"]
	for _, f := range []string{"volume", "stop_loss", "take_profit"} {
		require.Equal(t, "number", ticket.Properties[f].Type, f)
	}
	require.ElementsMatch(t, []string{"symbol", "timeframe", "direction", "volume", "stop_loss"}, ticket.Required)
	require.Equal(t, "number", d.Components.Schemas["StopLossRequest"].Properties["stop_loss"].Type)

	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/docs", nil))
	require.Equal(t, http.StatusOK, rec.Code, "the viewer")
}

// The schemas written by hand (openapi.go) name exactly the JSON fields of the types the
// handlers bind, so they cannot drift apart.
func TestHandWrittenSchemasNameTheBoundFields(t *testing.T) {
	for _, c := range []struct {
		schema *web.Schema
		v      any
	}{{configPatchSchema, discipline.Config{}}} {
		var want, got []string
		rt := reflect.TypeOf(c.v)
		for i := range rt.NumField() {
			if name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
				want = append(want, name)
			}
		}
		for k := range c.schema.Properties {
			got = append(got, k)
		}
		slices.Sort(want)
		slices.Sort(got)
		require.Equal(t, want, got, rt.Name())
	}
}
