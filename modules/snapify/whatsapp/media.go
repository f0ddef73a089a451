package whatsapp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Media download errors.
var (
	ErrMediaTooLarge = errors.New("whatsapp: media is larger than allowed")
	ErrMediaCorrupt  = errors.New("whatsapp: media does not match its sha256 or size")
)

// MediaInfo is what GET /{media_id} reports about an uploaded or received file.
type MediaInfo struct {
	ID       string
	URL      string
	MimeType string
	SHA256   string
	FileSize int64
}

type wireMediaInfo struct {
	ID       string          `json:"id"`
	URL      string          `json:"url"`
	MimeType string          `json:"mime_type"`
	SHA256   string          `json:"sha256"`
	FileSize json.RawMessage `json:"file_size"`
}

// MediaInfo looks up a media id (step one of a download). The returned URL is short-lived.
func (c *Client) MediaInfo(ctx context.Context, mediaID string) (MediaInfo, error) {
	if !c.configured {
		return MediaInfo{}, ErrNotConfigured
	}
	if mediaID == "" || strings.ContainsAny(mediaID, "/?#") {
		return MediaInfo{}, fmt.Errorf("whatsapp: media id %q is not valid", mediaID)
	}
	endpoint := c.cfg.APIBase + "/" + c.cfg.APIVersion + "/" + url.PathEscape(mediaID)
	raw, status, err := c.get(ctx, endpoint, 1<<20)
	if err != nil {
		return MediaInfo{}, fmt.Errorf("whatsapp: media %s: %w", mediaID, err)
	}
	if status >= 300 {
		return MediaInfo{}, fmt.Errorf("whatsapp: media %s: %w", mediaID, parseError(status, raw))
	}
	var w wireMediaInfo
	if err := json.Unmarshal(raw, &w); err != nil {
		return MediaInfo{}, fmt.Errorf("whatsapp: decode media %s: %w", mediaID, err)
	}
	if w.URL == "" {
		return MediaInfo{}, fmt.Errorf("whatsapp: media %s: response has no url", mediaID)
	}
	size, err := parseFileSize(w.FileSize)
	if err != nil {
		return MediaInfo{}, fmt.Errorf("whatsapp: media %s: %w", mediaID, err)
	}
	return MediaInfo{ID: w.ID, URL: w.URL, MimeType: w.MimeType, SHA256: w.SHA256, FileSize: size}, nil
}

// parseFileSize accepts file_size as a JSON number or a string: Meta's examples show both.
func parseFileSize(raw json.RawMessage) (int64, error) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("file_size %s is not a size", raw)
	}
	return n, nil
}

// DownloadMedia fetches a media file in Meta's two steps: look up the id, then GET the URL with
// the same Bearer token. It refuses files over maxBytes (checked against the reported size
// before downloading, and again while reading) and checks the sha256 Meta reported.
func (c *Client) DownloadMedia(ctx context.Context, mediaID string, maxBytes int64) ([]byte, MediaInfo, error) {
	info, err := c.MediaInfo(ctx, mediaID)
	if err != nil {
		return nil, MediaInfo{}, err
	}
	if info.FileSize > maxBytes {
		return nil, info, fmt.Errorf("whatsapp: media %s is %d bytes, limit %d: %w", mediaID, info.FileSize, maxBytes, ErrMediaTooLarge)
	}
	if err := c.checkMediaURL(info.URL); err != nil {
		return nil, info, fmt.Errorf("whatsapp: media %s: %w", mediaID, err)
	}
	data, status, err := c.get(ctx, info.URL, maxBytes+1)
	if err != nil {
		return nil, info, fmt.Errorf("whatsapp: download media %s: %w", mediaID, err)
	}
	if status >= 300 {
		return nil, info, fmt.Errorf("whatsapp: download media %s: %w", mediaID, parseError(status, data))
	}
	if int64(len(data)) > maxBytes {
		return nil, info, fmt.Errorf("whatsapp: media %s is over %d bytes: %w", mediaID, maxBytes, ErrMediaTooLarge)
	}
	if info.FileSize > 0 && int64(len(data)) != info.FileSize {
		return nil, info, fmt.Errorf("whatsapp: media %s: got %d bytes, expected %d: %w", mediaID, len(data), info.FileSize, ErrMediaCorrupt)
	}
	if info.SHA256 != "" {
		want, err := decodeDigest(info.SHA256)
		if err != nil {
			return nil, info, fmt.Errorf("whatsapp: media %s: %w", mediaID, err)
		}
		got := sha256.Sum256(data)
		if !bytes.Equal(got[:], want) {
			return nil, info, fmt.Errorf("whatsapp: media %s: sha256 mismatch: %w", mediaID, ErrMediaCorrupt)
		}
	}
	return data, info, nil
}

// decodeDigest reads the sha256 as hex (what the Cloud API sends) or base64 (what the
// on-premises API and some webhook payloads use).
func decodeDigest(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == sha256.Size {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == sha256.Size {
			return b, nil
		}
	}
	return nil, fmt.Errorf("sha256 %q is neither hex nor base64 of 32 bytes", s)
}

// checkMediaURL keeps the Bearer token off plain-text connections: the download URL must be
// https, or on the configured API host (which is how the local fake serves it).
func (c *Client) checkMediaURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("media url: %w", err)
	}
	if u.Scheme == "https" {
		return nil
	}
	base, err := url.Parse(c.cfg.APIBase)
	if err == nil && u.Scheme == base.Scheme && u.Host == base.Host {
		return nil
	}
	return fmt.Errorf("media url %s is not https; refusing to send the access token", u.Redacted())
}

func (c *Client) get(ctx context.Context, endpoint string, limit int64) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, resp.StatusCode, err
	}
	return data, resp.StatusCode, nil
}
