package snapify

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"
)

// The WhatsApp Cloud API webhook, /webhooks/whatsapp on Snapify's own hosts (snapify.pk, app.,
// admin.; not on stores' custom domains). GET is Meta's subscription check; POST is a signed
// delivery of messages and delivery receipts, stored as received together with the job that
// handles it (wa_jobs.go), and answered 200 at once as Meta expects.

// waMaxBody bounds a delivery. Meta batches at most a few messages per POST, a few KB each.
const waMaxBody = 256 << 10

type waVerifyQuery struct {
	Mode      string `query:"hub.mode" enum:"subscribe" required:"true"`
	Token     string `query:"hub.verify_token" required:"true" doc:"ALORIG_SNAPIFY_WHATSAPP_VERIFY_TOKEN, compared in constant time"`
	Challenge string `query:"hub.challenge" required:"true" doc:"echoed back as text/plain"`
}

// waAck is the answer to a delivery.
type waAck struct {
	Received  bool `json:"received"`
	Duplicate bool `json:"duplicate" doc:"this exact body was received before; it is handled once"`
}

// waCloudWebhook documents the body: the Cloud API's webhook object, signed in
// X-Hub-Signature-256.
type waCloudWebhook struct {
	Object string           `json:"object" enum:"whatsapp_business_account"`
	Entry  []map[string]any `json:"entry"`
}

var (
	waVerifyOp = web.Operation{Summary: "WhatsApp webhook subscription check", Auth: web.AuthNone, Query: waVerifyQuery{},
		Description: "Meta's GET when the webhook is set up: with hub.mode=subscribe and the configured verify token, " +
			"hub.challenge is echoed as text/plain; anything else is 403.",
		Responses: map[int]web.Response{http.StatusOK: {Description: "the challenge", Body: "", ContentType: "text/plain"}},
		Problems:  []int{http.StatusForbidden, http.StatusNotFound}}
	waReceiveOp = web.Operation{Summary: "WhatsApp webhook delivery (signed)", Auth: web.AuthNone, Request: waCloudWebhook{},
		Description: "Messages and delivery receipts from the WhatsApp Cloud API. The raw body must carry a valid " +
			"X-Hub-Signature-256 (HMAC-SHA256 with the app secret, ALORIG_SNAPIFY_WHATSAPP_APP_SECRET); a body without one " +
			"is refused and stores nothing. Accepted bodies are stored and handled by the job snapify.process_whatsapp_webhook; " +
			"each message id is handled once.",
		Params: []web.Param{{Name: whatsapp.SignatureHeader, In: "header", Required: true,
			Description: "sha256=<hex HMAC-SHA256 of the raw body>"}},
		Responses: web.OK(waAck{}),
		Problems:  []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusRequestEntityTooLarge}}
)

// waRoutes mounts the webhook (called from routes.go).
func (m *Module) waRoutes(api *web.API, e *echo.Echo) {
	wa := api.On(e, "whatsapp")
	wa.GET("/webhooks/whatsapp", m.waVerify, waVerifyOp)
	wa.POST("/webhooks/whatsapp", m.waReceive, waReceiveOp)
}

func (m *Module) waOwnHost(c echo.Context) error {
	if !m.isOwnHost(web.CanonicalHost(c.Request().Host)) {
		return web.NotFound("no WhatsApp webhook on a store's own domain; Meta posts to snapify.pk").WithCode("NOT_FOUND")
	}
	return nil
}

func (m *Module) waVerify(c echo.Context) error {
	if err := m.waOwnHost(c); err != nil {
		return err
	}
	challenge, err := whatsapp.VerifyHandshake(c.QueryParams(), m.d.Config.Snapify.WhatsAppVerifyToken)
	if err != nil || len(challenge) > 256 {
		return web.Forbidden("the webhook subscription check failed: hub.mode must be subscribe and hub.verify_token the configured " +
			"token (ALORIG_SNAPIFY_WHATSAPP_VERIFY_TOKEN)").WithCode("WEBHOOK_VERIFY_REFUSED")
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.String(http.StatusOK, challenge)
}

func (m *Module) waReceive(c echo.Context) error {
	if err := m.waOwnHost(c); err != nil {
		return err
	}
	secret := m.d.Config.Snapify.WhatsAppAppSecret
	if secret == "" {
		return web.Forbidden(whatsapp.ErrNoAppSecret.Error()).WithCode("WEBHOOK_NOT_CONFIGURED")
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, waMaxBody+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || len(body) > waMaxBody {
		return web.NewProblem(http.StatusRequestEntityTooLarge, "a webhook delivery is at most 256 KB").WithCode("BODY_TOO_LARGE")
	}
	if err != nil {
		return web.BadRequest("the body could not be read").WithCode("BODY_UNREADABLE")
	}
	_, err = whatsapp.ParseWebhook(secret, body, c.Request().Header.Get(whatsapp.SignatureHeader))
	switch {
	case errors.Is(err, whatsapp.ErrBadSignature):
		return web.Unauthorized("the X-Hub-Signature-256 header is missing or does not match the body").WithCode("SIGNATURE_INVALID")
	case err != nil:
		return web.BadRequest(err.Error()).WithCode("WEBHOOK_INVALID")
	}
	dup, err := m.storeWhatsAppDelivery(c.Request().Context(), body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, waAck{Received: true, Duplicate: dup})
}

// storeWhatsAppDelivery keeps a verified body and queues its job in one transaction. The same
// body again (Meta retries a delivery it did not see answered) is not stored twice.
func (m *Module) storeWhatsAppDelivery(ctx context.Context, body []byte) (bool, error) {
	sum := sha256.Sum256(body)
	dup := false
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var id int64
		err := tx.NewRaw(`INSERT INTO whatsapp_deliveries (body, body_sha256, received_at) VALUES (?, ?, ?)
			ON CONFLICT (body_sha256) DO NOTHING RETURNING id`, body, hex.EncodeToString(sum[:]), m.d.Clock.Now()).Scan(ctx, &id)
		if errors.Is(err, sql.ErrNoRows) {
			dup = true
			return nil
		}
		if err != nil {
			return err
		}
		_, err = m.d.Jobs.InsertTx(ctx, tx, ProcessWhatsAppWebhookArgs{DeliveryID: id}, nil)
		return err
	})
	return dup, err
}

// decodeDelivery reads a stored body (already verified when it was received).
func decodeDelivery(body []byte) (whatsapp.Webhook, error) {
	var w whatsapp.Webhook
	err := json.Unmarshal(body, &w)
	return w, err
}
