// Package content is Snapify's AI content pipeline: from a product's photo, the seller's own
// words (caption, title, an optional voice note) and the store's language and city, five
// stages produce suggestions the seller accepts, edits or dismisses:
//
//  1. image analysis: a vision model reads the photo → category, colour, material, style;
//  2. voice processing: a voice note attached to the product → its transcript (Whisper);
//  3. content generation: title, description, bullet points and a meta description, in Urdu or
//     English as the store is set;
//  4. SEO: meta title and description, keywords, the cities to build delivery pages for, and
//     the Product schema.org fields;
//  5. social content: a square post image with the title and price drawn over the photo, and a
//     caption.
//
// Every model call goes through shared/ai with a JSON schema (the answer is validated, never
// repaired) and offline rules, so the pipeline gives real, deterministic results with no key
// configured. A stage that fails is recorded as failed and the stages after it carry on with
// what they have; nothing here touches the product: the caller stores the results as
// suggestions and the seller's own text stays as it is.
package content

import (
	"context"
	"errors"
	"time"

	"github.com/alorig/alorig/shared/ai"
)

// Stage names, as suggestions and the audit record them.
const (
	StageAnalysis = "analysis"
	StageVoice    = "voice"
	StageContent  = "content"
	StageSEO      = "seo"
	StageSocial   = "social"
)

// Input is what the pipeline works from.
type Input struct {
	// The seller's own words. Title is required; the rest may be empty.
	Title       string
	Description string
	Caption     string // the WhatsApp caption or upload note, when there was one
	PricePaisa  int64
	Category    string // the store category's name, if the product has one
	// The store.
	StoreName string
	City      string
	Lang      string // "ur" or "en"
	StoreURL  string // the product page's address, for captions and schema
	// Photo is the product's first picture (JPEG or PNG), for the vision model and the post.
	Photo *ai.Image
	// Voice is a voice note attached to the product, if any.
	Voice *Voice
}

// Voice is a voice note: its transcript when already known (the WhatsApp bot transcribes on
// arrival), else the audio to transcribe.
type Voice struct {
	Transcript string
	Audio      []byte
	MIME       string
	Language   string // ISO-639-1 hint
}

// Run is how one stage went.
type Run struct {
	Stage        string        `json:"stage"`
	OK           bool          `json:"ok"`
	Skipped      bool          `json:"skipped,omitempty"` // nothing to do (no voice note)
	Error        string        `json:"error,omitempty"`
	Provider     string        `json:"provider,omitempty"`
	Model        string        `json:"model,omitempty"`
	Offline      bool          `json:"offline"`
	CostMicroUSD int64         `json:"cost_micro_usd"`
	Latency      time.Duration `json:"latency_ns"`
}

// Result is the pipeline's output: each stage's value (nil when it failed or was skipped) and
// how each stage went, in order.
type Result struct {
	Analysis   *Analysis
	Transcript string
	Content    *Generated
	SEO        *SEO
	Social     *Social
	Runs       []Run
}

// Run returns the record of stage name.
func (r *Result) Run(name string) Run {
	for _, x := range r.Runs {
		if x.Stage == name {
			return x
		}
	}
	return Run{Stage: name}
}

// Pipeline runs the five stages through one AI client.
type Pipeline struct {
	AI    *ai.Client
	Audit ai.Auditor // records every call (nil: none)
	// Fail, when set, makes the named stage fail with this error before it runs (tests and
	// the operator's kill switch use it to prove a failed stage keeps the seller's text).
	Fail map[string]error
}

// ErrNoPhoto: the product has no photo, so there is nothing to analyse or post.
var ErrNoPhoto = errors.New("content: the product has no photo")

// Run runs every stage; it never fails as a whole: each stage's failure is in Result.Runs.
func (p *Pipeline) Run(ctx context.Context, in *Input) *Result {
	res := &Result{}
	step := func(name string, fn func() (*Run, error)) {
		started := time.Now()
		var r *Run
		err := p.Fail[name]
		if err == nil {
			r, err = fn()
		}
		if r == nil {
			r = &Run{}
		}
		r.Stage, r.Latency = name, time.Since(started)
		if errors.Is(err, errSkip) {
			r.Skipped, err = true, nil
		} else if err == nil {
			r.OK = true
		} else {
			r.Error = err.Error()
		}
		res.Runs = append(res.Runs, *r)
	}
	step(StageAnalysis, func() (*Run, error) {
		a, r, err := p.analyse(ctx, in)
		res.Analysis = a
		return r, err
	})
	step(StageVoice, func() (*Run, error) {
		t, r, err := p.transcribe(ctx, in)
		res.Transcript = t
		return r, err
	})
	step(StageContent, func() (*Run, error) {
		g, r, err := p.generate(ctx, in, res.Analysis, res.Transcript)
		res.Content = g
		return r, err
	})
	step(StageSEO, func() (*Run, error) {
		s, r, err := p.optimise(ctx, in, res.Analysis, res.Content)
		res.SEO = s
		return r, err
	})
	step(StageSocial, func() (*Run, error) {
		s, r, err := p.social(ctx, in, res.Analysis, res.Content)
		res.Social = s
		return r, err
	})
	return res
}

var errSkip = errors.New("content: stage skipped")

// runOf records an AI response in a stage's Run.
func runOf(resp *ai.Response) *Run {
	if resp == nil {
		return &Run{}
	}
	return &Run{Provider: resp.Provider, Model: resp.Model, Offline: resp.Offline, CostMicroUSD: resp.CostMicroUSD}
}

// urdu reports whether the store writes in Urdu.
func urdu(in *Input) bool { return in.Lang == "ur" }
