package snapify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// OrderStatus is where an order is in its life.
type OrderStatus string

const (
	StatusPending   OrderStatus = "pending"
	StatusConfirmed OrderStatus = "confirmed"
	StatusShipped   OrderStatus = "shipped"
	StatusDelivered OrderStatus = "delivered"
	StatusCancelled OrderStatus = "cancelled"
	StatusReturned  OrderStatus = "returned"
)

// transitions is the whole lifecycle: cancelling stops at the door (nothing shipped yet) and a
// return needs a shipment.
var transitions = map[OrderStatus][]OrderStatus{
	StatusPending:   {StatusConfirmed, StatusCancelled},
	StatusConfirmed: {StatusShipped, StatusCancelled},
	StatusShipped:   {StatusDelivered, StatusReturned},
	StatusDelivered: {StatusReturned},
}

// ErrBadTransition is a status change the lifecycle does not allow.
var ErrBadTransition = errors.New("snapify: order status change not allowed")

// CanBecome reports whether an order in status s may move to next.
func (s OrderStatus) CanBecome(next OrderStatus) bool {
	for _, n := range transitions[s] {
		if n == next {
			return true
		}
	}
	return false
}

// Next lists the statuses s may move to.
func (s OrderStatus) Next() []OrderStatus { return transitions[s] }

// OrderItem is one product a buyer asks for.
type OrderItem struct {
	ProductSlug string
	Quantity    int
	Options     map[string]string // variant key → chosen option
}

// OrderRequest is the buyer's order form.
type OrderRequest struct {
	IdempotencyKey string
	BuyerName      string
	Phone          string
	Address        string
	City           string
	Notes          string
	Items          []OrderItem
}

// OrderInvalid lists what is wrong with an order form, by form field, so the page comes back
// with each message next to its field.
type OrderInvalid struct {
	Fields map[string]string
	Form   string
}

func (e *OrderInvalid) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k+": "+e.Fields[k])
	}
	sort.Strings(keys)
	if e.Form != "" {
		keys = append(keys, e.Form)
	}
	return "snapify: order rejected: " + strings.Join(keys, "; ")
}

// MaxQuantity caps one line so a typo (100 instead of 1) does not become a cash-on-delivery
// parcel nobody pays for.
const MaxQuantity = 20

func (r *OrderRequest) validate() (rules.Phone, *OrderInvalid) {
	inv := &OrderInvalid{Fields: map[string]string{}}
	r.BuyerName = strings.TrimSpace(r.BuyerName)
	r.Address = strings.TrimSpace(r.Address)
	r.City = strings.TrimSpace(r.City)
	r.Notes = strings.TrimSpace(r.Notes)
	if n := utf8.RuneCountInString(r.BuyerName); n < 2 || n > 80 {
		inv.Fields["name"] = "Enter your name (2 to 80 letters)."
	}
	phone, err := rules.ParsePhone(r.Phone)
	if err != nil {
		inv.Fields["phone"] = strings.TrimPrefix(err.Error(), "rules: ")
	}
	if n := utf8.RuneCountInString(r.Address); n < 8 || n > 300 {
		inv.Fields["address"] = "Enter the full delivery address (house, street, area)."
	}
	if utf8.RuneCountInString(r.City) > 60 {
		inv.Fields["city"] = "City is too long."
	}
	if utf8.RuneCountInString(r.Notes) > 500 {
		inv.Fields["notes"] = "Notes are limited to 500 characters."
	}
	if k := r.IdempotencyKey; len(k) < 8 || len(k) > 64 {
		inv.Form = "This form has expired; open the product again and place the order."
	}
	if len(r.Items) == 0 || len(r.Items) > 20 {
		inv.Form = "Choose a product to order."
	}
	for _, it := range r.Items {
		if it.Quantity < 1 || it.Quantity > MaxQuantity {
			inv.Form = fmt.Sprintf("Quantity must be between 1 and %d.", MaxQuantity)
		}
	}
	if len(inv.Fields) == 0 && inv.Form == "" {
		return phone, nil
	}
	return phone, inv
}

// NewIdempotencyKey is the hidden key the order form carries, so a double tap or a retried
// POST on a flaky connection creates one order.
func NewIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// errReplay carries the order an idempotency key already created out of the transaction, which
// is rolled back so the replay changes nothing.
type errReplay struct{ order *Order }

func (errReplay) Error() string { return "snapify: order replayed" }

// PlaceOrder creates an order, or returns the one the same idempotency key created before
// (created false). Prices and titles are copied from the products as they are now.
func (m *Module) PlaceOrder(ctx context.Context, s *Store, req OrderRequest) (*Order, bool, error) {
	phone, inv := req.validate()
	if inv != nil {
		return nil, false, inv
	}
	t := s.Scope()
	var order *Order
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The store row lock orders concurrent orders of one store, so the number sequence has
		// no gaps and a concurrent replay of the same key waits and then finds the first order.
		seq, err := nextOrderSeq(ctx, tx, t)
		if err != nil {
			return err
		}
		prev, err := orderByIdempotencyKey(ctx, tx, t, req.IdempotencyKey)
		if err == nil {
			return errReplay{order: prev}
		}
		if !errors.Is(err, database.ErrNotFound) {
			return err
		}
		now := m.d.Clock.Now()
		o := &Order{StoreID: t.ID(), Number: fmt.Sprintf("SN-%d", 1000+seq), IdempotencyKey: req.IdempotencyKey,
			BuyerName: req.BuyerName, BuyerPhone: phone.E164(), Address: req.Address, City: req.City, Notes: req.Notes,
			DeliveryFeePaisa: s.DeliveryFeePaisa, Payment: "cod", Status: StatusPending,
			StatusChangedAt: now, CreatedAt: now, UpdatedAt: now}
		stockChanged := false
		for _, it := range req.Items {
			p, err := productBySlug(ctx, tx, t, it.ProductSlug)
			if errors.Is(err, database.ErrNotFound) || (err == nil && p.Status != "active") {
				return &OrderInvalid{Form: "This product is no longer available."}
			}
			if err != nil {
				return err
			}
			opts, bad := chosenOptions(p, it.Options)
			if bad != "" {
				return &OrderInvalid{Fields: map[string]string{}, Form: bad}
			}
			if p.Stock != nil {
				ok, err := reserveStock(ctx, tx, t, p.ID, it.Quantity)
				if err != nil {
					return err
				}
				if !ok {
					return &OrderInvalid{Form: fmt.Sprintf("Only %d of %s left in stock.", *p.Stock, p.Title)}
				}
				stockChanged = true
			}
			line := OrderLine{ProductID: p.ID, Slug: p.Slug, Title: p.Title, Options: opts, Quantity: it.Quantity,
				UnitPaisa: p.PricePaisa, TotalPaisa: p.PricePaisa * int64(it.Quantity)}
			o.Lines = append(o.Lines, line)
			o.SubtotalPaisa += line.TotalPaisa
		}
		o.TotalPaisa = o.SubtotalPaisa + o.DeliveryFeePaisa
		if err := insertOrder(ctx, tx, t, o); err != nil {
			return err
		}
		if _, err := m.d.Jobs.InsertTx(ctx, tx, NotifyNewOrderArgs{StoreID: t.ID(), OrderID: o.ID}, nil); err != nil {
			return fmt.Errorf("snapify: enqueue order notice: %w", err)
		}
		if stockChanged {
			if err := m.invalidateTx(ctx, tx, s); err != nil {
				return err
			}
		}
		order = o
		return nil
	})
	var replay errReplay
	if errors.As(err, &replay) {
		return replay.order, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return order, true, nil
}

// chosenOptions checks the buyer's variant choices against the product and formats them for
// the snapshot ("Size: M · Colour: Maroon").
func chosenOptions(p *Product, chosen map[string]string) (string, string) {
	var parts []string
	for _, v := range p.Variants {
		c := chosen[v.Key]
		if c == "" {
			if len(v.Options) > 0 {
				c = v.Options[0]
			}
		} else if !contains(v.Options, c) {
			return "", fmt.Sprintf("%q is not an option for %s.", c, v.Label)
		}
		if c != "" {
			parts = append(parts, v.Label+": "+c)
		}
	}
	return strings.Join(parts, " · "), ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Orders is one page (1-based) of a store's orders, newest first, 50 a page; status, when not
// empty, keeps the orders in that status.
func (m *Module) Orders(ctx context.Context, s *Store, status string, page int) (*orderPage, error) {
	os, total, err := listOrders(ctx, m.d.DB, s.Scope(), status, 50, (page-1)*50)
	if err != nil {
		return nil, err
	}
	if os == nil {
		os = []Order{}
	}
	return &orderPage{Orders: os, Total: total, Page: page}, nil
}

// Order is one of a store's orders, or ErrNoOrder.
func (m *Module) Order(ctx context.Context, s *Store, id int64) (*Order, error) {
	o, err := orderByID(ctx, m.d.DB, s.Scope(), id)
	return o, notFound(err, ErrNoOrder)
}

// SetOrderStatus moves an order along its lifecycle; anything else is ErrBadTransition.
func (m *Module) SetOrderStatus(ctx context.Context, t storeScope, orderID int64, next OrderStatus, tracking string) (*Order, error) {
	if err := needScope(t); err != nil {
		return nil, err
	}
	var out *Order
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		o, err := lockOrder(ctx, tx, t, orderID)
		if err != nil {
			return err
		}
		if !o.Status.CanBecome(next) {
			return fmt.Errorf("%w: %s → %s", ErrBadTransition, o.Status, next)
		}
		now := m.d.Clock.Now()
		o.Status, o.StatusChangedAt, o.UpdatedAt = next, now, now
		if tracking != "" {
			o.TrackingNumber = tracking
		}
		if err := updateOrderStatus(ctx, tx, t, o); err != nil {
			return err
		}
		// Stock goes back on the shelf when an order is cancelled or returned.
		if next == StatusCancelled || next == StatusReturned {
			for _, l := range o.Lines {
				if err := restockProduct(ctx, tx, t, l.ProductID, l.Quantity); err != nil {
					return err
				}
			}
		}
		out = o
		return nil
	})
	if err != nil {
		return nil, notFound(err, ErrNoOrder)
	}
	return out, nil
}

// orderDraft is the wa.me message of an order.
func orderDraft(s *Store, o *Order) rules.OrderDraft {
	d := rules.OrderDraft{StoreName: s.Name, OrderRef: o.Number, Delivery: o.DeliveryFeePaisa, BuyerNote: o.Notes}
	for _, l := range o.Lines {
		title := l.Title
		if l.Options != "" {
			title += " (" + l.Options + ")"
		}
		d.Lines = append(d.Lines, rules.OrderLine{Title: title, Quantity: l.Quantity, PricePaisa: l.UnitPaisa})
	}
	return d
}
