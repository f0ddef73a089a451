package snapify

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/alorig/alorig/modules/snapify/bot"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
)

// waMedia downloads what a seller sent in the Cloud API's two steps (whatsapp.DownloadMedia:
// look the id up, then fetch the short-lived URL with the token, checking size and sha256).
type waMedia struct{ wa *whatsapp.Client }

func (w waMedia) Download(ctx context.Context, id string, maxBytes int64) ([]byte, string, error) {
	data, info, err := w.wa.DownloadMedia(ctx, id, maxBytes)
	if err == nil {
		return data, info.MimeType, nil
	}
	var api *whatsapp.APIError
	// A file that is too large, damaged, expired or unknown to Meta cannot be had by trying
	// again; the seller is asked to send it again. Other failures are retried.
	if errors.Is(err, whatsapp.ErrMediaTooLarge) || errors.Is(err, whatsapp.ErrMediaCorrupt) || errors.Is(err, whatsapp.ErrNotConfigured) ||
		(errors.As(err, &api) && api.HTTPStatus >= 400 && api.HTTPStatus < 500 && api.HTTPStatus != http.StatusTooManyRequests &&
			!errors.Is(err, whatsapp.ErrRateLimited) && !errors.Is(err, whatsapp.ErrUnauthorized)) {
		return nil, "", fmt.Errorf("%w: %w", bot.ErrMediaUnavailable, err)
	}
	return nil, "", err
}
