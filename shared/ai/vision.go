package ai

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
)

// Image is a picture sent with a request for a vision model to look at: the encoded bytes and
// their media type. Both providers take images inline (Anthropic as a base64 image content
// block, OpenAI as an image_url part holding a data: URL), so nothing has to be reachable
// from the provider's side.
type Image struct {
	MIME string // image/jpeg, image/png, image/gif or image/webp
	Data []byte
}

// Limits both providers document for inline images: Anthropic refuses an image over 5 MB and
// takes these four formats; OpenAI takes the same four. A request carries at most MaxImages.
const (
	MaxImageBytes = 5 << 20
	MaxImages     = 8
)

// ErrInvalidRequest: the request itself is wrong (an image in a format the providers refuse,
// too large, or not what its MIME type says); no provider was called.
var ErrInvalidRequest = errors.New("ai: invalid request")

var imageMIMEs = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

// checkImages refuses images a provider would refuse, before any attempt is paid for. The
// MIME type must be one of the four the APIs take and must agree with the bytes (sniffed as
// net/http does), so a PNG labelled as JPEG is caught here rather than as a provider's 400.
func checkImages(imgs []Image) error {
	if len(imgs) > MaxImages {
		return fmt.Errorf("%w: %d images, at most %d", ErrInvalidRequest, len(imgs), MaxImages)
	}
	for i, im := range imgs {
		switch {
		case !imageMIMEs[im.MIME]:
			return fmt.Errorf("%w: image %d: type %q, want image/jpeg, image/png, image/gif or image/webp", ErrInvalidRequest, i, im.MIME)
		case len(im.Data) == 0:
			return fmt.Errorf("%w: image %d is empty", ErrInvalidRequest, i)
		case len(im.Data) > MaxImageBytes:
			return fmt.Errorf("%w: image %d is %d bytes, more than %d", ErrInvalidRequest, i, len(im.Data), MaxImageBytes)
		}
		if sniffed := http.DetectContentType(im.Data); sniffed != im.MIME {
			return fmt.Errorf("%w: image %d is labelled %s but its bytes are %s", ErrInvalidRequest, i, im.MIME, sniffed)
		}
	}
	return nil
}

// anthropicContent is the user turn as Anthropic's content blocks: the images first (the
// Messages API documents image-then-text as the order that works best), then the text.
func anthropicContent(req *Request) []anthropic.ContentBlockParamUnion {
	blocks := make([]anthropic.ContentBlockParamUnion, 0, len(req.Images)+1)
	for _, im := range req.Images {
		blocks = append(blocks, anthropic.NewImageBlockBase64(im.MIME, base64.StdEncoding.EncodeToString(im.Data)))
	}
	return append(blocks, anthropic.NewTextBlock(userTurn(req)))
}

// openaiUser is the user message: a plain string without images, else content parts with each
// image as a data: URL and the text last.
func openaiUser(req *Request) openai.ChatCompletionMessageParamUnion {
	if len(req.Images) == 0 {
		return openai.UserMessage(userTurn(req))
	}
	parts := make([]openai.ChatCompletionContentPartUnionParam, 0, len(req.Images)+1)
	for _, im := range req.Images {
		parts = append(parts, openai.ImageContentPart(openai.ChatCompletionContentPartImageImageURLParam{
			URL: "data:" + im.MIME + ";base64," + base64.StdEncoding.EncodeToString(im.Data), Detail: "auto"}))
	}
	parts = append(parts, openai.TextContentPart(userTurn(req)))
	return openai.UserMessage(parts)
}
