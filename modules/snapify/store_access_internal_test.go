package snapify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// The tenancy check lives in one file: no other file of the module grants a store's scope.
func TestOnlyStoreAccessGrantsAStore(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range files {
		if f == "store_access.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NotContains(t, string(b), "tenant.Grant", "%s grants a tenant scope; only store_access.go may", f)
	}
}

// A store that did not come through the check reads nothing of its tenant, even with the right
// id; a suspended store's public load gets no scope either.
func TestAStoreWithoutTheCheckReadsNothing(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"snapify": New}, testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", t.TempDir()))
	m := env.Mounted("snapify").Module.(*Module)
	ctx := context.Background()
	require.NoError(t, m.Seed(ctx))
	checked, err := publicStore(ctx, m.d.DB, "ali-fabrics")
	require.NoError(t, err)
	cats, err := listCategories(ctx, m.d.DB, checked.Scope())
	require.NoError(t, err)
	require.NotEmpty(t, cats, "the checked store reads its categories")

	forged := &Store{ID: checked.ID, Slug: checked.Slug}
	cats, err = listCategories(ctx, m.d.DB, forged.Scope())
	require.NoError(t, err)
	require.Empty(t, cats, "a hand-built store reads nothing")
	ps, _, err := listProducts(ctx, m.d.DB, forged.Scope(), productQuery{})
	require.NoError(t, err)
	require.Empty(t, ps)

	_, err = m.d.DB.ExecContext(ctx, "UPDATE stores SET suspended_at = now() WHERE slug = 'ali-fabrics'")
	require.NoError(t, err)
	suspended, err := publicStore(ctx, m.d.DB, "ali-fabrics")
	require.NoError(t, err)
	require.False(t, suspended.Scope().Valid(), "a suspended store is not public")
}
