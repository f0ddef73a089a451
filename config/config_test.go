package config_test

import (
	"testing"

	"github.com/alorig/alorig/config"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) config.Getenv { return func(k string) string { return m[k] } }

func TestDefaultsAreTheSeedsMaps(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(env(nil))
	require.NoError(t, err)
	want := map[string]struct {
		port, extra, redis int
		db                 string
	}{
		"psydge": {8012, 8013, 2, "psydge_db"}, "snapify": {8014, 0, 3, "snapify_db"},
		"sitebuilder": {8016, 8017, 4, "sitebuilder_db"}, "observer": {8018, 0, 5, "observer_db"},
		"astrotiming": {8020, 0, 6, "astrotiming_db"}, "asms": {8022, 0, 7, "asms_db"},
	}
	for name, w := range want {
		m := cfg.Modules[name]
		require.Equal(t, w.port, m.Port, name)
		require.Equal(t, w.extra, m.SurfacePort, name)
		require.Equal(t, w.redis, m.RedisDB, name)
		require.Equal(t, w.db, m.Database, name)
		require.Equal(t, name+":", m.RedisPrefix)
		require.Contains(t, m.DatabaseURL, "/"+w.db)
	}
}

func TestListenAddr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		apps, surface, addr, want string
	}{
		{"asms", "web", "", ":8022"},
		{"psydge", "ws", "", ":8013"},
		{"sitebuilder", "cms", "", ":8017"},
		{"psydge,asms", "web", "", ":8080"},
		{"all", "web", "", ":8080"},
		{"asms", "web", "127.0.0.1:9999", "127.0.0.1:9999"},
	} {
		cfg, err := config.Load(env(map[string]string{"ALORIG_APPS": tc.apps, "ALORIG_SURFACE": tc.surface, "ALORIG_ADDR": tc.addr}))
		require.NoError(t, err)
		got, err := cfg.ListenAddr()
		require.NoError(t, err)
		require.Equal(t, tc.want, got, tc.apps)
	}
	cfg, _ := config.Load(env(map[string]string{"ALORIG_APPS": "asms", "ALORIG_SURFACE": "ws"}))
	require.ErrorContains(t, cfg.ValidateSurface(), "asms has no such surface")
}

func TestEveryProblemReportedAtOnce(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{
		"ALORIG_ENV": "staging", "ALORIG_APPS": "psydge,nope", "ALORIG_DB_MAX_CONNS": "many",
		"ALORIG_ASMS_REDIS_DB": "1", "ALORIG_TRUSTED_PROXIES": "10.0.0.0/8,not-an-ip", "ALORIG_SHUTDOWN_GRACE": "soon",
	}))
	require.Error(t, err)
	for _, want := range []string{"ALORIG_ENV", "unknown module nope", "ALORIG_DB_MAX_CONNS", "IGNY8", "not-an-ip", "ALORIG_SHUTDOWN_GRACE"} {
		require.ErrorContains(t, err, want)
	}
}

func TestProductionRefusesDevelopmentSettings(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{"ALORIG_ENV": "production", "ALORIG_CLOCK": "+1h",
		"ALORIG_ADMIN_ADDR": "0.0.0.0:9090"}))
	require.Error(t, err)
	for _, want := range []string{"ALORIG_ENCRYPTION_KEYS is required", "ALORIG_CLOCK", "real password", "ALORIG_ADMIN_TOKEN"} {
		require.ErrorContains(t, err, want)
	}
	_, err = config.Load(env(map[string]string{"ALORIG_ENV": "production", "ALORIG_ENCRYPTION_KEYS": config.DevelopmentKeys,
		"ALORIG_DATABASE_URL": "postgres://alorig:s3cret-Pw@db:5432/?sslmode=disable"}))
	require.ErrorContains(t, err, "development key")
	_, err = config.Load(env(map[string]string{"ALORIG_ENV": "production", "ALORIG_ENCRYPTION_KEYS": "p1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"ALORIG_DATABASE_URL": "postgres://alorig:s3cret-Pw@db:5432/?sslmode=disable"}))
	require.NoError(t, err)
}

func TestHostsAndDatabaseOverrides(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(env(map[string]string{
		"ALORIG_ASMS_HOSTS":          "Schools.Example.PK, api.schools.example.pk",
		"ALORIG_ASMS_DATABASE_URL":   "postgres://u:p@other:5432/asms_pilot?sslmode=disable",
		"ALORIG_PSYDGE_REDIS_PREFIX": "snapify:x:",
	}))
	require.ErrorContains(t, err, "must start with \"psydge:\"")
	require.Equal(t, []string{"schools.example.pk", "api.schools.example.pk"}, cfg.Modules["asms"].Hosts)
	require.Equal(t, "asms_pilot", cfg.Modules["asms"].Database)
}
