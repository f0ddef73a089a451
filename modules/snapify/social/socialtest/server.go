// Package socialtest is a local stand-in for the parts of Meta's Graph API that Snapify's social
// posting uses, for tests and the offline demo. It checks what Meta checks before acting: the
// API version in the path, the access token (unknown, expired, or lacking a permission), the
// appsecret_proof when the app has a secret, that every object touched belongs to the token's
// Page or Instagram account, the required parameters of each call (unknown ones refused), that
// the image URL is absolute and, when a fetcher is given, that Meta could download it (a JPEG
// for Instagram), and that an Instagram container is FINISHED before it is published. It
// records the photos, Page posts and Instagram media it accepted, and it can fail a call or
// carry one out and then drop the connection before answering, as a crash would.
package socialtest

import (
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/alorig/alorig/modules/snapify/social"
	"github.com/alorig/alorig/shared/clock"
)

// Operation names, for FailNext, DropAnswerAfter and Calls.
const (
	OpNode          = "node"           // GET /{page-id}, /{ig-user-id}, /{post-id}, /{container-id}
	OpPhotos        = "photos"         // POST /{page-id}/photos
	OpFeed          = "feed"           // POST /{page-id}/feed
	OpPublishPost   = "publish_post"   // POST /{post-id} is_published=true
	OpEngagement    = "engagement"     // GET /{post-id}?fields=likes…,comments…,shares
	OpCreateMedia   = "create_media"   // POST /{ig-user-id}/media
	OpListMedia     = "list_media"     // GET /{ig-user-id}/media
	OpMediaPublish  = "media_publish"  // POST /{ig-user-id}/media_publish
	OpMediaInsights = "media_insights" // GET /{ig-media-id}/insights
)

// Permissions a test can take away from a token with RevokePermission.
const (
	PermManagePosts    = "pages_manage_posts"
	PermContentPublish = "instagram_content_publish"
	PermReadEngagement = "pages_read_engagement"
	PermManageInsights = "instagram_manage_insights"
)

// IGDailyLimit is Instagram's publishing limit per account in a moving 24 hours.
const IGDailyLimit = 50

// Options configure a fake. Zero values get working defaults.
type Options struct {
	// AppSecret, when set, makes every call need appsecret_proof = HMAC-SHA256(secret, token).
	AppSecret string
	Clock     clock.Clock
	// FetchImage, when set, is how the fake downloads an image URL, as Meta would; it returns
	// the Content-Type or an error. Without it the URL is only checked to be absolute http(s).
	FetchImage func(url string) (contentType string, err error)
	// ProcessingReads is how many status reads a new Instagram container answers IN_PROGRESS
	// before it is FINISHED (default 0: finished at once).
	ProcessingReads int
}

// Account is a Facebook Page, optionally with its Instagram professional account, and the
// Page access token that acts for both.
type Account struct {
	PageID, PageName     string
	IGUserID, IGUsername string
	Token                string
}

// Photo is an uploaded Page photo.
type Photo struct {
	ID, PageID, URL, Caption string
	Published                bool
	AttachedTo               string // the post it was attached to
}

// Post is a Page post.
type Post struct {
	ID, PageID, Message string
	PhotoIDs            []string
	ImageURLs           []string
	Published           bool
	PublishedAt         time.Time
}

// Container is an Instagram media container.
type Container struct {
	ID, IGUserID, ImageURL, Caption string
	StatusCode                      string
	CreatedAt                       time.Time
	reads                           int
}

// Media is a published Instagram media object.
type Media struct {
	ID, IGUserID, ContainerID, ImageURL, Caption string
	PublishedAt                                  time.Time
}

type failure struct{ status, code, subcode int }

type token struct {
	account *Account
	expired bool
	revoked map[string]bool
}

// Server is the fake Graph API. It is an http.Handler; Start also gives it a listener.
type Server struct {
	URL string

	opts    Options
	httpSrv *httptest.Server

	mu         sync.Mutex
	seq        int64
	tokens     map[string]*token
	photos     map[string]*Photo
	posts      map[string]*Post
	postOrder  []string
	containers map[string]*Container
	media      map[string]*Media
	mediaOrder []string
	engagement map[string]social.Engagement
	insights   map[string]map[string]int64
	fail       map[string][]failure
	drop       map[string]int
	calls      map[string]int
}

// New returns the fake as a handler without a listener.
func New(opts Options) *Server {
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	return &Server{opts: opts, seq: 17841400000000000, tokens: map[string]*token{}, photos: map[string]*Photo{},
		posts: map[string]*Post{}, containers: map[string]*Container{}, media: map[string]*Media{},
		engagement: map[string]social.Engagement{}, insights: map[string]map[string]int64{},
		fail: map[string][]failure{}, drop: map[string]int{}, calls: map[string]int{}}
}

// Start returns a fake listening on a loopback port. Close it when done.
func Start(opts Options) *Server {
	s := New(opts)
	s.httpSrv = httptest.NewServer(s)
	s.URL = s.httpSrv.URL
	return s
}

// Close stops the listener started by Start.
func (s *Server) Close() {
	if s.httpSrv != nil {
		s.httpSrv.Close()
	}
}

// Config returns a client configuration pointing at this fake.
func (s *Server) Config() social.Config {
	return social.Config{APIBase: s.URL, APIVersion: "v21.0", AppSecret: s.opts.AppSecret}
}

// AddAccount registers a Page (and its Instagram account, when IGUserID is set) and its token.
func (s *Server) AddAccount(a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[a.Token] = &token{account: &a, revoked: map[string]bool{}}
}

// ExpireToken makes every later call with tok fail with code 190, subcode 463.
func (s *Server) ExpireToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tokens[tok]; t != nil {
		t.expired = true
	}
}

// RevokePermission takes a permission (Perm…) away from tok.
func (s *Server) RevokePermission(tok, perm string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tokens[tok]; t != nil {
		t.revoked[perm] = true
	}
}

// FailNext makes the next call of op answer with this Graph error, without acting.
func (s *Server) FailNext(op string, httpStatus, code, subcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[op] = append(s.fail[op], failure{httpStatus, code, subcode})
}

// DropAnswerAfter makes the next call of op take effect and then close the connection without
// answering: the caller cannot know that Meta acted, as when a job dies after the request.
func (s *Server) DropAnswerAfter(op string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop[op]++
}

// SetContainerStatus forces a container's status_code (e.g. ERROR or EXPIRED).
func (s *Server) SetContainerStatus(id, statusCode string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.containers[id]; c != nil {
		c.StatusCode = statusCode
	}
}

// SetEngagement sets the like, comment and share counts a Page post reports.
func (s *Server) SetEngagement(postID string, e social.Engagement) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.engagement[postID] = e
}

// SetInsights sets the insights metrics an Instagram media object reports.
func (s *Server) SetInsights(mediaID string, metrics map[string]int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.insights[mediaID] = metrics
}

// Calls counts the calls of op that reached the fake (failed ones included).
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Posts returns the Page posts of pageID in creation order; published only when onlyPublished.
func (s *Server) Posts(pageID string, onlyPublished bool) []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, id := range s.postOrder {
		p := s.posts[id]
		if p.PageID == pageID && (p.Published || !onlyPublished) {
			out = append(out, *p)
		}
	}
	return out
}

// Media returns the published Instagram media of igUserID in publishing order.
func (s *Server) Media(igUserID string) []Media {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Media
	for _, id := range s.mediaOrder {
		if m := s.media[id]; m.IGUserID == igUserID {
			out = append(out, *m)
		}
	}
	return out
}

// Containers returns the containers created for igUserID.
func (s *Server) Containers(igUserID string) []Container {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Container
	for _, c := range s.containers {
		if c.IGUserID == igUserID {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b Container) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// graphError is an error answer.
type graphError struct {
	status         int
	code, subcode  int
	typ, message   string
	regainMinutes  int
	userTitle, msg string
}

func (e *graphError) write(w http.ResponseWriter, trace string) {
	body := map[string]any{"message": e.message, "type": e.typ, "code": e.code, "fbtrace_id": trace}
	if e.subcode != 0 {
		body["error_subcode"] = e.subcode
	}
	if e.userTitle != "" {
		body["error_user_title"], body["error_user_msg"] = e.userTitle, e.msg
	}
	if e.regainMinutes > 0 {
		usage, _ := json.Marshal(map[string]any{"1": []map[string]any{{"type": "pages", "call_count": 100,
			"estimated_time_to_regain_access": e.regainMinutes}}})
		w.Header().Set("X-Business-Use-Case-Usage", string(usage))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": body})
}

func oauth(code, subcode int, msg string) *graphError {
	return &graphError{status: http.StatusBadRequest, code: code, subcode: subcode, typ: "OAuthException", message: msg}
}

func method(code, subcode int, msg string) *graphError {
	return &graphError{status: http.StatusBadRequest, code: code, subcode: subcode, typ: "GraphMethodException", message: msg}
}

func unsupported(verb, id string) *graphError {
	return method(100, 33, fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", verb, id))
}

func param(msg string) *graphError { return oauth(100, 0, "(#100) "+msg) }

var (
	versionRe = regexp.MustCompile(`^v[0-9]{1,2}\.[0-9]$`)
	postIDRe  = regexp.MustCompile(`^[0-9]+_[0-9]+$`)
)

// ServeHTTP routes /{version}/{node}[/{edge}].
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seq++
	trace := "A" + strconv.FormatInt(s.seq, 36)
	s.mu.Unlock()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 2 || len(parts) > 3 || !versionRe.MatchString(parts[0]) {
		method(2500, 0, "Unknown path components: "+r.URL.Path).write(w, trace)
		return
	}
	if err := r.ParseForm(); err != nil {
		param("the request body is not a form: "+err.Error()).write(w, trace)
		return
	}
	node, edge := parts[1], ""
	if len(parts) == 3 {
		edge = parts[2]
	}
	op := operation(r.Method, node, edge, r.Form.Get("fields"))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[op]++
	if fs := s.fail[op]; len(fs) > 0 {
		f := fs[0]
		s.fail[op] = fs[1:]
		e := &graphError{status: f.status, code: f.code, subcode: f.subcode, typ: "OAuthException", message: fmt.Sprintf("(#%d) failure requested by the test", f.code)}
		if f.code == 32 || f.code == 4 || f.code == 17 || f.code == 613 {
			e.regainMinutes = 7
		}
		e.write(w, trace)
		return
	}
	tok, gerr := s.authenticate(r)
	if gerr != nil {
		gerr.write(w, trace)
		return
	}
	answer, gerr := s.route(op, r, tok, node, edge)
	if gerr != nil {
		gerr.write(w, trace)
		return
	}
	if s.drop[op] > 0 {
		s.drop[op]--
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // a recorder without hijacking: abort the answer all the same
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answer)
}

func operation(verb, node, edge, fields string) string {
	switch {
	case edge == "photos":
		return OpPhotos
	case edge == "feed":
		return OpFeed
	case edge == "media" && verb == http.MethodPost:
		return OpCreateMedia
	case edge == "media":
		return OpListMedia
	case edge == "media_publish":
		return OpMediaPublish
	case edge == "insights":
		return OpMediaInsights
	case edge == "" && verb == http.MethodPost && postIDRe.MatchString(node):
		return OpPublishPost
	case edge == "" && (strings.Contains(fields, "likes") || strings.Contains(fields, "comments") || strings.Contains(fields, "shares")):
		return OpEngagement
	}
	return OpNode
}

// authenticate finds the token (Bearer or OAuth header, or access_token) and checks it and the
// appsecret_proof as Meta does.
func (s *Server) authenticate(r *http.Request) (*token, *graphError) {
	raw := r.Form.Get("access_token")
	if h := r.Header.Get("Authorization"); h != "" {
		if v, ok := strings.CutPrefix(h, "Bearer "); ok {
			raw = v
		} else if v, ok := strings.CutPrefix(h, "OAuth "); ok {
			raw = v
		}
	}
	if raw == "" {
		return nil, oauth(2500, 0, "An active access token must be used to query information about the current user.")
	}
	t := s.tokens[raw]
	if t == nil {
		return nil, oauth(190, 0, "Invalid OAuth access token - Cannot parse access token")
	}
	if t.expired {
		return nil, oauth(190, 463, "Error validating access token: Session has expired.")
	}
	if s.opts.AppSecret != "" {
		proof := r.Form.Get("appsecret_proof")
		if proof == "" {
			return nil, method(100, 0, "API calls from the server require an appsecret_proof argument")
		}
		if !hmac.Equal([]byte(proof), []byte(social.AppSecretProof(s.opts.AppSecret, raw))) {
			return nil, method(100, 0, "Invalid appsecret_proof provided in the API argument")
		}
	}
	return t, nil
}

// allow refuses parameters the call does not take.
func allow(form url.Values, names ...string) *graphError {
	for k := range form {
		if k == "access_token" || k == "appsecret_proof" || k == "appsecret_time" || slices.Contains(names, k) {
			continue
		}
		if strings.HasPrefix(k, "attached_media[") && slices.Contains(names, "attached_media") {
			continue
		}
		return param(fmt.Sprintf("Param %s is not a valid parameter for this call", k))
	}
	return nil
}

func (s *Server) nextID() string {
	s.seq++
	return strconv.FormatInt(s.seq, 10)
}

func (s *Server) route(op string, r *http.Request, t *token, node, edge string) (any, *graphError) {
	a := t.account
	f := r.Form
	switch op {
	case OpPhotos:
		if r.Method != http.MethodPost || node != a.PageID {
			return nil, unsupported(strings.ToLower(r.Method), node)
		}
		if t.revoked[PermManagePosts] {
			return nil, oauth(200, 0, "(#200) The permission pages_manage_posts is required to publish as the Page")
		}
		if e := allow(f, "url", "caption", "message", "published", "temporary", "no_story"); e != nil {
			return nil, e
		}
		u := f.Get("url")
		if u == "" {
			return nil, oauth(324, 0, "(#324) Requires upload file")
		}
		if e := s.fetch(u, false); e != nil {
			return nil, e
		}
		pub, e := boolParam(f, "published", true)
		if e != nil {
			return nil, e
		}
		caption := f.Get("caption")
		if caption == "" {
			caption = f.Get("message")
		}
		p := &Photo{ID: s.nextID(), PageID: a.PageID, URL: u, Caption: caption, Published: pub}
		s.photos[p.ID] = p
		out := map[string]string{"id": p.ID}
		if pub {
			post := s.addPost(a.PageID, caption, []*Photo{p}, true)
			p.AttachedTo = post.ID
			out["post_id"] = post.ID
		}
		return out, nil
	case OpFeed:
		if r.Method != http.MethodPost || node != a.PageID {
			return nil, unsupported(strings.ToLower(r.Method), node)
		}
		if t.revoked[PermManagePosts] {
			return nil, oauth(200, 0, "(#200) The permission pages_manage_posts is required to publish as the Page")
		}
		if e := allow(f, "message", "link", "published", "attached_media"); e != nil {
			return nil, e
		}
		var photos []*Photo
		for i := 0; ; i++ {
			v, ok := f[fmt.Sprintf("attached_media[%d]", i)]
			if !ok {
				break
			}
			var m struct {
				MediaFBID string `json:"media_fbid"`
			}
			dec := json.NewDecoder(strings.NewReader(v[0]))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&m); err != nil || m.MediaFBID == "" {
				return nil, param(fmt.Sprintf("attached_media[%d] must be {\"media_fbid\": \"<photo id>\"}", i))
			}
			p := s.photos[m.MediaFBID]
			if p == nil || p.PageID != a.PageID {
				return nil, param(fmt.Sprintf("attached_media[%d]: photo %s is not a photo of this Page", i, m.MediaFBID))
			}
			if p.Published || p.AttachedTo != "" {
				return nil, param(fmt.Sprintf("attached_media[%d]: photo %s is published already or attached to another post", i, m.MediaFBID))
			}
			photos = append(photos, p)
		}
		if f.Get("message") == "" && len(photos) == 0 && f.Get("link") == "" {
			return nil, param("Missing message or attachment")
		}
		pub, e := boolParam(f, "published", true)
		if e != nil {
			return nil, e
		}
		post := s.addPost(a.PageID, f.Get("message"), photos, pub)
		for _, p := range photos {
			p.AttachedTo = post.ID
		}
		return map[string]string{"id": post.ID}, nil
	case OpPublishPost:
		p := s.posts[node]
		if p == nil || p.PageID != a.PageID {
			return nil, unsupported("post", node)
		}
		if t.revoked[PermManagePosts] {
			return nil, oauth(200, 0, "(#200) The permission pages_manage_posts is required to publish as the Page")
		}
		if e := allow(f, "is_published"); e != nil {
			return nil, e
		}
		if f.Get("is_published") != "true" {
			return nil, param("is_published must be true (unpublishing a post is not supported)")
		}
		if !p.Published { // publishing a public post again changes nothing
			p.Published, p.PublishedAt = true, s.opts.Clock.Now()
		}
		return map[string]bool{"success": true}, nil
	case OpEngagement:
		p := s.posts[node]
		if r.Method != http.MethodGet || p == nil || p.PageID != a.PageID {
			return nil, unsupported("get", node)
		}
		if t.revoked[PermReadEngagement] {
			return nil, oauth(10, 0, "(#10) This endpoint requires the 'pages_read_engagement' permission")
		}
		if e := allow(f, "fields"); e != nil {
			return nil, e
		}
		return s.engagementAnswer(p, f.Get("fields"))
	case OpCreateMedia:
		if a.IGUserID == "" || node != a.IGUserID {
			return nil, unsupported("post", node)
		}
		if t.revoked[PermContentPublish] {
			return nil, oauth(10, 0, "(#10) Application does not have permission for this action")
		}
		if e := allow(f, "image_url", "caption", "alt_text"); e != nil {
			return nil, e
		}
		u := f.Get("image_url")
		if u == "" {
			return nil, param("The parameter image_url is required")
		}
		if n := utf8.RuneCountInString(f.Get("caption")); n > social.MaxCaption {
			return nil, &graphError{status: 400, code: 100, subcode: 2207010, typ: "OAuthException", message: "(#100) The caption is too long"}
		}
		if e := s.fetch(u, true); e != nil {
			return nil, e
		}
		c := &Container{ID: s.nextID(), IGUserID: a.IGUserID, ImageURL: u, Caption: f.Get("caption"), StatusCode: social.ContainerInProgress, CreatedAt: s.opts.Clock.Now()}
		if s.opts.ProcessingReads == 0 {
			c.StatusCode = social.ContainerFinished
		}
		s.containers[c.ID] = c
		return map[string]string{"id": c.ID}, nil
	case OpListMedia:
		if a.IGUserID == "" || node != a.IGUserID {
			return nil, unsupported("get", node)
		}
		if e := allow(f, "fields", "limit"); e != nil {
			return nil, e
		}
		limit := 25
		if l := f.Get("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil || n < 1 {
				return nil, param("limit must be a positive number")
			}
			limit = min(n, 100)
		}
		data := []map[string]string{}
		for i := len(s.mediaOrder) - 1; i >= 0 && len(data) < limit; i-- {
			m := s.media[s.mediaOrder[i]]
			if m.IGUserID != a.IGUserID {
				continue
			}
			data = append(data, map[string]string{"id": m.ID, "caption": m.Caption, "permalink": "https://www.instagram.com/p/" + m.ID + "/",
				"timestamp": m.PublishedAt.UTC().Format("2006-01-02T15:04:05-0700")})
		}
		return map[string]any{"data": data}, nil
	case OpMediaPublish:
		if a.IGUserID == "" || node != a.IGUserID {
			return nil, unsupported("post", node)
		}
		if t.revoked[PermContentPublish] {
			return nil, oauth(10, 0, "(#10) Application does not have permission for this action")
		}
		if e := allow(f, "creation_id"); e != nil {
			return nil, e
		}
		id := f.Get("creation_id")
		if id == "" {
			return nil, param("The parameter creation_id is required")
		}
		c := s.containers[id]
		if c == nil || c.IGUserID != a.IGUserID {
			return nil, unsupported("post", id)
		}
		s.expire(c)
		switch c.StatusCode {
		case social.ContainerInProgress:
			return nil, &graphError{status: 400, code: 9007, subcode: 2207027, typ: "OAuthException", message: "Media ID is not available",
				userTitle: "Media is not ready", msg: "The media is not ready for publishing, please wait for a moment"}
		case social.ContainerPublished:
			return nil, param("The media container " + id + " has been published already")
		case social.ContainerError, social.ContainerExpired:
			return nil, &graphError{status: 400, code: 9004, subcode: 2207006, typ: "OAuthException", message: "The media container cannot be published: " + c.StatusCode}
		}
		since := s.opts.Clock.Now().Add(-24 * time.Hour)
		n := 0
		for _, m := range s.media {
			if m.IGUserID == a.IGUserID && m.PublishedAt.After(since) {
				n++
			}
		}
		if n >= IGDailyLimit {
			return nil, &graphError{status: 400, code: 9, subcode: 2207042, typ: "OAuthException", message: "Application request limit reached",
				userTitle: "Maximum publishing limit", msg: "You reached the maximum number of posts that is allowed to be published by Content Publishing API."}
		}
		m := &Media{ID: s.nextID(), IGUserID: a.IGUserID, ContainerID: c.ID, ImageURL: c.ImageURL, Caption: c.Caption, PublishedAt: s.opts.Clock.Now()}
		s.media[m.ID] = m
		s.mediaOrder = append(s.mediaOrder, m.ID)
		c.StatusCode = social.ContainerPublished
		return map[string]string{"id": m.ID}, nil
	case OpMediaInsights:
		m := s.media[node]
		if r.Method != http.MethodGet || m == nil || m.IGUserID != a.IGUserID {
			return nil, unsupported("get", node)
		}
		if t.revoked[PermManageInsights] {
			return nil, oauth(10, 0, "(#10) Application does not have permission for this action")
		}
		if e := allow(f, "metric", "period", "metric_type", "breakdown"); e != nil {
			return nil, e
		}
		metrics := strings.Split(f.Get("metric"), ",")
		if f.Get("metric") == "" {
			return nil, param("The parameter metric is required")
		}
		known := []string{"likes", "comments", "shares", "saved", "reach", "views", "total_interactions", "profile_visits", "follows"}
		var data []map[string]any
		for i, name := range metrics {
			if !slices.Contains(known, name) {
				return nil, param(fmt.Sprintf("metric[%d] must be one of the following values: %s", i, strings.Join(known, ", ")))
			}
			data = append(data, map[string]any{"name": name, "period": "lifetime", "values": []map[string]int64{{"value": s.insights[m.ID][name]}},
				"title": name, "id": m.ID + "/insights/" + name + "/lifetime"})
		}
		return map[string]any{"data": data}, nil
	}
	// OpNode: reads of a Page, an Instagram account, a post or a container.
	if r.Method != http.MethodGet || edge != "" {
		return nil, unsupported(strings.ToLower(r.Method), node)
	}
	if e := allow(f, "fields"); e != nil {
		return nil, e
	}
	fields := strings.Split(f.Get("fields"), ",")
	var obj map[string]any
	switch {
	case node == a.PageID:
		obj = map[string]any{"id": a.PageID, "name": a.PageName}
	case a.IGUserID != "" && node == a.IGUserID:
		obj = map[string]any{"id": a.IGUserID, "username": a.IGUsername}
	case s.posts[node] != nil && s.posts[node].PageID == a.PageID:
		p := s.posts[node]
		obj = map[string]any{"id": p.ID, "is_published": p.Published, "message": p.Message}
		if p.Published {
			obj["permalink_url"] = "https://www.facebook.com/" + strings.Replace(p.ID, "_", "/posts/", 1)
		}
	case s.containers[node] != nil && s.containers[node].IGUserID == a.IGUserID:
		c := s.containers[node]
		s.expire(c)
		if c.StatusCode == social.ContainerInProgress {
			c.reads++
			if c.reads > s.opts.ProcessingReads {
				c.StatusCode = social.ContainerFinished
			}
		}
		obj = map[string]any{"id": c.ID, "status_code": c.StatusCode, "status": c.StatusCode}
		if c.StatusCode == social.ContainerError {
			obj["status"] = "Error: 2207001"
		}
	default:
		return nil, unsupported("get", node)
	}
	out := map[string]any{"id": obj["id"]}
	for _, name := range fields {
		if name == "" {
			continue
		}
		v, ok := obj[name]
		if !ok {
			if name == "permalink_url" {
				continue
			}
			return nil, param(fmt.Sprintf("Tried accessing nonexisting field (%s) on node type", name))
		}
		out[name] = v
	}
	return out, nil
}

// expire ends a container left unpublished for 24 hours.
func (s *Server) expire(c *Container) {
	if c.StatusCode != social.ContainerPublished && c.StatusCode != social.ContainerError && s.opts.Clock.Now().Sub(c.CreatedAt) >= 24*time.Hour {
		c.StatusCode = social.ContainerExpired
	}
}

func (s *Server) addPost(pageID, message string, photos []*Photo, published bool) *Post {
	p := &Post{ID: pageID + "_" + s.nextID(), PageID: pageID, Message: message, Published: published}
	for _, ph := range photos {
		p.PhotoIDs = append(p.PhotoIDs, ph.ID)
		p.ImageURLs = append(p.ImageURLs, ph.URL)
	}
	if published {
		p.PublishedAt = s.opts.Clock.Now()
	}
	s.posts[p.ID] = p
	s.postOrder = append(s.postOrder, p.ID)
	return p
}

// fetch checks an image URL as Meta's downloader would.
func (s *Server) fetch(raw string, jpegOnly bool) *graphError {
	if err := social.CheckImageURL(raw); err != nil {
		return param("url should represent a valid URL")
	}
	if s.opts.FetchImage == nil {
		return nil
	}
	ct, err := s.opts.FetchImage(raw)
	if err != nil {
		if jpegOnly {
			return &graphError{status: 400, code: 9004, subcode: 2207052, typ: "OAuthException", message: "Media download has failed.: " + err.Error()}
		}
		return oauth(324, 0, "(#324) Missing or invalid image file: "+err.Error())
	}
	if jpegOnly && ct != "image/jpeg" {
		return &graphError{status: 400, code: 9004, subcode: 2207026, typ: "OAuthException", message: "Only photo or video can be accepted as media type. Instagram accepts JPEG images; got " + ct}
	}
	if !strings.HasPrefix(ct, "image/") {
		return oauth(324, 0, "(#324) Missing or invalid image file: "+ct)
	}
	return nil
}

func boolParam(f url.Values, name string, def bool) (bool, *graphError) {
	v := f.Get(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, param(name + " must be a boolean")
	}
	return b, nil
}

// engagementAnswer writes likes/comments with summary(true) and shares as Meta shapes them.
func (s *Server) engagementAnswer(p *Post, fields string) (any, *graphError) {
	e := s.engagement[p.ID]
	out := map[string]any{"id": p.ID}
	for _, f := range splitFields(fields) {
		name, mods, _ := strings.Cut(f, ".")
		withSummary := strings.Contains(mods, "summary(true)")
		switch name {
		case "id":
		case "likes", "comments":
			n := e.Likes
			if name == "comments" {
				n = e.Comments
			}
			edge := map[string]any{"data": []any{}}
			if withSummary {
				edge["summary"] = map[string]any{"total_count": n}
			}
			out[name] = edge
		case "shares":
			if e.Shares > 0 {
				out["shares"] = map[string]int64{"count": e.Shares}
			}
		default:
			return nil, param(fmt.Sprintf("Tried accessing nonexisting field (%s) on node type (Post)", name))
		}
	}
	return out, nil
}

// splitFields splits a fields list at the commas outside parentheses and braces.
func splitFields(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(', '{':
			depth++
		case ')', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
