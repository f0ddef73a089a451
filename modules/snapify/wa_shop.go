package snapify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/alorig/alorig/modules/snapify/bot"
	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/web"
)

// waShop is the bot's store side: the seller API's own services (CreateStore, UploadImage,
// CreateProduct, UpdateProduct, SetOrderStatus) with their validation, limits and slugs, for
// the seller whose WhatsApp number wrote. A WhatsApp message proves its number as a sign-in
// code does (Meta signs the delivery), so that number's user is the seller, and a store is only
// ever looked up among that seller's own stores: a store slug in a conversation is not a key
// to anyone else's store.
type waShop struct{ m *Module }

var _ bot.Shop = waShop{}

func userErr(format string, args ...any) error {
	return &bot.UserError{Msg: fmt.Sprintf(format, args...)}
}

const waNoStore = "You have no Snapify store yet. Say *hi* to open one."

// seller is the user id of waID's number, creating the seller on create; 0 when there is none.
func (w waShop) seller(ctx context.Context, waID string, create bool) (int64, error) {
	phone, err := rules.ParsePhone("+" + waID)
	if err != nil {
		return 0, userErr("Snapify stores are for Pakistani mobile numbers (+92 3xx …), so this number cannot open one.")
	}
	if create {
		return upsertSellerByPhone(ctx, w.m.d.DB, phone, w.m.d.Clock.Now())
	}
	var id int64
	err = w.m.d.DB.NewRaw("SELECT id FROM users WHERE phone = ?", phone.E164()).Scan(ctx, &id)
	if errors.Is(database.NoRows(err), database.ErrNotFound) {
		return 0, nil
	}
	return id, err
}

// store is the seller's store at slug (the conversation's), or their first store.
func (w waShop) store(ctx context.Context, waID, slug string) (*Store, error) {
	uid, err := w.seller(ctx, waID, false)
	if err != nil {
		return nil, err
	}
	if uid == 0 {
		return nil, userErr(waNoStore)
	}
	if slug == "" {
		all, err := w.m.MyStores(ctx, uid)
		if err != nil {
			return nil, err
		}
		if len(all) == 0 {
			return nil, userErr(waNoStore)
		}
		slug = all[0].Slug
	}
	s, err := w.m.SellerStore(ctx, uid, slug)
	var none *NoStoreError
	if errors.As(err, &none) {
		return nil, userErr(waNoStore)
	}
	return s, err
}

func (w waShop) info(s *Store) *bot.StoreInfo {
	return &bot.StoreInfo{Slug: s.Slug, Name: s.Name, URL: w.m.waStoreURL(s), Products: s.ProductCount}
}

func (w waShop) StoreOf(ctx context.Context, waID string) (*bot.StoreInfo, error) {
	uid, err := w.seller(ctx, waID, false)
	if err != nil || uid == 0 {
		return nil, err
	}
	all, err := w.m.MyStores(ctx, uid)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return w.info(&all[0]), nil
}

// OpenStore opens the seller's store with CreateStore, at the address its name suggests (with
// -2, -3 … when that one is taken). A seller who already has a store (a retried message, or a
// store opened in the app meanwhile) keeps it.
func (w waShop) OpenStore(ctx context.Context, waID string, ns bot.NewStore) (*bot.StoreInfo, error) {
	uid, err := w.seller(ctx, waID, true)
	if err != nil {
		return nil, err
	}
	if all, err := w.m.MyStores(ctx, uid); err != nil {
		return nil, err
	} else if len(all) > 0 {
		return w.info(&all[0]), nil
	}
	base := rules.SuggestStoreSlug(ns.Name)
	slug, lang := base, "en"
	if hasArabicScript(ns.Name) {
		lang = "ur"
	}
	in := StoreInput{creating: true, Slug: &slug, Name: &ns.Name, City: &ns.City, Category: &ns.Category, Lang: &lang}
	if ns.Region != "" {
		in.Region = &ns.Region
	}
	if errs := in.Validate(); len(errs) > 0 {
		return nil, fieldRefusal("That store cannot be opened", errs)
	}
	for n := 2; ; n++ {
		s, err := w.m.CreateStore(ctx, uid, in)
		var taken *SlugTakenError
		switch {
		case errors.As(err, &taken) && n < 100:
			slug = rules.WithSuffix(base, n, rules.StoreSlugMax)
			continue
		case errors.Is(err, ErrStoreLimit):
			return nil, userErr("You already have %d stores, the most one number may open.", MaxStoresPerSeller)
		case err != nil:
			return nil, err
		}
		return w.info(s), nil
	}
}

// AddProduct lists a photo as the seller API does: UploadImage (checked, cleaned, resized and
// stored under the store's prefix), then CreateProduct (Free plan limit, unique slug), the same
// call as the seller API's, so whatever it queues for a product with a photo (the AI content
// job) is queued for these too.
func (w waShop) AddProduct(ctx context.Context, waID, slug string, np bot.NewProduct) (*bot.ProductInfo, error) {
	s, err := w.store(ctx, waID, slug)
	if err != nil {
		return nil, err
	}
	title, price := np.Title, np.PricePaisa
	in := ProductInput{creating: true, Title: &title, PricePaisa: &price}
	if errs := in.Validate(); len(errs) > 0 {
		return nil, fieldRefusal("That product cannot be added", errs)
	}
	pic, err := w.m.UploadImage(ctx, s, np.Image, title)
	if err != nil {
		if errors.Is(err, media.ErrTooLarge) || errors.Is(err, media.ErrUnsupportedType) || errors.Is(err, media.ErrDimensions) ||
			errors.Is(err, media.ErrCorrupt) {
			return nil, userErr("That photo cannot be used (%s). Please send a clear JPEG or PNG photo.", strings.TrimPrefix(err.Error(), "media: "))
		}
		return nil, err
	}
	first := s.ProductCount == 0
	// The same photo already listed is that product: a retried message must not list it twice.
	if p, err := productWithImage(ctx, w.m, s, pic.Hash); err != nil {
		return nil, err
	} else if p != nil {
		return w.product(s, p, s.ProductCount == 1), nil
	}
	in.Images = &[]Picture{pic}
	p, err := w.m.CreateProduct(ctx, s, in)
	if errors.Is(err, ErrProductLimit) {
		return nil, userErr("Your store has %d products, the most the Free plan lists. Upgrade to Pro in the Snapify app to add more.", FreeProductLimit)
	}
	if err != nil {
		return nil, err
	}
	return w.product(s, p, first), nil
}

func (w waShop) product(s *Store, p *Product, first bool) *bot.ProductInfo {
	base := w.m.waStoreURL(s)
	return &bot.ProductInfo{Title: p.Title, Slug: p.Slug, URL: base + "/" + p.Slug, PricePaisa: p.PricePaisa, Stock: p.Stock,
		StoreURL: base, First: first}
}

func (w waShop) SetPrice(ctx context.Context, waID, slug, product string, paisa int64) (*bot.ProductInfo, error) {
	return w.update(ctx, waID, slug, product, ProductInput{PricePaisa: &paisa})
}

func (w waShop) SetStock(ctx context.Context, waID, slug, product string, n int) (*bot.ProductInfo, error) {
	return w.update(ctx, waID, slug, product, ProductInput{Stock: &n})
}

func (w waShop) update(ctx context.Context, waID, slug, product string, in ProductInput) (*bot.ProductInfo, error) {
	s, err := w.store(ctx, waID, slug)
	if err != nil {
		return nil, err
	}
	if errs := in.Validate(); len(errs) > 0 {
		return nil, fieldRefusal("That change cannot be made", errs)
	}
	p, err := w.findProduct(ctx, s, product)
	if err != nil {
		return nil, err
	}
	p, err = w.m.UpdateProduct(ctx, s, p.ID, in)
	var blocked *BlockedError
	if errors.As(err, &blocked) {
		return nil, userErr("%s", blocked.Error())
	}
	if err != nil {
		return nil, err
	}
	return w.product(s, p, false), nil
}

// findProduct picks the store's product a seller named: its address, its exact title, or the
// one title that contains the words.
func (w waShop) findProduct(ctx context.Context, s *Store, q string) (*Product, error) {
	ps, _, err := listProducts(ctx, w.m.d.DB, s.Scope(), productQuery{Limit: 1000})
	if err != nil {
		return nil, err
	}
	want := strings.ToLower(strings.Join(strings.Fields(q), " "))
	slug := rules.Slugify(q, 80)
	var partial []*Product
	for i := range ps {
		p := &ps[i]
		title := strings.ToLower(strings.Join(strings.Fields(p.Title), " "))
		if title == want || (slug != "" && p.Slug == slug) {
			return p, nil
		}
		if strings.Contains(title, want) || (slug != "" && strings.Contains(p.Slug, slug)) {
			partial = append(partial, p)
		}
	}
	switch len(partial) {
	case 1:
		return partial[0], nil
	case 0:
		names := make([]string, 0, 5)
		for i := 0; i < len(ps) && i < 5; i++ {
			names = append(names, ps[i].Title)
		}
		if len(names) == 0 {
			return nil, userErr("Your store has no products yet. Send a photo with its name and price to add one.")
		}
		return nil, userErr("No product matches “%s”. Your products include: %s.", q, strings.Join(names, ", "))
	}
	names := make([]string, 0, 5)
	for i := 0; i < len(partial) && i < 5; i++ {
		names = append(names, partial[i].Title)
	}
	return nil, userErr("“%s” matches %d products (%s). Send more of the name.", q, len(partial), strings.Join(names, ", "))
}

func (w waShop) RecentOrders(ctx context.Context, waID, slug string, n int) ([]bot.OrderInfo, error) {
	s, err := w.store(ctx, waID, slug)
	if err != nil {
		return nil, err
	}
	page, err := w.m.Orders(ctx, s, "", 1)
	if err != nil {
		return nil, err
	}
	var out []bot.OrderInfo
	for i := range page.Orders {
		if len(out) == n {
			break
		}
		out = append(out, orderInfo(&page.Orders[i]))
	}
	return out, nil
}

func (w waShop) Order(ctx context.Context, waID, slug, number string) (*bot.OrderInfo, error) {
	s, err := w.store(ctx, waID, slug)
	if err != nil {
		return nil, err
	}
	o, err := w.order(ctx, s, number)
	if err != nil {
		return nil, err
	}
	info := orderInfo(o)
	return &info, nil
}

func (w waShop) order(ctx context.Context, s *Store, number string) (*Order, error) {
	o, err := orderByNumber(ctx, w.m.d.DB, s.Scope(), strings.ToUpper(number))
	if errors.Is(err, database.ErrNotFound) {
		return nil, userErr("There is no order %s in your store. Send *orders* to see them.", strings.ToUpper(number))
	}
	return o, err
}

// SetOrderStatus moves an order along the lifecycle SetOrderStatus enforces. An order already
// in the status asked for (a double tap, a retried message) is answered as it is.
func (w waShop) SetOrderStatus(ctx context.Context, waID, slug, number, status string) (*bot.OrderInfo, error) {
	s, err := w.store(ctx, waID, slug)
	if err != nil {
		return nil, err
	}
	o, err := w.order(ctx, s, number)
	if err != nil {
		return nil, err
	}
	next := OrderStatus(status)
	if o.Status != next {
		if !o.Status.CanBecome(next) {
			return nil, userErr("Order %s is %s, so it cannot become %s.%s", o.Number, o.Status, next, nextHint(o.Status))
		}
		o, err = w.m.SetOrderStatus(ctx, s.Scope(), o.ID, next, "")
		if errors.Is(err, ErrBadTransition) {
			return nil, userErr("Order %s changed meanwhile. Send *order %s* to see it.", number, number)
		}
		if err != nil {
			return nil, err
		}
	}
	info := orderInfo(o)
	return &info, nil
}

func nextHint(s OrderStatus) string {
	next := s.Next()
	if len(next) == 0 {
		return " It cannot change any more."
	}
	names := make([]string, len(next))
	for i, n := range next {
		names[i] = string(n)
	}
	return " It can become " + strings.Join(names, " or ") + "."
}

func orderInfo(o *Order) bot.OrderInfo {
	items := make([]string, 0, len(o.Lines))
	for _, l := range o.Lines {
		t := fmt.Sprintf("%d × %s", l.Quantity, l.Title)
		if l.Options != "" {
			t += " (" + l.Options + ")"
		}
		items = append(items, t)
	}
	phone := o.BuyerPhone
	if p, err := rules.ParsePhone(phone); err == nil {
		phone = p.National()
	}
	info := bot.OrderInfo{Number: o.Number, Status: string(o.Status), BuyerName: o.BuyerName, BuyerPhone: phone, City: o.City,
		Address: o.Address, Items: strings.Join(items, ", "), TotalPaisa: o.TotalPaisa}
	for _, n := range o.Status.Next() {
		info.Next = append(info.Next, string(n))
	}
	return info
}

// productWithImage is the store's product showing the upload with hash, if any.
func productWithImage(ctx context.Context, m *Module, s *Store, hash string) (*Product, error) {
	var id int64
	err := m.d.DB.NewRaw(`SELECT id FROM products WHERE store_id = ? AND images @> ?::jsonb ORDER BY id LIMIT 1`,
		s.Scope().ID(), `[{"hash":"`+hash+`"}]`).Scan(ctx, &id)
	if errors.Is(database.NoRows(err), database.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return m.Product(ctx, s, id)
}

// waStoreURL is the store's public address (its own domain when a Pro store has one).
func (m *Module) waStoreURL(s *Store) string {
	if d := s.ActiveDomain(); d != "" {
		return m.customOrigin(d)
	}
	return m.platformOrigin(nil) + "/" + s.Slug
}

func fieldRefusal(what string, errs []web.FieldError) error {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = strings.ReplaceAll(e.Field, "_", " ") + " " + e.Reason
	}
	return userErr("%s: %s.", what, strings.Join(parts, "; "))
}

func hasArabicScript(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) {
			return true
		}
	}
	return false
}
