package snapify

import (
	"context"
	"testing"

	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// A catalogue or order change given a store that did not come through the tenancy check (a
// Store built by hand, or loaded some other way) is refused with an error that says so, before
// it reaches the database, instead of failing there on a foreign key or a missing row; and it
// changes nothing.
func TestChangesRefuseAStoreWithoutItsScope(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"snapify": New}, testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", t.TempDir()))
	m := env.Mounted("snapify").Module.(*Module)
	ctx := context.Background()
	require.NoError(t, m.Seed(ctx))
	checked, err := m.StoreBySlug(ctx, "ali-fabrics")
	require.NoError(t, err)
	ps, _, err := listProducts(ctx, m.d.DB, checked.Scope(), productQuery{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, ps)
	cats, err := listCategories(ctx, m.d.DB, checked.Scope())
	require.NoError(t, err)
	require.NotEmpty(t, cats)
	count := func() (n int) {
		require.NoError(t, m.d.DB.NewRaw("SELECT (SELECT count(*) FROM products) + (SELECT count(*) FROM categories)").Scan(ctx, &n))
		return n
	}
	before := count()

	forged := &Store{ID: checked.ID, Slug: checked.Slug, Tier: checked.Tier}
	title, price, name := "Injected", int64(100), "Injected"
	calls := map[string]func() error{
		"CreateProduct": func() error {
			_, err := m.CreateProduct(ctx, forged, ProductInput{Title: &title, PricePaisa: &price, creating: true})
			return err
		},
		"UpdateProduct": func() error {
			_, err := m.UpdateProduct(ctx, forged, ps[0].ID, ProductInput{PricePaisa: &price})
			return err
		},
		"DeleteProduct": func() error { return m.DeleteProduct(ctx, forged, ps[0].ID) },
		"SaveCategory (new)": func() error {
			_, err := m.SaveCategory(ctx, forged, 0, CategoryInput{Name: &name, creating: true})
			return err
		},
		"SaveCategory": func() error {
			_, err := m.SaveCategory(ctx, forged, cats[0].ID, CategoryInput{Name: &name})
			return err
		},
		"DeleteCategory": func() error { return m.DeleteCategory(ctx, forged, cats[0].ID) },
		"SetOrderStatus": func() error {
			_, err := m.SetOrderStatus(ctx, forged.Scope(), 1, StatusConfirmed, "")
			return err
		},
	}
	for name, call := range calls {
		err := call()
		require.Error(t, err, name)
		require.ErrorContains(t, err, "without its tenant scope", name)
	}
	require.Equal(t, before, count(), "nothing was written")
}
