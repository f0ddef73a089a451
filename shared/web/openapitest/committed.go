package openapitest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateOpenAPI = flag.Bool("update-openapi", false, "rewrite web/packages/api/openapi/<module>.json from the served documents")

// MatchCommitted compares a module's served document with the copy committed under
// web/packages/api/openapi/<module>.json, from which the front ends' TypeScript types are
// generated (npm run api-types). A route or schema change that is not carried into the
// committed copy fails here, and the web check fails when the generated types lag the copy, so
// a front end cannot drift from the API. `go test -run OpenAPI ./modules/<module>/
// -update-openapi` rewrites the copy; then `make web-types`.
func MatchCommitted(t testing.TB, module string, doc []byte) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, doc, "", "  "); err != nil {
		t.Fatalf("openapi: the served document is not JSON: %v", err)
	}
	pretty.WriteByte('\n')
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "web", "packages", "api", "openapi", module+".json")
	if *updateOpenAPI {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	committed, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("openapi: %v; write it with go test -run OpenAPI ./modules/%s/ -update-openapi", err, module)
	}
	if !bytes.Equal(committed, pretty.Bytes()) {
		t.Fatalf("openapi: the %s document served differs from %s; rewrite it with go test -run OpenAPI ./modules/%s/ -update-openapi, then make web-types, and commit both",
			module, path, module)
	}
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
