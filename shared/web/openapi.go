package web

import (
	"encoding"
	"encoding/json"
	"maps"
	"net/http"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// This file is the one way a module describes its HTTP API: an API document built in Go, next
// to the routes, with request and response schemas derived from the very structs the handlers
// bind and answer. Register a route and its description in one call so the two cannot drift:
//
//	api := web.NewAPI("Psydge API", "1")
//	v1 := api.On(e.Group("/api/v1"), "trades")
//	v1.POST("/trades/check", h.checkTrade, web.Operation{
//		Summary:   "Dry run of the six gates; records nothing",
//		Request:   Ticket{},
//		Responses: web.OK(Decision{}),
//		Problems:  []int{http.StatusNotFound},
//	})
//	api.Mount(e, "/api") // /api/openapi.json and the viewer at /api/docs
//
// and in the module's tests: openapitest.Check(t, e, api.JSON()).

// Auth says which credentials an operation accepts; values combine with |.
type Auth uint8

const (
	// AuthDefault (the zero value) takes the API's Auth, which NewAPI sets to AuthUser.
	AuthDefault Auth = 0
	// AuthNone: no credentials needed. Combined with others (AuthNone|AuthBearer) the
	// credentials are optional: the answer changes when a user is known.
	AuthNone Auth = 1 << 0
	// AuthSession: the session cookie, plus the X-CSRF-Token header on unsafe methods.
	AuthSession Auth = 1 << 1
	// AuthBearer: "Authorization: Bearer <session token>".
	AuthBearer Auth = 1 << 2
	// AuthAPIKey: the X-API-Key header.
	AuthAPIKey Auth = 1 << 3
	// AuthUser is what auth.RequireUser accepts: a session cookie or a Bearer token.
	AuthUser = AuthSession | AuthBearer
)

// Operation describes one route. Only Summary and Responses are needed; the rest has defaults.
type Operation struct {
	// ID is the operationId; empty derives one from the method and path ("getApiV1TradesId").
	ID          string
	Summary     string
	Description string
	// Tags group operations in the viewer; empty takes the tags given to API.On.
	Tags []string
	Auth Auth
	// Query is a struct whose `query:"name"` fields are the query parameters (echo's binder
	// reads the same tag). Tags doc, enum, format and required:"true" describe them.
	Query any
	// Params adds header parameters, or overrides a path parameter's schema or description
	// (path parameters are declared from the path itself).
	Params []Param
	// Request is the JSON body: a Go value whose type is reflected (Ticket{}), a Fields, or a
	// *Schema. The body is required. A body adds 400 and 415 (BindJSON's answers) to the
	// problems, and 422 when its type implements Validator.
	Request any
	// Responses by status; see OK, Created and NoContent for the usual ones.
	Responses map[int]Response
	// Problems lists the problem+json answers the handler gives on purpose (404, 409, 422...).
	// 401 is added for operations that need credentials, 403 for unsafe methods that accept
	// the session cookie (the CSRF check); every operation also documents "default": any
	// other error is problem+json too.
	Problems   []int
	Deprecated bool
}

// Response is one documented answer.
type Response struct {
	// Description defaults to the status text.
	Description string
	// Body is a Go value whose type is reflected, a Fields, a *Schema, or nil for no body.
	Body any
	// ContentType defaults to application/json when there is a body.
	ContentType string
}

// Param is a header, query or path parameter.
type Param struct {
	Name        string
	In          string // "query", "header" or "path"
	Description string
	Required    bool
	// Schema defaults to a string.
	Schema *Schema
}

// Fields documents an ad-hoc JSON object, such as c.JSON(200, map[string]any{"sessions": list}):
// each value is reflected like a struct field, and every member is required.
type Fields map[string]any

// OK, Created and NoContent are the common Responses.
func OK(body any) map[int]Response      { return map[int]Response{http.StatusOK: {Body: body}} }
func Created(body any) map[int]Response { return map[int]Response{http.StatusCreated: {Body: body}} }
func NoContent() map[int]Response       { return map[int]Response{http.StatusNoContent: {}} }

// Schema is the subset of JSON Schema (as OpenAPI 3.1 uses it) the builder writes. Build one
// by hand only for what reflection cannot say (a text/calendar body, a free-form object).
type Schema struct {
	Ref                  string             `json:"$ref,omitempty"`
	Type                 string             `json:"-"` // "string", "integer", ...; empty is any value
	Nullable             bool               `json:"-"` // written as type: [T, "null"]
	Format               string             `json:"format,omitempty"`
	Description          string             `json:"description,omitempty"`
	Enum                 []string           `json:"-"`
	Minimum              *float64           `json:"minimum,omitempty"`
	Items                *Schema            `json:"items,omitempty"`
	Properties           map[string]*Schema `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties *Schema            `json:"additionalProperties,omitempty"`
	AnyOf                []*Schema          `json:"anyOf,omitempty"`

	// order keeps the struct's field order for the viewer (JSON objects are written sorted).
	order []string
}

// MarshalJSON writes Type (with "null" when Nullable) and Enum in JSON Schema's forms.
func (s *Schema) MarshalJSON() ([]byte, error) {
	type plain Schema
	out := struct {
		Type any   `json:"type,omitempty"`
		Enum []any `json:"enum,omitempty"`
		*plain
	}{plain: (*plain)(s)}
	switch {
	case s.Type != "" && s.Nullable:
		out.Type = []string{s.Type, "null"}
	case s.Type != "":
		out.Type = s.Type
	}
	for _, v := range s.Enum {
		out.Enum = append(out.Enum, v)
	}
	if len(out.Enum) > 0 && s.Nullable {
		out.Enum = append(out.Enum, nil)
	}
	return json.Marshal(out)
}

// API is one module's OpenAPI document under construction. Routes are added while the module
// mounts them; the JSON is built when first asked for and after every later change.
type API struct {
	Title       string
	Version     string
	Description string
	// Servers are base URLs ("https://api.astrotiming.com").
	Servers []string
	// Auth is what operations without their own Auth accept; set it before adding routes.
	Auth Auth
	// SessionCookie names the session cookie in the security scheme (d.Accounts.CookieName()).
	SessionCookie string

	mu      sync.Mutex
	ops     []*apiOp // in registration order, which the viewer keeps
	byKey   map[string]*apiOp
	ids     map[string]bool
	schemas map[string]*Schema
	names   map[reflect.Type]string
	taken   map[string]reflect.Type
	json    []byte // cache; nil after a change
}

// apiOp is an Operation with everything resolved: path, auth, parameters and schemas.
type apiOp struct {
	method, path string // path in OpenAPI form: /trades/{id}
	op           Operation
	auth         Auth
	params       []Param
	request      *Schema
	responses    map[int]Response // Body replaced by its *Schema
}

// NewAPI starts a document whose operations need a signed-in user unless they say otherwise.
func NewAPI(title, version string) *API {
	a := &API{Title: title, Version: version, Auth: AuthUser, SessionCookie: "session",
		byKey: map[string]*apiOp{}, ids: map[string]bool{}, schemas: map[string]*Schema{},
		names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
	// The problem schema is the Problem type itself, so the document says what WriteProblem
	// writes. Extra members (a refused trade's gates) are allowed by JSON Schema's default.
	a.schemas[a.component(reflect.TypeFor[Problem]())].Description =
		"RFC 9457 problem details. Some answers add members, named in the operation's description."
	return a
}

// Router is what routes are added to: *echo.Echo and *echo.Group both are.
type Router interface {
	Add(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
	Group(prefix string, m ...echo.MiddlewareFunc) *echo.Group
}

// Handle mounts h on r and documents it under the route's full path, so the document cannot
// name a route that does not exist or miss one mounted this way.
func (a *API) Handle(r Router, method, path string, h echo.HandlerFunc, op Operation, m ...echo.MiddlewareFunc) *echo.Route {
	route := r.Add(method, path, h, m...)
	a.Op(route.Method, route.Path, op)
	return route
}

// APIRoutes mounts documented routes on one router; see API.On.
type APIRoutes struct {
	api  *API
	r    Router
	tags []string
}

// On returns a router that documents every route it mounts, with tags for operations that
// name none.
func (a *API) On(r Router, tags ...string) *APIRoutes { return &APIRoutes{api: a, r: r, tags: tags} }

// Group is echo's Group, still documenting: me := v1.Group("", auth.RequireUser).
func (g *APIRoutes) Group(prefix string, m ...echo.MiddlewareFunc) *APIRoutes {
	return &APIRoutes{api: g.api, r: g.r.Group(prefix, m...), tags: g.tags}
}

// Handle is API.Handle with the default tags.
func (g *APIRoutes) Handle(method, path string, h echo.HandlerFunc, op Operation, m ...echo.MiddlewareFunc) *echo.Route {
	if len(op.Tags) == 0 {
		op.Tags = g.tags
	}
	return g.api.Handle(g.r, method, path, h, op, m...)
}

func (g *APIRoutes) GET(p string, h echo.HandlerFunc, op Operation, m ...echo.MiddlewareFunc) *echo.Route {
	return g.Handle(http.MethodGet, p, h, op, m...)
}
func (g *APIRoutes) POST(p string, h echo.HandlerFunc, op Operation, m ...echo.MiddlewareFunc) *echo.Route {
	return g.Handle(http.MethodPost, p, h, op, m...)
}
func (g *APIRoutes) PUT(p string, h echo.HandlerFunc, op Operation, m ...echo.MiddlewareFunc) *echo.Route {
	return g.Handle(http.MethodPut, p, h, op, m...)
}
func (g *APIRoutes) PATCH(p string, h echo.HandlerFunc, op Operation, m ...echo.MiddlewareFunc) *echo.Route {
	return g.Handle(http.MethodPatch, p, h, op, m...)
}
func (g *APIRoutes) DELETE(p string, h echo.HandlerFunc, op Operation, m ...echo.MiddlewareFunc) *echo.Route {
	return g.Handle(http.MethodDelete, p, h, op, m...)
}

var (
	echoParam    = regexp.MustCompile(`:([A-Za-z0-9_]+)`)
	openapiParam = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)
	word         = regexp.MustCompile(`[A-Za-z0-9]+`)
	pkgPath      = regexp.MustCompile(`[\w./-]*\.`)
	notNameChars = regexp.MustCompile(`[^A-Za-z0-9_]+`)
)

// OpenAPIPath turns an echo path into OpenAPI's form: /trades/:id → /trades/{id}.
func OpenAPIPath(echoPath string) string { return echoParam.ReplaceAllString(echoPath, "{$1}") }

// Op documents a route mounted some other way; path may be in echo's form (/trades/:id). It
// panics on a second description of the same method and path, or a repeated operation id, as
// http.ServeMux does on conflicting patterns: both are mistakes the module's first test shows.
func (a *API) Op(method, echoPath string, op Operation) {
	a.mu.Lock()
	defer a.mu.Unlock()
	method = strings.ToUpper(method)
	p := OpenAPIPath(echoPath)
	key := method + " " + p
	if a.byKey[key] != nil {
		panic("web: " + key + " is documented twice")
	}
	if op.ID == "" {
		op.ID = operationID(method, p)
	}
	if a.ids[op.ID] {
		panic("web: operation id " + op.ID + " is used twice (" + key + ")")
	}
	o := &apiOp{method: method, path: p, op: op, auth: op.Auth, responses: map[int]Response{}}
	if o.auth == AuthDefault {
		o.auth = a.Auth
	}
	o.params = a.params(key, p, op)
	problems := slices.Clone(op.Problems)
	if op.Request != nil {
		o.request = a.bodySchema(op.Request)
		problems = append(problems, http.StatusBadRequest, http.StatusUnsupportedMediaType)
		if t := reflect.TypeOf(op.Request); t != nil && (t.Implements(validatorType) || reflect.PointerTo(t).Implements(validatorType)) {
			problems = append(problems, http.StatusUnprocessableEntity)
		}
	}
	if o.auth&^AuthNone != 0 && o.auth&AuthNone == 0 {
		problems = append(problems, http.StatusUnauthorized)
	}
	if o.auth&AuthSession != 0 && unsafeMethod(method) {
		problems = append(problems, http.StatusForbidden) // the CSRF check's answer
	}
	for status, r := range op.Responses {
		if r.Body != nil {
			r.Body = a.bodySchema(r.Body)
			if r.ContentType == "" {
				r.ContentType = echo.MIMEApplicationJSON
			}
		}
		o.responses[status] = r
	}
	for _, status := range problems {
		if _, set := o.responses[status]; !set {
			o.responses[status] = Response{Description: http.StatusText(status), Body: &Schema{Ref: "#/components/schemas/Problem"}, ContentType: "application/problem+json"}
		}
	}
	a.ops = append(a.ops, o)
	a.byKey[key] = o
	a.ids[op.ID] = true
	a.json = nil
}

var validatorType = reflect.TypeFor[Validator]()

// operationID derives an id such as getApiV1TradesId from GET /api/v1/trades/{id}.
func operationID(method, p string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, w := range word.FindAllString(p, -1) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// params declares the path's parameters, then the query struct's, then op.Params (which may
// override a path parameter). A path parameter named id or ending in _id is a positive int64,
// as web.PathID reads it; any other is a string.
func (a *API) params(key, p string, op Operation) []Param {
	var out []Param
	for _, m := range openapiParam.FindAllStringSubmatch(p, -1) {
		name := m[1]
		s := &Schema{Type: "string"}
		if name == "id" || strings.HasSuffix(name, "_id") {
			one := 1.0
			s = &Schema{Type: "integer", Format: "int64", Minimum: &one}
		}
		out = append(out, Param{Name: name, In: "path", Required: true, Schema: s})
	}
	if op.Query != nil {
		out = append(out, a.queryParams(reflect.TypeOf(op.Query))...)
	}
	for _, extra := range op.Params {
		i := slices.IndexFunc(out, func(q Param) bool { return q.In == extra.In && q.Name == extra.Name })
		if extra.Schema == nil {
			extra.Schema = &Schema{Type: "string"}
			if i >= 0 {
				extra.Schema = out[i].Schema
			}
		}
		switch {
		case i >= 0:
			extra.Required = extra.Required || extra.In == "path" // OpenAPI requires it of path parameters
			out[i] = extra
		case extra.In == "path":
			panic("web: " + key + " has no path parameter " + extra.Name)
		default:
			out = append(out, extra)
		}
	}
	return out
}

func (a *API) queryParams(t reflect.Type) []Param {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		panic("web: Operation.Query must be a struct, not " + t.String())
	}
	var out []Param
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("query"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		s := a.schemaOf(f.Type)
		if ft := f.Type; ft.Kind() == reflect.Pointer {
			s = a.schemaOf(ft.Elem()) // a pointer means "may be absent", not null
		}
		s = withTags(s, f.Tag)
		if s.Description != "" { // said once, on the parameter
			c := *s
			c.Description, s = "", &c
		}
		out = append(out, Param{Name: name, In: "query", Required: f.Tag.Get("required") == "true",
			Description: f.Tag.Get("doc"), Schema: s})
	}
	return out
}

// bodySchema is the schema of a request or response body.
func (a *API) bodySchema(v any) *Schema {
	switch v := v.(type) {
	case *Schema:
		return v
	case Fields:
		s := &Schema{Type: "object", Properties: map[string]*Schema{}}
		for _, name := range slices.Sorted(maps.Keys(v)) {
			s.Properties[name] = a.schemaOf(reflect.TypeOf(v[name]))
			s.Required = append(s.Required, name)
			s.order = append(s.order, name)
		}
		return s
	}
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem() // a body is never null, whatever the handler's variable is
	}
	return a.schemaOf(t)
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
	textType = reflect.TypeFor[encoding.TextMarshaler]()

	describerType = reflect.TypeFor[SchemaDescriber]()
)

// SchemaDescriber is a type whose JSON form reflection cannot see, such as a string type with
// its own UnmarshalJSON that reads a JSON number. OpenAPISchema is called on the zero value,
// so it must not depend on the receiver's contents. Implement it on the value receiver.
type SchemaDescriber interface {
	OpenAPISchema() *Schema
}

// schemaOf reflects t the way encoding/json writes it. Named struct types become
// components/schemas entries referenced by $ref; pointers are nullable.
func (a *API) schemaOf(t reflect.Type) *Schema {
	if t == nil {
		return &Schema{} // a nil interface value: anything
	}
	if t.Kind() != reflect.Pointer && t.Implements(describerType) {
		// A type with its own JSON form (a number kept as its literal, say) says what it is.
		return reflect.Zero(t).Interface().(SchemaDescriber).OpenAPISchema()
	}
	switch {
	case t == timeType:
		return &Schema{Type: "string", Format: "date-time"}
	case t == rawType:
		return &Schema{}
	case t.Kind() != reflect.Pointer && (t.Implements(textType) || reflect.PointerTo(t).Implements(textType)):
		return &Schema{Type: "string"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return &Schema{Type: "boolean"}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return &Schema{Type: "integer", Format: "int32"}
	case reflect.Int, reflect.Int64:
		return &Schema{Type: "integer", Format: "int64"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		zero := 0.0
		return &Schema{Type: "integer", Minimum: &zero}
	case reflect.Float32:
		return &Schema{Type: "number", Format: "float"}
	case reflect.Float64:
		return &Schema{Type: "number", Format: "double"}
	case reflect.String:
		return &Schema{Type: "string"}
	case reflect.Interface:
		return &Schema{}
	case reflect.Pointer:
		return nullable(a.schemaOf(t.Elem()))
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return &Schema{Type: "string", Format: "byte"} // encoding/json writes base64
		}
		return &Schema{Type: "array", Items: a.schemaOf(t.Elem())}
	case reflect.Map:
		return &Schema{Type: "object", AdditionalProperties: a.schemaOf(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return a.structSchema(t)
		}
		return &Schema{Ref: "#/components/schemas/" + a.component(t)}
	}
	panic("web: cannot document a " + t.String() + " in JSON")
}

// component registers a named struct under a unique name and returns the name. The name is
// taken before the fields are read so a type that contains itself ends in a $ref.
func (a *API) component(t reflect.Type) string {
	if name, ok := a.names[t]; ok {
		return name
	}
	name := componentName(t.Name())
	if other, ok := a.taken[name]; ok && other != t {
		pkg := path.Base(t.PkgPath())
		name = strings.ToUpper(pkg[:1]) + pkg[1:] + name
		for i := 2; a.taken[name] != nil; i++ {
			name = componentName(t.Name()) + strconv.Itoa(i)
		}
	}
	a.names[t], a.taken[name] = name, t
	// The entry exists before its fields are read, so a field of type t (a tree of itself)
	// becomes a $ref to it instead of recursing forever.
	a.schemas[name] = &Schema{}
	*a.schemas[name] = *a.structSchema(t)
	return name
}

// componentName makes a Go type name (Page[github.com/x/y.Item]) a valid component key (Page_Item).
func componentName(goName string) string {
	return strings.Trim(notNameChars.ReplaceAllString(pkgPath.ReplaceAllString(goName, ""), "_"), "_")
}

// structSchema reads fields as encoding/json does: json tags name them, "-" drops them,
// omitempty/omitzero make them optional, embedded structs are flattened (outer names win).
// The tags doc, enum ("a,b"), format and required ("true"/"false") add what Go cannot say.
func (a *API) structSchema(t reflect.Type) *Schema {
	s := &Schema{Type: "object", Properties: map[string]*Schema{}}
	a.addFields(s, t, false)
	return s
}

func (a *API) addFields(s *Schema, t reflect.Type, optional bool) {
	var embedded []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			embedded = append(embedded, f)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := s.Properties[name]; dup {
			continue
		}
		fs := a.schemaOf(f.Type)
		omit := hasOpt(opts, "omitempty") || hasOpt(opts, "omitzero")
		if omit && f.Type.Kind() == reflect.Pointer {
			fs = a.schemaOf(f.Type.Elem()) // nil is left out, never written as null
		}
		if hasOpt(opts, "string") && fs.Type != "" {
			fs = &Schema{Type: "string", Nullable: fs.Nullable}
		}
		s.Properties[name] = withTags(fs, f.Tag)
		s.order = append(s.order, name)
		required := !omit && !optional
		if r := f.Tag.Get("required"); r != "" {
			required = r == "true"
		}
		if required {
			s.Required = append(s.Required, name)
		}
	}
	for _, f := range embedded {
		ft, opt := f.Type, optional
		if ft.Kind() == reflect.Pointer {
			ft, opt = ft.Elem(), true // a nil embedded pointer leaves its fields out
		}
		if ft.Kind() == reflect.Struct {
			a.addFields(s, ft, opt)
		}
	}
}

func hasOpt(opts, want string) bool {
	for o := range strings.SplitSeq(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

// withTags applies the doc, enum and format struct tags to a copy of s.
func withTags(s *Schema, tag reflect.StructTag) *Schema {
	doc, enum, format := tag.Get("doc"), tag.Get("enum"), tag.Get("format")
	if doc == "" && enum == "" && format == "" {
		return s
	}
	c := *s
	if doc != "" {
		c.Description = doc
	}
	if format != "" {
		c.Format = format
	}
	if enum != "" {
		target := &c
		if c.Type == "array" && c.Items != nil { // enum on []string is about the items
			items := *c.Items
			c.Items, target = &items, &items
		}
		target.Enum = strings.Split(enum, ",")
	}
	return &c
}

func nullable(s *Schema) *Schema {
	switch {
	case s.Ref != "":
		return &Schema{AnyOf: []*Schema{s, {Type: "null"}}}
	case s.Type == "":
		return s // any value already includes null
	}
	c := *s
	c.Nullable = true
	return &c
}

// JSON is the OpenAPI 3.1 document. Its bytes are the same for the same registrations: JSON
// objects are written with sorted keys.
func (a *API) JSON() []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.json == nil {
		b, err := json.Marshal(a.document())
		if err != nil {
			panic("web: the OpenAPI document does not encode: " + err.Error()) // only a bug here gets here
		}
		a.json = b
	}
	return a.json
}

// ServeJSON answers the document.
func (a *API) ServeJSON() echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.JSONBlob(http.StatusOK, a.JSON())
	}
}

type docParam struct {
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required,omitempty"`
	Schema      *Schema `json:"schema"`
}

type docMedia struct {
	Schema *Schema `json:"schema"`
}

type docBody struct {
	Required bool                `json:"required"`
	Content  map[string]docMedia `json:"content"`
}

type docResponse struct {
	Description string              `json:"description"`
	Content     map[string]docMedia `json:"content,omitempty"`
}

type docOperation struct {
	OperationID string                 `json:"operationId"`
	Summary     string                 `json:"summary,omitempty"`
	Description string                 `json:"description,omitempty"`
	Tags        []string               `json:"tags,omitempty"`
	Deprecated  bool                   `json:"deprecated,omitempty"`
	Parameters  []docParam             `json:"parameters,omitempty"`
	RequestBody *docBody               `json:"requestBody,omitempty"`
	Responses   map[string]docResponse `json:"responses"`
	Security    []map[string][]string  `json:"security"`
}

func (a *API) document() any {
	paths := map[string]map[string]*docOperation{}
	var tags []map[string]string
	seenTag := map[string]bool{}
	for _, o := range a.ops {
		d := &docOperation{OperationID: o.op.ID, Summary: o.op.Summary, Description: o.op.Description,
			Tags: o.op.Tags, Deprecated: o.op.Deprecated, Responses: map[string]docResponse{},
			Security: securityOf(o.auth, o.method)}
		for _, t := range o.op.Tags {
			if !seenTag[t] {
				seenTag[t] = true
				tags = append(tags, map[string]string{"name": t})
			}
		}
		for _, p := range o.params {
			d.Parameters = append(d.Parameters, docParam(p))
		}
		if o.request != nil {
			d.RequestBody = &docBody{Required: true, Content: map[string]docMedia{echo.MIMEApplicationJSON: {o.request}}}
		}
		for status, r := range o.responses {
			dr := docResponse{Description: r.Description}
			if dr.Description == "" {
				dr.Description = http.StatusText(status)
			}
			if r.Body != nil {
				dr.Content = map[string]docMedia{r.ContentType: {r.Body.(*Schema)}}
			}
			d.Responses[strconv.Itoa(status)] = dr
		}
		d.Responses["default"] = docResponse{Description: "Any other error, as problem+json",
			Content: map[string]docMedia{"application/problem+json": {&Schema{Ref: "#/components/schemas/Problem"}}}}
		if paths[o.path] == nil {
			paths[o.path] = map[string]*docOperation{}
		}
		paths[o.path][strings.ToLower(o.method)] = d
	}
	info := map[string]string{"title": a.Title, "version": a.Version}
	if a.Description != "" {
		info["description"] = a.Description
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info":    info,
		"paths":   paths,
		"components": map[string]any{
			"schemas":         a.schemas,
			"securitySchemes": a.securitySchemes(),
		},
	}
	if len(tags) > 0 {
		doc["tags"] = tags
	}
	if len(a.Servers) > 0 {
		var servers []map[string]string
		for _, s := range a.Servers {
			servers = append(servers, map[string]string{"url": s})
		}
		doc["servers"] = servers
	}
	return doc
}

func (a *API) securitySchemes() map[string]any {
	return map[string]any{
		"session": map[string]string{"type": "apiKey", "in": "cookie", "name": a.SessionCookie,
			"description": "The session cookie set by sign-in. Unsafe methods also need the csrf scheme."},
		"csrf": map[string]string{"type": "apiKey", "in": "header", "name": "X-CSRF-Token",
			"description": "The CSRF token from sign-in (also in the readable CSRF cookie); needed with the session cookie on POST, PUT, PATCH and DELETE."},
		"bearer": map[string]string{"type": "http", "scheme": "bearer", "description": "The session token returned by sign-in."},
		"apiKey": map[string]string{"type": "apiKey", "in": "header", "name": "X-API-Key"},
	}
}

// securityOf lists the alternatives an operation accepts; an empty list means public, and an
// empty alternative ({}) means the credentials are optional.
func securityOf(auth Auth, method string) []map[string][]string {
	out := []map[string][]string{}
	if auth&AuthSession != 0 {
		req := map[string][]string{"session": {}}
		if unsafeMethod(method) {
			req["csrf"] = []string{}
		}
		out = append(out, req)
	}
	if auth&AuthBearer != 0 {
		out = append(out, map[string][]string{"bearer": {}})
	}
	if auth&AuthAPIKey != 0 {
		out = append(out, map[string][]string{"apiKey": {}})
	}
	if auth&AuthNone != 0 && len(out) > 0 {
		out = append(out, map[string][]string{})
	}
	return out
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}
