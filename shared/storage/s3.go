package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/clock"
)

// S3Config configures an S3-compatible bucket.
type S3Config struct {
	// Endpoint is the service URL without the bucket, e.g. https://sgp1.digitaloceanspaces.com.
	Endpoint  string
	Region    string // e.g. "sgp1" for Spaces; "us-east-1" when empty
	Bucket    string
	AccessKey string
	SecretKey string
	// PathStyle puts the bucket in the path (endpoint/bucket/key) instead of the host name
	// (bucket.endpoint/key). MinIO and local fakes need it; Spaces accepts both.
	PathStyle bool
	// PublicRead sends x-amz-acl: public-read so browsers can fetch objects directly.
	PublicRead bool
	// CacheControl is sent with every Put, e.g. "public, max-age=31536000, immutable" for
	// content-hashed keys.
	CacheControl string
	// PublicBaseURL, when set, is used by URL (a CDN such as
	// https://bucket.sgp1.cdn.digitaloceanspaces.com).
	PublicBaseURL string
}

// S3Error is an error document returned by the service.
type S3Error struct {
	Status    int
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
	RequestID string `xml:"RequestId"`
}

func (e *S3Error) Error() string {
	return fmt.Sprintf("storage: s3 %s (HTTP %d): %s [request %s]", e.Code, e.Status, e.Message, e.RequestID)
}

// S3 is a Store on an S3-compatible bucket.
type S3 struct {
	cfg      S3Config
	endpoint *url.URL
	clock    clock.Clock
	http     *http.Client
}

var _ Store = (*S3)(nil)

// maxBufferedPut bounds the copy made when a Put body cannot be rewound to hash it.
const maxBufferedPut = 64 << 20

// NewS3 checks the configuration and returns a client. httpClient may be nil.
func NewS3(cfg S3Config, clk clock.Clock, httpClient *http.Client) (*S3, error) {
	if cfg.Bucket == "" || cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("storage: s3 needs a bucket, an access key and a secret key")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	u, err := url.Parse(strings.TrimRight(cfg.Endpoint, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("storage: s3 endpoint %q must be an http(s) URL", cfg.Endpoint)
	}
	if !cfg.PathStyle && strings.Contains(cfg.Bucket, ".") && u.Scheme == "https" {
		// A dotted bucket in the host name breaks the wildcard TLS certificate.
		return nil, fmt.Errorf("storage: bucket %q contains dots; use path-style addressing", cfg.Bucket)
	}
	if clk == nil {
		clk = clock.System{}
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 60 * time.Second}
	}
	return &S3{cfg: cfg, endpoint: u, clock: clk, http: httpClient}, nil
}

// objectURL is where the API request for key goes.
func (s *S3) objectURL(key string) *url.URL {
	u := *s.endpoint
	p := strings.TrimRight(u.Path, "/")
	if s.cfg.PathStyle {
		p += "/" + s.cfg.Bucket + "/" + key
	} else {
		u.Host = s.cfg.Bucket + "." + u.Host
		p += "/" + key
	}
	u.Path = p
	// Send exactly the encoding that was signed; Go's own escaping leaves some characters
	// (such as '$' and '+') that SigV4 encodes.
	u.RawPath = uriEncode(p, false)
	return &u
}

// URL returns the public address of key.
func (s *S3) URL(key string) string {
	if s.cfg.PublicBaseURL != "" {
		return strings.TrimRight(s.cfg.PublicBaseURL, "/") + "/" + uriEncode(key, false)
	}
	return s.objectURL(key).String()
}

func (s *S3) do(ctx context.Context, method, key string, body io.Reader, size int64, payloadHash string, hdr http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.objectURL(key).String(), body)
	if err != nil {
		return nil, fmt.Errorf("storage: s3 %s %s: %w", method, key, err)
	}
	if body != nil {
		req.ContentLength = size
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	signRequest(req, Credentials{s.cfg.AccessKey, s.cfg.SecretKey}, s.cfg.Region, "s3", payloadHash, s.clock.Now())
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("storage: s3 %s %s: %w", method, key, err)
	}
	return resp, nil
}

// Put uploads body. The payload is hashed first (SigV4 signs it), so body is read twice: a
// ReadSeeker is rewound, anything else is buffered up to 64 MiB.
func (s *S3) Put(ctx context.Context, key, contentType string, body io.Reader, size int64) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("storage: put %s: negative size", key)
	}
	var (
		rd   io.Reader
		hash string
	)
	if rs, ok := body.(io.ReadSeeker); ok {
		start, err := rs.Seek(0, io.SeekCurrent)
		if err != nil {
			return fmt.Errorf("storage: put %s: %w", key, err)
		}
		h := sha256.New()
		n, err := io.Copy(h, io.LimitReader(rs, size+1))
		if err != nil {
			return fmt.Errorf("storage: put %s: hash body: %w", key, err)
		}
		if n != size {
			return fmt.Errorf("storage: put %s: read %d of %d bytes: %w", key, n, size, ErrSizeMismatch)
		}
		if _, err := rs.Seek(start, io.SeekStart); err != nil {
			return fmt.Errorf("storage: put %s: %w", key, err)
		}
		rd, hash = io.LimitReader(rs, size), hex.EncodeToString(h.Sum(nil))
	} else {
		if size > maxBufferedPut {
			return fmt.Errorf("storage: put %s: %d bytes from a non-seekable reader is over the %d byte buffer", key, size, maxBufferedPut)
		}
		buf, err := io.ReadAll(io.LimitReader(body, size+1))
		if err != nil {
			return fmt.Errorf("storage: put %s: read body: %w", key, err)
		}
		if int64(len(buf)) != size {
			return fmt.Errorf("storage: put %s: read %d of %d bytes: %w", key, len(buf), size, ErrSizeMismatch)
		}
		rd, hash = bytes.NewReader(buf), hexSHA256(buf)
	}
	hdr := http.Header{}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	hdr.Set("Content-Type", contentType)
	if s.cfg.PublicRead {
		hdr.Set("X-Amz-Acl", "public-read")
	}
	if s.cfg.CacheControl != "" {
		hdr.Set("Cache-Control", s.cfg.CacheControl)
	}
	resp, err := s.do(ctx, http.MethodPut, key, rd, size, hash, hdr)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("storage: put %s: %w", key, readS3Error(resp))
	}
	return nil
}

// Get downloads key.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Object{}, err
	}
	resp, err := s.do(ctx, http.MethodGet, key, nil, 0, EmptyPayloadHash, nil)
	if err != nil {
		return nil, Object{}, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		e := readS3Error(resp)
		if resp.StatusCode == http.StatusNotFound {
			return nil, Object{}, fmt.Errorf("storage: get %s: %w (%w)", key, ErrNotFound, e)
		}
		return nil, Object{}, fmt.Errorf("storage: get %s: %w", key, e)
	}
	size, _ := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64)
	return resp.Body, Object{Key: key, ContentType: resp.Header.Get("Content-Type"), Size: size}, nil
}

// Delete removes key.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	resp, err := s.do(ctx, http.MethodDelete, key, nil, 0, EmptyPayloadHash, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("storage: delete %s: %w", key, readS3Error(resp))
	}
	return nil
}

func readS3Error(resp *http.Response) *S3Error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	e := &S3Error{Status: resp.StatusCode}
	if xml.Unmarshal(raw, e) != nil || e.Code == "" {
		e.Code = http.StatusText(resp.StatusCode)
		e.Message = strings.TrimSpace(string(raw))
	}
	return e
}
