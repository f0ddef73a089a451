package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// The documentation viewer: one server-rendered page per module listing every operation with
// its auth, parameters, request and responses as trees. No JavaScript and nothing from a CDN;
// the stylesheet is embedded and served under a name that changes with its content.

//go:embed apidocs
var apidocsFS embed.FS

var (
	docsPage = template.Must(template.ParseFS(apidocsFS, "apidocs/docs.html"))
	docsCSS  = must(apidocsFS.ReadFile("apidocs/docs.css"))
	// docsCSSName carries the stylesheet's hash, so it can be cached for good.
	docsCSSName = func() string { sum := sha256.Sum256(docsCSS); return "docs-" + hex.EncodeToString(sum[:6]) + ".css" }()
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// DocsRouteName names the routes Mount adds, which are not part of the API they describe
// (openapitest leaves them out of its comparison).
const DocsRouteName = "web.apidocs"

// Mount serves the document at prefix+"/openapi.json" and the viewer at prefix+"/docs"
// (prefix "/api": /api/openapi.json and /api/docs).
func (a *API) Mount(r Router, prefix string) {
	jsonURL, docsURL := prefix+"/openapi.json", prefix+"/docs"
	cssURL := docsURL + "/" + docsCSSName
	css := func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		return c.Blob(http.StatusOK, "text/css; charset=utf-8", docsCSS)
	}
	r.Add(http.MethodGet, jsonURL, a.ServeJSON()).Name = DocsRouteName
	r.Add(http.MethodGet, docsURL, a.ServeDocs(jsonURL, cssURL)).Name = DocsRouteName
	r.Add(http.MethodGet, cssURL, css).Name = DocsRouteName
}

// ServeDocs answers the viewer page, which links to the document at jsonURL and loads its
// stylesheet from cssURL (Mount serves both).
func (a *API) ServeDocs(jsonURL, cssURL string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var buf bytes.Buffer
		if err := docsPage.Execute(&buf, a.docsView(jsonURL, cssURL)); err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, buf.Bytes())
	}
}

type docsView struct {
	Title, Version, Description, JSONURL, CSSURL string
	Tags                                         []*docsTag
	// Problem is the shape of every error answer, shown once.
	Problem *docsNode
}

type docsTag struct {
	Name, Anchor string
	Ops          []docsOp
}

type docsOp struct {
	ID, Method, MethodClass, Path, Summary, Description, Auth string
	Deprecated                                                bool
	Params                                                    []docsParam
	Request                                                   *docsNode
	Responses                                                 []docsResponse
}

type docsParam struct {
	Name, In, Type, Description string
	Required                    bool
}

type docsResponse struct {
	Status, Description, ContentType string
	Problem                          bool
	Body                             *docsNode
}

// docsNode is one line of a schema tree: a property (or the body itself) and its members.
type docsNode struct {
	Name, Type, Description, Enum string
	Required                      bool
	Children                      []*docsNode
}

func (a *API) docsView(jsonURL, cssURL string) docsView {
	a.mu.Lock()
	defer a.mu.Unlock()
	v := docsView{Title: a.Title, Version: a.Version, Description: a.Description, JSONURL: jsonURL, CSSURL: cssURL,
		Problem: a.node("", &Schema{Ref: "#/components/schemas/Problem"}, false, nil)}
	byName := map[string]*docsTag{}
	for _, o := range a.ops {
		tag := "Operations"
		if len(o.op.Tags) > 0 {
			tag = o.op.Tags[0]
		}
		if byName[tag] == nil {
			byName[tag] = &docsTag{Name: tag, Anchor: strings.Join(strings.Fields(tag), "-")}
			v.Tags = append(v.Tags, byName[tag])
		}
		d := docsOp{ID: o.op.ID, Method: o.method, MethodClass: strings.ToLower(o.method), Path: o.path,
			Summary: o.op.Summary, Description: o.op.Description, Deprecated: o.op.Deprecated,
			Auth: authLabel(o.auth, o.method)}
		for _, p := range o.params {
			d.Params = append(d.Params, docsParam{Name: p.Name, In: p.In, Type: a.typeLabel(p.Schema),
				Description: firstNonEmpty(p.Description, p.Schema.Description), Required: p.Required})
		}
		if o.request != nil {
			d.Request = a.node("", o.request, false, nil)
		}
		for _, s := range slices.Sorted(maps.Keys(o.responses)) {
			r := o.responses[s]
			dr := docsResponse{Status: strconv.Itoa(s), Description: firstNonEmpty(r.Description, http.StatusText(s)),
				ContentType: r.ContentType, Problem: r.ContentType == "application/problem+json"}
			// Every problem has the same shape; the page shows it once, under Errors.
			if r.Body != nil && !dr.Problem {
				dr.Body = a.node("", r.Body.(*Schema), false, nil)
			}
			d.Responses = append(d.Responses, dr)
		}
		d.Responses = append(d.Responses, docsResponse{Status: "default", Problem: true,
			Description: "Any other error", ContentType: "application/problem+json"})
		byName[tag].Ops = append(byName[tag].Ops, d)
	}
	return v
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func authLabel(auth Auth, method string) string {
	var alts []string
	if auth&AuthSession != 0 {
		if unsafeMethod(method) {
			alts = append(alts, "session cookie with the X-CSRF-Token header")
		} else {
			alts = append(alts, "session cookie")
		}
	}
	if auth&AuthBearer != 0 {
		alts = append(alts, "Bearer token")
	}
	if auth&AuthAPIKey != 0 {
		alts = append(alts, "X-API-Key header")
	}
	switch {
	case len(alts) == 0:
		return "none (public)"
	case auth&AuthNone != 0:
		return "optional: " + strings.Join(alts, " or ")
	}
	return strings.Join(alts, " or ")
}

// resolve follows a $ref (and a nullable $ref's anyOf) to the schema it names.
func (a *API) resolve(s *Schema) (target *Schema, name string, null bool) {
	if len(s.AnyOf) == 2 && s.AnyOf[1].Type == "null" {
		s, null = s.AnyOf[0], true
	}
	if s.Ref != "" {
		name = strings.TrimPrefix(s.Ref, "#/components/schemas/")
		if c := a.schemas[name]; c != nil {
			return c, name, null
		}
	}
	return s, name, null || s.Nullable
}

// typeLabel says a schema's type in words: "integer (int64)", "array of Trade", "Store or null".
func (a *API) typeLabel(s *Schema) string {
	t, name, null := a.resolve(s)
	label := name
	if label == "" {
		switch {
		case t.Type == "array" && t.Items != nil:
			label = "array of " + a.typeLabel(t.Items)
		case t.Type == "object" && t.AdditionalProperties != nil:
			label = "map of string to " + a.typeLabel(t.AdditionalProperties)
		case t.Type == "":
			label = "any"
		case t.Format != "":
			label = t.Type + " (" + t.Format + ")"
		default:
			label = t.Type
		}
	}
	if null {
		label += " or null"
	}
	return label
}

// node builds the tree of s; seen holds the component names being expanded, so a type that
// contains itself stops at its second appearance.
func (a *API) node(name string, s *Schema, required bool, seen []string) *docsNode {
	t, comp, _ := a.resolve(s)
	n := &docsNode{Name: name, Type: a.typeLabel(s), Required: required, Description: firstNonEmpty(s.Description, t.Description)}
	if len(t.Enum) > 0 {
		n.Enum = strings.Join(t.Enum, ", ")
	}
	if comp != "" {
		if slices.Contains(seen, comp) {
			n.Type += " (as above)"
			return n
		}
		seen = append(seen, comp)
	}
	// The members of an array's items or a map's values are shown under the array or map.
	for t.Type == "array" && t.Items != nil || t.Type == "object" && t.AdditionalProperties != nil {
		next := t.Items
		if next == nil {
			next = t.AdditionalProperties
		}
		var inner string
		t, inner, _ = a.resolve(next)
		if inner != "" {
			if slices.Contains(seen, inner) {
				n.Type += " (as above)"
				return n
			}
			seen = append(seen, inner)
		}
		if len(t.Enum) > 0 && n.Enum == "" {
			n.Enum = strings.Join(t.Enum, ", ")
		}
	}
	order := t.order
	if len(order) != len(t.Properties) {
		order = slices.Sorted(maps.Keys(t.Properties))
	}
	for _, p := range order {
		n.Children = append(n.Children, a.node(p, t.Properties[p], slices.Contains(t.Required, p), seen))
	}
	return n
}
