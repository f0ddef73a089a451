package storage

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// AWS Signature Version 4, as S3 and S3-compatible services (DigitalOcean Spaces, MinIO)
// check it. Written against the published algorithm rather than pulled in from the AWS SDK,
// which would be the largest dependency in the binary for four requests.
const (
	sigAlgorithm    = "AWS4-HMAC-SHA256"
	amzDateFormat   = "20060102T150405Z"
	scopeDateFormat = "20060102"
	// EmptyPayloadHash is the sha256 of no bytes, sent for GET and DELETE.
	EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// Credentials sign requests.
type Credentials struct {
	AccessKey string
	SecretKey string
}

// signRequest adds x-amz-date, x-amz-content-sha256 and Authorization to req. It signs host
// plus every Content-Type, Content-MD5, Range and x-amz-* header present, which is what S3
// requires and what proxies leave untouched.
func signRequest(req *http.Request, creds Credentials, region, service, payloadHash string, now time.Time) {
	now = now.UTC()
	req.Header.Set("X-Amz-Date", now.Format(amzDateFormat))
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)

	names, canonHeaders := canonicalHeaders(req)
	signed := strings.Join(names, ";")
	creq := strings.Join([]string{
		req.Method,
		canonicalURI(req.URL),
		canonicalQuery(req.URL.Query()),
		canonHeaders,
		signed,
		payloadHash,
	}, "\n")
	scope := now.Format(scopeDateFormat) + "/" + region + "/" + service + "/aws4_request"
	sts := sigAlgorithm + "\n" + now.Format(amzDateFormat) + "\n" + scope + "\n" + hexSHA256([]byte(creq))
	sig := hex.EncodeToString(hmacSHA256(signingKey(creds.SecretKey, now, region, service), sts))
	req.Header.Set("Authorization", sigAlgorithm+" Credential="+creds.AccessKey+"/"+scope+
		", SignedHeaders="+signed+", Signature="+sig)
}

func signingKey(secret string, t time.Time, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), t.UTC().Format(scopeDateFormat))
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

func canonicalHeaders(req *http.Request) ([]string, string) {
	vals := map[string]string{"host": req.URL.Host}
	if req.Host != "" {
		vals["host"] = req.Host
	}
	for name, v := range req.Header {
		lower := strings.ToLower(name)
		if lower == "content-type" || lower == "content-md5" || lower == "range" || strings.HasPrefix(lower, "x-amz-") {
			trimmed := make([]string, len(v))
			for i, s := range v {
				trimmed[i] = strings.Join(strings.Fields(s), " ")
			}
			vals[lower] = strings.Join(trimmed, ",")
		}
	}
	names := make([]string, 0, len(vals))
	for n := range vals {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		b.WriteString(vals[n])
		b.WriteByte('\n')
	}
	return names, b.String()
}

// canonicalURI is the path with every byte outside RFC 3986's unreserved set percent-encoded,
// slashes kept. S3 encodes once (unlike other AWS services, which encode twice).
func canonicalURI(u *url.URL) string {
	p := u.Path
	if p == "" {
		return "/"
	}
	return uriEncode(p, false)
}

func canonicalQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, uriEncode(k, true)+"="+uriEncode(v, true))
		}
	}
	return strings.Join(parts, "&")
}

// uriEncode percent-encodes s per SigV4: unreserved characters stay, everything else becomes
// %XX with upper-case hex; a slash stays unless encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
