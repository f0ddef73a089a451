package ai_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/ai/aitest"
	"github.com/stretchr/testify/require"
)

var attrSchema = ai.MustSchema("attributes", `{"type":"object","additionalProperties":false,"required":["colour"],
 "properties":{"colour":{"type":"string"}}}`)

func testJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, nil))
	return buf.Bytes()
}

func testPNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.NRGBA{R: 255, A: 255})
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

func visionReq(imgs ...ai.Image) *ai.Request {
	return &ai.Request{Task: "test.vision", Prompt: "Which colour is the product?", Input: json.RawMessage(`{"caption":"red kurta"}`),
		Images: imgs, Schema: attrSchema, MaxTokens: 100}
}

func TestImagesReachAnthropicAsBase64ContentBlocks(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c, fake := anthropicClient(t, rec, 5*time.Second)
	fake.Enqueue(aitest.Text(`{"colour":"grey"}`))
	j, p := testJPEG(t), testPNG(t)
	resp, err := c.Call(context.Background(), visionReq(ai.Image{MIME: "image/jpeg", Data: j}, ai.Image{MIME: "image/png", Data: p}), rec)
	require.NoError(t, err)
	require.JSONEq(t, `{"colour":"grey"}`, string(resp.JSON))
	reqs := fake.Requests()
	require.Len(t, reqs, 1)
	require.Len(t, reqs[0].Images, 2)
	require.Equal(t, "image/jpeg", reqs[0].Images[0].MIME)
	require.Equal(t, j, reqs[0].Images[0].Data)
	require.Equal(t, "image/png", reqs[0].Images[1].MIME)
	require.Equal(t, p, reqs[0].Images[1].Data)
	require.Contains(t, reqs[0].Prompt, `"caption":"red kurta"`)
	// The audit keeps the structured input, never the pictures' bytes.
	require.Len(t, rec.records, 1)
	require.JSONEq(t, `{"caption":"red kurta"}`, string(rec.records[0].Input))
}

func TestImagesReachOpenAIAsDataURLs(t *testing.T) {
	t.Parallel()
	fake := aitest.NewOpenAI(t, "sk-test")
	p := ai.NewOpenAI(ai.OpenAIConfig{APIKey: "sk-test", BaseURL: fake.URL + "/v1", Model: "gpt-4.1-mini"})
	c := ai.New(ai.Options{Provider: p, Timeout: 5 * time.Second})
	fake.Enqueue(aitest.Text(`{"colour":"red"}`))
	png := testPNG(t)
	_, err := c.Call(context.Background(), visionReq(ai.Image{MIME: "image/png", Data: png}), nil)
	require.NoError(t, err)
	reqs := fake.Requests()
	require.Len(t, reqs, 1)
	require.Len(t, reqs[0].Images, 1)
	require.Equal(t, png, reqs[0].Images[0].Data)
	require.Contains(t, reqs[0].Prompt, "Which colour")
	// A text-only call still sends the user turn as a plain string.
	fake.Enqueue(aitest.Text(`{"colour":"red"}`))
	_, err = c.Call(context.Background(), visionReq(), nil)
	require.NoError(t, err)
	var s string
	require.NoError(t, json.Unmarshal(fake.Requests()[1].Messages[0].Content, &s))
}

func TestBadImagesAreRefusedBeforeAnyProviderCall(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c, fake := anthropicClient(t, rec, 5*time.Second)
	cases := map[string]ai.Image{
		"mislabelled": {MIME: "image/jpeg", Data: testPNG(t)},
		"bmp":         {MIME: "image/bmp", Data: []byte("BM....")},
		"empty":       {MIME: "image/png"},
		"too large":   {MIME: "image/jpeg", Data: append(testJPEG(t), make([]byte, ai.MaxImageBytes)...)},
	}
	for name, im := range cases {
		_, err := c.Call(context.Background(), visionReq(im), rec)
		require.ErrorIs(t, err, ai.ErrInvalidRequest, name)
	}
	require.Zero(t, fake.Calls())
	require.Len(t, rec.records, len(cases))
	require.Equal(t, ai.OutcomeBadRequest, rec.records[0].Outcome)
}

func TestAnthropicFakeRefusesAMalformedImageBlock(t *testing.T) {
	t.Parallel()
	fake := aitest.NewAnthropic(t, "k")
	body := `{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"bm90IGEgcG5n"}},{"type":"text","text":"hi"}]}]}`
	req, _ := newJSONRequest(fake.URL+"/v1/messages", body)
	req.Header.Set("x-api-key", "k")
	req.Header.Set("anthropic-version", "2023-06-01")
	res, err := fake.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, 400, res.StatusCode)
	b, _ := io.ReadAll(res.Body)
	require.Contains(t, string(b), "does not match the provided media type image/png")
}
