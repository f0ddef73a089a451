// Package social is Snapify's client for Meta's Graph API as a store's Facebook Page and
// Instagram professional account use it: photo posts on the Page, Instagram media containers
// published once Meta has processed them, and the engagement read back afterwards. Each store
// has its own Page access token, so every call takes the token; the app secret, when set, signs
// each call with appsecret_proof. The base URL and version are configurable so tests and the
// demo run against the fake in the socialtest package.
package social

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultAPIBase and DefaultAPIVersion are used when the Config leaves them empty.
const (
	DefaultAPIBase    = "https://graph.facebook.com"
	DefaultAPIVersion = "v21.0"
)

// MaxCaption is Instagram's caption limit in characters (Facebook allows more; one limit keeps
// one caption for both).
const MaxCaption = 2200

// Config holds what every call shares. AppSecret is the Meta app's secret: when set, each call
// carries appsecret_proof, which Meta requires of apps with "Require App Secret" switched on.
type Config struct {
	APIBase    string
	APIVersion string
	AppSecret  string
}

// Client talks to the Graph API. Build it with New.
type Client struct {
	cfg  Config
	http *http.Client
}

// New returns a client; httpClient may be nil.
func New(cfg Config, httpClient *http.Client) *Client {
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{cfg: cfg, http: httpClient}
}

// AppSecretProof is hex(HMAC-SHA256(key = app secret, message = access token)).
func AppSecretProof(appSecret, accessToken string) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write([]byte(accessToken))
	return hex.EncodeToString(mac.Sum(nil))
}

// Page is a Facebook Page as GET /{page-id}?fields=id,name reports it.
type Page struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// IGUser is an Instagram professional account as GET /{ig-user-id}?fields=id,username reports it.
type IGUser struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// Photo is the answer of POST /{page-id}/photos: the photo, and for a published photo the Page
// post showing it.
type Photo struct {
	ID     string `json:"id"`
	PostID string `json:"post_id"`
}

// PagePost is a Page post's publishing state.
type PagePost struct {
	ID           string `json:"id"`
	IsPublished  bool   `json:"is_published"`
	PermalinkURL string `json:"permalink_url"`
}

// Container status codes (GET /{ig-container-id}?fields=status_code).
const (
	ContainerInProgress = "IN_PROGRESS"
	ContainerFinished   = "FINISHED"
	ContainerPublished  = "PUBLISHED"
	ContainerError      = "ERROR"
	ContainerExpired    = "EXPIRED" // not published within 24 hours
)

// Container is an Instagram media container's state; Status carries the error subcode when
// StatusCode is ERROR.
type Container struct {
	ID         string `json:"id"`
	StatusCode string `json:"status_code"`
	Status     string `json:"status"`
}

// Media is one of an Instagram account's media objects.
type Media struct {
	ID        string
	Caption   string
	Permalink string
	Timestamp time.Time
}

// Engagement is what a Page post's likes, comments and shares add up to.
type Engagement struct {
	Likes    int64 `json:"likes"`
	Comments int64 `json:"comments"`
	Shares   int64 `json:"shares"`
}

// ImageMetrics are the Instagram insights metrics Snapify reads for an image post.
var ImageMetrics = []string{"likes", "comments", "shares", "saved", "reach", "views"}

var (
	nodeID    = regexp.MustCompile(`^[0-9]{1,32}$`)
	pagePost  = regexp.MustCompile(`^[0-9]{1,32}(_[0-9]{1,32})?$`)
	metricRe  = regexp.MustCompile(`^[a-z_]{1,40}$`)
	igTimeFmt = "2006-01-02T15:04:05-0700"
)

func checkID(what, id string, re *regexp.Regexp) error {
	if !re.MatchString(id) {
		return fmt.Errorf("%w: %s %q is not a Graph id (digits)", ErrBadInput, what, id)
	}
	return nil
}

// CheckImageURL refuses an image address Meta could not fetch: Meta downloads the picture
// itself, so it must be an absolute http(s) URL on a public host.
func CheckImageURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%w: image URL %q is not an absolute http(s) address Meta can fetch", ErrBadInput, raw)
	}
	return nil
}

func checkCaption(caption string) error {
	if n := utf8.RuneCountInString(caption); n > MaxCaption {
		return fmt.Errorf("%w: caption has %d characters; Instagram allows %d", ErrBadInput, n, MaxCaption)
	}
	return nil
}

func checkToken(token string) error {
	if token == "" {
		return fmt.Errorf("%w: no access token", ErrBadInput)
	}
	return nil
}

// Page reads a Page's id and name: it proves the token can act for that Page.
func (c *Client) Page(ctx context.Context, token, pageID string) (Page, error) {
	var p Page
	if err := checkID("page id", pageID, nodeID); err != nil {
		return p, err
	}
	err := c.call(ctx, http.MethodGet, pageID, url.Values{"fields": {"id,name"}}, token, &p)
	return p, err
}

// IGUser reads an Instagram account's id and username.
func (c *Client) IGUser(ctx context.Context, token, igUserID string) (IGUser, error) {
	var u IGUser
	if err := checkID("Instagram user id", igUserID, nodeID); err != nil {
		return u, err
	}
	err := c.call(ctx, http.MethodGet, igUserID, url.Values{"fields": {"id,username"}}, token, &u)
	return u, err
}

// UploadPhoto posts POST /{page-id}/photos with the picture at imageURL, which Meta fetches.
// Unpublished (published=false), the photo is stored for a post to attach and nobody sees it.
func (c *Client) UploadPhoto(ctx context.Context, token, pageID, imageURL, caption string, published bool) (Photo, error) {
	var p Photo
	if err := checkID("page id", pageID, nodeID); err != nil {
		return p, err
	}
	if err := CheckImageURL(imageURL); err != nil {
		return p, err
	}
	if err := checkCaption(caption); err != nil {
		return p, err
	}
	form := url.Values{"url": {imageURL}, "published": {strconv.FormatBool(published)}}
	if caption != "" {
		form.Set("caption", caption)
	}
	if err := c.call(ctx, http.MethodPost, pageID+"/photos", form, token, &p); err != nil {
		return p, err
	}
	if p.ID == "" {
		return p, fmt.Errorf("social: photo upload answered no id")
	}
	return p, nil
}

// CreatePost posts POST /{page-id}/feed with message and the given unpublished photos attached
// (attached_media[i]={"media_fbid":…}). With published false the post waits, unseen, for
// PublishPost; that split is what makes publishing safe to retry.
func (c *Client) CreatePost(ctx context.Context, token, pageID, message string, photoIDs []string, published bool) (string, error) {
	if err := checkID("page id", pageID, nodeID); err != nil {
		return "", err
	}
	if err := checkCaption(message); err != nil {
		return "", err
	}
	form := url.Values{"message": {message}, "published": {strconv.FormatBool(published)}}
	for i, id := range photoIDs {
		if err := checkID("photo id", id, nodeID); err != nil {
			return "", err
		}
		b, _ := json.Marshal(map[string]string{"media_fbid": id})
		form.Set(fmt.Sprintf("attached_media[%d]", i), string(b))
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := c.call(ctx, http.MethodPost, pageID+"/feed", form, token, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", fmt.Errorf("social: page post answered no id")
	}
	return out.ID, nil
}

// Post reads a Page post's publishing state.
func (c *Client) Post(ctx context.Context, token, postID string) (PagePost, error) {
	var p PagePost
	if err := checkID("post id", postID, pagePost); err != nil {
		return p, err
	}
	err := c.call(ctx, http.MethodGet, postID, url.Values{"fields": {"id,is_published,permalink_url"}}, token, &p)
	return p, err
}

// PublishPost makes an unpublished Page post public (POST /{post-id} with is_published=true).
// Setting it on a post already public changes nothing, so a retry cannot post twice.
func (c *Client) PublishPost(ctx context.Context, token, postID string) error {
	if err := checkID("post id", postID, pagePost); err != nil {
		return err
	}
	var out struct {
		Success bool `json:"success"`
	}
	if err := c.call(ctx, http.MethodPost, postID, url.Values{"is_published": {"true"}}, token, &out); err != nil {
		return err
	}
	if !out.Success {
		return fmt.Errorf("social: publishing post %s answered success=false", postID)
	}
	return nil
}

// CreateContainer posts POST /{ig-user-id}/media with image_url (a JPEG Meta fetches) and the
// caption, and returns the container id to publish once it is FINISHED.
func (c *Client) CreateContainer(ctx context.Context, token, igUserID, imageURL, caption string) (string, error) {
	if err := checkID("Instagram user id", igUserID, nodeID); err != nil {
		return "", err
	}
	if err := CheckImageURL(imageURL); err != nil {
		return "", err
	}
	if err := checkCaption(caption); err != nil {
		return "", err
	}
	form := url.Values{"image_url": {imageURL}}
	if caption != "" {
		form.Set("caption", caption)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := c.call(ctx, http.MethodPost, igUserID+"/media", form, token, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", fmt.Errorf("social: media container answered no id")
	}
	return out.ID, nil
}

// Container reads a container's status_code (and status, the error subcode on ERROR).
func (c *Client) Container(ctx context.Context, token, containerID string) (Container, error) {
	var k Container
	if err := checkID("container id", containerID, nodeID); err != nil {
		return k, err
	}
	err := c.call(ctx, http.MethodGet, containerID, url.Values{"fields": {"id,status_code,status"}}, token, &k)
	return k, err
}

// PublishContainer posts POST /{ig-user-id}/media_publish with creation_id and returns the
// Instagram media id. Meta refuses a container that is not FINISHED (ErrNotReady).
func (c *Client) PublishContainer(ctx context.Context, token, igUserID, containerID string) (string, error) {
	if err := checkID("Instagram user id", igUserID, nodeID); err != nil {
		return "", err
	}
	if err := checkID("container id", containerID, nodeID); err != nil {
		return "", err
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := c.call(ctx, http.MethodPost, igUserID+"/media_publish", url.Values{"creation_id": {containerID}}, token, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", fmt.Errorf("social: media_publish answered no id")
	}
	return out.ID, nil
}

// RecentMedia lists the account's newest media (GET /{ig-user-id}/media), at most limit.
func (c *Client) RecentMedia(ctx context.Context, token, igUserID string, limit int) ([]Media, error) {
	if err := checkID("Instagram user id", igUserID, nodeID); err != nil {
		return nil, err
	}
	var out struct {
		Data []struct {
			ID        string `json:"id"`
			Caption   string `json:"caption"`
			Permalink string `json:"permalink"`
			Timestamp string `json:"timestamp"`
		} `json:"data"`
	}
	q := url.Values{"fields": {"id,caption,permalink,timestamp"}, "limit": {strconv.Itoa(min(max(limit, 1), 100))}}
	if err := c.call(ctx, http.MethodGet, igUserID+"/media", q, token, &out); err != nil {
		return nil, err
	}
	media := make([]Media, 0, len(out.Data))
	for _, d := range out.Data {
		ts, _ := time.Parse(igTimeFmt, d.Timestamp)
		media = append(media, Media{ID: d.ID, Caption: d.Caption, Permalink: d.Permalink, Timestamp: ts})
	}
	return media, nil
}

// PostEngagement reads a Page post's like, comment and share counts
// (fields=likes.limit(0).summary(true),comments.limit(0).summary(true),shares). Meta leaves
// shares out while nobody has shared.
func (c *Client) PostEngagement(ctx context.Context, token, postID string) (Engagement, error) {
	var e Engagement
	if err := checkID("post id", postID, pagePost); err != nil {
		return e, err
	}
	type summary struct {
		Summary struct {
			TotalCount int64 `json:"total_count"`
		} `json:"summary"`
	}
	var out struct {
		Likes    summary `json:"likes"`
		Comments summary `json:"comments"`
		Shares   struct {
			Count int64 `json:"count"`
		} `json:"shares"`
	}
	q := url.Values{"fields": {"likes.limit(0).summary(true),comments.limit(0).summary(true),shares"}}
	if err := c.call(ctx, http.MethodGet, postID, q, token, &out); err != nil {
		return e, err
	}
	return Engagement{Likes: out.Likes.Summary.TotalCount, Comments: out.Comments.Summary.TotalCount, Shares: out.Shares.Count}, nil
}

// MediaInsights reads lifetime metrics of an Instagram media object
// (GET /{ig-media-id}/insights?metric=…). A metric Meta has no data for yet is absent.
func (c *Client) MediaInsights(ctx context.Context, token, mediaID string, metrics []string) (map[string]int64, error) {
	if err := checkID("media id", mediaID, nodeID); err != nil {
		return nil, err
	}
	if len(metrics) == 0 {
		return nil, fmt.Errorf("%w: no metrics asked", ErrBadInput)
	}
	for _, m := range metrics {
		if !metricRe.MatchString(m) {
			return nil, fmt.Errorf("%w: metric %q", ErrBadInput, m)
		}
	}
	var out struct {
		Data []struct {
			Name   string `json:"name"`
			Values []struct {
				Value json.Number `json:"value"`
			} `json:"values"`
			TotalValue *struct {
				Value json.Number `json:"value"`
			} `json:"total_value"`
		} `json:"data"`
	}
	if err := c.call(ctx, http.MethodGet, mediaID+"/insights", url.Values{"metric": {strings.Join(metrics, ",")}}, token, &out); err != nil {
		return nil, err
	}
	got := make(map[string]int64, len(out.Data))
	for _, d := range out.Data {
		var v json.Number
		switch {
		case len(d.Values) > 0:
			v = d.Values[0].Value
		case d.TotalValue != nil:
			v = d.TotalValue.Value
		default:
			continue
		}
		if n, err := v.Int64(); err == nil {
			got[d.Name] = n
		}
	}
	return got, nil
}

// call sends one Graph request: GET parameters in the query, POST parameters as a form body,
// the token as a Bearer header and, with an app secret, appsecret_proof beside the parameters.
func (c *Client) call(ctx context.Context, method, path string, params url.Values, token string, out any) error {
	if err := checkToken(token); err != nil {
		return err
	}
	if params == nil {
		params = url.Values{}
	}
	if c.cfg.AppSecret != "" {
		params.Set("appsecret_proof", AppSecretProof(c.cfg.AppSecret, token))
	}
	endpoint := c.cfg.APIBase + "/" + c.cfg.APIVersion + "/" + path
	var body io.Reader
	if method == http.MethodGet {
		endpoint += "?" + params.Encode()
	} else {
		body = strings.NewReader(params.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint, body)
	if err != nil {
		return fmt.Errorf("social: build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	what := method + " /" + path
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("social: %s: %w", what, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("social: %s: read answer: %w", what, err)
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("social: %s: %w", what, parseError(resp, raw))
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("social: %s: decode answer: %w", what, err)
	}
	return nil
}

type errorEnvelope struct {
	Error *struct {
		Message        string `json:"message"`
		Type           string `json:"type"`
		Code           int    `json:"code"`
		ErrorSubcode   int    `json:"error_subcode"`
		ErrorUserTitle string `json:"error_user_title"`
		ErrorUserMsg   string `json:"error_user_msg"`
		IsTransient    bool   `json:"is_transient"`
		FBTraceID      string `json:"fbtrace_id"`
	} `json:"error"`
}

func parseError(resp *http.Response, raw []byte) *APIError {
	var env errorEnvelope
	if err := json.Unmarshal(raw, &env); err != nil || env.Error == nil {
		return &APIError{HTTPStatus: resp.StatusCode, Message: "unexpected answer: " + truncate(raw, 200)}
	}
	e := env.Error
	return &APIError{HTTPStatus: resp.StatusCode, Code: e.Code, Subcode: e.ErrorSubcode, Type: e.Type, Message: e.Message,
		UserTitle: e.ErrorUserTitle, UserMsg: e.ErrorUserMsg, Transient: e.IsTransient, FBTraceID: e.FBTraceID,
		RetryAfter: regainAccess(resp.Header)}
}

// regainAccess reads estimated_time_to_regain_access (minutes) from the
// X-Business-Use-Case-Usage header: {"<business id>": [{"type": "pages", …,
// "estimated_time_to_regain_access": 19}]}. The largest wins.
func regainAccess(h http.Header) time.Duration {
	v := h.Get("X-Business-Use-Case-Usage")
	if v == "" {
		return 0
	}
	var usage map[string][]struct {
		Minutes int `json:"estimated_time_to_regain_access"`
	}
	if json.Unmarshal([]byte(v), &usage) != nil {
		return 0
	}
	var most int
	for _, list := range usage {
		for _, u := range list {
			most = max(most, u.Minutes)
		}
	}
	return time.Duration(most) * time.Minute
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
