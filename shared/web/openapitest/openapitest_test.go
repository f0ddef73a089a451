package openapitest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/shared/web/openapitest"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

type item struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func ok(c echo.Context) error { return c.NoContent(http.StatusOK) }

// module builds a tiny module: a group with middleware (echo adds catch-alls for it), an HTML
// page, a static directory, the document and its viewer.
func module() (*echo.Echo, *web.API) {
	e := echo.New()
	api := web.NewAPI("Tiny", "1")
	v1 := api.On(e.Group("/api/v1", func(next echo.HandlerFunc) echo.HandlerFunc { return next }), "items")
	v1.GET("/items", ok, web.Operation{Summary: "Items", Responses: web.OK([]item{})})
	v1.GET("/items/:id", ok, web.Operation{Summary: "One item", Responses: web.OK(item{}), Problems: []int{404}})
	e.GET("/", ok) // a page, not API
	e.Static("/static", "testdata")
	e.GET("/healthz", ok)
	api.Mount(e, "/api")
	return e, api
}

func TestCheckPassesWhenRoutesAndDocumentAgree(t *testing.T) {
	e, api := module()
	doc, err := openapitest.Validate(api.JSON())
	require.NoError(t, err)
	require.Empty(t, openapitest.Complete(doc))
	require.Empty(t, openapitest.Drift(e, doc, openapitest.Skip("/")))
	require.Equal(t, []string{"GET / is routed (echo path /) but not documented"}, openapitest.Drift(e, doc),
		"without Skip the HTML page counts as an undocumented route")
}

func TestDriftCatchesAnUndocumentedRoute(t *testing.T) {
	e, api := module()
	e.POST("/api/v1/items/:id/archive", ok) // mounted with echo directly, so not documented
	doc, err := openapitest.Validate(api.JSON())
	require.NoError(t, err)
	require.Equal(t, []string{"POST /api/v1/items/{id}/archive is routed (echo path /api/v1/items/:id/archive) but not documented"},
		openapitest.Drift(e, doc, openapitest.Skip("/")))
}

func TestDriftCatchesADocumentedPathNothingServes(t *testing.T) {
	e, api := module()
	api.Op(http.MethodDelete, "/api/v1/items/:id", web.Operation{Summary: "Drop", Responses: web.NoContent()})
	api.Op(http.MethodGet, "/api/v1/ghost", web.Operation{Summary: "Ghost", Responses: web.OK(item{})})
	doc, err := openapitest.Validate(api.JSON())
	require.NoError(t, err)
	require.Equal(t, []string{
		"DELETE /api/v1/items/{id} is documented but no route serves it",
		"GET /api/v1/ghost is documented but no route serves it",
	}, openapitest.Drift(e, doc, openapitest.Skip("/")))
}

func TestSkipDoesNotExcuseADocumentedPath(t *testing.T) {
	e, api := module()
	api.Handle(e, http.MethodGet, "/pages/contact", ok, web.Operation{Summary: "Contact", Responses: web.OK(item{})})
	api.Op(http.MethodGet, "/pages/about", web.Operation{Summary: "About", Responses: web.OK(item{})})
	doc, err := openapitest.Validate(api.JSON())
	require.NoError(t, err)
	require.Equal(t, []string{"GET /pages/about is documented but no route serves it"},
		openapitest.Drift(e, doc, openapitest.Skip("/pages/*", "/")))
}

func TestCompleteWantsSummariesAndBodies(t *testing.T) {
	e := echo.New()
	api := web.NewAPI("Tiny", "1")
	api.Handle(e, http.MethodGet, "/a", ok, web.Operation{Responses: web.OK(item{})})
	api.Handle(e, http.MethodGet, "/b", ok, web.Operation{Summary: "B", Responses: map[int]web.Response{200: {}}})
	api.Handle(e, http.MethodGet, "/c", ok, web.Operation{Summary: "C", Problems: []int{404}})
	doc, err := openapitest.Validate(api.JSON())
	require.NoError(t, err)
	require.Equal(t, []string{
		"GET /a has no summary",
		"GET /b answers 200 without a body schema",
		"GET /c documents no successful answer",
	}, openapitest.Complete(doc))
	require.Empty(t, openapitest.Drift(e, doc))
}

func TestValidateRefusesABrokenDocument(t *testing.T) {
	_, api := module()
	good := string(api.JSON())
	for name, broken := range map[string]string{
		"a $ref to a missing schema":       strings.Replace(good, `"$ref":"#/components/schemas/item"`, `"$ref":"#/components/schemas/nothing"`, 1),
		"no info.title":                    strings.Replace(good, `"title":"Tiny"`, `"title":""`, 1),
		"a response without a description": strings.Replace(good, `"description":"Not Found"`, `"x":"y"`, 1),
		"not JSON":                         good[:len(good)/2],
		"an unknown schema type":           strings.Replace(good, `"type":"integer"`, `"type":"integr"`, 1),
	} {
		require.NotEqual(t, good, broken, name)
		_, err := openapitest.Validate([]byte(broken))
		require.Error(t, err, name)
		t.Logf("%s: %v", name, err)
	}
}

// fakeT records Check's failures instead of failing the test that runs it.
type fakeT struct {
	testing.TB
	errors []string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, strings.TrimSpace(strings.SplitN(format, "%", 2)[0]))
}

func TestCheckReportsEachProblem(t *testing.T) {
	e, api := module()
	e.PUT("/api/v1/items/:id", ok)
	f := &fakeT{TB: t}
	openapitest.Check(f, e, api.JSON(), openapitest.Skip("/"))
	require.Equal(t, []string{"routes and OpenAPI document disagree:"}, f.errors)

	f = &fakeT{TB: t}
	openapitest.Check(f, e, []byte(`{"openapi":"3.1.0"}`))
	require.Equal(t, []string{"the OpenAPI document is not valid:"}, f.errors)
}
