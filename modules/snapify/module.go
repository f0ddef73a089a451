// Package snapify is WhatsApp-first e-commerce for Pakistani micro-sellers, with
// server-rendered store pages built for 3G phones.
//
// Buyers browse stores at snapify.pk/{store} (or a Pro store's own domain), order with a short
// cash-on-delivery form that opens WhatsApp, and find products by search with typo tolerance.
// Sellers sign in with a one-time code sent on WhatsApp and manage their store through the
// JSON API under /api/v1; admins verify, suspend and moderate. docs/snapify.md is the map.
package snapify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/modules/snapify/social"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/storage"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Module is Snapify.
type Module struct {
	d         platform.Deps
	wa        *whatsapp.Client
	social    *social.Client // Meta Graph API for Pro stores' Pages and Instagram (social_*.go)
	files     storage.Store
	delivery  media.Delivery
	proc      *media.Processor
	pages     *pageCache
	analytics *analytics
	resolver  Resolver // DNS, for custom domain proofs
	codeKey   []byte   // HMAC key of sign-in codes

	pay payGateways // JazzCash and EasyPaisa, for the Pro plan (pay_service.go)

	ai *ai.Client // the AI content pipeline's provider, offline without a key (content_jobs.go)

	echo    *echo.Echo // set by Web; the hot path skips its routes (hot.go)
	hotOnce sync.Once
	hotSkip map[string]bool
}

// New builds the module.
func New(d platform.Deps) (platform.Module, error) {
	c := d.Config.Snapify
	m := &Module{d: d}
	m.wa = whatsapp.New(whatsapp.Config{Token: c.WhatsAppToken, PhoneNumberID: c.WhatsAppPhoneNumberID,
		APIBase: c.WhatsAppAPIBase, AppSecret: c.WhatsAppAppSecret}, nil)
	m.social = social.New(social.Config{APIBase: c.MetaGraphBase, APIVersion: c.MetaGraphVersion, AppSecret: c.MetaAppSecret}, nil)
	if d.Role != platform.RoleMigrate {
		files, err := storage.Open(storage.Config{
			S3: storage.S3Config{Endpoint: c.S3Endpoint, Region: c.S3Region, Bucket: c.S3Bucket, AccessKey: c.S3AccessKey,
				SecretKey: c.S3SecretKey, PublicRead: true, CacheControl: "public, max-age=31536000, immutable"},
			LocalDir: c.MediaDir, LocalBaseURL: strings.TrimRight(c.PublicBaseURL, "/") + "/media",
		}, d.Clock, d.Log)
		if err != nil {
			return nil, fmt.Errorf("snapify: media storage: %w", err)
		}
		m.files = files
		m.delivery = media.Delivery{URL: files.URL}
		if c.CloudinaryCloud != "" {
			m.delivery.Cloudinary = &media.Cloudinary{Cloud: c.CloudinaryCloud, Fetch: true}
		}
	}
	m.resolver = net.DefaultResolver
	var keyed bool
	if m.codeKey, keyed = codeMACKey(d.Config.EncryptionKeys); !keyed {
		d.Log.Warn("snapify: no ALORIG_ENCRYPTION_KEYS; sign-in codes are keyed per process, so only one serving process can check them")
	}
	m.ai = newAIClient(d)
	m.pay = newPayGateways(d)
	m.proc = media.NewProcessor(media.DefaultLimits, nil, 2)
	m.pages = newPageCache(d.KV)
	m.analytics = newAnalytics(d.DB, d.KV, d.Clock, d.Log)
	m.registerWorkers()
	return m, nil
}

func (m *Module) Name() string { return "snapify" }

// Start runs the analytics writer in the serving process.
func (m *Module) Start(ctx context.Context) error { m.analytics.start(); return nil }

// Stop flushes the analytics still buffered.
func (m *Module) Stop(ctx context.Context) error { return m.analytics.stop(ctx) }

// Checks reports WhatsApp as an optional outside service.
func (m *Module) Checks() []web.Check {
	return []web.Check{{Module: "snapify", Name: "whatsapp", Optional: true, Run: func(context.Context) error {
		if !m.wa.Configured() {
			return whatsapp.ErrNotConfigured
		}
		return nil
	}}}
}

// isOwnHost tells Snapify's own names (snapify.pk, app., admin., api., snapify.localhost) from
// Pro stores' custom domains.
func (m *Module) isOwnHost(host string) bool { return web.IsOwnHost(host, m.Name(), m.d.Module.Hosts) }

// ClaimHost answers whether host is a Pro store's custom domain. A yes is cached in Redis and
// dropped when the store's domain changes; a no is not stored here: the dispatcher already
// keeps "no" answers in bounded memory, and a Redis key per unknown name would let anyone grow
// Redis by sending made-up Host headers.
//
// In development the app hosts app.snapify.localhost and admin.snapify.localhost are claimed
// too (the dispatcher mounts only snapify.localhost exactly); production lists its app hosts
// in ALORIG_SNAPIFY_HOSTS.
func (m *Module) ClaimHost(ctx context.Context, host string) (bool, error) {
	if !m.d.Config.Production() && m.appLabel(host) != "" {
		return true, nil
	}
	slug, err := m.slugForDomain(ctx, host)
	if errors.Is(err, database.ErrNotFound) {
		return false, nil
	}
	return err == nil && slug != "", err
}

// domainCacheTTL bounds a stale answer; a changed domain also has its entry deleted at once.
const domainCacheTTL = 6 * time.Hour

// slugForDomain is the store a custom domain is active for, or database.ErrNotFound. Only
// found answers are cached (see ClaimHost).
func (m *Module) slugForDomain(ctx context.Context, host string) (string, error) {
	key := "domain:" + host
	if v, err := m.d.KV.Get(ctx, key); err == nil && v != "" {
		return v, nil
	}
	s, err := storeByDomain(ctx, m.d.DB, host)
	if err != nil {
		return "", err // database.ErrNotFound for a name no live Pro store has proven
	}
	_ = m.d.KV.Set(ctx, key, s.Slug, domainCacheTTL)
	return s.Slug, nil
}

// forgetDomain drops the cached answer for a domain, after it was added, moved or removed.
func (m *Module) forgetDomain(ctx context.Context, host string) error {
	if host == "" {
		return nil
	}
	_, err := m.d.KV.Del(ctx, "domain:"+host)
	return err
}
