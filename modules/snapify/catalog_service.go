package snapify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/money"
	"github.com/alorig/alorig/shared/web"
	"github.com/uptrace/bun"
)

// FreeProductLimit is how many products a Free store may list.
const FreeProductLimit = 15

// ErrProductLimit is a Free store's sixteenth product.
var ErrProductLimit = fmt.Errorf("snapify: the Free plan allows %d products; upgrade to Pro for more", FreeProductLimit)

// ProductInput is a product as the seller sends it; nil fields are left unchanged on update.
type ProductInput struct {
	Title          *string    `json:"title,omitempty"`
	Slug           *string    `json:"slug,omitempty"`
	Description    *string    `json:"description,omitempty"`
	PricePaisa     *int64     `json:"price_paisa,omitempty"`
	CompareAtPaisa *int64     `json:"compare_at_paisa,omitempty"`
	CategoryID     *int64     `json:"category_id,omitempty"` // 0 removes the category
	Images         *[]Picture `json:"images,omitempty"`
	Variants       *[]Variant `json:"variants,omitempty"`
	Stock          *int       `json:"stock,omitempty"` // -1 stops counting stock
	SKU            *string    `json:"sku,omitempty"`
	SEOTitle       *string    `json:"seo_title,omitempty"`
	SEODescription *string    `json:"seo_description,omitempty"`
	Status         *string    `json:"status,omitempty"` // active or hidden

	creating bool
}

// Validate lists every bad field, for a 422.
func (in *ProductInput) Validate() []web.FieldError {
	var errs []web.FieldError
	bad := func(f, why string) { errs = append(errs, web.FieldError{Field: f, Reason: why}) }
	if in.creating && in.Title == nil {
		bad("title", "is required")
	}
	if in.creating && in.PricePaisa == nil {
		bad("price_paisa", "is required (rupees × 100)")
	}
	if in.Title != nil {
		*in.Title = strings.TrimSpace(*in.Title)
		if n := utf8.RuneCountInString(*in.Title); n < 2 || n > 140 {
			bad("title", "must be 2 to 140 characters")
		}
	}
	if in.Slug != nil && *in.Slug != "" {
		if err := validateItemSlug(*in.Slug); err != "" {
			bad("slug", err)
		}
	}
	if in.Description != nil && utf8.RuneCountInString(*in.Description) > 5000 {
		bad("description", "must be at most 5,000 characters")
	}
	if in.PricePaisa != nil && (*in.PricePaisa < 0 || *in.PricePaisa > rules.MaxAmountPaisa) {
		bad("price_paisa", "must be between 0 and "+money.FormatPKR(rules.MaxAmountPaisa))
	}
	if in.CompareAtPaisa != nil && (*in.CompareAtPaisa < 0 || *in.CompareAtPaisa > rules.MaxAmountPaisa) {
		bad("compare_at_paisa", "must be between 0 and "+money.FormatPKR(rules.MaxAmountPaisa))
	}
	if in.Images != nil {
		if len(*in.Images) > 8 {
			bad("images", "at most 8 pictures")
		}
		for _, im := range *in.Images {
			if im.Hash == "" || im.Width <= 0 || im.Height <= 0 || strings.Contains(im.Prefix, "..") {
				bad("images", "each picture must be one returned by the upload endpoint")
				break
			}
		}
	}
	if in.Variants != nil {
		if len(*in.Variants) > 4 {
			bad("variants", "at most 4 choices (size, colour, …)")
		}
		for _, v := range *in.Variants {
			if rules.Slugify(v.Key, 30) != v.Key || v.Label == "" || len(v.Options) == 0 || len(v.Options) > 30 {
				bad("variants", "each needs a key (a-z, 0-9, -), a label and 1 to 30 options")
				break
			}
		}
	}
	if in.Stock != nil && (*in.Stock < -1 || *in.Stock > 1_000_000) {
		bad("stock", "must be between 0 and 1,000,000, or -1 to stop counting")
	}
	if in.Status != nil && *in.Status != "active" && *in.Status != "hidden" {
		bad("status", `must be "active" or "hidden"`)
	}
	for f, v := range map[string]*string{"sku": in.SKU, "seo_title": in.SEOTitle, "seo_description": in.SEODescription} {
		if v != nil && utf8.RuneCountInString(*v) > 300 {
			bad(f, "must be at most 300 characters")
		}
	}
	return errs
}

// itemReserved are store paths that products and categories cannot take.
var itemReserved = map[string]bool{"about": true, "search": true, "order": true, "sitemap.xml": true, "sitemap": true, "robots.txt": true}

func validateItemSlug(s string) string {
	switch {
	case len(s) < 1 || len(s) > 80:
		return "must be 1 to 80 characters"
	case rules.Slugify(s, 80) != s:
		return "use lowercase a-z, 0-9 and single hyphens"
	case itemReserved[s] || strings.HasPrefix(s, "delivery-to-"):
		return fmt.Sprintf("%q is a page of every store; choose another", s)
	}
	return ""
}

// uniqueItemSlug finds a free slug in the store's one namespace of products and categories
// (both live at /{store}/{slug}).
func uniqueItemSlug(ctx context.Context, tx bun.IDB, t storeScope, want string, exceptProduct, exceptCategory int64) (string, error) {
	base := want
	if base == "" || itemReserved[base] || strings.HasPrefix(base, "delivery-to-") {
		base = "item-" + base
	}
	for n := 1; n < 1000; n++ {
		slug := base
		if n > 1 {
			slug = rules.WithSuffix(base, n, 80)
		}
		taken, err := itemSlugTaken(ctx, tx, t, slug, exceptProduct, exceptCategory)
		if err != nil {
			return "", err
		}
		if !taken {
			return slug, nil
		}
	}
	return "", fmt.Errorf("snapify: no free slug for %q", want)
}

func (in *ProductInput) apply(p *Product) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&p.Title, in.Title)
	set(&p.Description, in.Description)
	set(&p.SKU, in.SKU)
	set(&p.SEOTitle, in.SEOTitle)
	set(&p.SEODescription, in.SEODescription)
	set(&p.Status, in.Status)
	if in.PricePaisa != nil {
		p.PricePaisa = *in.PricePaisa
	}
	if in.CompareAtPaisa != nil {
		p.CompareAtPaisa = *in.CompareAtPaisa
	}
	if in.Images != nil {
		p.Images = *in.Images
	}
	if in.Variants != nil {
		p.Variants = *in.Variants
	}
	if in.Stock != nil {
		if *in.Stock < 0 {
			p.Stock = nil
		} else {
			v := *in.Stock
			p.Stock = &v
		}
	}
	if in.CategoryID != nil {
		if *in.CategoryID == 0 {
			p.CategoryID = nil
		} else {
			v := *in.CategoryID
			p.CategoryID = &v
		}
	}
}

// Products is one page (1-based) of a store's products, newest first, 50 a page.
func (m *Module) Products(ctx context.Context, s *Store, page int) (*productPage, error) {
	ps, total, err := listProducts(ctx, m.d.DB, s.Scope(), productQuery{Limit: 50, Offset: (page - 1) * 50})
	if err != nil {
		return nil, err
	}
	if ps == nil {
		ps = []Product{}
	}
	return &productPage{Products: ps, Total: total, Page: page}, nil
}

// Product is one of a store's products, or ErrNoProduct.
func (m *Module) Product(ctx context.Context, s *Store, id int64) (*Product, error) {
	p, err := productByID(ctx, m.d.DB, s.Scope(), id)
	return p, notFound(err, ErrNoProduct)
}

// Categories lists a store's categories with their product counts.
func (m *Module) Categories(ctx context.Context, s *Store) ([]Category, error) {
	cats, err := listCategories(ctx, m.d.DB, s.Scope())
	if cats == nil && err == nil {
		cats = []Category{}
	}
	return cats, err
}

// changeCatalog runs change in one transaction on a store that came through store_access.go,
// and queues the store's cached pages for invalidation in that same transaction, so a cached
// page never outlives the change it shows.
func (m *Module) changeCatalog(ctx context.Context, s *Store, change func(ctx context.Context, tx bun.Tx, t storeScope) error) error {
	t := s.Scope()
	if err := needScope(t); err != nil {
		return err
	}
	return m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := change(ctx, tx, t); err != nil {
			return err
		}
		return m.invalidateTx(ctx, tx, s)
	})
}

// CreateProduct adds a product. The store row is locked first, so concurrent creates of a
// Free store line up and the fifteenth is the last one that fits.
func (m *Module) CreateProduct(ctx context.Context, s *Store, in ProductInput) (*Product, error) {
	var out *Product
	err := m.changeCatalog(ctx, s, func(ctx context.Context, tx bun.Tx, t storeScope) error {
		if err := checkPictures(s, "images", productPictures(in)...); err != nil {
			return err
		}
		tier, count, err := lockStoreProductCount(ctx, tx, t)
		if err != nil {
			return err
		}
		if tier != "pro" && count >= FreeProductLimit {
			return ErrProductLimit
		}
		now := m.d.Clock.Now()
		p := &Product{StoreID: t.ID(), Status: "active", Images: []Picture{}, Variants: []Variant{}, CreatedAt: now, UpdatedAt: now}
		in.apply(p)
		if err := m.checkCategory(ctx, tx, t, p.CategoryID); err != nil {
			return err
		}
		want := rules.Slugify(p.Title, 80)
		if in.Slug != nil && *in.Slug != "" {
			want = *in.Slug
		}
		slug, err := uniqueItemSlug(ctx, tx, t, want, 0, 0)
		if err != nil {
			return err
		}
		p.Slug = slug
		if err := insertProduct(ctx, tx, t, p); err != nil {
			return err
		}
		if len(p.Images) > 0 { // a product with a photo gets AI suggestions (content_jobs.go)
			if err := m.enqueueProductContent(ctx, tx, t.ID(), p.ID); err != nil {
				return err
			}
		}
		out = p
		return nil
	})
	if err != nil {
		return nil, notFound(err, ErrNoProduct)
	}
	return out, nil
}

func (m *Module) checkCategory(ctx context.Context, tx bun.IDB, t storeScope, id *int64) error {
	if id == nil {
		return nil
	}
	if _, err := categoryByID(ctx, tx, t, *id); err != nil {
		if errors.Is(err, database.ErrNotFound) {
			return ErrUnknownCategory
		}
		return err
	}
	return nil
}

// UpdateProduct changes the fields in is.
func (m *Module) UpdateProduct(ctx context.Context, s *Store, id int64, in ProductInput) (*Product, error) {
	var out *Product
	err := m.changeCatalog(ctx, s, func(ctx context.Context, tx bun.Tx, t storeScope) error {
		if err := checkPictures(s, "images", productPictures(in)...); err != nil {
			return err
		}
		p, err := lockProduct(ctx, tx, t, id)
		if err != nil {
			return err
		}
		if p.Status == "blocked" && in.Status != nil {
			return &BlockedError{Note: p.ModerationNote}
		}
		firstPhoto := firstImageHash(p)
		in.apply(p)
		if h := firstImageHash(p); h != "" && h != firstPhoto { // a new first photo: new AI suggestions (content_jobs.go)
			if err := m.enqueueProductContent(ctx, tx, t.ID(), p.ID); err != nil {
				return err
			}
		}
		if err := m.checkCategory(ctx, tx, t, p.CategoryID); err != nil {
			return err
		}
		if in.Slug != nil && *in.Slug != "" && *in.Slug != p.Slug {
			slug, err := uniqueItemSlug(ctx, tx, t, *in.Slug, p.ID, 0)
			if err != nil {
				return err
			}
			p.Slug = slug
		}
		p.UpdatedAt = m.d.Clock.Now()
		if err := updateProduct(ctx, tx, t, p); err != nil {
			return err
		}
		out = p
		return nil
	})
	if err != nil {
		return nil, notFound(err, ErrNoProduct)
	}
	return out, nil
}

// DeleteProduct removes a product; orders keep their snapshot.
func (m *Module) DeleteProduct(ctx context.Context, s *Store, id int64) error {
	return notFound(m.changeCatalog(ctx, s, func(ctx context.Context, tx bun.Tx, t storeScope) error {
		return deleteProduct(ctx, tx, t, id)
	}), ErrNoProduct)
}

// CategoryInput is a category as the seller sends it.
type CategoryInput struct {
	Name     *string `json:"name,omitempty"`
	Slug     *string `json:"slug,omitempty"`
	Intro    *string `json:"intro,omitempty"`
	Position *int    `json:"position,omitempty"`

	creating bool
}

func (in *CategoryInput) Validate() []web.FieldError {
	var errs []web.FieldError
	if in.creating && in.Name == nil {
		errs = append(errs, web.FieldError{Field: "name", Reason: "is required"})
	}
	if in.Name != nil {
		*in.Name = strings.TrimSpace(*in.Name)
		if n := utf8.RuneCountInString(*in.Name); n < 2 || n > 60 {
			errs = append(errs, web.FieldError{Field: "name", Reason: "must be 2 to 60 characters"})
		}
	}
	if in.Slug != nil && *in.Slug != "" {
		if why := validateItemSlug(*in.Slug); why != "" {
			errs = append(errs, web.FieldError{Field: "slug", Reason: why})
		}
	}
	if in.Intro != nil && utf8.RuneCountInString(*in.Intro) > 1000 {
		errs = append(errs, web.FieldError{Field: "intro", Reason: "must be at most 1,000 characters"})
	}
	return errs
}

// SaveCategory creates (id 0) or updates a category.
func (m *Module) SaveCategory(ctx context.Context, s *Store, id int64, in CategoryInput) (*Category, error) {
	var out *Category
	err := m.changeCatalog(ctx, s, func(ctx context.Context, tx bun.Tx, t storeScope) error {
		now := m.d.Clock.Now()
		c := &Category{StoreID: t.ID(), CreatedAt: now}
		if id != 0 {
			locked, err := lockCategory(ctx, tx, t, id)
			if err != nil {
				return err
			}
			c = locked
		}
		if in.Name != nil {
			c.Name = *in.Name
		}
		if in.Intro != nil {
			c.Intro = strings.TrimSpace(*in.Intro)
		}
		if in.Position != nil {
			c.Position = *in.Position
		}
		want := c.Slug
		if in.Slug != nil && *in.Slug != "" {
			want = *in.Slug
		} else if id == 0 {
			want = rules.Slugify(c.Name, 80)
		}
		if want != c.Slug {
			slug, err := uniqueItemSlug(ctx, tx, t, want, 0, c.ID)
			if err != nil {
				return err
			}
			c.Slug = slug
		}
		c.UpdatedAt = now
		save := updateCategory
		if id == 0 {
			save = insertCategory
		}
		if err := save(ctx, tx, t, c); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return nil, notFound(err, ErrNoCategory)
	}
	return out, nil
}

// DeleteCategory removes a category; its products stay, uncategorised.
func (m *Module) DeleteCategory(ctx context.Context, s *Store, id int64) error {
	return notFound(m.changeCatalog(ctx, s, func(ctx context.Context, tx bun.Tx, t storeScope) error {
		return deleteCategory(ctx, tx, t, id)
	}), ErrNoCategory)
}

// UploadImage checks a picture by its bytes, strips its metadata, and stores every width under
// the store's prefix; the Picture it returns is what a product or the settings refer to.
func (m *Module) UploadImage(ctx context.Context, s *Store, data []byte, alt string) (Picture, error) {
	res, err := m.proc.Process(ctx, data)
	if err != nil {
		return Picture{}, err
	}
	stored, err := media.Save(ctx, m.files, mediaPrefix(s.ID), res)
	if err != nil {
		return Picture{}, err
	}
	return Picture{Stored: stored, Alt: alt}, nil
}

// mediaPrefix is where a store's uploads are kept; every picture a store shows lives under it.
func mediaPrefix(storeID int64) string { return fmt.Sprintf("snapify/s/%d", storeID) }

// checkPictures refuses pictures that are not this store's uploads. A picture arrives as the
// client sends it, and its prefix, hash and extension become storage keys and URLs, so without
// this a seller could show another store's images (or any object) as their own.
func checkPictures(s *Store, field string, pics ...*Picture) error {
	own := mediaPrefix(s.ID)
	for _, p := range pics {
		if p == nil {
			continue
		}
		if p.Prefix != own || !isHex(p.Hash, 16) || (p.Ext != "jpg" && p.Ext != "png") {
			return &ForeignImageError{Field: field, Slug: s.Slug}
		}
	}
	return nil
}

func productPictures(in ProductInput) []*Picture {
	if in.Images == nil {
		return nil
	}
	out := make([]*Picture, len(*in.Images))
	for i := range *in.Images {
		out[i] = &(*in.Images)[i]
	}
	return out
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
