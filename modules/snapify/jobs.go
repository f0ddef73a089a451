package snapify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/shared/jobs"
	"github.com/alorig/alorig/shared/money"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// InvalidateStoreCacheArgs drops a store's cached pages after its products or settings change.
type InvalidateStoreCacheArgs struct {
	StoreID int64  `json:"store_id"`
	Slug    string `json:"slug"`
	Domain  string `json:"domain,omitempty"`
}

func (InvalidateStoreCacheArgs) Kind() string { return "snapify.invalidate_store_cache" }

// NotifyNewOrderArgs tells the seller about a new order on WhatsApp.
type NotifyNewOrderArgs struct {
	StoreID int64 `json:"store_id"`
	OrderID int64 `json:"order_id"`
}

func (NotifyNewOrderArgs) Kind() string { return "snapify.notify_new_order" }

// RegenerateSitemapArgs rebuilds every sitemap file (daily at 02:00 UTC).
type RegenerateSitemapArgs struct{}

func (RegenerateSitemapArgs) Kind() string { return "snapify.regenerate_sitemap" }

// GenerateCityPagesArgs writes the delivery-to-{city} pages of Pro stores (weekly).
type GenerateCityPagesArgs struct{}

func (GenerateCityPagesArgs) Kind() string { return "snapify.generate_city_pages" }

// RegenerateHubPagesArgs rebuilds the platform hub pages (Sundays at 03:00 UTC).
type RegenerateHubPagesArgs struct{}

func (RegenerateHubPagesArgs) Kind() string { return "snapify.regenerate_hub_pages" }

// CheckDomainsArgs proves pending custom domain claims whose DNS record has appeared, and drops
// stale ones (every 15 minutes).
type CheckDomainsArgs struct{}

func (CheckDomainsArgs) Kind() string { return "snapify.check_domains" }

type domainsWorker struct {
	river.WorkerDefaults[CheckDomainsArgs]
	m *Module
}

func (w *domainsWorker) Work(ctx context.Context, _ *river.Job[CheckDomainsArgs]) error {
	_, err := w.m.CheckDomains(ctx)
	return err
}

type invalidateWorker struct {
	river.WorkerDefaults[InvalidateStoreCacheArgs]
	m *Module
}

func (w *invalidateWorker) Work(ctx context.Context, j *river.Job[InvalidateStoreCacheArgs]) error {
	return w.m.pages.invalidate(ctx, j.Args.Slug, j.Args.Domain)
}

type notifyWorker struct {
	river.WorkerDefaults[NotifyNewOrderArgs]
	m *Module
}

func (w *notifyWorker) Work(ctx context.Context, j *river.Job[NotifyNewOrderArgs]) error {
	return w.m.notifyNewOrder(ctx, j.Args.StoreID, j.Args.OrderID)
}

type sitemapWorker struct {
	river.WorkerDefaults[RegenerateSitemapArgs]
	m *Module
}

func (w *sitemapWorker) Work(ctx context.Context, _ *river.Job[RegenerateSitemapArgs]) error {
	return w.m.RegenerateSitemaps(ctx)
}

type cityWorker struct {
	river.WorkerDefaults[GenerateCityPagesArgs]
	m *Module
}

func (w *cityWorker) Work(ctx context.Context, _ *river.Job[GenerateCityPagesArgs]) error {
	return w.m.GenerateCityPages(ctx)
}

type hubWorker struct {
	river.WorkerDefaults[RegenerateHubPagesArgs]
	m *Module
}

func (w *hubWorker) Work(ctx context.Context, _ *river.Job[RegenerateHubPagesArgs]) error {
	return w.m.RegenerateHubPages(ctx)
}

func (m *Module) registerWorkers() {
	river.AddWorker(m.d.Workers, &invalidateWorker{m: m})
	river.AddWorker(m.d.Workers, &notifyWorker{m: m})
	river.AddWorker(m.d.Workers, &sitemapWorker{m: m})
	river.AddWorker(m.d.Workers, &cityWorker{m: m})
	river.AddWorker(m.d.Workers, &hubWorker{m: m})
	river.AddWorker(m.d.Workers, &domainsWorker{m: m})
	river.AddWorker(m.d.Workers, &storeNoticeWorker{m: m}) // admin_notify.go
	m.registerPayWorkers()                                 // pay_expiry.go, pay_notify.go
	m.registerSocialWorkers()                              // social_jobs.go
	m.registerWhatsAppWorkers()                            // wa_jobs.go
	m.registerContentWorkers()                             // content_jobs.go
}

// PeriodicJobs schedules the SEO pages and the custom domain re-check.
func (m *Module) PeriodicJobs() []*river.PeriodicJob {
	return append([]*river.PeriodicJob{
		jobs.At(jobs.Daily(2, 0), func() river.JobArgs { return RegenerateSitemapArgs{} }),
		jobs.At(jobs.Weekly(time.Monday, 2, 30), func() river.JobArgs { return GenerateCityPagesArgs{} }),
		jobs.At(jobs.Weekly(time.Sunday, 3, 0), func() river.JobArgs { return RegenerateHubPagesArgs{} }),
		jobs.Every(15*time.Minute, func() river.JobArgs { return CheckDomainsArgs{} }, false),
		jobs.Every(time.Hour, func() river.JobArgs { return ExpirePlansArgs{} }, false), // pay_expiry.go
	}, socialPeriodicJobs()...) // social_jobs.go
}

// invalidateTx enqueues the cache drop inside the transaction that changed the store, so the
// cache is never cleared before the change is visible nor forgotten when it commits.
func (m *Module) invalidateTx(ctx context.Context, tx bun.Tx, s *Store) error {
	args := InvalidateStoreCacheArgs{StoreID: s.ID, Slug: s.Slug}
	if s.CustomDomain != nil {
		args.Domain = *s.CustomDomain
	}
	if _, err := m.d.Jobs.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("snapify: enqueue cache invalidation of store %d: %w", s.ID, err)
	}
	return nil
}

// notifyNewOrder sends the seller the new-order message. Without WhatsApp configured the order
// records why nobody was told, and the job ends: retrying cannot help.
func (m *Module) notifyNewOrder(ctx context.Context, storeID, orderID int64) error {
	s, err := platformStore(ctx, m.d.DB, storeID)
	if err != nil {
		return err
	}
	o, err := orderByID(ctx, m.d.DB, s.Scope(), orderID)
	if err != nil {
		return err
	}
	if o.NotifiedAt != nil {
		return nil
	}
	if !m.wa.Configured() {
		_, err := m.d.DB.NewUpdate().Model(o).Set("notify_error = ?", whatsapp.ErrNotConfigured.Error()).
			Where("store_id = ?", storeID).WherePK().Exec(ctx)
		return err
	}
	phone, err := rules.ParsePhone(s.WhatsAppPhone)
	if err != nil {
		return fmt.Errorf("snapify: seller phone of store %d: %w", storeID, err)
	}
	var lastInbound *time.Time
	err = m.d.DB.NewRaw("SELECT last_inbound_at FROM whatsapp_sessions WHERE wa_id = ?", phone.Digits()).Scan(ctx, &lastInbound)
	inside := err == nil && lastInbound != nil && m.d.Clock.Now().Sub(*lastInbound) < 24*time.Hour
	items := ""
	for i, l := range o.Lines {
		if i > 0 {
			items += ", "
		}
		items += fmt.Sprintf("%d × %s", l.Quantity, l.Title)
	}
	_, err = m.wa.NotifyNewOrder(ctx, phone.Digits(), whatsapp.OrderNotice{OrderRef: o.Number, BuyerName: o.BuyerName,
		Total: money.FormatPKR(o.TotalPaisa), Items: items, OrderURL: m.appURL("/orders/" + o.Number)}, inside)
	if errors.Is(err, whatsapp.ErrOutsideWindow) && inside {
		_, err = m.wa.NotifyNewOrder(ctx, phone.Digits(), whatsapp.OrderNotice{OrderRef: o.Number, BuyerName: o.BuyerName,
			Total: money.FormatPKR(o.TotalPaisa), Items: items}, false)
	}
	if err != nil {
		return fmt.Errorf("snapify: notify seller of order %s: %w", o.Number, err)
	}
	now := m.d.Clock.Now()
	_, err = m.d.DB.NewUpdate().Model(o).Set("notified_at = ?", now).Set("notify_error = ''").
		Where("store_id = ?", storeID).WherePK().Exec(ctx)
	return err
}

// appURL is a link into the seller app.
func (m *Module) appURL(path string) string {
	return "https://app.snapify.pk" + path
}
