package aitest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// Image is an image a fake received, decoded and checked.
type Image struct {
	MIME string
	Data []byte
}

// imageTypes are the formats both APIs take inline.
var imageTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

// decodeImage checks an inline image as the APIs do: a supported media type, valid base64,
// at most 5 MB decoded, and bytes that are the format named (the APIs refuse an image whose
// data does not match its media_type).
func decodeImage(mime, b64 string) (Image, string) {
	if !imageTypes[mime] {
		return Image{}, fmt.Sprintf("media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp', got %q", mime)
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return Image{}, "data: invalid base64 data"
	}
	if len(data) == 0 {
		return Image{}, "data: image is empty"
	}
	if len(data) > 5<<20 {
		return Image{}, "image exceeds 5 MB maximum"
	}
	if got := http.DetectContentType(data); got != mime {
		return Image{}, fmt.Sprintf("Image does not match the provided media type %s (its bytes are %s)", mime, got)
	}
	return Image{MIME: mime, Data: data}, ""
}

// decodeDataURL reads "data:image/png;base64,..." as OpenAI's image_url does.
func decodeDataURL(u string) (Image, string) {
	rest, ok := strings.CutPrefix(u, "data:")
	if !ok {
		return Image{}, "this fake takes data: URLs only"
	}
	meta, b64, ok := strings.Cut(rest, ",")
	if !ok {
		return Image{}, "data URL has no comma"
	}
	mime, ok := strings.CutSuffix(meta, ";base64")
	if !ok {
		return Image{}, "data URL is not base64"
	}
	return decodeImage(mime, b64)
}
