package snapify

import (
	"context"
	"strings"
	"testing"

	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// TestSitemapsSplitAtTheURLLimit lowers the 50,000 limit to 10 and checks that the seeded Pro
// store (2 + 4 categories + 8 city pages + 20 products = 34 URLs) spreads over four files,
// each listed in its domain's index.
func TestSitemapsSplitAtTheURLLimit(t *testing.T) {
	env := testkit.Start(t, map[string]platform.Constructor{"snapify": New}, testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", t.TempDir()))
	m := env.Mounted("snapify").Module.(*Module)
	ctx := context.Background()
	require.NoError(t, m.Seed(ctx))
	sitemapURLs = 10
	t.Cleanup(func() { sitemapURLs = MaxSitemapURLs })
	require.NoError(t, m.RegenerateSitemaps(ctx))
	var files []sitemapFile
	require.NoError(t, m.d.DB.NewSelect().Model(&files).Where("name LIKE 'store-karachi-gadgets-%'").Order("name").Scan(ctx))
	require.Len(t, files, 4)
	total := 0
	for _, f := range files {
		require.LessOrEqual(t, f.URLCount, 10)
		require.Equal(t, f.URLCount, strings.Count(f.Body, "<loc>https://shop.karachigadgets.pk"))
		total += f.URLCount
	}
	require.Equal(t, 34, total)
	_, body := env.Do("GET", "shop.karachigadgets.pk", "/sitemap.xml", nil, "")
	require.Equal(t, 4, strings.Count(body, "<sitemap>"))
}

func TestSEOJobsAreScheduled(t *testing.T) {
	t.Parallel()
	m := &Module{}
	jobs := m.PeriodicJobs()
	require.Len(t, jobs, 7) // social_jobs.go adds social_auto_post and social_refresh_metrics, pay_expiry.go expire_plans
	require.Equal(t, "snapify.expire_plans", ExpirePlansArgs{}.Kind())
	require.Equal(t, "snapify.social_auto_post", SocialAutoPostArgs{}.Kind())
	require.Equal(t, "snapify.social_refresh_metrics", SocialRefreshMetricsArgs{}.Kind())
	kinds := []string{RegenerateSitemapArgs{}.Kind(), GenerateCityPagesArgs{}.Kind(), RegenerateHubPagesArgs{}.Kind(), CheckDomainsArgs{}.Kind()}
	require.Equal(t, []string{"snapify.regenerate_sitemap", "snapify.generate_city_pages", "snapify.regenerate_hub_pages", "snapify.check_domains"}, kinds)
	require.Equal(t, "snapify.invalidate_store_cache", InvalidateStoreCacheArgs{}.Kind())
}
