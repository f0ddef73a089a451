package snapify

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"
)

// The seller's side of the AI content pipeline: a product's suggestions, and accepting
// (optionally edited) or dismissing each. Accepting applies the value through UpdateProduct,
// the service the seller API's product edits use.

var (
	ErrNoSuggestion = errors.New("no such suggestion for this product")
	// ErrSuggestionDecided: the suggestion was accepted, dismissed or replaced already.
	ErrSuggestionDecided = errors.New("this suggestion was already accepted, dismissed or replaced by a newer one")
	// ErrSuggestionInfo: failed and informational suggestions change no field.
	ErrSuggestionInfo = errors.New("this suggestion changes no product field (it failed, or it is information only); dismiss it instead")
	// ErrFieldEdited: the seller changed the field after the suggestion was made.
	ErrFieldEdited = errors.New("you changed this field after the suggestion was made, so it is not applied over your edit; send the text you want as value to apply it")
)

// contentRoutes mounts /products/{id}/suggestions… on the catalog group (routes.go).
func (m *Module) contentRoutes(g *web.APIRoutes) {
	g.GET("/products/:product_id/suggestions", m.withStore(m.apiSuggestions), listSuggestionsOp)
	g.POST("/products/:product_id/suggestions/:suggestion_id/accept", m.withStore(m.apiAcceptSuggestion), acceptSuggestionOp)
	g.POST("/products/:product_id/suggestions/:suggestion_id/dismiss", m.withStore(m.apiDismissSuggestion), dismissSuggestionOp)
}

type suggestionList struct {
	Suggestions []Suggestion `json:"suggestions"`
}

// AcceptSuggestionInput is the body of an accept: value, when given, is the seller's edited
// text, applied instead of the suggestion's.
type AcceptSuggestionInput struct {
	Value *string `json:"value,omitempty" doc:"the seller's edited text; omitted: the suggestion as it is"`
}

// Suggestions lists a product's suggestions, newest first, without the superseded ones.
func (m *Module) Suggestions(ctx context.Context, s *Store, productID int64) ([]Suggestion, error) {
	p, err := m.Product(ctx, s, productID)
	if err != nil {
		return nil, err
	}
	out := []Suggestion{}
	err = tenant.Select(m.d.DB.NewSelect().Model(&out), s.Scope(), "store_id").
		Where("product_id = ? AND status <> 'superseded'", productID).OrderExpr("id DESC").Limit(200).Scan(ctx)
	for i := range out {
		markEdited(&out[i], p)
	}
	return out, err
}

func markEdited(sg *Suggestion, p *Product) {
	if !applicable[sg.Field] {
		return
	}
	sg.Current = productField(p, sg.Field)
	switch sg.Status {
	case "pending":
		sg.Edited = sg.Current != sg.Base
	case "applied":
		sg.Edited = sg.Current != sg.Value
	}
}

// AcceptSuggestion applies a suggestion (or the seller's edit of it, value) to the product.
// Without value, a suggestion whose field the seller changed since it was made is refused
// (ErrFieldEdited): the AI never writes over the seller's edit.
func (m *Module) AcceptSuggestion(ctx context.Context, s *Store, productID, id int64, value *string) (*Suggestion, error) {
	sg, p, err := m.suggestion(ctx, s, productID, id)
	if err != nil {
		return nil, err
	}
	if !applicable[sg.Field] || sg.Status == "failed" {
		return nil, ErrSuggestionInfo
	}
	if sg.Status != "pending" && sg.Status != "applied" {
		return nil, ErrSuggestionDecided
	}
	markEdited(sg, p)
	v := sg.Value
	if value != nil {
		v = strings.TrimSpace(*value)
	} else if sg.Edited {
		return nil, ErrFieldEdited
	}
	in := ProductInput{}
	switch sg.Field {
	case "title":
		in.Title = &v
	case "description":
		in.Description = &v
	case "seo_title":
		in.SEOTitle = &v
	case "seo_description":
		in.SEODescription = &v
	}
	if errs := in.Validate(); len(errs) > 0 {
		for i := range errs {
			errs[i].Field = "value"
		}
		return nil, web.Invalid(errs...)
	}
	if _, err := m.UpdateProduct(ctx, s, productID, in); err != nil {
		return nil, err
	}
	return m.decide(ctx, s, sg, "accepted", v)
}

// DismissSuggestion sets a suggestion aside. Dismissing text the pipeline filled in by itself
// (status applied) empties the field again, unless the seller has edited it since.
func (m *Module) DismissSuggestion(ctx context.Context, s *Store, productID, id int64) (*Suggestion, error) {
	sg, p, err := m.suggestion(ctx, s, productID, id)
	if err != nil {
		return nil, err
	}
	switch sg.Status {
	case "pending", "info", "failed":
	case "applied":
		if productField(p, sg.Field) == sg.Value {
			base := sg.Base
			in := ProductInput{}
			switch sg.Field {
			case "description":
				in.Description = &base
			case "seo_title":
				in.SEOTitle = &base
			case "seo_description":
				in.SEODescription = &base
			}
			if _, err := m.UpdateProduct(ctx, s, productID, in); err != nil {
				return nil, err
			}
		}
	default:
		return nil, ErrSuggestionDecided
	}
	return m.decide(ctx, s, sg, "dismissed", sg.Value)
}

func (m *Module) suggestion(ctx context.Context, s *Store, productID, id int64) (*Suggestion, *Product, error) {
	p, err := m.Product(ctx, s, productID)
	if err != nil {
		return nil, nil, err
	}
	sg := new(Suggestion)
	if err := tenant.Select(m.d.DB.NewSelect().Model(sg), s.Scope(), "store_id").Where("product_id = ? AND id = ?", productID, id).Scan(ctx); err != nil {
		return nil, nil, notFound(database.NoRows(err), ErrNoSuggestion)
	}
	return sg, p, nil
}

// decide records the seller's decision, if the suggestion is still undecided (a concurrent
// decision wins once).
func (m *Module) decide(ctx context.Context, s *Store, sg *Suggestion, status, value string) (*Suggestion, error) {
	now := m.d.Clock.Now()
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tenant.Filter(tx.NewUpdate().Model(sg), s.Scope(), "store_id").Set("status = ?", status).Set("value = ?", value).
			Set("updated_at = ?", now).Set("decided_at = ?", now).WherePK().Where("status = ?", sg.Status).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrSuggestionDecided
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sg.Status, sg.Value, sg.UpdatedAt, sg.DecidedAt = status, value, now, &now
	return sg, nil
}

func (m *Module) apiSuggestions(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	list, err := m.Suggestions(c.Request().Context(), s, id)
	if err != nil {
		return contentProblem(err)
	}
	return c.JSON(http.StatusOK, suggestionList{Suggestions: list})
}

func (m *Module) apiAcceptSuggestion(c echo.Context, s *Store) error {
	pid, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	sid, err := web.PathID(c, "suggestion_id")
	if err != nil {
		return err
	}
	var in AcceptSuggestionInput
	if c.Request().ContentLength != 0 {
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
	}
	sg, err := m.AcceptSuggestion(c.Request().Context(), s, pid, sid, in.Value)
	if err != nil {
		return contentProblem(err)
	}
	return c.JSON(http.StatusOK, sg)
}

func (m *Module) apiDismissSuggestion(c echo.Context, s *Store) error {
	pid, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	sid, err := web.PathID(c, "suggestion_id")
	if err != nil {
		return err
	}
	sg, err := m.DismissSuggestion(c.Request().Context(), s, pid, sid)
	if err != nil {
		return contentProblem(err)
	}
	return c.JSON(http.StatusOK, sg)
}

func contentProblem(err error) error {
	switch {
	case errors.Is(err, ErrNoSuggestion):
		return web.NotFound(ErrNoSuggestion.Error())
	case errors.Is(err, ErrSuggestionDecided):
		return web.Conflict(ErrSuggestionDecided.Error()).WithCode("SUGGESTION_DECIDED")
	case errors.Is(err, ErrSuggestionInfo):
		return web.Conflict(ErrSuggestionInfo.Error()).WithCode("SUGGESTION_NOT_APPLICABLE")
	case errors.Is(err, ErrFieldEdited):
		return web.Conflict(ErrFieldEdited.Error()).WithCode("FIELD_EDITED")
	}
	return problem(err)
}

var (
	listSuggestionsOp = web.Operation{Summary: "The AI content pipeline's suggestions for a product, newest first",
		Description: "Each suggestion names the product field it would change (or carries information: attributes, transcript, seo, social), " +
			"the field's value when it was made (base) and now (current), and edited when the seller changed the field since. " +
			"status failed means the stage failed (error says why) and the seller's own text stays.",
		Responses: web.OK(suggestionList{}), Problems: inStore}
	acceptSuggestionOp = web.Operation{Summary: "Accept a suggestion, optionally edited (value), through the product update",
		Description: "409 FIELD_EDITED when the seller changed the field after the suggestion was made and no value is sent; " +
			"409 SUGGESTION_DECIDED once accepted, dismissed or replaced; 409 SUGGESTION_NOT_APPLICABLE for a failed or informational one.",
		Request: AcceptSuggestionInput{}, Responses: web.OK(Suggestion{}), Problems: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}}
	dismissSuggestionOp = web.Operation{Summary: "Dismiss a suggestion; text the pipeline filled into an empty field is removed again unless edited since",
		Responses: web.OK(Suggestion{}), Problems: []int{http.StatusNotFound, http.StatusConflict}}
)
