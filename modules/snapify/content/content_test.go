package content_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/alorig/alorig/modules/snapify/content"
	"github.com/alorig/alorig/shared/ai"
	"github.com/stretchr/testify/require"
)

func photo(t *testing.T, w, h int, c color.NRGBA) *ai.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{245, 245, 245, 255})
			if x > w/4 && x < 3*w/4 && y > h/5 && y < 4*h/5 {
				img.Set(x, y, c)
			}
		}
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}))
	return &ai.Image{MIME: "image/jpeg", Data: buf.Bytes()}
}

func TestOfflinePipelineProducesValidatedStages(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ur"} {
		p := &content.Pipeline{AI: ai.New(ai.Options{})}
		in := &content.Input{Title: "Chiffon dupatta", Description: "Soft, 2.5 m.", PricePaisa: 120000, StoreName: "Noor Fabrics",
			City: "Multan", Lang: lang, StoreURL: "https://snapify.pk/noor/chiffon-dupatta", Photo: photo(t, 800, 600, color.NRGBA{30, 60, 190, 255}),
			Voice: &content.Voice{Transcript: "بالکل نیا مال"}}
		res := p.Run(context.Background(), in)
		for _, r := range res.Runs {
			require.True(t, r.OK, "%s %s: %s", lang, r.Stage, r.Error)
			require.True(t, r.Offline || r.Stage == content.StageVoice, r.Stage)
		}
		require.Equal(t, &content.Analysis{Category: "clothing", Colour: "blue", Material: "chiffon", Style: "casual"}, res.Analysis)
		require.Equal(t, "بالکل نیا مال", res.Transcript)
		require.Contains(t, res.Content.Description, "بالکل نیا مال")
		require.LessOrEqual(t, len([]rune(res.Content.MetaDescription)), 155)
		require.LessOrEqual(t, len([]rune(res.SEO.MetaTitle)), 60)
		require.Equal(t, "Multan", res.SEO.CityPages[0].City)
		require.Len(t, res.SEO.CityPages, 5)
		require.Equal(t, "1200.00", res.SEO.Schema["offers"].(map[string]any)["price"])
		require.Contains(t, res.Social.Caption, "Rs 1,200")
		img, err := jpeg.Decode(bytes.NewReader(res.Social.Image))
		require.NoError(t, err)
		require.Equal(t, image.Rect(0, 0, content.PostSide, content.PostSide), img.Bounds())
		if lang == "en" {
			require.Equal(t, "Blue Chiffon dupatta", res.Content.Title)
		} else {
			require.Equal(t, "Chiffon dupatta", res.Content.Title)
			require.Contains(t, res.Content.Bullets, "رنگ: نیلا")
		}
	}
}

func TestVoiceNoteWithoutTranscriberFailsOnlyItsStage(t *testing.T) {
	t.Parallel()
	p := &content.Pipeline{AI: ai.New(ai.Options{})}
	in := &content.Input{Title: "Khussa", PricePaisa: 250000, StoreName: "Shoe Box", Lang: "en", Photo: photo(t, 400, 400, color.NRGBA{120, 75, 40, 255}),
		Voice: &content.Voice{Audio: []byte("OggS\x00\x02...."), MIME: "audio/ogg"}}
	res := p.Run(context.Background(), in)
	require.False(t, res.Run(content.StageVoice).OK)
	require.Contains(t, res.Run(content.StageVoice).Error, "OpenAI key")
	require.True(t, res.Run(content.StageContent).OK)
	require.Equal(t, "shoes", res.Analysis.Category)
	require.Equal(t, "brown", res.Analysis.Colour)
}

func TestDominantColourIgnoresTheBackgroundBorder(t *testing.T) {
	t.Parallel()
	for want, c := range map[string]color.NRGBA{"red": {200, 30, 40, 255}, "green": {40, 150, 60, 255}, "black": {15, 15, 15, 255}, "pink": {240, 140, 180, 255}} {
		img := image.NewNRGBA(image.Rect(0, 0, 100, 100))
		for y := range 100 {
			for x := range 100 {
				img.Set(x, y, color.NRGBA{250, 250, 250, 255})
				if x >= 25 && x < 75 && y >= 25 && y < 75 {
					img.Set(x, y, c)
				}
			}
		}
		require.Equal(t, want, content.DominantColour(img))
	}
}

func TestRenderPostIsASquareJPEGFromAnyPhotoShape(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{1600, 900}, {600, 1200}, {300, 300}} {
		img := image.NewNRGBA(image.Rect(0, 0, size[0], size[1]))
		var buf bytes.Buffer
		require.NoError(t, png.Encode(&buf, img))
		out, err := content.RenderPost(buf.Bytes(), "A very long product title that will need to be wrapped over two lines and then cut short", "Rs 12,500", "Lawn House")
		require.NoError(t, err)
		got, format, err := image.Decode(bytes.NewReader(out))
		require.NoError(t, err)
		require.Equal(t, "jpeg", format)
		require.Equal(t, image.Rect(0, 0, 1080, 1080), got.Bounds())
		// The band behind the text darkens the photo's lower third; the top is the photo.
		r, _, _, _ := got.At(540, 1060).RGBA()
		require.Less(t, r>>8, uint32(60))
	}
	_, err := content.RenderPost([]byte("not an image"), "t", "Rs 1", "s")
	require.Error(t, err)
}
