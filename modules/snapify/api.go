package snapify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/alorig/alorig/shared/web"
	sv "github.com/alorig/alorig/views/snapify"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"
)

type storeHandler func(c echo.Context, s *Store) error

// withStore resolves /:store among the caller's own stores. Anyone else's store answers 404,
// exactly like a store that does not exist.
func (m *Module) withStore(h storeHandler) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := auth.CurrentUser(c)
		s, err := sellerStore(c.Request().Context(), m.d.DB, u.ID, c.Param("store"))
		if errors.Is(err, database.ErrNotFound) {
			return web.NotFound(fmt.Sprintf("you have no store %q", c.Param("store"))).WithCode("STORE_NOT_FOUND")
		}
		if err != nil {
			return err
		}
		return h(c, s)
	}
}

// apiError maps the module's errors to problem answers.
func apiError(err error, what string) error {
	var p *web.Problem
	switch {
	case err == nil:
		return nil
	case errors.As(err, &p):
		return p
	case errors.Is(err, database.ErrNotFound):
		return web.NotFound("no such " + what + " in this store")
	case errors.Is(err, ErrProductLimit):
		return web.Conflict(ErrProductLimit.Error()[len("snapify: "):]).WithCode("PRODUCT_LIMIT").With("limit", FreeProductLimit)
	case errors.Is(err, ErrBadTransition):
		return web.Conflict(err.Error()[len("snapify: "):]).WithCode("BAD_TRANSITION")
	}
	return err
}

func (m *Module) apiMyStores(c echo.Context) error {
	var out []Store
	if err := m.d.DB.NewSelect().Model(&out).Where("owner_id = ?", auth.CurrentUser(c).ID).Order("id").Scan(c.Request().Context()); err != nil {
		return fmt.Errorf("snapify: stores of user: %w", err)
	}
	if out == nil {
		out = []Store{}
	}
	return c.JSON(http.StatusOK, storeList{Stores: out})
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

func (m *Module) apiCreateStore(c echo.Context) error {
	in := StoreInput{creating: true}
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := auth.CurrentUser(c)
	now := m.d.Clock.Now()
	s := &Store{OwnerID: u.ID, Slug: *in.Slug, Theme: "bazaar", Lang: "en", Tier: "free", CreatedAt: now, UpdatedAt: now}
	in.apply(s)
	phone, err := m.checkStorePhone(ctx, u.ID, &in)
	if err != nil {
		return err
	}
	s.WhatsAppPhone = phone
	// A new store has no uploads yet, so any picture sent with it belongs to another store.
	if err := checkPictures(s, "logo", in.Logo); err != nil {
		return err
	}
	if err := checkPictures(s, "banner", in.Banner); err != nil {
		return err
	}
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The seller's row is locked so that parallel creates count each other.
		var n int
		if err := tx.NewRaw("SELECT count(*) FROM stores WHERE owner_id = (SELECT id FROM users WHERE id = ? FOR UPDATE)", u.ID).Scan(ctx, &n); err != nil {
			return fmt.Errorf("snapify: stores of user %d: %w", u.ID, err)
		}
		if n >= MaxStoresPerSeller {
			return web.Conflict(fmt.Sprintf("a seller may open at most %d stores", MaxStoresPerSeller)).WithCode("STORE_LIMIT").With("limit", MaxStoresPerSeller)
		}
		if _, err := tx.NewInsert().Model(s).Returning("id").Exec(ctx); err != nil {
			if database.IsUniqueViolation(err, "stores_slug_key") {
				return web.Conflict(fmt.Sprintf("snapify.pk/%s is taken; try %s", s.Slug, rules.WithSuffix(s.Slug, 2, rules.StoreSlugMax))).WithCode("SLUG_TAKEN")
			}
			return fmt.Errorf("snapify: create store: %w", err)
		}
		_, err := tx.NewInsert().Model(&Subscription{StoreID: s.ID, Plan: "free", Status: "active", StartedAt: now, CreatedAt: now, UpdatedAt: now}).Exec(ctx)
		return err
	})
	if err != nil {
		return apiError(err, "store")
	}
	return c.JSON(http.StatusCreated, s)
}

func (m *Module) apiGetStore(c echo.Context, s *Store) error { return c.JSON(http.StatusOK, s) }

func (m *Module) apiSettings(c echo.Context, s *Store) error {
	var in StoreInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	oldDomain := ""
	if s.CustomDomain != nil {
		oldDomain = *s.CustomDomain
	}
	if in.WhatsAppPhone != nil {
		if _, err := m.checkStorePhone(ctx, auth.CurrentUser(c).ID, &in); err != nil {
			return err
		}
	}
	if err := checkPictures(s, "logo", in.Logo); err != nil {
		return err
	}
	if err := checkPictures(s, "banner", in.Banner); err != nil {
		return err
	}
	in.apply(s)
	if in.CustomDomain != nil {
		if *in.CustomDomain == "" {
			s.releaseDomain()
		} else if err := m.claimDomain(s, *in.CustomDomain); err != nil {
			return err
		}
	}
	s.UpdatedAt = m.d.Clock.Now()
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(s).ExcludeColumn("id", "owner_id", "slug", "tier", "verified", "suspended_at",
			"suspended_reason", "product_count", "order_seq", "created_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("snapify: update store %d: %w", s.ID, err)
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if err != nil {
		return apiError(err, "store")
	}
	// Both the old and the new name must be looked up again by the dispatcher.
	_ = m.forgetDomain(ctx, oldDomain)
	if s.CustomDomain != nil {
		_ = m.forgetDomain(ctx, *s.CustomDomain)
	}
	return c.JSON(http.StatusOK, s)
}

func (m *Module) subscription(ctx context.Context, t storeScope) (*Subscription, error) {
	sub := new(Subscription)
	if err := tenant.Filter(m.d.DB.NewSelect().Model(sub), t, "store_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: subscription of store %d: %w", t.ID(), database.NoRows(err))
	}
	return sub, nil
}

func (m *Module) apiGetSubscription(c echo.Context, s *Store) error {
	sub, err := m.subscription(c.Request().Context(), s.Scope())
	if err != nil {
		return apiError(err, "subscription")
	}
	return c.JSON(http.StatusOK, subscriptionAnswer{Subscription: sub, ProductCount: s.ProductCount, ProductLimit: productLimit(s.Tier)})
}

// productLimit is how many products a store of tier may list; nil is no limit.
func productLimit(tier string) *int {
	if tier == "pro" {
		return nil
	}
	limit := FreeProductLimit
	return &limit
}

// ProPricePaisa is the Pro plan's monthly price.
const ProPricePaisa = 1500_00

type planRequest struct {
	Plan string `json:"plan"`
}

func (r *planRequest) Validate() []web.FieldError {
	if r.Plan != "free" && r.Plan != "pro" {
		return []web.FieldError{{Field: "plan", Reason: `must be "free" or "pro"`}}
	}
	return nil
}

// apiSetSubscription lets a seller move to Free. Pro is paid, and payment collection is not
// built yet, so a seller cannot select it: an admin grants it (POST /api/v1/admin/stores/{store_id}/plan).
func (m *Module) apiSetSubscription(c echo.Context, s *Store) error {
	var req planRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if req.Plan == "pro" && s.Tier != "pro" {
		return web.NewProblem(http.StatusPaymentRequired, "the Pro plan is paid and cannot be chosen here until billing is available; ask Snapify support to upgrade the store").
			WithCode("PLAN_REQUIRES_PAYMENT")
	}
	if err := m.setPlan(c.Request().Context(), s, req.Plan); err != nil {
		return err
	}
	return m.apiGetSubscription(c, s)
}

// setPlan records a plan change with its price (billing will charge it when it is built).
// Leaving Pro drops the store's custom domain claim: custom domains are a Pro feature.
func (m *Module) setPlan(ctx context.Context, s *Store, plan string) error {
	if plan == "free" && s.ProductCount > FreeProductLimit {
		return web.Conflict(fmt.Sprintf("the store lists %d products; the Free plan allows %d, so remove some first", s.ProductCount, FreeProductLimit)).WithCode("PRODUCT_LIMIT")
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
		if _, err := tx.NewRaw(`UPDATE subscriptions SET plan = ?, status = 'active', price_paisa = ?, renews_at = ?,
			started_at = CASE WHEN plan = ? THEN started_at ELSE ? END, updated_at = ? WHERE store_id = ?`,
			plan, price, renews, plan, now, now, s.ID).Exec(ctx); err != nil {
			return fmt.Errorf("snapify: subscription of store %d: %w", s.ID, err)
		}
		q := tx.NewUpdate().Model(s).Set("tier = ?", plan).Set("updated_at = ?", now).WherePK()
		if plan != "pro" {
			q = q.Set("custom_domain = NULL, domain_token = '', domain_claimed_at = NULL, domain_verified_at = NULL")
		}
		if err := q.Returning("*").Scan(ctx); err != nil {
			return fmt.Errorf("snapify: plan of store %d: %w", s.ID, err)
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if err != nil {
		return err
	}
	_ = m.forgetDomain(ctx, oldDomain)
	return nil
}

func (m *Module) apiListProducts(c echo.Context, s *Store) error {
	page := pageParam(c)
	ps, total, err := listProducts(c.Request().Context(), m.d.DB, s.Scope(), productQuery{Limit: 50, Offset: (page - 1) * 50})
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []Product{}
	}
	return c.JSON(http.StatusOK, productPage{Products: ps, Total: total, Page: page})
}

func (m *Module) apiCreateProduct(c echo.Context, s *Store) error {
	in := ProductInput{creating: true}
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	p, err := m.CreateProduct(c.Request().Context(), s, in)
	if err != nil {
		return apiError(err, "product")
	}
	return c.JSON(http.StatusCreated, p)
}

func (m *Module) apiGetProduct(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	p, err := productByID(c.Request().Context(), m.d.DB, s.Scope(), id)
	if err != nil {
		return apiError(err, "product")
	}
	return c.JSON(http.StatusOK, p)
}

func (m *Module) apiUpdateProduct(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	var in ProductInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	p, err := m.UpdateProduct(c.Request().Context(), s, id, in)
	if err != nil {
		return apiError(err, "product")
	}
	return c.JSON(http.StatusOK, p)
}

func (m *Module) apiDeleteProduct(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	if err := m.DeleteProduct(c.Request().Context(), s, id); err != nil {
		return apiError(err, "product")
	}
	return c.NoContent(http.StatusNoContent)
}

func (m *Module) apiListCategories(c echo.Context, s *Store) error {
	cats, err := listCategories(c.Request().Context(), m.d.DB, s.Scope())
	if err != nil {
		return err
	}
	if cats == nil {
		cats = []Category{}
	}
	return c.JSON(http.StatusOK, categoryList{Categories: cats})
}

func (m *Module) apiSaveCategory(c echo.Context, s *Store) error {
	var id int64
	if c.Param("category_id") != "" {
		var err error
		if id, err = web.PathID(c, "category_id"); err != nil {
			return err
		}
	}
	in := CategoryInput{creating: id == 0}
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	cat, err := m.SaveCategory(c.Request().Context(), s, id, in)
	if err != nil {
		return apiError(err, "category")
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	return c.JSON(status, cat)
}

func (m *Module) apiDeleteCategory(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "category_id")
	if err != nil {
		return err
	}
	if err := m.DeleteCategory(c.Request().Context(), s, id); err != nil {
		return apiError(err, "category")
	}
	return c.NoContent(http.StatusNoContent)
}

func (m *Module) apiListOrders(c echo.Context, s *Store) error {
	status := c.QueryParam("status")
	if status != "" {
		if _, ok := transitions[OrderStatus(status)]; !ok && status != string(StatusCancelled) && status != string(StatusReturned) {
			return web.Invalid(web.FieldError{Field: "status", Reason: "unknown order status"})
		}
	}
	page := pageParam(c)
	os, total, err := listOrders(c.Request().Context(), m.d.DB, s.Scope(), status, 50, (page-1)*50)
	if err != nil {
		return err
	}
	if os == nil {
		os = []Order{}
	}
	return c.JSON(http.StatusOK, orderPage{Orders: os, Total: total, Page: page})
}

func (m *Module) apiGetOrder(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "order_id")
	if err != nil {
		return err
	}
	o, err := orderByID(c.Request().Context(), m.d.DB, s.Scope(), id)
	if err != nil {
		return apiError(err, "order")
	}
	return c.JSON(http.StatusOK, orderAnswer{Order: o, Next: o.Status.Next()})
}

func (m *Module) apiOrderStatus(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "order_id")
	if err != nil {
		return err
	}
	var req orderStatusRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if len(req.TrackingNumber) > 60 {
		return web.Invalid(web.FieldError{Field: "tracking_number", Reason: "must be at most 60 characters"})
	}
	o, err := m.SetOrderStatus(c.Request().Context(), s.Scope(), id, OrderStatus(req.Status), strings.TrimSpace(req.TrackingNumber))
	if err != nil {
		return apiError(err, "order")
	}
	return c.JSON(http.StatusOK, orderAnswer{Order: o, Next: o.Status.Next()})
}

// Analytics summarises the last days days of a store (analytics_store.go reads it).
func (m *Module) Analytics(ctx context.Context, t storeScope, days int) (*AnalyticsSummary, error) {
	return storeAnalytics(ctx, m.d.DB, t, days, m.d.Clock.Now().AddDate(0, 0, -days))
}

func (m *Module) apiAnalytics(c echo.Context, s *Store) error {
	days, err := strconv.Atoi(c.QueryParam("days"))
	if c.QueryParam("days") == "" {
		days, err = 7, nil
	}
	if err != nil || days < 1 || days > 90 {
		return web.Invalid(web.FieldError{Field: "days", Reason: "must be 1 to 90"})
	}
	sum, err := m.Analytics(c.Request().Context(), s.Scope(), days)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// apiUploadImage takes one picture (multipart field "file", or the raw body with an image
// Content-Type), checks it by its bytes, strips metadata, stores every width and returns the
// Picture to put in a product or the store settings.
func (m *Module) apiUploadImage(c echo.Context, s *Store) error {
	ctx := c.Request().Context()
	var data []byte
	var err error
	if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		fh, ferr := c.FormFile("file")
		var tooLarge *http.MaxBytesError
		if errors.As(ferr, &tooLarge) {
			return ferr
		}
		if ferr != nil {
			return web.Invalid(web.FieldError{Field: "file", Reason: "send the picture in a multipart field named file"})
		}
		f, ferr := fh.Open()
		if ferr != nil {
			return fmt.Errorf("snapify: open upload: %w", ferr)
		}
		defer f.Close()
		data, err = media.ReadUpload(f, media.DefaultLimits)
	} else {
		data, err = media.ReadUpload(c.Request().Body, media.DefaultLimits)
	}
	if err != nil {
		return uploadProblem(err)
	}
	res, err := m.proc.Process(ctx, data)
	if err != nil {
		return uploadProblem(err)
	}
	stored, err := media.Save(ctx, m.files, mediaPrefix(s.ID), res)
	if err != nil {
		return err
	}
	pic := Picture{Stored: stored, Alt: strings.TrimSpace(c.QueryParam("alt"))}
	st := site{origin: m.platformOrigin(c)}
	return c.JSON(http.StatusCreated, uploaded{Picture: pic, Preview: m.image(pic, st)})
}

func uploadProblem(err error) error {
	detail := strings.TrimPrefix(err.Error(), "media: ")
	switch {
	case errors.Is(err, media.ErrTooLarge):
		return web.NewProblem(http.StatusRequestEntityTooLarge, detail).WithCode("IMAGE_TOO_LARGE")
	case errors.Is(err, media.ErrUnsupportedType):
		return web.NewProblem(http.StatusUnsupportedMediaType, detail).WithCode("IMAGE_TYPE")
	case errors.Is(err, media.ErrDimensions):
		return web.NewProblem(http.StatusUnprocessableEntity, detail).WithCode("IMAGE_DIMENSIONS")
	case errors.Is(err, media.ErrCorrupt):
		return web.NewProblem(http.StatusUnprocessableEntity, detail).WithCode("IMAGE_CORRUPT")
	}
	return err
}

// MaxStoresPerSeller caps the stores one seller opens: each is a set of public pages and a
// WhatsApp number notified of orders, so an unbounded count is an abuse channel.
const MaxStoresPerSeller = 3

// checkStorePhone returns the WhatsApp number a store of user uid may use: the number the
// seller proved with a sign-in code. Orders are announced on it, so an unproven number would
// let anyone send our messages to a stranger.
func (m *Module) checkStorePhone(ctx context.Context, uid int64, in *StoreInput) (string, error) {
	var phone *string
	if err := m.d.DB.NewRaw("SELECT phone FROM users WHERE id = ?", uid).Scan(ctx, &phone); err != nil {
		return "", fmt.Errorf("snapify: phone of user %d: %w", uid, err)
	}
	if phone == nil || *phone == "" {
		return "", web.NewProblem(http.StatusForbidden, "this account has no WhatsApp number proven by a sign-in code; sign in with your WhatsApp number").
			WithCode("PHONE_NOT_VERIFIED")
	}
	if in.WhatsAppPhone != nil && in.phone.E164() != *phone {
		return "", web.Invalid(web.FieldError{Field: "whatsapp_phone", Reason: "must be the number you signed in with (" + *phone + "); to use another, sign in with it"}).
			WithCode("PHONE_NOT_VERIFIED")
	}
	return *phone, nil
}
