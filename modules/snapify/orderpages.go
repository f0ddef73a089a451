package snapify

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/web"
	sv "github.com/alorig/alorig/views/snapify"
	"github.com/labstack/echo/v4"
)

// orderStore resolves the store of an order request on either kind of host.
func (m *Module) orderStore(c echo.Context) (*Store, site, bool, error) {
	ctx := c.Request().Context()
	host := web.CanonicalHost(c.Request().Host)
	segs := splitPath(c.Request().URL.Path)
	var slug string
	var st site
	switch {
	case m.isOwnHost(host) && len(segs) == 2 && segs[1] == "order":
		slug, st = segs[0], site{origin: m.platformOrigin(c), prefix: "/" + segs[0]}
	case !m.isOwnHost(host) && len(segs) == 1 && segs[0] == "order":
		var err error
		slug, err = m.slugForDomain(ctx, host)
		if errors.Is(err, database.ErrNotFound) {
			return nil, st, false, nil
		}
		if err != nil {
			return nil, st, false, err
		}
		st = site{origin: m.customOrigin(host), custom: true}
	default:
		return nil, st, false, nil
	}
	s, err := publicStore(ctx, m.d.DB, slug)
	if errors.Is(err, database.ErrNotFound) || (err == nil && !s.Live()) {
		return nil, st, false, nil
	}
	return s, st, err == nil, err
}

// orderItemFrom reads product, quantity and options from the product page's GET or the form.
func orderItemFrom(get func(string) string, p *Product) OrderItem {
	qty, err := strconv.Atoi(get(sv.FieldQuantity))
	if err != nil {
		qty = 1
	}
	it := OrderItem{ProductSlug: get("product"), Quantity: qty, Options: map[string]string{}}
	if p != nil {
		for _, v := range p.Variants {
			if o := get(sv.VariantField(v.Key)); o != "" {
				it.Options[v.Key] = o
			}
		}
	}
	return it
}

func (m *Module) orderForm(c echo.Context) error {
	s, st, ok, err := m.orderStore(c)
	if err != nil {
		return err
	}
	if !ok {
		return m.platformNotFound(c)
	}
	p, err := productBySlug(c.Request().Context(), m.d.DB, s.Scope(), c.QueryParam("product"))
	if errors.Is(err, database.ErrNotFound) || (err == nil && p.Status != "active") {
		return m.productGone(c, s, st)
	}
	if err != nil {
		return err
	}
	it := orderItemFrom(c.QueryParam, p)
	it.Quantity = min(max(it.Quantity, 1), MaxQuantity)
	return m.renderOrderForm(c, s, st, p, it, NewIdempotencyKey(), sv.OrderInput{}, nil, "", http.StatusOK)
}

func (m *Module) renderOrderForm(c echo.Context, s *Store, st site, p *Product, it OrderItem, key string, in sv.OrderInput, errs map[string]string, formErr string, status int) error {
	ctx := c.Request().Context()
	cats, err := listCategories(ctx, m.d.DB, s.Scope())
	if err != nil {
		return err
	}
	opts, _ := chosenOptions(p, it.Options)
	line := sv.OrderLine{Title: p.Title, Options: opts, Quantity: it.Quantity, UnitPaisa: p.PricePaisa, TotalPaisa: p.PricePaisa * int64(it.Quantity)}
	if len(p.Images) > 0 {
		line.Image = m.image(p.Images[0], st)
	}
	hidden := []sv.Hidden{{Name: "product", Value: p.Slug}, {Name: sv.FieldQuantity, Value: strconv.Itoa(it.Quantity)}}
	for _, v := range p.Variants {
		if o, ok := it.Options[v.Key]; ok {
			hidden = append(hidden, sv.Hidden{Name: sv.VariantField(v.Key), Value: o})
		}
	}
	body, err := renderHTML(ctx, sv.OrderForm(sv.OrderFormPage{Store: m.viewStore(s, cats, st), Lines: []sv.OrderLine{line},
		SubtotalPaisa: line.TotalPaisa, DeliveryFeePaisa: s.DeliveryFeePaisa, TotalPaisa: line.TotalPaisa + s.DeliveryFeePaisa,
		ActionURL: st.path("order"), Hidden: hidden, IdempotencyKey: key, Input: in, Errors: errs, FormError: formErr,
		BackURL: st.path(p.Slug), Meta: sv.Meta{Title: "Order — " + s.Name, NoIndex: true}}))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(status, echo.MIMETextHTMLCharsetUTF8, body)
}

func (m *Module) buyerPOST(c echo.Context) error {
	s, st, ok, err := m.orderStore(c)
	if err != nil {
		return err
	}
	if !ok {
		return web.NotFound("nothing accepts a POST here")
	}
	// Only the HTML form posts here; JSON would read as an empty form and look like a vanished product.
	if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data" {
		return web.NewProblem(http.StatusUnsupportedMediaType, "orders are placed with the store's order form (application/x-www-form-urlencoded)")
	}
	ctx := c.Request().Context()
	if res, err := m.d.KV.Allow(ctx, "order:"+c.RealIP(), orderRateLimit, m.d.Clock.Now()); err == nil && !res.Allowed {
		p := web.NewProblem(http.StatusTooManyRequests, "too many orders from this connection; wait a minute and try again").WithCode("RATE_LIMITED")
		p.RetryAfter = max(1, int(res.RetryAfter.Seconds()+0.999))
		return p
	}
	p, err := productBySlug(ctx, m.d.DB, s.Scope(), c.FormValue("product"))
	if errors.Is(err, database.ErrNotFound) {
		// A buyer's browser posted this form: answer with the store's page, not JSON.
		return m.productGone(c, s, st)
	}
	if err != nil {
		return err
	}
	it := orderItemFrom(c.FormValue, p)
	req := OrderRequest{IdempotencyKey: c.FormValue(sv.FieldIdempotency), BuyerName: c.FormValue(sv.FieldName),
		Phone: c.FormValue(sv.FieldPhone), Address: c.FormValue(sv.FieldAddress), City: c.FormValue(sv.FieldCity),
		Notes: c.FormValue(sv.FieldNotes), Items: []OrderItem{it}}
	o, _, err := m.PlaceOrder(ctx, s, req)
	var inv *OrderInvalid
	if errors.As(err, &inv) {
		in := sv.OrderInput{Name: req.BuyerName, Phone: req.Phone, Address: req.Address, City: req.City, Notes: req.Notes}
		it.Quantity = min(max(it.Quantity, 1), MaxQuantity)
		key := req.IdempotencyKey
		if len(key) < 8 || len(key) > 64 {
			key = NewIdempotencyKey()
		}
		return m.renderOrderForm(c, s, st, p, it, key, in, inv.Fields, inv.Form, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return m.renderConfirmation(ctx, c, s, st, o)
}

// productGone is the store's own "not found" page, for an order of a product that was deleted or
// hidden after the buyer opened it.
func (m *Module) productGone(c echo.Context, s *Store, st site) error {
	ctx := c.Request().Context()
	cats, err := listCategories(ctx, m.d.DB, s.Scope())
	if err != nil {
		return err
	}
	r, err := m.storeNotFound(ctx, m.viewStore(s, cats, st))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(r.status, r.contentType, r.body)
}

func (m *Module) renderConfirmation(ctx context.Context, c echo.Context, s *Store, st site, o *Order) error {
	cats, err := listCategories(ctx, m.d.DB, s.Scope())
	if err != nil {
		return err
	}
	lines := make([]sv.OrderLine, 0, len(o.Lines))
	for _, l := range o.Lines {
		line := sv.OrderLine{Title: l.Title, Options: l.Options, Quantity: l.Quantity, UnitPaisa: l.UnitPaisa, TotalPaisa: l.TotalPaisa}
		// The snapshot keeps prices, not photos: show the product's current photo while it exists.
		p, err := productByID(ctx, m.d.DB, s.Scope(), l.ProductID)
		if err != nil && !errors.Is(err, database.ErrNotFound) {
			return err
		}
		if err == nil && len(p.Images) > 0 {
			line.Image = m.image(p.Images[0], st)
		}
		lines = append(lines, line)
	}
	phone := o.BuyerPhone
	if p, err := rules.ParsePhone(phone); err == nil {
		phone = p.National()
	}
	body, err := renderHTML(ctx, sv.OrderConfirmation(sv.OrderConfirmationPage{Store: m.viewStore(s, cats, st), OrderNumber: o.Number,
		BuyerName: o.BuyerName, Phone: phone, Address: o.Address, City: o.City, Lines: lines, SubtotalPaisa: o.SubtotalPaisa,
		DeliveryFeePaisa: o.DeliveryFeePaisa, TotalPaisa: o.TotalPaisa, WhatsAppURL: rules.OrderLink(sellerPhone(s), orderDraft(s, o)),
		Meta: sv.Meta{Title: "Order " + o.Number + " — " + s.Name, NoIndex: true}}))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, body)
}
