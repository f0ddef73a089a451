package config_test

import (
	"errors"
	"testing"
	"time"

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
	_, err = config.Load(env(production(nil)))
	require.NoError(t, err)
	_, err = config.Load(env(production(map[string]string{"ALORIG_ADMIN_ADDR": "off"})))
	require.NoError(t, err, "an admin listener that is off needs no token")
}

// production is a complete production environment with changes applied ("" deletes a key).
func production(changes map[string]string) map[string]string {
	m := map[string]string{"ALORIG_ENV": "production", "ALORIG_ENCRYPTION_KEYS": "p1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"ALORIG_DATABASE_URL":    "postgres://alorig:s3cret-Pw@db:5432/?sslmode=disable",
		"ALORIG_TRUSTED_PROXIES": "172.20.0.0/16", "ALORIG_SNAPIFY_PUBLIC_URL": "https://snapify.pk",
		"ALORIG_ASTROTIMING_PUBLIC_URL": "https://astrotiming.com"}
	for k, v := range changes {
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

// Behind a proxy every client shares the proxy's address unless the proxy is trusted; links
// sent out must not come from the request's Host. Production refuses to guess either.
func TestProductionRequiresProxiesAndPublicURLs(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(production(map[string]string{"ALORIG_TRUSTED_PROXIES": "", "ALORIG_SNAPIFY_PUBLIC_URL": "",
		"ALORIG_ASTROTIMING_PUBLIC_URL": ""})))
	for _, want := range []string{"ALORIG_TRUSTED_PROXIES is required", "ALORIG_SNAPIFY_PUBLIC_URL is required", "ALORIG_ASTROTIMING_PUBLIC_URL is required"} {
		require.ErrorContains(t, err, want)
	}
	_, err = config.Load(env(production(map[string]string{"ALORIG_SNAPIFY_PUBLIC_URL": "http://snapify.pk"})))
	require.ErrorContains(t, err, "must be https")

	cfg, err := config.Load(env(production(map[string]string{"ALORIG_TRUSTED_PROXIES": "none"})))
	require.NoError(t, err, "none: clients connect directly")
	require.True(t, cfg.DirectlyExposed)
	require.Empty(t, cfg.TrustedProxies)

	m := cfg.Modules["astrotiming"]
	require.Equal(t, "https://astrotiming.com", m.PublicURL)
	require.Equal(t, "https", m.PublicScheme())
	require.Equal(t, "astrotiming.com", m.PublicHost())
	require.Equal(t, "https://astrotiming.com", cfg.Astro.PublicBaseURL)
	require.Equal(t, "https://asms.alorig.com", cfg.Modules["asms"].PublicURL, "production default: the first host, over https")

	dev, err := config.Load(env(map[string]string{"ALORIG_ASMS_PUBLIC_URL": "http://asms.localhost:8080/"}))
	require.NoError(t, err)
	require.Equal(t, "http://asms.localhost:8080", dev.Modules["asms"].PublicURL)
	require.Equal(t, "http://psydge.localhost:8080", dev.Modules["psydge"].PublicURL)
	_, err = config.Load(env(map[string]string{"ALORIG_ASMS_PUBLIC_URL": "asms.example.pk"}))
	require.ErrorContains(t, err, "ALORIG_ASMS_PUBLIC_URL")
}

func TestTimeoutsAndMailSettings(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, 15*time.Second, cfg.RequestTimeout)
	require.Equal(t, 10*time.Minute, cfg.UploadTimeout)
	require.Equal(t, 30*time.Second, cfg.StatementTimeout)
	require.Equal(t, 7*24*time.Hour, cfg.SessionIdle)
	require.Empty(t, cfg.SMTPURL)

	cfg, err = config.Load(env(map[string]string{"ALORIG_DB_STATEMENT_TIMEOUT": "0", "ALORIG_REQUEST_TIMEOUT": "5s",
		"ALORIG_SMTP_URL": "smtp://mailer:pa55@mail.example.pk:587", "ALORIG_MAIL_FROM": "Snapify <orders@snapify.pk>"}))
	require.NoError(t, err)
	require.Zero(t, cfg.StatementTimeout, "0 turns it off")
	require.Equal(t, 5*time.Second, cfg.RequestTimeout)

	_, err = config.Load(env(map[string]string{"ALORIG_REQUEST_TIMEOUT": "0", "ALORIG_SMTP_URL": "http://mailer:pa55@mail.example.pk",
		"ALORIG_MAIL_FROM": "nobody"}))
	for _, want := range []string{"ALORIG_REQUEST_TIMEOUT", "ALORIG_SMTP_URL", "ALORIG_MAIL_FROM"} {
		require.ErrorContains(t, err, want)
	}
	require.NotContains(t, err.Error(), "pa55", "the SMTP password is redacted in the message")
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"redis://:s3cret@redis:6379/2", "redis://default:s3cret@redis:6379", "postgres://alorig:s3cret@db/x", "smtp://u:s3cret@mail:587"} {
		got := config.RedactURL(raw)
		require.NotContains(t, got, "s3cret", raw)
		require.Contains(t, got, "xxxxx", raw)
	}
	require.Equal(t, "redis://redis:6379", config.RedactURL("redis://redis:6379"))
	require.NotContains(t, config.RedactURL("redis://:s3c%zzret@redis"), "s3c")

	err := config.RedactError(errors.New(`dial redis://:s3cret@redis:6379: refused`), "redis://:s3cret@redis:6379")
	require.NotContains(t, err.Error(), "s3cret")
	require.Contains(t, err.Error(), "refused")
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
