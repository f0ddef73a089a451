package snapify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/web"
	sv "github.com/alorig/alorig/views/snapify"
	"github.com/uptrace/bun"
)

// The store use cases of the seller API: open a store, change its settings, read and change
// its plan. Each opens its own transaction and returns domain errors (errors.go).

// MaxStoresPerSeller caps the stores one seller opens: each is a set of public pages and a
// WhatsApp number notified of orders, so an unbounded count is an abuse channel.
const MaxStoresPerSeller = 3

// ProPricePaisa is the Pro plan's monthly price (the seed's Rs 2,500).
const ProPricePaisa = 2500_00

// needScope refuses a store that did not come through store_access.go. Its zero scope would
// match nothing, and an insert would fail on the store's foreign key with a message that hides
// the cause, so a service that changes a store's rows says so first.
func needScope(t storeScope) error {
	if !t.Valid() {
		return ErrUnscopedStore
	}
	return nil
}

// SellerStore is the seller's store at slug, with its scope; any other store is *NoStoreError.
func (m *Module) SellerStore(ctx context.Context, ownerID int64, slug string) (*Store, error) {
	s, err := sellerStore(ctx, m.d.DB, ownerID, slug)
	if errors.Is(err, database.ErrNotFound) {
		return nil, &NoStoreError{Slug: slug}
	}
	return s, err
}

// MyStores lists a seller's stores, oldest first.
func (m *Module) MyStores(ctx context.Context, ownerID int64) ([]Store, error) {
	out, err := storesOfOwner(ctx, m.d.DB, ownerID)
	if out == nil && err == nil {
		out = []Store{}
	}
	return out, err
}

// StoreInput is a store's settings as the seller sends them; nil fields stay as they are.
type StoreInput struct {
	Slug             *string  `json:"slug,omitempty"`
	Name             *string  `json:"name,omitempty"`
	Tagline          *string  `json:"tagline,omitempty"`
	About            *string  `json:"about,omitempty"`
	City             *string  `json:"city,omitempty"`
	Region           *string  `json:"region,omitempty"`
	Address          *string  `json:"address,omitempty"`
	Category         *string  `json:"category,omitempty"`
	Theme            *string  `json:"theme,omitempty"`
	Lang             *string  `json:"lang,omitempty"`
	WhatsAppPhone    *string  `json:"whatsapp_phone,omitempty"`
	Email            *string  `json:"email,omitempty" doc:"for payment receipts and plan notices; \"\" removes it"`
	DeliveryNote     *string  `json:"delivery_note,omitempty"`
	DeliveryFeePaisa *int64   `json:"delivery_fee_paisa,omitempty"`
	CustomDomain     *string  `json:"custom_domain,omitempty"`
	Logo             *Picture `json:"logo,omitempty"`
	Banner           *Picture `json:"banner,omitempty"`

	creating bool
	phone    rules.Phone
}

func (in *StoreInput) Validate() []web.FieldError {
	var errs []web.FieldError
	bad := func(f, why string) { errs = append(errs, web.FieldError{Field: f, Reason: why}) }
	if in.creating {
		if in.Slug == nil {
			bad("slug", "is required: the store's address, snapify.pk/{slug}")
		} else if err := rules.ValidateStoreSlug(*in.Slug); err != nil {
			bad("slug", strings.TrimPrefix(err.Error(), "rules: "))
		}
		if in.Name == nil {
			bad("name", "is required")
		}
	} else if in.Slug != nil {
		bad("slug", "a store's address cannot change once buyers have it")
	}
	if in.Name != nil {
		*in.Name = strings.TrimSpace(*in.Name)
		if n := utf8.RuneCountInString(*in.Name); n < 2 || n > 60 {
			bad("name", "must be 2 to 60 characters")
		}
	}
	for f, v := range map[string]*string{"tagline": in.Tagline, "city": in.City, "region": in.Region, "category": in.Category, "delivery_note": in.DeliveryNote} {
		if v != nil && utf8.RuneCountInString(*v) > 120 {
			bad(f, "must be at most 120 characters")
		}
	}
	for f, v := range map[string]*string{"about": in.About, "address": in.Address} {
		if v != nil && utf8.RuneCountInString(*v) > 3000 {
			bad(f, "must be at most 3,000 characters")
		}
	}
	if in.Theme != nil && !contains(themeNames(), *in.Theme) {
		bad("theme", "must be one of "+strings.Join(themeNames(), ", "))
	}
	if in.Lang != nil && *in.Lang != "en" && *in.Lang != "ur" {
		bad("lang", `must be "en" or "ur"`)
	}
	if in.WhatsAppPhone != nil {
		p, err := rules.ParsePhone(*in.WhatsAppPhone)
		if err != nil {
			bad("whatsapp_phone", strings.TrimPrefix(err.Error(), "rules: "))
		}
		in.phone = p
	}
	if in.Email != nil {
		if reason := checkEmail(in.Email); reason != "" {
			bad("email", reason)
		}
	}
	if in.DeliveryFeePaisa != nil && (*in.DeliveryFeePaisa < 0 || *in.DeliveryFeePaisa > 10_000_00) {
		bad("delivery_fee_paisa", "must be between 0 and Rs 10,000")
	}
	if in.CustomDomain != nil && *in.CustomDomain != "" {
		d := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(*in.CustomDomain), "."))
		// Platform names are refused by claimDomain, which knows the configuration.
		if !validDomain(d) {
			bad("custom_domain", "must be a domain name you own, such as shop.example.pk")
		}
		*in.CustomDomain = d
	}
	return errs
}

func themeNames() []string {
	var out []string
	for _, t := range sv.Themes() {
		out = append(out, string(t))
	}
	return out
}

func validDomain(d string) bool {
	if len(d) < 4 || len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

func (in *StoreInput) apply(s *Store) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&s.Name, in.Name)
	set(&s.Tagline, in.Tagline)
	set(&s.About, in.About)
	set(&s.City, in.City)
	set(&s.Region, in.Region)
	set(&s.Address, in.Address)
	set(&s.Category, in.Category)
	set(&s.Theme, in.Theme)
	set(&s.Lang, in.Lang)
	set(&s.DeliveryNote, in.DeliveryNote)
	set(&s.Email, in.Email)
	if in.WhatsAppPhone != nil {
		s.WhatsAppPhone = in.phone.E164()
	}
	if in.DeliveryFeePaisa != nil {
		s.DeliveryFeePaisa = *in.DeliveryFeePaisa
	}
	if in.Logo != nil {
		s.Logo = in.Logo
	}
	if in.Banner != nil {
		s.Banner = in.Banner
	}
}

// CreateStore opens a store for the seller ownerID with its Free subscription.
func (m *Module) CreateStore(ctx context.Context, ownerID int64, in StoreInput) (*Store, error) {
	now := m.d.Clock.Now()
	s := &Store{OwnerID: ownerID, Slug: *in.Slug, Theme: "bazaar", Lang: "en", Tier: "free", CreatedAt: now, UpdatedAt: now}
	in.apply(s)
	phone, err := m.checkStorePhone(ctx, ownerID, &in)
	if err != nil {
		return nil, err
	}
	s.WhatsAppPhone = phone
	// A new store has no uploads yet, so any picture sent with it belongs to another store.
	if err := checkPictures(s, "logo", in.Logo); err != nil {
		return nil, err
	}
	if err := checkPictures(s, "banner", in.Banner); err != nil {
		return nil, err
	}
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := lockOwnerStoreCount(ctx, tx, ownerID)
		if err != nil {
			return err
		}
		if n >= MaxStoresPerSeller {
			return ErrStoreLimit
		}
		return insertStore(ctx, tx, s, now)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// UpdateSettings changes the settings in of the seller ownerID's store s (s is updated). A
// custom domain starts a pending claim; an empty one drops the claim.
func (m *Module) UpdateSettings(ctx context.Context, ownerID int64, s *Store, in StoreInput) (*Store, error) {
	if err := needScope(s.Scope()); err != nil {
		return nil, err
	}
	oldDomain := ""
	if s.CustomDomain != nil {
		oldDomain = *s.CustomDomain
	}
	if in.WhatsAppPhone != nil {
		if _, err := m.checkStorePhone(ctx, ownerID, &in); err != nil {
			return nil, err
		}
	}
	if err := checkPictures(s, "logo", in.Logo); err != nil {
		return nil, err
	}
	if err := checkPictures(s, "banner", in.Banner); err != nil {
		return nil, err
	}
	in.apply(s)
	if in.CustomDomain != nil {
		if *in.CustomDomain == "" {
			s.releaseDomain()
		} else if err := m.claimDomain(s, *in.CustomDomain); err != nil {
			return nil, err
		}
	}
	s.UpdatedAt = m.d.Clock.Now()
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := updateStoreSettings(ctx, tx, s); err != nil {
			return err
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if err != nil {
		return nil, err
	}
	// Both the old and the new name must be looked up again by the dispatcher.
	_ = m.forgetDomain(ctx, oldDomain)
	if s.CustomDomain != nil {
		_ = m.forgetDomain(ctx, *s.CustomDomain)
	}
	return s, nil
}

// Subscription is a store's plan with its product count and limit.
func (m *Module) Subscription(ctx context.Context, s *Store) (*subscriptionAnswer, error) {
	sub, err := subscriptionOf(ctx, m.d.DB, s.Scope())
	if err != nil {
		return nil, notFound(err, ErrNoSubscription)
	}
	return &subscriptionAnswer{Subscription: sub, ProductCount: s.ProductCount, ProductLimit: productLimit(s.Tier)}, nil
}

// productLimit is how many products a store of tier may list; nil is no limit.
func productLimit(tier string) *int {
	if tier == "pro" {
		return nil
	}
	limit := FreeProductLimit
	return &limit
}

type planRequest struct {
	Plan string `json:"plan" enum:"free,pro"`
}

func (r *planRequest) Validate() []web.FieldError {
	if r.Plan != "free" && r.Plan != "pro" {
		return []web.FieldError{{Field: "plan", Reason: `must be "free" or "pro"`}}
	}
	return nil
}

// ChoosePlan is a seller's change of plan: to Free. Pro is paid through a checkout
// (StartCheckout, pay_service.go), so choosing it here is ErrPlanRequiresPayment; an admin may
// still grant it (AdminSetPlan).
func (m *Module) ChoosePlan(ctx context.Context, s *Store, plan string) (*subscriptionAnswer, error) {
	if plan == "pro" && s.Tier != "pro" {
		return nil, ErrPlanRequiresPayment
	}
	if err := m.setPlan(ctx, s, plan); err != nil {
		return nil, err
	}
	return m.Subscription(ctx, s)
}

// setPlan records a plan change with its price (billing will charge it when it is built).
// Leaving Pro drops the store's custom domain claim: custom domains are a Pro feature.
// also runs inside the plan's transaction (the admin's audit row).
func (m *Module) setPlan(ctx context.Context, s *Store, plan string, also ...func(context.Context, bun.Tx) error) error {
	if err := needScope(s.Scope()); err != nil {
		return err
	}
	if plan == "free" && s.ProductCount > FreeProductLimit {
		return &TooManyForFreeError{Count: s.ProductCount}
	}
	oldDomain := ""
	if s.CustomDomain != nil {
		oldDomain = *s.CustomDomain
	}
	now := m.d.Clock.Now()
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		price, renews := int64(0), (*time.Time)(nil)
		if plan == "pro" {
			r := now.AddDate(0, 1, 0)
			price, renews = ProPricePaisa, &r
		}
		if err := setStorePlan(ctx, tx, s, plan, price, renews, now); err != nil {
			return err
		}
		for _, f := range also {
			if err := f(ctx, tx); err != nil {
				return err
			}
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if err != nil {
		return err
	}
	_ = m.forgetDomain(ctx, oldDomain)
	return nil
}

// checkStorePhone returns the WhatsApp number a store of user uid may use: the number the
// seller proved with a sign-in code. Orders are announced on it, so an unproven number would
// let anyone send our messages to a stranger.
func (m *Module) checkStorePhone(ctx context.Context, uid int64, in *StoreInput) (string, error) {
	phone, err := provenPhone(ctx, m.d.DB, uid)
	if err != nil {
		return "", err
	}
	if phone == "" {
		return "", ErrPhoneNotVerified
	}
	if in.WhatsAppPhone != nil && in.phone.E164() != phone {
		return "", &WrongPhoneError{Proven: phone}
	}
	return phone, nil
}

// notFound turns a store function's database.ErrNotFound into the domain error e, keeping
// both in the chain; other errors pass unchanged.
func notFound(err, e error) error {
	if errors.Is(err, database.ErrNotFound) {
		return fmt.Errorf("%w (%w)", e, err)
	}
	return err
}
