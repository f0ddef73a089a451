package snapify

import (
	"encoding/json"
	"time"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/uptrace/bun"
)

// Picture is a stored upload as a row keeps it, with the text a screen reader says.
type Picture struct {
	media.Stored
	Alt string `json:"alt,omitempty"`
}

// Store is a seller's shop.
type Store struct {
	bun.BaseModel    `bun:"table:stores"`
	scope            storeScope // set by store_access.go only
	ID               int64      `bun:"id,pk,autoincrement" json:"id"`
	OwnerID          int64      `bun:"owner_id" json:"-"`
	Slug             string     `bun:"slug" json:"slug"`
	Name             string     `bun:"name" json:"name"`
	Tagline          string     `bun:"tagline" json:"tagline"`
	About            string     `bun:"about" json:"about"`
	City             string     `bun:"city" json:"city"`
	Region           string     `bun:"region" json:"region"`
	Address          string     `bun:"address" json:"address"`
	Category         string     `bun:"category" json:"category"`
	Theme            string     `bun:"theme" json:"theme"`
	Lang             string     `bun:"lang" json:"lang"`
	Tier             string     `bun:"tier" json:"tier"`
	WhatsAppPhone    string     `bun:"whatsapp_phone" json:"whatsapp_phone"`
	Email            string     `bun:"email" json:"email" doc:"where payment receipts and plan notices are emailed; empty: WhatsApp only"`
	Logo             *Picture   `bun:"logo,type:jsonb" json:"logo,omitempty"`
	Banner           *Picture   `bun:"banner,type:jsonb" json:"banner,omitempty"`
	CustomDomain     *string    `bun:"custom_domain" json:"custom_domain,omitempty"`
	DomainToken      string     `bun:"domain_token" json:"-"`
	DomainClaimedAt  *time.Time `bun:"domain_claimed_at" json:"-"`
	DomainVerifiedAt *time.Time `bun:"domain_verified_at" json:"domain_verified_at,omitempty"`
	DeliveryNote     string     `bun:"delivery_note" json:"delivery_note"`
	DeliveryFeePaisa int64      `bun:"delivery_fee_paisa" json:"delivery_fee_paisa"`
	Verified         bool       `bun:"verified" json:"verified"`
	SuspendedAt      *time.Time `bun:"suspended_at" json:"suspended_at,omitempty"`
	SuspendedReason  string     `bun:"suspended_reason" json:"suspended_reason,omitempty"`
	ProductCount     int        `bun:"product_count" json:"product_count"`
	OrderSeq         int64      `bun:"order_seq" json:"-"`
	CreatedAt        time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt        time.Time  `bun:"updated_at" json:"updated_at"`
}

// Live reports whether buyers may see the store.
func (s *Store) Live() bool { return s.SuspendedAt == nil }

// ActiveDomain is the custom domain buyers reach the store at: a claim proven through DNS, on
// a live Pro store. A pending claim is "" here, so nothing links to or serves it.
func (s *Store) ActiveDomain() string {
	if s.CustomDomain == nil || s.DomainVerifiedAt == nil || s.Tier != "pro" || !s.Live() {
		return ""
	}
	return *s.CustomDomain
}

// releaseDomain forgets the store's domain claim, proven or not.
func (s *Store) releaseDomain() {
	s.CustomDomain, s.DomainToken, s.DomainClaimedAt, s.DomainVerifiedAt = nil, "", nil, nil
}

// MarshalJSON adds the domain claim's state and, while it is pending, the DNS record that
// proves it, so the seller sees what to publish.
func (s Store) MarshalJSON() ([]byte, error) {
	out := StoreJSON{storeColumns: storeColumns(s)}
	if s.CustomDomain != nil {
		out.DomainStatus = "pending"
		if s.DomainVerifiedAt != nil {
			out.DomainStatus = "verified"
		} else {
			out.DomainRecord = &domainRecord{Type: "TXT", Name: verifyRecordName(*s.CustomDomain), Value: s.DomainToken}
		}
	}
	return json.Marshal(out)
}

// StoreJSON is a Store as the API writes it (Store.MarshalJSON builds it); the OpenAPI
// document describes stores with it.
type StoreJSON struct {
	storeColumns
	DomainStatus string        `json:"domain_status,omitempty" enum:"pending,verified"`
	DomainRecord *domainRecord `json:"domain_verification,omitempty" doc:"the TXT record that proves a pending claim"`
}

// storeColumns is Store without its MarshalJSON, so StoreJSON does not call itself.
type storeColumns Store

// Subscription is a store's plan.
type Subscription struct {
	bun.BaseModel `bun:"table:subscriptions"`
	ID            int64      `bun:"id,pk,autoincrement" json:"-"`
	StoreID       int64      `bun:"store_id" json:"-"`
	Plan          string     `bun:"plan" json:"plan"`
	Status        string     `bun:"status" json:"status"`
	PricePaisa    int64      `bun:"price_paisa" json:"price_paisa"`
	StartedAt     time.Time  `bun:"started_at" json:"started_at"`
	RenewsAt      *time.Time `bun:"renews_at" json:"renews_at,omitempty"`
	PaymentMethod string     `bun:"payment_method" json:"payment_method,omitempty" doc:"jazzcash or easypaisa: how the current Pro period was paid"`
	GraceUntil    *time.Time `bun:"grace_until" json:"grace_until,omitempty" doc:"while past_due: Pro features stop after this"`
	CreatedAt     time.Time  `bun:"created_at" json:"-"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"-"`
}

// Category groups a store's products; ProductCount counts active products and is kept by a
// database trigger.
type Category struct {
	bun.BaseModel `bun:"table:categories"`
	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	StoreID       int64     `bun:"store_id" json:"-"`
	Slug          string    `bun:"slug" json:"slug"`
	Name          string    `bun:"name" json:"name"`
	Intro         string    `bun:"intro" json:"intro"`
	Position      int       `bun:"position" json:"position"`
	ProductCount  int       `bun:"product_count" json:"product_count"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`
}

// Variant is a choice the buyer makes (size, colour).
type Variant struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Options []string `json:"options"`
}

// Product is a listing. Stock nil means the seller does not count stock.
type Product struct {
	bun.BaseModel  `bun:"table:products"`
	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	StoreID        int64     `bun:"store_id" json:"-"`
	CategoryID     *int64    `bun:"category_id" json:"category_id"`
	Slug           string    `bun:"slug" json:"slug"`
	Title          string    `bun:"title" json:"title"`
	Description    string    `bun:"description" json:"description"`
	PricePaisa     int64     `bun:"price_paisa" json:"price_paisa"`
	CompareAtPaisa int64     `bun:"compare_at_paisa" json:"compare_at_paisa"`
	Images         []Picture `bun:"images,type:jsonb" json:"images"`
	Variants       []Variant `bun:"variants,type:jsonb" json:"variants"`
	Stock          *int      `bun:"stock" json:"stock"`
	SKU            string    `bun:"sku" json:"sku"`
	SEOTitle       string    `bun:"seo_title" json:"seo_title"`
	SEODescription string    `bun:"seo_description" json:"seo_description"`
	Status         string    `bun:"status" json:"status"`
	ModerationNote string    `bun:"moderation_note" json:"moderation_note,omitempty"`
	CreatedAt      time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at" json:"updated_at"`
}

// InStock reports whether a buyer can order the product now.
func (p *Product) InStock() bool { return p.Stock == nil || *p.Stock > 0 }

// OrderLine is the snapshot of one ordered product: what the buyer saw and paid, kept even if
// the seller later edits or deletes the product.
type OrderLine struct {
	ProductID  int64  `json:"product_id"`
	Slug       string `json:"slug"`
	Title      string `json:"title"`
	Options    string `json:"options,omitempty"`
	Quantity   int    `json:"quantity"`
	UnitPaisa  int64  `json:"unit_paisa"`
	TotalPaisa int64  `json:"total_paisa"`
}

// Order is a buyer's cash-on-delivery order.
type Order struct {
	bun.BaseModel    `bun:"table:orders"`
	ID               int64       `bun:"id,pk,autoincrement" json:"id"`
	StoreID          int64       `bun:"store_id" json:"-"`
	Number           string      `bun:"number" json:"number"`
	IdempotencyKey   string      `bun:"idempotency_key" json:"-"`
	BuyerName        string      `bun:"buyer_name" json:"buyer_name"`
	BuyerPhone       string      `bun:"buyer_phone" json:"buyer_phone"`
	Address          string      `bun:"address" json:"address"`
	City             string      `bun:"city" json:"city"`
	Notes            string      `bun:"notes" json:"notes"`
	Lines            []OrderLine `bun:"lines,type:jsonb" json:"lines"`
	SubtotalPaisa    int64       `bun:"subtotal_paisa" json:"subtotal_paisa"`
	DeliveryFeePaisa int64       `bun:"delivery_fee_paisa" json:"delivery_fee_paisa"`
	TotalPaisa       int64       `bun:"total_paisa" json:"total_paisa"`
	Payment          string      `bun:"payment" json:"payment"`
	Status           OrderStatus `bun:"status" json:"status"`
	TrackingNumber   string      `bun:"tracking_number" json:"tracking_number"`
	NotifiedAt       *time.Time  `bun:"notified_at" json:"notified_at,omitempty"`
	NotifyError      string      `bun:"notify_error" json:"notify_error,omitempty"`
	StatusChangedAt  time.Time   `bun:"status_changed_at" json:"status_changed_at"`
	CreatedAt        time.Time   `bun:"created_at" json:"created_at"`
	UpdatedAt        time.Time   `bun:"updated_at" json:"updated_at"`
}

// CityPageRow is a generated Pro landing page for one delivery city.
type CityPageRow struct {
	bun.BaseModel    `bun:"table:city_pages"`
	ID               int64     `bun:"id,pk,autoincrement"`
	StoreID          int64     `bun:"store_id"`
	CitySlug         string    `bun:"city_slug"`
	City             string    `bun:"city"`
	Intro            string    `bun:"intro"`
	DeliveryDays     string    `bun:"delivery_days"`
	DeliveryFeePaisa int64     `bun:"delivery_fee_paisa"`
	GeneratedAt      time.Time `bun:"generated_at"`
}

// HubPageRow is a generated platform hub such as best-clothing-stores-punjab.
type HubPageRow struct {
	bun.BaseModel `bun:"table:hub_pages"`
	Slug          string    `bun:"slug,pk"`
	Heading       string    `bun:"heading"`
	Intro         string    `bun:"intro"`
	Category      string    `bun:"category"`
	Region        string    `bun:"region"`
	StoreIDs      []int64   `bun:"store_ids,array"`
	GeneratedAt   time.Time `bun:"generated_at"`
}

// Post is a piece of marketing the seller publishes (a WhatsApp status, a catalogue share);
// the WhatsApp conversation issue fills and sends them.
type Post struct {
	bun.BaseModel `bun:"table:posts"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	StoreID       int64      `bun:"store_id" json:"-"`
	ProductID     *int64     `bun:"product_id" json:"product_id,omitempty"`
	Channel       string     `bun:"channel" json:"channel"`
	Body          string     `bun:"body" json:"body"`
	Image         *Picture   `bun:"image,type:jsonb" json:"image,omitempty"`
	Status        string     `bun:"status" json:"status"`
	ScheduledAt   *time.Time `bun:"scheduled_at" json:"scheduled_at,omitempty"`
	PublishedAt   *time.Time `bun:"published_at" json:"published_at,omitempty"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
}

// WhatsAppSession is the conversation state with one WhatsApp number. LastInboundAt opens the
// 24-hour window in which free-form messages may be sent instead of templates.
type WhatsAppSession struct {
	bun.BaseModel `bun:"table:whatsapp_sessions"`
	ID            int64          `bun:"id,pk,autoincrement"`
	WaID          string         `bun:"wa_id"`
	UserID        *int64         `bun:"user_id"`
	StoreID       *int64         `bun:"store_id"`
	State         string         `bun:"state"`
	Context       map[string]any `bun:"context,type:jsonb"`
	LastInboundAt *time.Time     `bun:"last_inbound_at"`
	CreatedAt     time.Time      `bun:"created_at"`
	UpdatedAt     time.Time      `bun:"updated_at"`
}
