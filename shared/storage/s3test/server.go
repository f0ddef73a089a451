// Package s3test is a small S3-compatible server for tests: one bucket, PUT/GET/DELETE of
// objects, canned public-read ACLs, and full AWS Signature Version 4 checking. The signature is
// recomputed here from the request as received, with code separate from the client's signer,
// so a signing bug fails the client's tests instead of being mirrored.
package s3test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/alorig/alorig/shared/clock"
)

// Options configure the fake. Zero values get defaults.
type Options struct {
	Bucket    string // default "alorig-test"
	Region    string // default "sgp1"
	AccessKey string // default "TESTACCESSKEY"
	SecretKey string // default "testsecretkey"
	Clock     clock.Clock
}

// Object is a stored object.
type Object struct {
	Data         []byte
	ContentType  string
	ACL          string
	CacheControl string
}

// Server is the fake S3 endpoint.
type Server struct {
	URL  string
	Opts Options

	srv     *httptest.Server
	mu      sync.Mutex
	objects map[string]Object
}

// Start runs the fake on a loopback port.
func Start(opts Options) *Server {
	if opts.Bucket == "" {
		opts.Bucket = "alorig-test"
	}
	if opts.Region == "" {
		opts.Region = "sgp1"
	}
	if opts.AccessKey == "" {
		opts.AccessKey = "TESTACCESSKEY"
	}
	if opts.SecretKey == "" {
		opts.SecretKey = "testsecretkey"
	}
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	s := &Server{Opts: opts, objects: map[string]Object{}}
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// HTTPClient dials this server whatever host name a request names, so virtual-host-style
// URLs (bucket.127.0.0.1:port) reach it without DNS.
func (s *Server) HTTPClient() *http.Client {
	addr := s.srv.Listener.Addr().String()
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// Object returns a stored object.
func (s *Server) Object(key string) (Object, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.objects[key]
	return o, ok
}

// Len is the number of stored objects.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.objects)
}

type errorDoc struct {
	XMLName          xml.Name `xml:"Error"`
	Code             string   `xml:"Code"`
	Message          string   `xml:"Message"`
	RequestID        string   `xml:"RequestId"`
	CanonicalRequest string   `xml:"CanonicalRequest,omitempty"`
	StringToSign     string   `xml:"StringToSign,omitempty"`
}

func writeError(w http.ResponseWriter, status int, doc errorDoc) {
	doc.RequestID = "fake-request"
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(doc)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	var bucket, key string
	if strings.HasPrefix(host, s.Opts.Bucket+".") {
		bucket, key = s.Opts.Bucket, strings.TrimPrefix(r.URL.Path, "/")
	} else {
		bucket, key, _ = strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	}
	if bucket != s.Opts.Bucket {
		writeError(w, http.StatusNotFound, errorDoc{Code: "NoSuchBucket", Message: "The specified bucket does not exist"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 256<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, errorDoc{Code: "IncompleteBody", Message: err.Error()})
		return
	}

	if r.Header.Get("Authorization") == "" {
		o, ok := s.Object(key)
		if r.Method == http.MethodGet && ok && o.ACL == "public-read" {
			s.serveObject(w, key)
			return
		}
		writeError(w, http.StatusForbidden, errorDoc{Code: "AccessDenied", Message: "Access Denied"})
		return
	}
	if status, doc, ok := s.authenticate(r, body); !ok {
		writeError(w, status, doc)
		return
	}

	switch r.Method {
	case http.MethodPut:
		if key == "" {
			writeError(w, http.StatusBadRequest, errorDoc{Code: "InvalidRequest", Message: "bucket operations are not supported by this fake"})
			return
		}
		if r.ContentLength != int64(len(body)) {
			writeError(w, http.StatusBadRequest, errorDoc{Code: "IncompleteBody", Message: "body shorter than Content-Length"})
			return
		}
		acl := r.Header.Get("X-Amz-Acl")
		if acl != "" && acl != "private" && acl != "public-read" {
			writeError(w, http.StatusBadRequest, errorDoc{Code: "InvalidArgument", Message: "unsupported x-amz-acl " + acl})
			return
		}
		s.mu.Lock()
		s.objects[key] = Object{Data: body, ContentType: r.Header.Get("Content-Type"), ACL: acl, CacheControl: r.Header.Get("Cache-Control")}
		s.mu.Unlock()
		sum := md5.Sum(body)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		s.serveObject(w, key)
	case http.MethodDelete:
		s.mu.Lock()
		delete(s.objects, key)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeError(w, http.StatusMethodNotAllowed, errorDoc{Code: "MethodNotAllowed", Message: r.Method})
	}
}

func (s *Server) serveObject(w http.ResponseWriter, key string) {
	o, ok := s.Object(key)
	if !ok {
		writeError(w, http.StatusNotFound, errorDoc{Code: "NoSuchKey", Message: "The specified key does not exist."})
		return
	}
	if o.ContentType != "" {
		w.Header().Set("Content-Type", o.ContentType)
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(o.Data)))
	_, _ = w.Write(o.Data)
}

// authenticate checks the Authorization header the way S3 does.
func (s *Server) authenticate(r *http.Request, body []byte) (int, errorDoc, bool) {
	deny := func(status int, code, msg string) (int, errorDoc, bool) {
		return status, errorDoc{Code: code, Message: msg}, false
	}
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return deny(http.StatusBadRequest, "AuthorizationHeaderMalformed", "unsupported authorization type")
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	cred := strings.Split(fields["Credential"], "/")
	if len(cred) != 5 || cred[3] != "s3" || cred[4] != "aws4_request" {
		return deny(http.StatusBadRequest, "AuthorizationHeaderMalformed", "credential must be KEY/DATE/REGION/s3/aws4_request")
	}
	if cred[0] != s.Opts.AccessKey {
		return deny(http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
	}
	if cred[2] != s.Opts.Region {
		return deny(http.StatusBadRequest, "AuthorizationHeaderMalformed", fmt.Sprintf("the region '%s' is wrong; expecting '%s'", cred[2], s.Opts.Region))
	}
	amzDate := r.Header.Get("X-Amz-Date")
	at, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil {
		return deny(http.StatusForbidden, "AccessDenied", "X-Amz-Date is missing or malformed")
	}
	if skew := s.Opts.Clock.Now().Sub(at); skew > 15*time.Minute || skew < -15*time.Minute {
		return deny(http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
	}
	if cred[1] != amzDate[:8] {
		return deny(http.StatusForbidden, "SignatureDoesNotMatch", "credential date does not match X-Amz-Date")
	}
	payloadHash := r.Header.Get("X-Amz-Content-Sha256")
	if payloadHash == "" {
		return deny(http.StatusBadRequest, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
	}
	if payloadHash != "UNSIGNED-PAYLOAD" {
		sum := sha256.Sum256(body)
		if payloadHash != hex.EncodeToString(sum[:]) {
			return deny(http.StatusBadRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	has := map[string]bool{}
	for _, h := range signed {
		has[h] = true
	}
	for _, need := range []string{"host", "x-amz-date", "x-amz-content-sha256"} {
		if !has[need] {
			return deny(http.StatusForbidden, "SignatureDoesNotMatch", need+" must be signed")
		}
	}
	for name := range r.Header {
		l := strings.ToLower(name)
		if strings.HasPrefix(l, "x-amz-") && !has[l] {
			return deny(http.StatusForbidden, "AccessDenied", "There were headers present in the request which were not signed: "+l)
		}
	}

	var canon bytes.Buffer
	canon.WriteString(r.Method + "\n")
	canon.WriteString(encodePath(r.URL.Path) + "\n")
	canon.WriteString(encodeQuery(r) + "\n")
	for _, h := range signed {
		v := append([]string(nil), r.Header.Values(h)...)
		if h == "host" {
			v = []string{r.Host}
		}
		for i := range v {
			v[i] = strings.Join(strings.Fields(v[i]), " ")
		}
		canon.WriteString(h + ":" + strings.Join(v, ",") + "\n")
	}
	canon.WriteString("\n" + fields["SignedHeaders"] + "\n" + payloadHash)
	creqHash := sha256.Sum256(canon.Bytes())
	sts := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + strings.Join(cred[1:], "/") + "\n" + hex.EncodeToString(creqHash[:])
	key := []byte("AWS4" + s.Opts.SecretKey)
	for _, part := range []string{cred[1], cred[2], "s3", "aws4_request", sts} {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(part))
		key = m.Sum(nil)
	}
	want := hex.EncodeToString(key)
	if !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return http.StatusForbidden, errorDoc{Code: "SignatureDoesNotMatch",
			Message:          "The request signature we calculated does not match the signature you provided.",
			CanonicalRequest: canon.String(), StringToSign: sts}, false
	}
	return 0, errorDoc{}, true
}

// encodePath re-encodes the decoded path as S3 does: RFC 3986 unreserved bytes and slashes
// stay, all else is %XX.
func encodePath(p string) string {
	if p == "" {
		return "/"
	}
	return encode(p, "/")
}

func encode(s, keep string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"+keep, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func encodeQuery(r *http.Request) string {
	q := r.URL.Query()
	var pairs []string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, encode(k, "")+"="+encode(v, ""))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}
