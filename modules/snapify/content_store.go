package snapify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alorig/alorig/modules/snapify/content"
	"github.com/alorig/alorig/modules/snapify/social"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

// Suggestion is one thing the AI content pipeline proposes for a product.
type Suggestion struct {
	bun.BaseModel `bun:"table:product_suggestions"`
	ID            int64 `bun:"id,pk,autoincrement" json:"id"`
	StoreID       int64 `bun:"store_id" json:"-"`
	ProductID     int64 `bun:"product_id" json:"product_id"`
	// Source names the run (its photo and voice note).
	Source string `bun:"source" json:"source"`
	Stage  string `bun:"stage" json:"stage" enum:"analysis,voice,content,seo,social"`
	// Field is the product field a suggestion would change (title, description, seo_title,
	// seo_description), or what an informational one carries (attributes, transcript, seo,
	// social).
	Field string `bun:"field" json:"field" enum:"attributes,transcript,title,description,seo_title,seo_description,seo,social"`
	Value string `bun:"value" json:"value"`
	// Base is the product's field when the suggestion was made.
	Base string          `bun:"base" json:"base"`
	Data json.RawMessage `bun:"data,type:jsonb" json:"data" doc:"attributes, bullets, keywords, city pages, schema.org fields, the social post's caption and image"`
	// Status: pending (awaits the seller), applied (filled a field the seller had left empty),
	// accepted, dismissed, failed (the stage failed: Error says why; the seller's text stays),
	// superseded (a newer run replaced it), info (shown, nothing to apply).
	Status       string     `bun:"status" json:"status" enum:"pending,applied,accepted,dismissed,failed,superseded,info"`
	Error        string     `bun:"error" json:"error,omitempty"`
	Provider     string     `bun:"provider" json:"provider"`
	Model        string     `bun:"model" json:"model"`
	Offline      bool       `bun:"offline" json:"offline"`
	CostMicroUSD int64      `bun:"cost_micro_usd" json:"cost_micro_usd"`
	CreatedAt    time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt    time.Time  `bun:"updated_at" json:"updated_at"`
	DecidedAt    *time.Time `bun:"decided_at" json:"decided_at,omitempty"`
	// Current is the product's field now; Edited is true when the seller changed it after the
	// suggestion was made (accepting it as it is is then refused).
	Current string `bun:"-" json:"current"`
	Edited  bool   `bun:"-" json:"edited"`
}

// VoiceNote is a voice note attached to a product.
type VoiceNote struct {
	bun.BaseModel `bun:"table:product_voice_notes"`
	ID            int64     `bun:"id,pk,autoincrement"`
	StoreID       int64     `bun:"store_id"`
	ProductID     int64     `bun:"product_id"`
	AudioKey      string    `bun:"audio_key"`
	MIME          string    `bun:"mime"`
	Language      string    `bun:"language"`
	Transcript    string    `bun:"transcript"`
	CreatedAt     time.Time `bun:"created_at"`
}

type contentAICall struct {
	bun.BaseModel `bun:"table:content_ai_calls"`
	ID            int64           `bun:"id,pk,autoincrement"`
	StoreID       int64           `bun:"store_id"`
	ProductID     int64           `bun:"product_id"`
	Task          string          `bun:"task"`
	Provider      string          `bun:"provider"`
	Model         string          `bun:"model"`
	Input         json.RawMessage `bun:"input,type:jsonb"`
	Output        string          `bun:"output"`
	InputTokens   int64           `bun:"input_tokens"`
	OutputTokens  int64           `bun:"output_tokens"`
	CostMicroUSD  int64           `bun:"cost_micro_usd"`
	Priced        bool            `bun:"priced"`
	LatencyMS     int64           `bun:"latency_ms"`
	Attempts      int             `bun:"attempts"`
	Outcome       string          `bun:"outcome"`
	Error         string          `bun:"error"`
	Ephemeral     bool            `bun:"ephemeral"`
	CreatedAt     time.Time       `bun:"created_at"`
}

// applicable are the suggestion fields that change a product field.
var applicable = map[string]bool{"title": true, "description": true, "seo_title": true, "seo_description": true}

// autoFilled are the fields a run fills by itself when the seller left them empty (or when
// they still hold the pipeline's own earlier text). The title is always the seller's.
var autoFilled = map[string]bool{"description": true, "seo_title": true, "seo_description": true}

func productField(p *Product, field string) string {
	switch field {
	case "title":
		return p.Title
	case "description":
		return p.Description
	case "seo_title":
		return p.SEOTitle
	case "seo_description":
		return p.SEODescription
	}
	return ""
}

func setProductField(p *Product, field, v string) {
	switch field {
	case "title":
		p.Title = v
	case "description":
		p.Description = v
	case "seo_title":
		p.SEOTitle = v
	case "seo_description":
		p.SEODescription = v
	}
}

func latestVoiceNote(ctx context.Context, db bun.IDB, t storeScope, productID int64) (*VoiceNote, error) {
	v := new(VoiceNote)
	err := tenant.Select(db.NewSelect().Model(v), t, "store_id").Where("product_id = ?", productID).OrderExpr("id DESC").Limit(1).Scan(ctx)
	if errors.Is(database.NoRows(err), database.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("snapify: voice note of product %d: %w", productID, err)
	}
	return v, nil
}

func suggestionsExist(ctx context.Context, db bun.IDB, t storeScope, productID int64, source string) (bool, error) {
	return tenant.Select(db.NewSelect().Model((*Suggestion)(nil)), t, "store_id").
		Where("product_id = ? AND source = ?", productID, source).Exists(ctx)
}

// AttachVoiceNote attaches a voice note to a product (its transcript when already known, else
// the audio, stored under the store's prefix) and queues the pipeline again, in tx.
func (m *Module) AttachVoiceNote(ctx context.Context, tx bun.Tx, s *Store, productID int64, audio []byte, mime, language, transcript string) error {
	t := s.Scope()
	if err := needScope(t); err != nil {
		return err
	}
	if _, err := productByID(ctx, tx, t, productID); err != nil {
		return notFound(err, ErrNoProduct)
	}
	now := m.d.Clock.Now()
	v := &VoiceNote{StoreID: t.ID(), ProductID: productID, MIME: mime, Language: language, Transcript: strings.TrimSpace(transcript), CreatedAt: now}
	if v.Transcript == "" {
		if len(audio) == 0 {
			return errors.New("snapify: a voice note needs its audio or its transcript")
		}
		v.AudioKey = fmt.Sprintf("%s/voice/%d-%d.ogg", mediaPrefix(t.ID()), productID, now.UnixNano())
		if err := m.files.Put(ctx, v.AudioKey, mime, strings.NewReader(string(audio)), int64(len(audio))); err != nil {
			return fmt.Errorf("snapify: store voice note: %w", err)
		}
	}
	if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
		return fmt.Errorf("snapify: attach voice note to product %d: %w", productID, err)
	}
	return m.enqueueProductContent(ctx, tx, t.ID(), productID)
}

// storeSuggestions writes a run's results for the product, in tx: one row per field, each
// inserted once per source (a retried run inserts nothing twice), older pending rows of the
// same fields superseded, and the auto-filled fields applied only where the product's field
// is still empty or still holds the pipeline's own earlier text, checked under the product's
// row lock, so a seller's edit is never overwritten.
func (m *Module) storeSuggestions(ctx context.Context, tx bun.Tx, s *Store, productID int64, source string, res *content.Result, imageKey string) (int, error) {
	t := s.Scope()
	p, err := lockProduct(ctx, tx, t, productID)
	if errors.Is(err, database.ErrNotFound) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	now := m.d.Clock.Now()
	var rows []*Suggestion
	add := func(stage, field, value string, data any, status string) {
		run := res.Run(stage)
		sg := &Suggestion{StoreID: t.ID(), ProductID: productID, Source: source, Stage: stage, Field: field, Value: value,
			Base: productField(p, field), Data: json.RawMessage(`{}`), Status: status, Provider: run.Provider, Model: run.Model,
			Offline: run.Offline, CostMicroUSD: run.CostMicroUSD, CreatedAt: now, UpdatedAt: now}
		if data != nil {
			sg.Data, _ = json.Marshal(data)
		}
		if !run.OK {
			sg.Status, sg.Error, sg.Value = "failed", run.Error, ""
		}
		rows = append(rows, sg)
	}
	add(content.StageAnalysis, "attributes", "", res.Analysis, "info")
	if !res.Run(content.StageVoice).Skipped {
		add(content.StageVoice, "transcript", res.Transcript, nil, "info")
	}
	if g := res.Content; g != nil {
		add(content.StageContent, "title", g.Title, nil, "pending")
		desc := g.Description
		if len(g.Bullets) > 0 {
			desc += "\n\n• " + strings.Join(g.Bullets, "\n• ")
		}
		if utf8.RuneCountInString(desc) > 5000 {
			desc = g.Description
		}
		add(content.StageContent, "description", desc, map[string]any{"bullets": g.Bullets, "meta_description": g.MetaDescription}, "pending")
	} else {
		add(content.StageContent, "title", "", nil, "pending")
		add(content.StageContent, "description", "", nil, "pending")
	}
	if o := res.SEO; o != nil {
		add(content.StageSEO, "seo_title", o.MetaTitle, nil, "pending")
		add(content.StageSEO, "seo_description", o.MetaDescription, nil, "pending")
		add(content.StageSEO, "seo", "", map[string]any{"keywords": o.Keywords, "city_pages": o.CityPages, "schema": o.Schema}, "info")
	} else {
		add(content.StageSEO, "seo", "", nil, "info")
	}
	var caption string
	if so := res.Social; so != nil {
		caption = so.Caption
		if len(so.Hashtags) > 0 {
			caption += "\n\n" + strings.Join(so.Hashtags, " ")
		}
		if utf8.RuneCountInString(caption) > social.MaxCaption {
			caption = so.Caption
		}
		add(content.StageSocial, "social", caption, map[string]any{"caption": so.Caption, "hashtags": so.Hashtags, "image_key": imageKey,
			"image_url": m.files.URL(imageKey), "width": so.Width, "height": so.Height, "mime": so.MIME}, "info")
	} else {
		add(content.StageSocial, "social", "", nil, "info")
	}

	var n int
	changed := false
	for _, sg := range rows {
		if sg.Status == "pending" && autoFilled[sg.Field] {
			own, err := m.pipelineText(ctx, tx, t, productID, sg.Field)
			if err != nil {
				return 0, err
			}
			if cur := productField(p, sg.Field); cur == "" || (own != "" && cur == own) {
				sg.Status = "applied"
			}
		}
		res, err := tx.NewInsert().Model(sg).On("CONFLICT (product_id, source, field) DO NOTHING").Exec(ctx)
		if err != nil {
			return 0, fmt.Errorf("snapify: store suggestion %s of product %d: %w", sg.Field, productID, err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			continue // this source's row was stored by an earlier attempt
		}
		n++
		if _, err := tenant.Filter(tx.NewUpdate().Model((*Suggestion)(nil)), t, "store_id").Set("status = 'superseded'").Set("updated_at = ?", now).
			Where("product_id = ? AND field = ? AND source <> ? AND status = 'pending'", productID, sg.Field, source).Exec(ctx); err != nil {
			return 0, err
		}
		if sg.Status == "applied" {
			setProductField(p, sg.Field, sg.Value)
			changed = true
		}
	}
	if changed {
		p.UpdatedAt = now
		if err := updateProduct(ctx, tx, t, p); err != nil {
			return 0, err
		}
		if err := m.invalidateTx(ctx, tx, s); err != nil {
			return 0, err
		}
	}
	if n > 0 && res.Social != nil && imageKey != "" {
		if err := m.queueSocialPost(ctx, tx, t.ID(), productID, caption, imageKey); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// pipelineText is the text the pipeline last put in a product field by itself, or "".
func (m *Module) pipelineText(ctx context.Context, db bun.IDB, t storeScope, productID int64, field string) (string, error) {
	var v []string
	err := tenant.Select(db.NewSelect().Model((*Suggestion)(nil)).Column("value"), t, "store_id").
		Where("product_id = ? AND field = ? AND status = 'applied'", productID, field).OrderExpr("id DESC").Limit(1).Scan(ctx, &v)
	if err != nil || len(v) == 0 {
		return "", err
	}
	return v[0], nil
}
