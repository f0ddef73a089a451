package whatsapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Webhook errors.
var (
	ErrNoAppSecret      = errors.New("whatsapp: webhook app secret is not configured (ALORIG_SNAPIFY_WHATSAPP_APP_SECRET); refusing unsigned webhooks")
	ErrBadSignature     = errors.New("whatsapp: webhook signature does not match")
	ErrVerifyTokenWrong = errors.New("whatsapp: webhook verify token does not match")
)

// SignatureHeader is the header Meta signs webhook deliveries with.
const SignatureHeader = "X-Hub-Signature-256"

// Sign returns the X-Hub-Signature-256 value for body: "sha256=" + hex HMAC-SHA256 keyed with
// the app secret. The fake server and tests use it to deliver signed webhooks.
func Sign(appSecret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifySignature checks header (the X-Hub-Signature-256 value) against the raw request body.
// The body must be the exact bytes received, before any JSON decoding.
func VerifySignature(appSecret string, body []byte, header string) error {
	if appSecret == "" {
		return ErrNoAppSecret
	}
	hexSig, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok {
		return fmt.Errorf("%w: header %q lacks the sha256= prefix", ErrBadSignature, header)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return fmt.Errorf("%w: header is not a hex sha256", ErrBadSignature)
	}
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return ErrBadSignature
	}
	return nil
}

// VerifySignature checks a webhook delivery with the client's configured app secret.
func (c *Client) VerifySignature(body []byte, header string) error {
	return VerifySignature(c.cfg.AppSecret, body, header)
}

// VerifyHandshake answers Meta's subscription check (GET with hub.mode=subscribe,
// hub.verify_token and hub.challenge). It returns the challenge to echo back with 200, or an
// error, on which the handler answers 403.
func VerifyHandshake(query url.Values, verifyToken string) (string, error) {
	if verifyToken == "" {
		return "", fmt.Errorf("%w: no verify token is configured", ErrVerifyTokenWrong)
	}
	if query.Get("hub.mode") != "subscribe" {
		return "", fmt.Errorf("whatsapp: webhook handshake: hub.mode is %q, want subscribe", query.Get("hub.mode"))
	}
	if subtle.ConstantTimeCompare([]byte(query.Get("hub.verify_token")), []byte(verifyToken)) != 1 {
		return "", ErrVerifyTokenWrong
	}
	challenge := query.Get("hub.challenge")
	if challenge == "" {
		return "", errors.New("whatsapp: webhook handshake: hub.challenge is empty")
	}
	return challenge, nil
}

// Webhook is the body Meta posts for the whatsapp_business_account object.
type Webhook struct {
	Object string `json:"object"`
	Entry  []struct {
		ID      string `json:"id"`
		Changes []struct {
			Field string       `json:"field"`
			Value WebhookValue `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// WebhookValue carries inbound messages and delivery statuses for one phone number.
type WebhookValue struct {
	MessagingProduct string `json:"messaging_product"`
	Metadata         struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []struct {
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
		WaID string `json:"wa_id"`
	} `json:"contacts"`
	Messages []InboundMessage `json:"messages"`
	Statuses []Status         `json:"statuses"`
}

// InboundMessage is one message a user sent to the business number.
type InboundMessage struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Text      *struct {
		Body string `json:"body"`
	} `json:"text,omitempty"`
	Interactive *struct {
		Type        string `json:"type"`
		ButtonReply *struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"button_reply,omitempty"`
		ListReply *struct {
			ID          string `json:"id"`
			Title       string `json:"title"`
			Description string `json:"description"`
		} `json:"list_reply,omitempty"`
	} `json:"interactive,omitempty"`
	Button *struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button,omitempty"`
	Image *InboundMedia `json:"image,omitempty"`
	Audio *InboundMedia `json:"audio,omitempty"`
	Video *InboundMedia `json:"video,omitempty"`
	Doc   *InboundMedia `json:"document,omitempty"`
}

// InboundMedia points at a file to fetch with DownloadMedia.
type InboundMedia struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	Caption  string `json:"caption,omitempty"`
	Voice    bool   `json:"voice,omitempty"`
}

// Status is a delivery receipt for a message the business sent.
type Status struct {
	ID          string `json:"id"`
	Status      string `json:"status"` // sent, delivered, read, failed
	Timestamp   string `json:"timestamp"`
	RecipientID string `json:"recipient_id"`
	Errors      []struct {
		Code  int    `json:"code"`
		Title string `json:"title"`
	} `json:"errors,omitempty"`
}

// ParseWebhook verifies the signature and then decodes the body. Decoding is lenient about
// unknown fields because Meta adds fields without notice.
func ParseWebhook(appSecret string, body []byte, signature string) (Webhook, error) {
	if err := VerifySignature(appSecret, body, signature); err != nil {
		return Webhook{}, err
	}
	var w Webhook
	if err := json.Unmarshal(body, &w); err != nil {
		return Webhook{}, fmt.Errorf("whatsapp: decode webhook: %w", err)
	}
	if w.Object != "whatsapp_business_account" {
		return Webhook{}, fmt.Errorf("whatsapp: webhook object is %q, want whatsapp_business_account", w.Object)
	}
	return w, nil
}

// Err reports a failed delivery as an *APIError, so a 131047 that Meta reports asynchronously
// in a status webhook (rather than in the send response) unwraps to ErrOutsideWindow too.
func (s Status) Err() error {
	if s.Status != "failed" {
		return nil
	}
	e := &APIError{Message: "delivery failed"}
	if len(s.Errors) > 0 {
		e.Code, e.Message = s.Errors[0].Code, s.Errors[0].Title
	}
	return e
}
