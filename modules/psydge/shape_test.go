package psydge

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// The module's shape (docs/platform.md, "The shape"), held by a test so it does not drift back:
// a handler (a function taking an echo.Context) never touches the database or Redis itself;
// only errors.go builds problem+json answers for what services return; queries are written
// only in *_store.go (and the demo data in seed.go), and stores never open a transaction.
func TestHandlersHoldNoQueriesAndServicesNoAnswers(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	queries := map[string]bool{"NewSelect": true, "NewInsert": true, "NewUpdate": true, "NewDelete": true, "NewRaw": true, "QueryRowContext": true}
	answers := map[string]bool{"NewProblem": true, "Conflict": true, "Forbidden": true, "NotFound": true, "Invalid": true, "BadRequest": true}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			handler := takesEchoContext(fn)
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if handler && (sel.Sel.Name == "DB" || sel.Sel.Name == "KV") {
					if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "d" {
						t.Errorf("%s: handler %s uses m.d.%s: queries belong in a store, called by a service", fset.Position(sel.Pos()), fn.Name.Name, sel.Sel.Name)
					}
				}
				store := strings.HasSuffix(name, "_store.go")
				if queries[sel.Sel.Name] && !store && name != "seed.go" {
					t.Errorf("%s: %s writes a query (%s): queries belong in a *_store.go function taking a bun.IDB", fset.Position(sel.Pos()), fn.Name.Name, sel.Sel.Name)
				}
				if store && (sel.Sel.Name == "RunInTx" || sel.Sel.Name == "BeginTx") {
					t.Errorf("%s: store %s opens a transaction: the service decides", fset.Position(sel.Pos()), fn.Name.Name)
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "web" && answers[sel.Sel.Name] && !handler && name != "errors.go" {
					t.Errorf("%s: %s builds an HTTP answer (web.%s): return a domain error and map it in errors.go", fset.Position(sel.Pos()), fn.Name.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
}

func takesEchoContext(fn *ast.FuncDecl) bool {
	for _, p := range fn.Type.Params.List {
		if sel, ok := p.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Context" {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "echo" {
				return true
			}
		}
	}
	return false
}
