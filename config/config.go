// Package config turns the environment (and the command line, through main.go's flag sets)
// into one typed Config. It is read once at start-up; nothing reads the environment afterwards.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Module is everything the platform knows about one product before the product's own code runs.
type Module struct {
	Name        string   // psydge, snapify, …
	Title       string   // human name
	Port        int      // web surface port
	Surface     string   // extra surface name ("ws", "cms") or ""
	SurfacePort int      // its port
	Database    string   // database name on the shared server
	DatabaseURL string   // full URL of that database
	RedisDB     int      // Redis logical database
	RedisPrefix string   // prefix of every key, "<module>:"
	Hosts       []string // host names served by the web surface
	SurfaceHost []string // host names served by the extra surface
	// PublicURL is the module's public origin (scheme://host[:port], no trailing slash), from
	// ALORIG_<MODULE>_PUBLIC_URL. Absolute links (feeds, sitemaps, emails) are built from it,
	// never from a request's Host header, which the client chooses.
	PublicURL string
}

// PublicScheme is the scheme of PublicURL ("https" in production).
func (m *Module) PublicScheme() string {
	if u, err := url.Parse(m.PublicURL); err == nil {
		return u.Scheme
	}
	return ""
}

// PublicHost is the host (and port, if any) of PublicURL.
func (m *Module) PublicHost() string {
	if u, err := url.Parse(m.PublicURL); err == nil {
		return u.Host
	}
	return ""
}

// Defaults yields the seed's maps, one copy of each module at a time: ports, database names
// and Redis DBs, in documented order (for _, m := range config.Defaults). The table itself is
// unexported so no caller can change it for everyone else.
func Defaults(yield func(int, Module) bool) {
	for i, m := range defaults {
		m.Hosts, m.SurfaceHost = slices.Clone(m.Hosts), slices.Clone(m.SurfaceHost)
		if !yield(i, m) {
			return
		}
	}
}

// defaults are the seed's maps. IGNY8 owns Redis DBs 0 and 1 and ports 8011/8031 on the same
// server, so none of them appear here.
var defaults = []Module{
	{Name: "psydge", Title: "Psydge", Port: 8012, Surface: "ws", SurfacePort: 8013, Database: "psydge_db", RedisDB: 2,
		Hosts: []string{"psydge.com", "www.psydge.com", "api.psydge.com", "app.psydge.com"}, SurfaceHost: []string{"ws.psydge.com"}},
	{Name: "snapify", Title: "Snapify", Port: 8014, Database: "snapify_db", RedisDB: 3,
		Hosts: []string{"snapify.pk", "www.snapify.pk", "app.snapify.pk", "admin.snapify.pk", "api.snapify.pk"}},
	{Name: "sitebuilder", Title: "Alorig Site Builder", Port: 8016, Surface: "cms", SurfacePort: 8017, Database: "sitebuilder_db", RedisDB: 4,
		Hosts: []string{"sitebuilder.alorig.com", "api.sitebuilder.alorig.com"}, SurfaceHost: []string{"cms.sitebuilder.alorig.com"}},
	{Name: "observer", Title: "Observer OS", Port: 8018, Database: "observer_db", RedisDB: 5,
		Hosts: []string{"observeros.com", "www.observeros.com", "api.observeros.com"}},
	{Name: "astrotiming", Title: "AstroTiming", Port: 8020, Database: "astrotiming_db", RedisDB: 6,
		Hosts: []string{"astrotiming.com", "www.astrotiming.com", "api.astrotiming.com"}},
	{Name: "asms", Title: "ASMS", Port: 8022, Database: "asms_db", RedisDB: 7,
		Hosts: []string{"asms.alorig.com", "api.asms.alorig.com"}},
}

// Names lists the module names in their documented order.
func Names() []string {
	out := make([]string, len(defaults))
	for i, m := range defaults {
		out[i] = m.Name
	}
	return out
}

// Config is the whole process configuration.
type Config struct {
	Env  string // development | production
	Apps []string
	// App is ALORIG_APP, the default of --app for migrate, seed and rotate-keys.
	App string
	// HealthURL is ALORIG_HEALTH_URL, what `alorig health` asks; empty derives it from the
	// serve settings.
	HealthURL  string
	Surface    string // web | ws | cms | all; empty: web for one module, all for several
	Addr       string // empty: the module's documented port, or :8080 for several
	WithWorker bool
	AdminAddr  string
	AdminToken string
	LogLevel   string

	DatabaseURL   string
	RedisURL      string
	DBMaxConns    int // bun pool per module per process; 0 means the default for the command
	RiverMaxConns int // worker's pgx pool per module

	// StatementTimeout is PostgreSQL's statement_timeout on the serve and worker pools (bun
	// and River): a runaway query is cancelled by the server. 0 turns it off.
	StatementTimeout time.Duration

	EncryptionKeys string
	Clock          string
	TrustedProxies []netip.Prefix
	// DirectlyExposed is ALORIG_TRUSTED_PROXIES=none: no proxy in front, the peer address is
	// the client. Production must say one or the other.
	DirectlyExposed bool
	BodyLimit       int64
	// HotPath lets modules answer what they hold in memory (Snapify's cached pages) before
	// net/http (web.HotListener); ALORIG_HOT_PATH=false sends every request through net/http.
	HotPath bool
	// RequestTimeout is each request's deadline; UploadTimeout replaces it on routes that
	// accept large bodies (web.AllowBody). WebSocket upgrades have none.
	RequestTimeout time.Duration
	UploadTimeout  time.Duration
	// SessionIdle ends a session unused for this long (its 30-day lifetime notwithstanding).
	SessionIdle time.Duration

	// SMTPURL is smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465;
	// empty means no mail is sent (development logs it; production answers 503 where mail is
	// needed). MailFrom is the sender address.
	SMTPURL       string
	MailFrom      string
	ShutdownGrace time.Duration
	EphePath      string

	// SendGridKey, when set, sends the platform's mail through SendGrid's v3 API at
	// SendGridBaseURL instead of SMTP.
	SendGridKey     string
	SendGridBaseURL string
	// SourceURL is ALORIG_SOURCE_URL: where the source of the running program is offered to
	// its network users (AGPL-3.0 §13, since the binary links libswe); /source points there.
	SourceURL string

	Modules map[string]*Module

	Snapify SnapifyConfig
	Psydge  PsydgeConfig
	// Billing is the Stripe account and plans of each module that sells (BillingModules).
	Billing BillingConfig
	AI      AIConfig
	Astro   AstroConfig
}

// AstroConfig holds AstroTiming's outside services: the Google Calendar API and its OAuth
// token endpoint (overridable so tests and staging can point at a fake), the OAuth client used
// to refresh users' tokens, and the timeout for developer webhooks.
type AstroConfig struct {
	GoogleCalendarBase string
	GoogleTokenURL     string
	GoogleClientID     string
	GoogleClientSecret string
	WebhookTimeout     time.Duration
	// PublicBaseURL is where feed and webhook links point (https://astrotiming.com).
	PublicBaseURL string
	// GoogleAuthURL is the consent screen and GoogleRevokeURL the revocation endpoint of the
	// OAuth flow that links a user's calendar.
	GoogleAuthURL   string
	GoogleRevokeURL string
}

// SnapifyConfig holds Snapify's outside services. Empty values mean "not configured": the store
// still works and says so.
type SnapifyConfig struct {
	WhatsAppToken         string
	WhatsAppPhoneNumberID string
	WhatsAppAPIBase       string
	WhatsAppAppSecret     string
	WhatsAppVerifyToken   string // GET /webhooks/whatsapp answers Meta's check only with it
	CloudinaryCloud       string
	S3Endpoint            string
	S3Region              string
	S3Bucket              string
	S3AccessKey           string
	S3SecretKey           string
	MediaDir              string
	PublicBaseURL         string
	// Pro plan payments (modules/snapify/payments): a gateway without its credentials answers
	// checkouts 503 naming what to set. ProGraceDays is how long a lapsed Pro plan keeps its
	// features before the store moves to Free.
	JazzCashMerchantID    string
	JazzCashPassword      string
	JazzCashIntegritySalt string
	JazzCashURL           string
	EasyPaisaStoreID      string
	EasyPaisaHashKey      string
	EasyPaisaUsername     string
	EasyPaisaPassword     string
	EasyPaisaAccountNum   string
	EasyPaisaCheckoutURL  string
	EasyPaisaConfirmURL   string
	EasyPaisaAPIBase      string
	ProGraceDays          int
	// Social auto-posting (Pro): Meta's Graph API (each store brings its own Page token; the
	// app secret, when set, signs every call with appsecret_proof) and how many posts a store
	// sends in any 24 hours.
	MetaGraphBase     string
	MetaGraphVersion  string
	MetaAppSecret     string
	SocialPostsPerDay int
}

// PsydgeConfig holds Psydge's outside services.
type PsydgeConfig struct {
	MetaAPIToken string
	MetaAPIBase  string
	// MetaAPIMarketDataBase is MetaApi's historical market-data API (candles).
	MetaAPIMarketDataBase string
	// PaperFeed runs the paper price feed (and the paper accounts' 5 s sync) in the process
	// serving the web surface. Turn it off on extra web replicas: one feed quotes one market.
	PaperFeed bool
	// PaperTick is how often the paper feed quotes (ALORIG_PSYDGE_PAPER_TICK, default 1s; the
	// browser budgets run it at 100ms for 10 ticks a second).
	PaperTick time.Duration
	// SyncConcurrency bounds how many accounts one position sweep talks to at once.
	SyncConcurrency int
}

// AIConfig holds the language-model providers shared/ai calls. Without a key for the chosen
// provider the offline (rules-based) provider answers and /readyz says so.
type AIConfig struct {
	// Provider is anthropic or openai; empty picks the first with a key, Anthropic first.
	Provider       string
	AnthropicKey   string
	AnthropicBase  string
	AnthropicModel string
	OpenAIKey      string
	OpenAIBase     string
	OpenAIModel    string
	// Timeout is the deadline of one call, retries included; MaxRetries bounds the retries
	// after a 429, a 529 or a 5xx.
	Timeout    time.Duration
	MaxRetries int
	// PreEntryTimeout bounds how long Psydge's pre-entry validator may hold a placement.
	PreEntryTimeout time.Duration
}

// Production reports whether the process runs in production.
func (c *Config) Production() bool { return c.Env == "production" }

// Getenv is how Load reads the environment; tests pass a map's lookup.
type Getenv func(string) string

// Load reads the environment. Every problem is reported, joined, in one error.
func Load(getenv Getenv) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var errs []error
	str := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	num := func(key string, def int) int {
		v := strings.TrimSpace(getenv(key))
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("%s=%q: want a non-negative whole number", key, v))
			return def
		}
		return n
	}
	boolean := func(key string) bool {
		v := strings.TrimSpace(getenv(key))
		if v == "" {
			return false
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: want true or false", key, v))
		}
		return b
	}

	c := &Config{
		Env:            str("ALORIG_ENV", "development"),
		Surface:        str("ALORIG_SURFACE", ""),
		Addr:           str("ALORIG_ADDR", ""),
		WithWorker:     boolean("ALORIG_WITH_WORKER"),
		AdminAddr:      str("ALORIG_ADMIN_ADDR", "127.0.0.1:9090"),
		AdminToken:     str("ALORIG_ADMIN_TOKEN", ""),
		App:            str("ALORIG_APP", ""),
		HealthURL:      str("ALORIG_HEALTH_URL", ""),
		LogLevel:       strings.ToLower(str("ALORIG_LOG_LEVEL", "info")),
		DatabaseURL:    str("ALORIG_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		RedisURL:       str("ALORIG_REDIS_URL", "redis://127.0.0.1:6379"),
		DBMaxConns:     num("ALORIG_DB_MAX_CONNS", 0),
		RiverMaxConns:  num("ALORIG_RIVER_MAX_CONNS", 4),
		EncryptionKeys: str("ALORIG_ENCRYPTION_KEYS", ""),
		Clock:          str("ALORIG_CLOCK", ""),
		BodyLimit:      int64(num("ALORIG_BODY_LIMIT", 1<<20)),
		EphePath:       str("ALORIG_EPHE_PATH", "/usr/share/libswe/ephe"),
		SourceURL:      sourceURL(str("ALORIG_SOURCE_URL", DefaultSourceURL), &errs),
		Modules:        map[string]*Module{},
		Snapify: SnapifyConfig{
			WhatsAppToken:         str("ALORIG_SNAPIFY_WHATSAPP_TOKEN", ""),
			WhatsAppPhoneNumberID: str("ALORIG_SNAPIFY_WHATSAPP_PHONE_NUMBER_ID", ""),
			WhatsAppAPIBase:       str("ALORIG_SNAPIFY_WHATSAPP_API_BASE", "https://graph.facebook.com"),
			WhatsAppAppSecret:     str("ALORIG_SNAPIFY_WHATSAPP_APP_SECRET", ""),
			WhatsAppVerifyToken:   str("ALORIG_SNAPIFY_WHATSAPP_VERIFY_TOKEN", ""),
			CloudinaryCloud:       str("ALORIG_SNAPIFY_CLOUDINARY_CLOUD", ""),
			S3Endpoint:            str("ALORIG_SNAPIFY_S3_ENDPOINT", ""),
			S3Region:              str("ALORIG_SNAPIFY_S3_REGION", ""),
			S3Bucket:              str("ALORIG_SNAPIFY_S3_BUCKET", ""),
			S3AccessKey:           str("ALORIG_SNAPIFY_S3_ACCESS_KEY", ""),
			S3SecretKey:           str("ALORIG_SNAPIFY_S3_SECRET_KEY", ""),
			MediaDir:              str("ALORIG_SNAPIFY_MEDIA_DIR", "var/snapify-media"),
			PublicBaseURL:         str("ALORIG_SNAPIFY_PUBLIC_URL", ""),
			JazzCashMerchantID:    str("ALORIG_SNAPIFY_JAZZCASH_MERCHANT_ID", ""),
			JazzCashPassword:      str("ALORIG_SNAPIFY_JAZZCASH_PASSWORD", ""),
			JazzCashIntegritySalt: str("ALORIG_SNAPIFY_JAZZCASH_INTEGRITY_SALT", ""),
			JazzCashURL:           str("ALORIG_SNAPIFY_JAZZCASH_URL", "https://sandbox.jazzcash.com.pk/CustomerPortal/transactionmanagement/merchantform/"),
			EasyPaisaStoreID:      str("ALORIG_SNAPIFY_EASYPAISA_STORE_ID", ""),
			EasyPaisaHashKey:      str("ALORIG_SNAPIFY_EASYPAISA_HASH_KEY", ""),
			EasyPaisaUsername:     str("ALORIG_SNAPIFY_EASYPAISA_USERNAME", ""),
			EasyPaisaPassword:     str("ALORIG_SNAPIFY_EASYPAISA_PASSWORD", ""),
			EasyPaisaAccountNum:   str("ALORIG_SNAPIFY_EASYPAISA_ACCOUNT_NUM", ""),
			EasyPaisaCheckoutURL:  str("ALORIG_SNAPIFY_EASYPAISA_CHECKOUT_URL", "https://easypaystg.easypaisa.com.pk/easypay/Index.jsf"),
			EasyPaisaConfirmURL:   str("ALORIG_SNAPIFY_EASYPAISA_CONFIRM_URL", "https://easypaystg.easypaisa.com.pk/easypay/Confirm.jsf"),
			EasyPaisaAPIBase:      str("ALORIG_SNAPIFY_EASYPAISA_API_BASE", "https://easypaystg.easypaisa.com.pk/easypay-service/rest/v4"),
			ProGraceDays:          num("ALORIG_SNAPIFY_PRO_GRACE_DAYS", 3),
			MetaGraphBase:         str("ALORIG_SNAPIFY_META_GRAPH_BASE", "https://graph.facebook.com"),
			MetaGraphVersion:      str("ALORIG_SNAPIFY_META_GRAPH_VERSION", "v21.0"),
			MetaAppSecret:         str("ALORIG_SNAPIFY_META_APP_SECRET", ""),
			SocialPostsPerDay:     num("ALORIG_SNAPIFY_SOCIAL_POSTS_PER_DAY", 3),
		},
		Psydge: PsydgeConfig{
			MetaAPIToken:          str("ALORIG_PSYDGE_METAAPI_TOKEN", ""),
			MetaAPIBase:           str("ALORIG_PSYDGE_METAAPI_BASE", ""),
			MetaAPIMarketDataBase: str("ALORIG_PSYDGE_METAAPI_MARKET_DATA_BASE", ""),
			PaperFeed:             str("ALORIG_PSYDGE_PAPER_FEED", "on") != "off",
			SyncConcurrency:       num("ALORIG_PSYDGE_SYNC_CONCURRENCY", 32),
		},
	}
	c.Astro = AstroConfig{
		GoogleCalendarBase: str("ALORIG_ASTROTIMING_GOOGLE_CALENDAR_BASE", "https://www.googleapis.com/calendar/v3"),
		GoogleTokenURL:     str("ALORIG_ASTROTIMING_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token"),
		GoogleClientID:     str("ALORIG_ASTROTIMING_GOOGLE_CLIENT_ID", ""),
		GoogleClientSecret: str("ALORIG_ASTROTIMING_GOOGLE_CLIENT_SECRET", ""),
		GoogleAuthURL:      str("ALORIG_ASTROTIMING_GOOGLE_AUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth"),
		GoogleRevokeURL:    str("ALORIG_ASTROTIMING_GOOGLE_REVOKE_URL", "https://oauth2.googleapis.com/revoke"),
		PublicBaseURL:      str("ALORIG_ASTROTIMING_PUBLIC_URL", "http://astrotiming.localhost:8080"),
	}
	if d, err := time.ParseDuration(str("ALORIG_ASTROTIMING_WEBHOOK_TIMEOUT", "10s")); err != nil || d <= 0 {
		errs = append(errs, fmt.Errorf("ALORIG_ASTROTIMING_WEBHOOK_TIMEOUT: want a positive duration such as 10s"))
	} else {
		c.Astro.WebhookTimeout = d
	}
	duration := func(key, def string, zeroOK bool) time.Duration {
		v := str(key, def)
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || (d == 0 && !zeroOK) {
			want := "a positive duration such as " + def
			if zeroOK {
				want += " (0 turns it off)"
			}
			errs = append(errs, fmt.Errorf("%s=%q: want %s", key, v, want))
			d, _ = time.ParseDuration(def)
		}
		return d
	}
	c.HotPath = strings.TrimSpace(getenv("ALORIG_HOT_PATH")) == "" || boolean("ALORIG_HOT_PATH")
	c.ShutdownGrace = duration("ALORIG_SHUTDOWN_GRACE", "20s", false)
	c.RequestTimeout = duration("ALORIG_REQUEST_TIMEOUT", "15s", false)
	c.UploadTimeout = duration("ALORIG_UPLOAD_TIMEOUT", "10m", false)
	if c.UploadTimeout > 10*time.Minute {
		// platform.NewServer's WriteTimeout is 10 minutes: an upload must be answered within it.
		errs = append(errs, fmt.Errorf("ALORIG_UPLOAD_TIMEOUT=%s: at most 10m", c.UploadTimeout))
	}
	c.StatementTimeout = duration("ALORIG_DB_STATEMENT_TIMEOUT", "30s", true)
	if c.Psydge.PaperTick = duration("ALORIG_PSYDGE_PAPER_TICK", "1s", false); c.Psydge.PaperTick < 50*time.Millisecond {
		errs = append(errs, fmt.Errorf("ALORIG_PSYDGE_PAPER_TICK=%s: at least 50ms", c.Psydge.PaperTick))
	}
	c.SessionIdle = duration("ALORIG_SESSION_IDLE_TIMEOUT", "168h", false)
	c.AI = AIConfig{
		Provider:     str("ALORIG_AI_PROVIDER", ""),
		AnthropicKey: str("ALORIG_ANTHROPIC_API_KEY", ""), AnthropicBase: str("ALORIG_ANTHROPIC_BASE_URL", "https://api.anthropic.com"),
		AnthropicModel: str("ALORIG_ANTHROPIC_MODEL", "claude-sonnet-4-6"),
		OpenAIKey:      str("ALORIG_OPENAI_API_KEY", ""), OpenAIBase: str("ALORIG_OPENAI_BASE_URL", "https://api.openai.com/v1"),
		OpenAIModel: str("ALORIG_OPENAI_MODEL", "gpt-4.1-mini"),
		Timeout:     duration("ALORIG_AI_TIMEOUT", "30s", false), MaxRetries: num("ALORIG_AI_MAX_RETRIES", 3),
		PreEntryTimeout: duration("ALORIG_AI_PRE_ENTRY_TIMEOUT", "4s", false),
	}
	if p := c.AI.Provider; p != "" && p != "anthropic" && p != "openai" {
		errs = append(errs, fmt.Errorf("ALORIG_AI_PROVIDER=%q: want anthropic, openai or empty (the first with a key)", p))
	}
	c.SMTPURL = str("ALORIG_SMTP_URL", "")
	c.MailFrom = str("ALORIG_MAIL_FROM", "Alorig <no-reply@alorig.com>")
	c.SendGridKey = str("ALORIG_SENDGRID_API_KEY", "")
	c.SendGridBaseURL = str("ALORIG_SENDGRID_BASE_URL", "https://api.sendgrid.com")
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			errs = append(errs, fmt.Errorf("ALORIG_SMTP_URL=%s: want smtp://user:password@host:587 or smtps://user:password@host:465", RedactURL(c.SMTPURL)))
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		errs = append(errs, fmt.Errorf("ALORIG_MAIL_FROM=%q: want an address such as Alorig <no-reply@example.com>", c.MailFrom))
	}
	if !slices.Contains(logLevels, c.LogLevel) {
		// A typo must not quietly log at another level (no debug lines while debugging, or
		// every debug line in production).
		errs = append(errs, fmt.Errorf("ALORIG_LOG_LEVEL=%q: want one of %s", c.LogLevel, strings.Join(logLevels, ", ")))
	}
	if c.Env != "development" && c.Env != "production" {
		errs = append(errs, fmt.Errorf("ALORIG_ENV=%q: want development or production", c.Env))
	}
	if apps := str("ALORIG_APPS", ""); apps != "" {
		list, err := ParseApps(apps)
		if err != nil {
			errs = append(errs, fmt.Errorf("ALORIG_APPS: %w", err))
		}
		c.Apps = list
	}
	proxies := splitList(getenv("ALORIG_TRUSTED_PROXIES"))
	if len(proxies) == 1 && strings.EqualFold(proxies[0], "none") {
		c.DirectlyExposed, proxies = true, nil
	}
	for _, p := range proxies {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			if addr, aerr := netip.ParseAddr(p); aerr == nil {
				prefix = netip.PrefixFrom(addr, addr.BitLen())
			} else {
				errs = append(errs, fmt.Errorf("ALORIG_TRUSTED_PROXIES: %q is not a CIDR or an IP address", p))
				continue
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked())
	}

	server, err := url.Parse(c.DatabaseURL)
	if err != nil || (server.Scheme != "postgres" && server.Scheme != "postgresql") {
		errs = append(errs, fmt.Errorf("ALORIG_DATABASE_URL: want postgres://user:password@host:port/?sslmode=disable"))
		server = nil
	}
	if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		errs = append(errs, fmt.Errorf("ALORIG_REDIS_URL: want redis://host:port"))
	}

	for _, m := range Defaults {
		upper := strings.ToUpper(m.Name)
		m.RedisPrefix = m.Name + ":"
		if hosts := getenv("ALORIG_" + upper + "_HOSTS"); hosts != "" {
			m.Hosts = lowerAll(splitList(hosts))
		}
		if hosts := getenv("ALORIG_" + upper + "_SURFACE_HOSTS"); hosts != "" {
			m.SurfaceHost = lowerAll(splitList(hosts))
		}
		m.Port = num("ALORIG_"+upper+"_PORT", m.Port)
		if m.Surface != "" {
			m.SurfacePort = num("ALORIG_"+upper+"_SURFACE_PORT", m.SurfacePort)
		}
		m.Database = str("ALORIG_"+upper+"_DATABASE", m.Database)
		m.PublicURL = publicURL(getenv("ALORIG_"+upper+"_PUBLIC_URL"), m, c.Production(), &errs)
		m.RedisDB = num("ALORIG_"+upper+"_REDIS_DB", m.RedisDB)
		if p := getenv("ALORIG_" + upper + "_REDIS_PREFIX"); p != "" {
			if !strings.HasPrefix(p, m.Name+":") {
				errs = append(errs, fmt.Errorf("ALORIG_%s_REDIS_PREFIX=%q: must start with %q so keys stay in the module's namespace", upper, p, m.Name+":"))
			} else {
				m.RedisPrefix = p
			}
		}
		if m.RedisDB == 0 || m.RedisDB == 1 {
			errs = append(errs, fmt.Errorf("ALORIG_%s_REDIS_DB=%d: Redis DBs 0 and 1 belong to IGNY8", upper, m.RedisDB))
		}
		if own := getenv("ALORIG_" + upper + "_DATABASE_URL"); own != "" {
			u, err := url.Parse(own)
			if err != nil || u.Path == "" || u.Path == "/" {
				errs = append(errs, fmt.Errorf("ALORIG_%s_DATABASE_URL: want postgres://user:password@host:port/dbname", upper))
			} else {
				m.DatabaseURL = own
				m.Database = strings.TrimPrefix(u.Path, "/")
			}
		} else if server != nil {
			u := *server
			u.Path = "/" + m.Database
			m.DatabaseURL = u.String()
		}
		c.Modules[m.Name] = &m
	}
	for _, m := range c.Modules {
		for _, p := range []int{m.Port, m.SurfacePort} {
			if p == 8011 || p == 8031 {
				errs = append(errs, fmt.Errorf("%s: port %d belongs to IGNY8", m.Name, p))
			}
		}
	}
	c.Billing = loadBilling(getenv, duration("ALORIG_BILLING_GRACE_PERIOD", "168h", false), &errs)
	// Snapify and AstroTiming keep their own copies (absent means "not configured" to them).
	c.Snapify.PublicBaseURL = strings.TrimRight(c.Snapify.PublicBaseURL, "/")
	c.Astro.PublicBaseURL = c.Modules["astrotiming"].PublicURL
	if err := c.checkProduction(getenv); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, nil
}

// logLevels are the values of ALORIG_LOG_LEVEL (any case).
var logLevels = []string{"debug", "info", "warn", "error"}

// DevelopmentKeys is the keyring `make run` uses. Production refuses it.
const DevelopmentKeys = "dev1:ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZCEhISE="

// publicURL checks a module's ALORIG_<MODULE>_PUBLIC_URL, or supplies the default:
// http://<module>.localhost:8080 in development, https://<first host> in production (where
// checkProduction insists on an explicit value for the modules that build links).
func publicURL(v string, m Module, production bool, errs *[]error) string {
	key := "ALORIG_" + strings.ToUpper(m.Name) + "_PUBLIC_URL"
	if v = strings.TrimRight(strings.TrimSpace(v), "/"); v == "" {
		if production && len(m.Hosts) > 0 {
			return "https://" + m.Hosts[0]
		}
		return "http://" + m.Name + ".localhost:8080"
	}
	u, err := url.Parse(v)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil:
		*errs = append(*errs, fmt.Errorf("%s=%q: want an origin such as https://%s", key, v, firstOr(m.Hosts, m.Name+".example")))
	case production && u.Scheme != "https":
		*errs = append(*errs, fmt.Errorf("production: %s=%q must be https", key, v))
	}
	return v
}

// DefaultSourceURL is the project's public repository (the module path of go.mod).
const DefaultSourceURL = "https://github.com/alorig/alorig"

// sourceURL checks ALORIG_SOURCE_URL: an absolute http(s) address without credentials, since
// every user of the service is sent there.
func sourceURL(v string, errs *[]error) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		*errs = append(*errs, fmt.Errorf("ALORIG_SOURCE_URL=%q: want the address of this program's source, such as %s", v, DefaultSourceURL))
	}
	return v
}

func firstOr(list []string, def string) string {
	if len(list) > 0 {
		return list[0]
	}
	return def
}

// LinkModules are the modules that put absolute links to themselves in what they send out
// (feeds, sitemaps, product links): production refuses to guess their public URL.
var LinkModules = []string{"snapify", "astrotiming"}

func (c *Config) checkProduction(getenv Getenv) error {
	if !c.Production() {
		return nil
	}
	var errs []error
	if c.EncryptionKeys == "" {
		errs = append(errs, errors.New("production: ALORIG_ENCRYPTION_KEYS is required (id:base64-32-byte-key,…)"))
	}
	if strings.Contains(c.EncryptionKeys, DevelopmentKeys) || strings.Contains(c.EncryptionKeys, "dev1:") {
		errs = append(errs, errors.New("production: ALORIG_ENCRYPTION_KEYS contains the development key"))
	}
	if c.Clock != "" {
		errs = append(errs, errors.New("production: ALORIG_CLOCK is for development and acceptance tests only"))
	}
	if u, err := url.Parse(c.DatabaseURL); err == nil {
		if pw, _ := u.User.Password(); pw == "" || pw == "postgres" || pw == "alorig" {
			errs = append(errs, errors.New("production: ALORIG_DATABASE_URL needs a real password"))
		}
	}
	if c.AdminAddr != "off" && !isLoopback(c.AdminAddr) && c.AdminToken == "" {
		errs = append(errs, fmt.Errorf("production: ALORIG_ADMIN_ADDR %s is not loopback, so ALORIG_ADMIN_TOKEN is required", c.AdminAddr))
	}
	// Behind Caddy without trusted proxies every client has Caddy's address, so every per-IP
	// limit (logins, sign-ups, resets) is one limit shared by everybody.
	if len(c.TrustedProxies) == 0 && !c.DirectlyExposed {
		errs = append(errs, errors.New("production: ALORIG_TRUSTED_PROXIES is required: the proxy's subnet (e.g. the alorig_net CIDR), or none when clients connect directly"))
	}
	for _, name := range LinkModules {
		key := "ALORIG_" + strings.ToUpper(name) + "_PUBLIC_URL"
		if strings.TrimSpace(getenv(key)) == "" {
			errs = append(errs, fmt.Errorf("production: %s is required (https://…): %s builds absolute links from it", key, name))
		}
	}
	return errors.Join(errs...)
}

// RedactURL returns rawURL with its password, if any, replaced by "xxxxx", for messages and
// logs. Every URL that can carry a secret (database, Redis, SMTP) goes through it before it
// reaches an error or a log line.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)" // url.Parse's own error would quote it, password included
	}
	return u.Redacted()
}

// RedactError returns err with the password of each URL in urls masked in its message: for
// errors of libraries that quote the URL they were given.
func RedactError(err error, urls ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, raw := range urls {
		if u, perr := url.Parse(raw); perr == nil && u.User != nil {
			if pw, ok := u.User.Password(); ok && pw != "" {
				msg = strings.ReplaceAll(msg, url.UserPassword(u.User.Username(), pw).String(), url.UserPassword(u.User.Username(), "xxxxx").String())
				msg = strings.ReplaceAll(msg, pw, "xxxxx")
			}
		}
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// ParseApps reads "psydge,asms" or "all" into module names, in documented order.
func ParseApps(s string) ([]string, error) {
	items := splitList(strings.ToLower(s))
	if len(items) == 0 {
		return nil, errors.New("no module named: use a comma-separated list of " + strings.Join(Names(), ", ") + " or all")
	}
	if slices.Contains(items, "all") {
		return Names(), nil
	}
	var unknown []string
	want := map[string]bool{}
	for _, it := range items {
		if !slices.Contains(Names(), it) {
			unknown = append(unknown, it)
		}
		want[it] = true
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown module %s: known modules are %s (or all)", strings.Join(unknown, ", "), strings.Join(Names(), ", "))
	}
	var out []string
	for _, n := range Names() {
		if want[n] {
			out = append(out, n)
		}
	}
	return out, nil
}

// ListenAddr is the address serve binds: the flag or env when given, else the module's
// documented port for one module, else :8080.
func (c *Config) ListenAddr() (string, error) {
	if c.Addr != "" {
		return c.Addr, nil
	}
	if len(c.Apps) != 1 {
		return ":8080", nil
	}
	m := c.Modules[c.Apps[0]]
	switch c.EffectiveSurface() {
	case "web", "all":
		return fmt.Sprintf(":%d", m.Port), nil
	case m.Surface:
		return fmt.Sprintf(":%d", m.SurfacePort), nil
	default:
		return "", fmt.Errorf("%s has no %q surface", m.Name, c.Surface)
	}
}

// EffectiveSurface is the surface serve mounts: the configured one, else "web" for one module
// (the seed's per-app containers) and "all" for several (one process serving every surface of
// every module, each on its own host names).
func (c *Config) EffectiveSurface() string {
	switch {
	case c.Surface != "":
		return c.Surface
	case len(c.Apps) == 1:
		return "web"
	}
	return "all"
}

// ValidateSurface checks that every served module has the requested surface.
func (c *Config) ValidateSurface() error {
	switch c.EffectiveSurface() {
	case "web", "all":
		return nil
	case "ws", "cms":
	default:
		return fmt.Errorf("surface %q: want web, ws, cms or all", c.Surface)
	}
	for _, a := range c.Apps {
		if c.Modules[a].Surface != c.Surface {
			return fmt.Errorf("surface %q: module %s has no such surface (psydge has ws, sitebuilder has cms)", c.Surface, a)
		}
	}
	return nil
}

func isLoopback(addr string) bool {
	host := addr
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		host = addr[:i]
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// IsLoopbackAddr reports whether a listen address binds only the loopback interface.
func IsLoopbackAddr(addr string) bool { return isLoopback(addr) }

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func lowerAll(in []string) []string {
	for i := range in {
		in[i] = strings.ToLower(in[i])
	}
	return in
}

// BillingModules are the modules that sell plans through Stripe.
var BillingModules = []string{"psydge", "astrotiming"}

// BillingConfig is shared/billing's configuration. A module without a secret key is "not
// configured": its billing endpoints say so, and plans come only from `alorig billing grant`.
type BillingConfig struct {
	// APIBase is Stripe's API origin (ALORIG_STRIPE_API_BASE); tests point it at a fake.
	APIBase string
	// Grace is how long a past-due subscription keeps its plan before it lapses.
	Grace   time.Duration
	Modules map[string]StripeAccount
}

// StripeAccount is one module's Stripe keys and the price id of each plan it sells, from
// ALORIG_<MODULE>_STRIPE_SECRET_KEY, _STRIPE_WEBHOOK_SECRET and _STRIPE_PRICES
// ("vista=price_123" or "developer=price_a,premium=price_b").
type StripeAccount struct {
	SecretKey     string
	WebhookSecret string
	Prices        map[string]string // plan → Stripe price id
}

func loadBilling(getenv Getenv, grace time.Duration, errs *[]error) BillingConfig {
	b := BillingConfig{APIBase: strings.TrimRight(strings.TrimSpace(getenv("ALORIG_STRIPE_API_BASE")), "/"), Grace: grace,
		Modules: map[string]StripeAccount{}}
	if b.APIBase == "" {
		b.APIBase = "https://api.stripe.com"
	}
	if u, err := url.Parse(b.APIBase); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		*errs = append(*errs, fmt.Errorf("ALORIG_STRIPE_API_BASE=%q: want an origin such as https://api.stripe.com", b.APIBase))
	}
	for _, name := range BillingModules {
		key := "ALORIG_" + strings.ToUpper(name) + "_STRIPE_"
		a := StripeAccount{SecretKey: strings.TrimSpace(getenv(key + "SECRET_KEY")),
			WebhookSecret: strings.TrimSpace(getenv(key + "WEBHOOK_SECRET")), Prices: map[string]string{}}
		for _, pair := range splitList(getenv(key + "PRICES")) {
			plan, price, ok := strings.Cut(pair, "=")
			plan, price = strings.ToLower(strings.TrimSpace(plan)), strings.TrimSpace(price)
			if !ok || plan == "" || price == "" {
				*errs = append(*errs, fmt.Errorf("%sPRICES: %q: want plan=price_id pairs, comma-separated", key, pair))
				continue
			}
			a.Prices[plan] = price
		}
		if a.SecretKey != "" && a.WebhookSecret == "" {
			*errs = append(*errs, fmt.Errorf("%sWEBHOOK_SECRET is required with %sSECRET_KEY: unsigned events cannot be trusted", key, key))
		}
		b.Modules[name] = a
	}
	return b
}
