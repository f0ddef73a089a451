package web_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/shared/web/openapitest"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

type shopMoney struct {
	Amount   int64  `json:"amount" doc:"minor units"`
	Currency string `json:"currency" enum:"PKR,USD"`
}

type shopAudit struct {
	CreatedAt time.Time  `json:"created_at"`
	DeletedAt *time.Time `json:"deleted_at"`
	Note      *string    `json:"note,omitempty"`
}

type shopCategory struct {
	Name     string         `json:"name"`
	Children []shopCategory `json:"children"`
}

type shopProduct struct {
	ID         int64             `json:"id"`
	Title      string            `json:"title"`
	Price      shopMoney         `json:"price"`
	Sale       *shopMoney        `json:"sale"`
	Tags       []string          `json:"tags,omitempty" enum:"new,hot"`
	Stock      map[string]int32  `json:"stock"`
	Attrs      map[string]any    `json:"attrs,omitempty"`
	Email      string            `json:"email" format:"email"`
	Photo      []byte            `json:"photo,omitempty"`
	Count      uint              `json:"count,string"`
	Internal   string            `json:"-"`
	Category   shopCategory      `json:"category"`
	Raw        json.RawMessage   `json:"raw,omitempty"`
	Optional   string            `json:"optional" required:"false"`
	Labels     map[string]string `json:"labels,omitempty"`
	unexported int
	shopAudit
}

type shopNewProduct struct {
	Title string `json:"title"`
}

func (p *shopNewProduct) Validate() []web.FieldError { return nil }

// doc decodes the document into plain maps for assertions.
func openapiDoc(t *testing.T, api *web.API) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(api.JSON(), &m))
	return m
}

// at walks a decoded document: member(m, "paths", "/x", "get").
func member(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		require.True(t, ok, "no object at %q in %v", k, keys)
		v, ok = m[k]
		require.True(t, ok, "no member %q (path %v); have %v", k, keys, memberNames(m))
	}
	return v
}

func memberNames(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSchemasFollowEncodingJSON(t *testing.T) {
	api := web.NewAPI("Shop", "1")
	api.Op(http.MethodGet, "/products/:id", web.Operation{Summary: "One shopProduct", Auth: web.AuthNone, Responses: web.OK(shopProduct{})})
	d := openapiDoc(t, api)
	p := member(t, d, "components", "schemas", "shopProduct").(map[string]any)
	props := p["properties"].(map[string]any)

	// Names come from json tags; "-" and unexported fields are not there; embedded fields are.
	for _, name := range []string{"id", "title", "price", "sale", "tags", "stock", "attrs", "email", "photo", "count", "category", "raw", "optional", "labels", "created_at", "deleted_at", "note"} {
		require.Contains(t, props, name)
	}
	require.NotContains(t, props, "Internal")
	require.NotContains(t, props, "-")
	require.NotContains(t, props, "unexported")
	require.Len(t, props, 17)

	// omitempty (and required:"false") makes a field optional; the rest are required.
	require.ElementsMatch(t, []any{"id", "title", "price", "sale", "stock", "email", "count", "category", "created_at", "deleted_at"}, p["required"])

	require.Equal(t, map[string]any{"type": "integer", "format": "int64"}, props["id"])
	require.Equal(t, map[string]any{"$ref": "#/components/schemas/shopMoney"}, props["price"])
	require.Equal(t, map[string]any{"anyOf": []any{map[string]any{"$ref": "#/components/schemas/shopMoney"}, map[string]any{"type": "null"}}}, props["sale"], "a pointer is nullable")
	require.Equal(t, map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": []any{"new", "hot"}}}, props["tags"])
	require.Equal(t, map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "integer", "format": "int32"}}, props["stock"])
	require.Equal(t, map[string]any{"type": "object", "additionalProperties": map[string]any{}}, props["attrs"])
	require.Equal(t, map[string]any{"type": "string", "format": "email"}, props["email"])
	require.Equal(t, map[string]any{"type": "string", "format": "byte"}, props["photo"])
	require.Equal(t, map[string]any{"type": "string"}, props["count"], ",string writes the number as a string")
	require.Equal(t, map[string]any{}, props["raw"])
	require.Equal(t, map[string]any{"type": "string", "format": "date-time"}, props["created_at"])
	require.Equal(t, map[string]any{"type": []any{"string", "null"}, "format": "date-time"}, props["deleted_at"])
	require.Equal(t, map[string]any{"type": "string"}, props["note"], "an omitempty pointer is left out, never null")

	m := member(t, d, "components", "schemas", "shopMoney", "properties").(map[string]any)
	require.Equal(t, map[string]any{"type": "integer", "format": "int64", "description": "minor units"}, m["amount"])
	require.Equal(t, map[string]any{"type": "string", "enum": []any{"PKR", "USD"}}, m["currency"])

	// A type that contains itself is a $ref to itself.
	c := member(t, d, "components", "schemas", "shopCategory", "properties", "children").(map[string]any)
	require.Equal(t, map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/shopCategory"}}, c)

	// The response points at the component.
	require.Equal(t, map[string]any{"$ref": "#/components/schemas/shopProduct"},
		member(t, d, "paths", "/products/{id}", "get", "responses", "200", "content", "application/json", "schema"))

	_, err := openapitest.Validate(api.JSON())
	require.NoError(t, err)
}

type FieldError struct {
	Where string `json:"where"`
}

func TestSameTypeNameFromTwoPackagesGetsTwoComponents(t *testing.T) {
	api := web.NewAPI("Shop", "1")
	api.Op(http.MethodGet, "/x", web.Operation{Summary: "x", Responses: web.OK(FieldError{})})
	schemas := member(t, openapiDoc(t, api), "components", "schemas").(map[string]any)
	require.Contains(t, schemas, "FieldError", "web.FieldError, through the Problem schema")
	require.Contains(t, schemas, "Web_testFieldError")
	require.Contains(t, member(t, schemas, "Web_testFieldError", "properties"), "where")
}

func TestPathParametersQueryAndHeaders(t *testing.T) {
	type listQuery struct {
		Status string `query:"status" enum:"open,closed" doc:"only these"`
		Limit  *int   `query:"limit" required:"true"`
		Other  string
	}
	api := web.NewAPI("Shop", "1")
	api.Op(http.MethodGet, "/stores/:store_id/items/:slug", web.Operation{
		Summary: "Items", Query: listQuery{}, Responses: web.OK([]shopProduct{}),
		Params: []web.Param{
			{Name: "slug", In: "path", Description: "the item's slug"},
			{Name: "Idempotency-Key", In: "header"},
		},
	})
	op := member(t, openapiDoc(t, api), "paths", "/stores/{store_id}/items/{slug}", "get").(map[string]any)
	require.Equal(t, []any{
		map[string]any{"name": "store_id", "in": "path", "required": true, "schema": map[string]any{"type": "integer", "format": "int64", "minimum": 1.0}},
		map[string]any{"name": "slug", "in": "path", "required": true, "description": "the item's slug", "schema": map[string]any{"type": "string"}},
		map[string]any{"name": "status", "in": "query", "description": "only these", "schema": map[string]any{"type": "string", "enum": []any{"open", "closed"}}},
		map[string]any{"name": "limit", "in": "query", "required": true, "schema": map[string]any{"type": "integer", "format": "int64"}},
		map[string]any{"name": "Idempotency-Key", "in": "header", "schema": map[string]any{"type": "string"}},
	}, op["parameters"])
	require.Equal(t, "getStoresStoreIdItemsSlug", op["operationId"])

	require.PanicsWithValue(t, "web: GET /stores/{store_id}/items/{slug} is documented twice", func() {
		api.Op(http.MethodGet, "/stores/{store_id}/items/{slug}", web.Operation{Summary: "again"})
	})
	require.Panics(t, func() {
		api.Op(http.MethodGet, "/y/:id", web.Operation{Params: []web.Param{{Name: "slug", In: "path"}}})
	}, "a path parameter the path does not have")
	require.Panics(t, func() { api.Op(http.MethodGet, "/z", web.Operation{ID: "getStoresStoreIdItemsSlug"}) })
}

func TestAuthAndProblemAnswers(t *testing.T) {
	api := web.NewAPI("Shop", "1")
	api.SessionCookie = "shop_session"
	api.Op(http.MethodPost, "/products", web.Operation{Summary: "Add", Request: shopNewProduct{}, Responses: web.Created(shopProduct{}), Problems: []int{409}})
	api.Op(http.MethodGet, "/products", web.Operation{Summary: "List", Responses: web.OK([]shopProduct{})})
	api.Op(http.MethodGet, "/public", web.Operation{Summary: "Public", Auth: web.AuthNone, Responses: web.OK(web.Fields{"ok": true})})
	api.Op(http.MethodGet, "/keyed", web.Operation{Summary: "Keyed", Auth: web.AuthAPIKey | web.AuthNone, Responses: web.NoContent()})
	d := openapiDoc(t, api)

	post := member(t, d, "paths", "/products", "post").(map[string]any)
	require.Equal(t, []any{map[string]any{"session": []any{}, "csrf": []any{}}, map[string]any{"bearer": []any{}}}, post["security"],
		"the API's default is a signed-in user; an unsafe method with the cookie needs the CSRF header")
	responses := post["responses"].(map[string]any)
	for _, code := range []string{"201", "400", "401", "403", "409", "415", "422", "default"} {
		require.Contains(t, responses, code)
	}
	require.Len(t, responses, 8)
	require.Equal(t, map[string]any{"$ref": "#/components/schemas/Problem"}, member(t, responses, "409", "content", "application/problem+json", "schema"))
	require.Equal(t, map[string]any{"$ref": "#/components/schemas/shopNewProduct"}, member(t, post, "requestBody", "content", "application/json", "schema"))

	get := member(t, d, "paths", "/products", "get").(map[string]any)
	require.Equal(t, []any{map[string]any{"session": []any{}}, map[string]any{"bearer": []any{}}}, get["security"])
	require.NotContains(t, get["responses"], "400", "no body, no bad-request answer")
	require.NotContains(t, get["responses"], "403", "a safe method needs no CSRF token")

	public := member(t, d, "paths", "/public", "get").(map[string]any)
	require.Equal(t, []any{}, public["security"], "an empty list overrides to public")
	require.NotContains(t, public["responses"], "401")
	require.Equal(t, map[string]any{"type": "object", "properties": map[string]any{"ok": map[string]any{"type": "boolean"}}, "required": []any{"ok"}},
		member(t, public, "responses", "200", "content", "application/json", "schema"))

	keyed := member(t, d, "paths", "/keyed", "get").(map[string]any)
	require.Equal(t, []any{map[string]any{"apiKey": []any{}}, map[string]any{}}, keyed["security"], "{} makes the key optional")
	require.NotContains(t, keyed["responses"], "401")

	require.Equal(t, map[string]any{"type": "apiKey", "in": "cookie", "name": "shop_session",
		"description": "The session cookie set by sign-in. Unsafe methods also need the csrf scheme."},
		member(t, d, "components", "securitySchemes", "session"))
	problem := member(t, d, "components", "schemas", "Problem", "properties").(map[string]any)
	for _, f := range []string{"type", "title", "status", "detail", "code", "errors"} {
		require.Contains(t, problem, f)
	}
	_, err := openapitest.Validate(api.JSON())
	require.NoError(t, err)
}

func TestDocumentIsDeterministic(t *testing.T) {
	build := func() []byte {
		api := web.NewAPI("Shop", "1")
		api.Servers = []string{"https://shop.example"}
		api.Op(http.MethodGet, "/b", web.Operation{Summary: "b", Tags: []string{"two"}, Responses: web.OK(shopProduct{})})
		api.Op(http.MethodGet, "/a", web.Operation{Summary: "a", Tags: []string{"one"}, Responses: web.OK(web.Fields{"z": 1, "a": "x", "m": []shopCategory{}})})
		return api.JSON()
	}
	first := build()
	for range 5 {
		require.Equal(t, string(first), string(build()))
	}
}

func TestHandleMountsAndDocumentsTogether(t *testing.T) {
	e := echo.New()
	api := web.NewAPI("Shop", "1")
	v1 := api.On(e.Group("/api/v1"), "products")
	hello := func(c echo.Context) error { return c.JSON(http.StatusOK, shopProduct{ID: 7}) }
	v1.GET("/products/:id", hello, web.Operation{Summary: "One", Responses: web.OK(shopProduct{})})
	v1.DELETE("/products/:id", hello, web.Operation{Summary: "Drop", Tags: []string{"admin"}, Responses: web.NoContent()})
	// A group with middleware makes echo add catch-all routes, which are not API.
	signedIn := v1.Group("/me", func(next echo.HandlerFunc) echo.HandlerFunc { return next })
	signedIn.GET("/products", hello, web.Operation{Summary: "Mine", Responses: web.OK(shopPage[shopProduct]{})})

	op := member(t, openapiDoc(t, api), "paths", "/api/v1/products/{id}").(map[string]any)
	require.Equal(t, []any{"products"}, member(t, op, "get", "tags"))
	require.Equal(t, []any{"admin"}, member(t, op, "delete", "tags"))
	require.Equal(t, []any{"products"}, member(t, openapiDoc(t, api), "paths", "/api/v1/me/products", "get", "tags"), "a group keeps the tags")
	require.Equal(t, map[string]any{"$ref": "#/components/schemas/shopPage_shopProduct"},
		member(t, openapiDoc(t, api), "paths", "/api/v1/me/products", "get", "responses", "200", "content", "application/json", "schema"),
		"a generic type's name loses its package path")
	openapitest.Check(t, e, api.JSON())
}

type shopPage[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// literalPrice is a JSON number kept as its text, as a price reader does: reflection sees a
// string, so the type says what it is.
type literalPrice string

func (literalPrice) OpenAPISchema() *web.Schema { return &web.Schema{Type: "number"} }

type priceTicket struct {
	Price literalPrice  `json:"price" doc:"exact, no exponent"`
	Stop  *literalPrice `json:"stop"`
}

func TestATypeDescribesItsOwnSchema(t *testing.T) {
	api := web.NewAPI("Prices", "1")
	api.Op(http.MethodPost, "/tickets", web.Operation{Summary: "A ticket", Auth: web.AuthNone, Request: priceTicket{}, Responses: web.NoContent()})
	d := openapiDoc(t, api)
	props := member(t, d, "components", "schemas", "priceTicket", "properties").(map[string]any)
	require.Equal(t, map[string]any{"type": "number", "description": "exact, no exponent"}, props["price"])
	require.Equal(t, map[string]any{"type": []any{"number", "null"}}, props["stop"], "a pointer to it is nullable")
	_, err := openapitest.Validate(api.JSON())
	require.NoError(t, err)
}
