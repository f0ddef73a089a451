package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/shared/web/openapitest"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

func docsGet(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(srv.URL + path)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

func TestViewerListsEveryOperationWithItsSchemas(t *testing.T) {
	e := echo.New()
	api := web.NewAPI("Shop <API>", "2")
	api.Description = "Sell things."
	v1 := api.On(e.Group("/api/v1"), "products")
	h := func(c echo.Context) error { return c.NoContent(http.StatusOK) }
	v1.POST("/products", h, web.Operation{Summary: "Add a product", Request: shopNewProduct{}, Responses: web.Created(shopProduct{}), Problems: []int{409}})
	v1.GET("/products/:id", h, web.Operation{Summary: "One product", Auth: web.AuthNone, Responses: web.OK(shopProduct{})})
	api.On(e.Group("/api/v1"), "keys").GET("/keys", h, web.Operation{Summary: "Your keys", Auth: web.AuthAPIKey,
		Responses: web.OK(web.Fields{"api_keys": []shopCategory{}})})
	api.Mount(e, "/api")
	srv := httptest.NewServer(e)
	defer srv.Close()

	res, page := docsGet(t, srv, "/api/docs")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Header.Get("Content-Type"), "text/html")
	for _, want := range []string{
		"Shop &lt;API&gt;", "Sell things.", `href="/api/openapi.json"`,
		`id="tag-products"`, `id="tag-keys"`,
		`<span class="method m-post">POST</span><span class="path">/api/v1/products</span><span class="summary">Add a product</span>`,
		"session cookie with the X-CSRF-Token header or Bearer token", // POST with the default auth
		"none (public)", "X-API-Key header",
		`<code>id</code>`, "integer (int64)", // the path parameter
		`<code>sale</code> <span class="type">shopMoney or null</span>`, // a nullable reference
		`<code>created_at</code> <span class="type">string (date-time)</span> <span class="req">required</span>`,
		`<code>amount</code> <span class="type">integer (int64)</span> <span class="req">required</span> — minor units`, // inside shopMoney, expanded
		`<code>children</code> <span class="type">array of shopCategory (as above)</span>`,                              // recursion stops
		`<code>api_keys</code> <span class="type">array of shopCategory</span>`,
		"one of PKR, USD",
		`<td class="status">409</td>`, `<td class="status">415</td>`, `<td class="status">422</td>`,
		`<code>errors</code> <span class="type">array of FieldError</span>`, // the problem tree, once, under Errors
	} {
		require.Contains(t, page, want)
	}
	require.Equal(t, 1, strings.Count(page, `<code>errors</code>`))
	require.NotContains(t, page, "<script")
	require.NotContains(t, page, "style=")

	css := regexp.MustCompile(`href="(/api/docs/docs-[0-9a-f]{12}\.css)"`).FindStringSubmatch(page)
	require.NotNil(t, css, "the page links its stylesheet")
	res, body := docsGet(t, srv, css[1])
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/css; charset=utf-8", res.Header.Get("Content-Type"))
	require.Contains(t, res.Header.Get("Cache-Control"), "immutable")
	require.True(t, strings.Contains(body, ".method"))

	res, body = docsGet(t, srv, "/api/openapi.json")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, string(api.JSON()), strings.TrimSpace(body))

	// The viewer's own routes are not API, and the check knows it.
	openapitest.Check(t, e, api.JSON())
}
