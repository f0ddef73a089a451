package snapify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/modules/snapify/content"
	"github.com/alorig/alorig/shared/ai/aitest"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// contentMu keeps the tests that set stage failures (package state) apart from the others.
var contentMu sync.Mutex

// redKurtaPNG is a product photo: a red garment in the middle of a white sheet.
func redKurtaPNG(w, h int) string {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{250, 250, 248, 255}
			if x > w/4 && x < 3*w/4 && y > h/6 && y < 5*h/6 {
				c = color.NRGBA{uint8(190 + x%20), 28, 40, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.String()
}

type contentEnv struct {
	env   *testkit.Env
	m     *snapify.Module
	auth  map[string]string
	tok   string
	media string
	store int64
}

func startContent(t *testing.T, opts ...testkit.EnvOption) *contentEnv {
	t.Helper()
	media := t.TempDir()
	env, m := start(t, append([]testkit.EnvOption{testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", media)}, opts...)...)
	tok := signIn(t, env, "03001239876")
	auth := bearer(tok)
	res, body := env.Do("POST", host, "/api/v1/stores", auth, `{"slug":"lawn-house","name":"Lawn House"}`)
	require.Equal(t, 201, res.StatusCode, body)
	res, body = env.Do("PATCH", host, "/api/v1/stores/lawn-house/settings", auth, `{"city":"Lahore"}`)
	require.Equal(t, 200, res.StatusCode, body)
	var id int64
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT id FROM stores WHERE slug = 'lawn-house'").Scan(context.Background(), &id))
	return &contentEnv{env: env, m: m, auth: auth, tok: tok, media: media, store: id}
}

// product uploads the photo and creates a product with it; it returns the product's id.
func (c *contentEnv) product(t *testing.T, fields string) int64 {
	t.Helper()
	res, body := c.env.Do("POST", host, "/api/v1/stores/lawn-house/images", map[string]string{"Authorization": "Bearer " + c.tok, "Content-Type": "image/png"}, redKurtaPNG(640, 640))
	require.Equal(t, 201, res.StatusCode, body)
	var up struct {
		Picture json.RawMessage `json:"picture"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &up))
	res, body = c.env.Do("POST", host, "/api/v1/stores/lawn-house/products", c.auth, `{`+fields+`,"images":[`+string(up.Picture)+`]}`)
	require.Equal(t, 201, res.StatusCode, body)
	var p struct {
		ID int64 `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &p))
	return p.ID
}

func (c *contentEnv) suggestions(t *testing.T, pid int64) map[string]snapify.Suggestion {
	t.Helper()
	res, body := c.env.Do("GET", host, fmt.Sprintf("/api/v1/stores/lawn-house/products/%d/suggestions", pid), c.auth, "")
	require.Equal(t, 200, res.StatusCode, body)
	var list struct {
		Suggestions []snapify.Suggestion `json:"suggestions"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	out := map[string]snapify.Suggestion{}
	for _, s := range list.Suggestions {
		if _, seen := out[s.Field]; !seen {
			out[s.Field] = s
		}
	}
	return out
}

func (c *contentEnv) productJSON(t *testing.T, pid int64) map[string]any {
	t.Helper()
	res, body := c.env.Do("GET", host, fmt.Sprintf("/api/v1/stores/lawn-house/products/%d", pid), c.auth, "")
	require.Equal(t, 200, res.StatusCode, body)
	var p map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &p))
	return p
}

func (c *contentEnv) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, c.env.Mounted("snapify").DB.NewRaw(q, args...).Scan(context.Background(), &n))
	return n
}

func TestContentPipelineOfflineSuggestsWithoutTouchingTheSellersText(t *testing.T) {
	contentMu.Lock()
	defer contentMu.Unlock()
	c := startContent(t)
	pid := c.product(t, `"title":"lawn kurta","description":"Stitched, size M.","price_paisa":350000`)
	// The job was queued in the product's transaction.
	require.Equal(t, 1, c.count(t, "SELECT count(*) FROM river_job WHERE kind = 'snapify.generate_product_content' AND args->>'product_id' = ?", fmt.Sprint(pid)))

	n, err := c.m.GenerateProductContent(context.Background(), c.store, pid)
	require.NoError(t, err)
	require.Positive(t, n)
	sg := c.suggestions(t, pid)

	// Stage 1, offline: the colour from the pixels, the category and material from the words.
	var attrs content.Analysis
	require.NoError(t, json.Unmarshal(sg["attributes"].Data, &attrs))
	require.Equal(t, content.Analysis{Category: "clothing", Colour: "red", Material: "lawn", Style: "casual"}, attrs)
	require.True(t, sg["attributes"].Offline)

	// Stage 3: the title is a suggestion beside the seller's; the seller's description stays.
	require.Equal(t, "pending", sg["title"].Status)
	require.Equal(t, "Red Lawn kurta", sg["title"].Value)
	require.Equal(t, "lawn kurta", sg["title"].Base)
	require.Equal(t, "pending", sg["description"].Status)
	require.Contains(t, sg["description"].Value, "Stitched, size M.")
	require.Contains(t, sg["description"].Value, "• Price: Rs 3,500")
	p := c.productJSON(t, pid)
	require.Equal(t, "lawn kurta", p["title"])
	require.Equal(t, "Stitched, size M.", p["description"])

	// Stage 4: empty SEO fields were filled (status applied), with keywords and city pages.
	require.Equal(t, "applied", sg["seo_title"].Status)
	require.Equal(t, "Red Lawn kurta | Lawn House", p["seo_title"])
	require.Equal(t, sg["seo_description"].Value, p["seo_description"])
	var seo struct {
		Keywords  []string           `json:"keywords"`
		CityPages []content.CityPage `json:"city_pages"`
		Schema    map[string]any     `json:"schema"`
	}
	require.NoError(t, json.Unmarshal(sg["seo"].Data, &seo))
	require.Contains(t, seo.Keywords, "red clothing")
	require.Equal(t, "Lahore", seo.CityPages[0].City)
	require.Equal(t, "3500.00", seo.Schema["offers"].(map[string]any)["price"])

	// Stage 5: a 1080×1080 JPEG that decodes, and a caption with the price.
	var social struct {
		Caption  string `json:"caption"`
		ImageKey string `json:"image_key"`
	}
	require.NoError(t, json.Unmarshal(sg["social"].Data, &social))
	require.Contains(t, social.Caption, "Rs 3,500")
	raw, err := os.ReadFile(filepath.Join(c.media, filepath.FromSlash(social.ImageKey)))
	require.NoError(t, err)
	img, err := jpeg.Decode(bytes.NewReader(raw))
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, 1080, 1080), img.Bounds())

	// The AI calls were audited in the module's table.
	require.Equal(t, 4, c.count(t, "SELECT count(*) FROM content_ai_calls WHERE product_id = ? AND outcome = 'ok'", pid))

	// A retried job adds nothing.
	before := c.count(t, "SELECT count(*) FROM product_suggestions WHERE product_id = ?", pid)
	n, err = c.m.GenerateProductContent(context.Background(), c.store, pid)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, before, c.count(t, "SELECT count(*) FROM product_suggestions WHERE product_id = ?", pid))
}

func TestSellerEditIsNeverOverwritten(t *testing.T) {
	contentMu.Lock()
	defer contentMu.Unlock()
	c := startContent(t)
	pid := c.product(t, `"title":"lawn kurta","description":"My words.","price_paisa":350000`)
	_, err := c.m.GenerateProductContent(context.Background(), c.store, pid)
	require.NoError(t, err)
	sg := c.suggestions(t, pid)
	path := fmt.Sprintf("/api/v1/stores/lawn-house/products/%d/suggestions/", pid)

	// The seller edits the title after the suggestion was made: accepting it as it is is refused.
	res, body := c.env.Do("PATCH", host, fmt.Sprintf("/api/v1/stores/lawn-house/products/%d", pid), c.auth, `{"title":"Kurta by me"}`)
	require.Equal(t, 200, res.StatusCode, body)
	require.True(t, c.suggestions(t, pid)["title"].Edited)
	res, body = c.env.Do("POST", host, fmt.Sprint(path, sg["title"].ID, "/accept"), c.auth, "")
	require.Equal(t, 409, res.StatusCode, body)
	require.Contains(t, body, "FIELD_EDITED")
	require.Equal(t, "Kurta by me", c.productJSON(t, pid)["title"])

	// Sending the text explicitly is the seller's own choice, applied through the product update.
	res, body = c.env.Do("POST", host, fmt.Sprint(path, sg["title"].ID, "/accept"), c.auth, `{"value":"Red lawn kurta (M)"}`)
	require.Equal(t, 200, res.StatusCode, body)
	require.Equal(t, "Red lawn kurta (M)", c.productJSON(t, pid)["title"])
	res, body = c.env.Do("POST", host, fmt.Sprint(path, sg["title"].ID, "/accept"), c.auth, "")
	require.Equal(t, 409, res.StatusCode, body)
	require.Contains(t, body, "SUGGESTION_DECIDED")

	// An unedited suggestion is accepted as it is.
	res, body = c.env.Do("POST", host, fmt.Sprint(path, sg["description"].ID, "/accept"), c.auth, "")
	require.Equal(t, 200, res.StatusCode, body)
	require.Equal(t, sg["description"].Value, c.productJSON(t, pid)["description"])

	// The seller rewrites the SEO title the pipeline filled in; a new photo's run leaves it alone.
	res, body = c.env.Do("PATCH", host, fmt.Sprintf("/api/v1/stores/lawn-house/products/%d", pid), c.auth, `{"seo_title":"My SEO title"}`)
	require.Equal(t, 200, res.StatusCode, body)
	res, body = c.env.Do("POST", host, "/api/v1/stores/lawn-house/images", map[string]string{"Authorization": "Bearer " + c.tok, "Content-Type": "image/png"}, redKurtaPNG(600, 640))
	require.Equal(t, 201, res.StatusCode, body)
	var up struct {
		Picture json.RawMessage `json:"picture"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &up))
	res, body = c.env.Do("PATCH", host, fmt.Sprintf("/api/v1/stores/lawn-house/products/%d", pid), c.auth, `{"images":[`+string(up.Picture)+`]}`)
	require.Equal(t, 200, res.StatusCode, body)
	n, err := c.m.GenerateProductContent(context.Background(), c.store, pid)
	require.NoError(t, err)
	require.Positive(t, n)
	require.Equal(t, "My SEO title", c.productJSON(t, pid)["seo_title"])
	require.Equal(t, "pending", c.suggestions(t, pid)["seo_title"].Status)
	// The earlier run's pending suggestions were replaced by the new run's.
	require.Equal(t, 0, c.count(t, "SELECT count(*) FROM product_suggestions WHERE product_id = ? AND source = ? AND status = 'pending'", pid, sg["seo_description"].Source))

	// Dismiss works once; another store's seller cannot see or touch these suggestions.
	res, body = c.env.Do("POST", host, fmt.Sprint(path, c.suggestions(t, pid)["seo_title"].ID, "/dismiss"), c.auth, "")
	require.Equal(t, 200, res.StatusCode, body)
	other := bearer(signIn(t, c.env, "03009990000"))
	res, body = c.env.Do("POST", host, "/api/v1/stores", other, `{"slug":"other-shop","name":"Other"}`)
	require.Equal(t, 201, res.StatusCode, body)
	res, _ = c.env.Do("GET", host, fmt.Sprintf("/api/v1/stores/lawn-house/products/%d/suggestions", pid), other, "")
	require.Equal(t, 404, res.StatusCode)
	res, _ = c.env.Do("GET", host, fmt.Sprintf("/api/v1/stores/other-shop/products/%d/suggestions", pid), other, "")
	require.Equal(t, 404, res.StatusCode)
}

func TestAFailedStageKeepsTheSellersTextAndIsRecorded(t *testing.T) {
	contentMu.Lock()
	defer contentMu.Unlock()
	c := startContent(t)
	pid := c.product(t, `"title":"lawn kurta","price_paisa":350000`)
	defer snapify.SetContentFailures(map[string]error{content.StageContent: errors.New("provider down")})()
	_, err := c.m.GenerateProductContent(context.Background(), c.store, pid)
	require.NoError(t, err)
	sg := c.suggestions(t, pid)
	require.Equal(t, "failed", sg["title"].Status)
	require.Equal(t, "provider down", sg["title"].Error)
	require.Equal(t, "failed", sg["description"].Status)
	p := c.productJSON(t, pid)
	require.Equal(t, "lawn kurta", p["title"])
	require.Equal(t, "", p["description"])
	require.Equal(t, "active", p["status"])
	// The stages after it carried on from the seller's own words.
	require.Equal(t, "applied", sg["seo_title"].Status)
	require.Equal(t, "info", sg["social"].Status)
	res, body := c.env.Do("POST", host, fmt.Sprintf("/api/v1/stores/lawn-house/products/%d/suggestions/%d/accept", pid, sg["title"].ID), c.auth, "")
	require.Equal(t, 409, res.StatusCode, body)
	require.Contains(t, body, "SUGGESTION_NOT_APPLICABLE")
}

func TestContentPipelineThroughAnthropicSendsThePhotoAndRejectsABadAnswer(t *testing.T) {
	contentMu.Lock()
	defer contentMu.Unlock()
	fake := aitest.NewAnthropic(t, "sk-ant-test")
	fake.Answer(func(prompt string) string {
		switch {
		case strings.Contains(prompt, "product photo"):
			return `{"category":"clothing","colour":"maroon","material":"khaddar","style":"traditional"}`
		case strings.Contains(prompt, "listing"):
			return `{"title":"Maroon Khaddar Kurta","description":"A warm khaddar kurta in deep maroon.","bullets":["Khaddar","Maroon"],"meta_description":"Maroon khaddar kurta, Rs 3,500, cash on delivery in Lahore."}`
		case strings.Contains(prompt, "product page"):
			return `{"meta_title":"Maroon Khaddar Kurta | Lawn House","meta_description":"Maroon khaddar kurta for Rs 3,500. Cash on delivery.","keywords":["khaddar kurta"],"city_pages":[]}`
		}
		return `{"caption":"too short"` // not JSON: the social stage's answer is refused
	})
	c := startContent(t, testkit.WithEnv("ALORIG_ANTHROPIC_API_KEY", "sk-ant-test"), testkit.WithEnv("ALORIG_ANTHROPIC_BASE_URL", fake.URL))
	pid := c.product(t, `"title":"kurta","price_paisa":350000`)
	_, err := c.m.GenerateProductContent(context.Background(), c.store, pid)
	require.NoError(t, err)
	reqs := fake.Requests()
	require.Len(t, reqs, 4)
	require.Len(t, reqs[0].Images, 1, "the photo goes to the vision model")
	require.Equal(t, "image/jpeg", reqs[0].Images[0].MIME)
	sg := c.suggestions(t, pid)
	require.Equal(t, "Maroon Khaddar Kurta", sg["title"].Value)
	require.Equal(t, "anthropic", sg["title"].Provider)
	require.False(t, sg["title"].Offline)
	require.Equal(t, "failed", sg["social"].Status)
	require.Contains(t, sg["social"].Error, "does not match the requested schema")
	require.Equal(t, 1, c.count(t, "SELECT count(*) FROM content_ai_calls WHERE product_id = ? AND outcome = 'invalid_output'", pid))
}
