package snapify

// The AI content pipeline's job (docs/snapify.md, "AI content pipeline"): queued in the
// transaction that gives a product a photo, it runs modules/snapify/content's five stages and
// stores what they produce as suggestions (content_store.go), never over the seller's words.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/alorig/alorig/modules/snapify/content"
	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/platform"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"
)

// GenerateProductContentArgs runs the content pipeline for one product.
type GenerateProductContentArgs struct {
	ProductID int64 `json:"product_id"`
	StoreID   int64 `json:"store_id"`
}

func (GenerateProductContentArgs) Kind() string { return "snapify.generate_product_content" }

// InsertOpts: one run per product waits or runs at a time (a second photo added meanwhile is
// seen by that run, which reads the product when it starts); a finished run does not block the
// next upload's.
func (GenerateProductContentArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

type contentWorker struct {
	river.WorkerDefaults[GenerateProductContentArgs]
	m *Module
}

// Timeout covers five model calls with their retries (30 s each by default).
func (w *contentWorker) Timeout(*river.Job[GenerateProductContentArgs]) time.Duration {
	return 5 * time.Minute
}

func (w *contentWorker) Work(ctx context.Context, j *river.Job[GenerateProductContentArgs]) error {
	_, err := w.m.GenerateProductContent(ctx, j.Args.StoreID, j.Args.ProductID)
	return err
}

// registerContentWorkers is called from registerWorkers (jobs.go).
func (m *Module) registerContentWorkers() { river.AddWorker(m.d.Workers, &contentWorker{m: m}) }

// newAIClient is the process's AI client from config: the configured provider, or the offline
// rules without a key; speech-to-text whenever an OpenAI key is set.
func newAIClient(d platform.Deps) *ai.Client {
	if d.Config == nil {
		return ai.New(ai.Options{Clock: d.Clock, Log: d.Log})
	}
	return ai.FromConfig(d.Config.AI, d.Clock, d.Log)
}

// enqueueProductContent queues the pipeline for a product inside the transaction that gave it
// its photo, so the job exists exactly when the photo does.
func (m *Module) enqueueProductContent(ctx context.Context, tx bun.Tx, storeID, productID int64) error {
	if _, err := m.d.Jobs.InsertTx(ctx, tx, GenerateProductContentArgs{ProductID: productID, StoreID: storeID}, nil); err != nil {
		return fmt.Errorf("snapify: enqueue content generation of product %d: %w", productID, err)
	}
	return nil
}

// firstImageHash is the content hash of a product's first photo, or "".
func firstImageHash(p *Product) string {
	if len(p.Images) == 0 {
		return ""
	}
	return p.Images[0].Hash
}

// contentFailures, when set (tests), makes the named stages fail.
var contentFailures map[string]error

// GenerateProductContent runs the pipeline for a product and stores its suggestions. It is
// idempotent: a run is keyed by its source (the first photo and the voice note), and a source
// already stored is not run again, so a retried job adds nothing. It returns the number of
// suggestions written. A product deleted or without a photo is nothing to do.
func (m *Module) GenerateProductContent(ctx context.Context, storeID, productID int64) (int, error) {
	s, err := platformStore(ctx, m.d.DB, storeID)
	if errors.Is(err, database.ErrNotFound) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	p, err := productByID(ctx, m.d.DB, s.Scope(), productID)
	if errors.Is(err, database.ErrNotFound) || (err == nil && len(p.Images) == 0) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	voice, err := latestVoiceNote(ctx, m.d.DB, s.Scope(), productID)
	if err != nil {
		return 0, err
	}
	source := contentSource(p, voice)
	if done, err := suggestionsExist(ctx, m.d.DB, s.Scope(), productID, source); err != nil || done {
		return 0, err
	}
	photo, err := m.productPhoto(ctx, p)
	if err != nil {
		return 0, err
	}
	in := &content.Input{Title: p.Title, Description: p.Description, PricePaisa: p.PricePaisa, StoreName: s.Name, City: s.City,
		Lang: s.Lang, Photo: photo, StoreURL: m.productURL(s, p)}
	if p.CategoryID != nil {
		if c, err := categoryByID(ctx, m.d.DB, s.Scope(), *p.CategoryID); err == nil {
			in.Category = c.Name
		}
	}
	if voice != nil {
		in.Voice = &content.Voice{Transcript: voice.Transcript, MIME: voice.MIME, Language: voice.Language}
		if voice.Transcript == "" && voice.AudioKey != "" {
			if in.Voice.Audio, err = m.readObject(ctx, voice.AudioKey, 25<<20); err != nil {
				return 0, err
			}
		}
	}
	pipe := &content.Pipeline{AI: m.ai, Audit: m.contentAuditor(s.ID, productID), Fail: contentFailures}
	res := pipe.Run(ctx, in)

	var imageKey string
	if res.Social != nil {
		imageKey = fmt.Sprintf("%s/social/%d-%s.jpg", mediaPrefix(s.ID), productID, source)
		if err := m.files.Put(ctx, imageKey, res.Social.MIME, bytes.NewReader(res.Social.Image), int64(len(res.Social.Image))); err != nil {
			return 0, fmt.Errorf("snapify: store the social image of product %d: %w", productID, err)
		}
	}
	var n int
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		n, err = m.storeSuggestions(ctx, tx, s, productID, source, res, imageKey)
		return err
	})
	return n, err
}

// contentSource names what a run works from: the first photo's content hash and the newest
// voice note, so a new photo or note makes a new run and a retry does not.
func contentSource(p *Product, v *VoiceNote) string {
	h := sha256.New()
	h.Write([]byte("c1 " + p.Images[0].Hash))
	if v != nil {
		h.Write([]byte(" voice " + strconv.FormatInt(v.ID, 10)))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// productPhoto reads the first picture at the width a vision model needs (960 px when the
// upload has it, else the full copy).
func (m *Module) productPhoto(ctx context.Context, p *Product) (*ai.Image, error) {
	pic := p.Images[0]
	key := pic.FullKey()
	for _, w := range pic.Widths {
		if w == 960 {
			key = pic.VariantKey(w)
		}
	}
	data, err := m.readObject(ctx, key, ai.MaxImageBytes)
	if err != nil {
		return nil, err
	}
	return &ai.Image{MIME: http.DetectContentType(data), Data: data}, nil
}

func (m *Module) readObject(ctx context.Context, key string, limit int64) ([]byte, error) {
	rc, _, err := m.files.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("snapify: read %s: %w", key, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("snapify: read %s: %w", key, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("snapify: %s is larger than %d bytes", key, limit)
	}
	return data, nil
}

// productURL is the product page's public address.
func (m *Module) productURL(s *Store, p *Product) string {
	if d := s.ActiveDomain(); d != "" {
		return m.customOrigin(d) + "/" + p.Slug
	}
	return m.platformOrigin(nil) + "/" + s.Slug + "/" + p.Slug
}

// contentAuditor writes each AI call of the pipeline into content_ai_calls.
func (m *Module) contentAuditor(storeID, productID int64) ai.Auditor {
	return ai.AuditFunc(func(ctx context.Context, r *ai.Record) error {
		row := &contentAICall{StoreID: storeID, ProductID: productID, Task: r.Task, Provider: r.Provider, Model: r.Model,
			Output: r.Output, InputTokens: r.InputTokens, OutputTokens: r.OutputTokens, CostMicroUSD: r.CostMicroUSD, Priced: r.Priced,
			LatencyMS: r.Latency.Milliseconds(), Attempts: r.Attempts, Outcome: string(r.Outcome), Error: r.Error, Ephemeral: r.Ephemeral,
			CreatedAt: r.At}
		if len(r.Input) > 0 && json.Valid(r.Input) {
			row.Input = r.Input
		}
		_, err := m.d.DB.NewInsert().Model(row).Exec(ctx)
		return err
	})
}
