package snapify_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/modules/snapify/whatsapp/whatsapptest"
	"github.com/alorig/alorig/shared/ai/aitest"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
)

const waVerifyToken = "verify-token-for-tests-0123456789"

// waHarness is Snapify with WhatsApp pointed at the fake Graph API, its webhook configured, and
// River working jobs.
type waHarness struct {
	t   *testing.T
	env *testkit.Env
	m   *snapify.Module
	wa  *whatsapptest.Server
	db  bun.IDB
	seq int
}

func startWA(t *testing.T, seed bool, opts ...testkit.EnvOption) *waHarness {
	t.Helper()
	wa := whatsapptest.Start(whatsapptest.Options{})
	t.Cleanup(wa.Close)
	cfg := wa.Config()
	opts = append([]testkit.EnvOption{
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_TOKEN", cfg.Token),
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_PHONE_NUMBER_ID", cfg.PhoneNumberID),
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_API_BASE", cfg.APIBase),
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_APP_SECRET", cfg.AppSecret),
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_VERIFY_TOKEN", waVerifyToken),
	}, opts...)
	var env *testkit.Env
	var m *snapify.Module
	if seed {
		env, m = seeded(t, opts...)
	} else {
		env, m = start(t, opts...)
	}
	env.StartWorkers()
	return &waHarness{t: t, env: env, m: m, wa: wa, db: env.Mounted("snapify").DB}
}

// post delivers body to the webhook, signed with sig ("" sends no signature header).
func (h *waHarness) post(hostName string, body []byte, sig string) (*http.Response, string) {
	hdr := map[string]string{"Content-Type": "application/json"}
	if sig != "" {
		hdr[whatsapp.SignatureHeader] = sig
	}
	return h.env.Do("POST", hostName, "/webhooks/whatsapp", hdr, string(body))
}

// deliver posts a correctly signed body and waits until its jobs (and the replies') are done.
func (h *waHarness) deliver(body []byte) string {
	h.t.Helper()
	res, out := h.post(host, body, whatsapp.Sign(h.wa.Config().AppSecret, body))
	require.Equal(h.t, http.StatusOK, res.StatusCode, out)
	drainJobs(h.t, h.env)
	return out
}

// message builds a Cloud API delivery of one message from waID (msg has type and its object).
func (h *waHarness) message(waID string, msg map[string]any) []byte {
	h.seq++
	msg["from"] = waID
	msg["id"] = fmt.Sprintf("wamid.TEST%s%06d", waID, h.seq)
	msg["timestamp"] = fmt.Sprint(h.env.Clock.Now().Unix())
	body, err := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "WABA", "changes": []any{map[string]any{"field": "messages", "value": map[string]any{
			"messaging_product": "whatsapp",
			"metadata":          map[string]any{"display_phone_number": "15550783881", "phone_number_id": h.wa.Config().PhoneNumberID},
			"contacts":          []any{map[string]any{"profile": map[string]any{"name": "Seller"}, "wa_id": waID}},
			"messages":          []any{msg},
		}}}}}})
	require.NoError(h.t, err)
	h.wa.OpenWindow(waID) // the seller wrote, so the 24-hour window is open
	return body
}

func (h *waHarness) say(waID, text string) []whatsapptest.Message {
	return h.sendMsg(waID, map[string]any{"type": "text", "text": map[string]any{"body": text}})
}

func (h *waHarness) tap(waID, id string) []whatsapptest.Message {
	kind, obj := "button_reply", map[string]any{"id": id, "title": id}
	if strings.HasPrefix(id, "order:") || strings.HasPrefix(id, "city:") || strings.HasPrefix(id, "cat:") {
		kind = "list_reply"
	}
	return h.sendMsg(waID, map[string]any{"type": "interactive", "interactive": map[string]any{"type": kind, kind: obj}})
}

// sendMsg delivers one message and returns the replies it got.
func (h *waHarness) sendMsg(waID string, msg map[string]any) []whatsapptest.Message {
	h.t.Helper()
	before := len(h.replies(waID))
	h.deliver(h.message(waID, msg))
	return h.replies(waID)[before:]
}

func (h *waHarness) replies(waID string) []whatsapptest.Message {
	var out []whatsapptest.Message
	for _, m := range h.wa.Messages() {
		if m.To == waID {
			out = append(out, m)
		}
	}
	return out
}

func (h *waHarness) count(q string, args ...any) int {
	h.t.Helper()
	var n int
	require.NoError(h.t, h.db.NewRaw(q, args...).Scan(context.Background(), &n))
	return n
}

func (h *waHarness) state(waID string) string {
	var s string
	_ = h.db.NewRaw("SELECT state FROM whatsapp_sessions WHERE wa_id = ?", waID).Scan(context.Background(), &s)
	return s
}

func texts(ms []whatsapptest.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Text + "\n")
	}
	return b.String()
}

func testJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			img.Set(x, y, color.RGBA{uint8(x / 3), uint8(y / 2), 120, 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}))
	return buf.Bytes()
}

func TestWhatsAppWebhookVerification(t *testing.T) {
	t.Parallel()
	h := startWA(t, false)
	q := func(mode, token, challenge string) string {
		return "/webhooks/whatsapp?" + url.Values{"hub.mode": {mode}, "hub.verify_token": {token}, "hub.challenge": {challenge}}.Encode()
	}
	for _, hostName := range []string{host, "app.snapify.localhost"} {
		res, body := h.env.Do("GET", hostName, q("subscribe", waVerifyToken, "1158201444"), nil, "")
		require.Equal(t, http.StatusOK, res.StatusCode, hostName+": "+body)
		require.Equal(t, "1158201444", body)
		require.True(t, strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain"), res.Header.Get("Content-Type"))
	}
	for name, path := range map[string]string{
		"wrong token":     q("subscribe", "verify-token-for-tests-0123456780", "1"),
		"token prefix":    q("subscribe", waVerifyToken[:10], "1"),
		"empty token":     q("subscribe", "", "1"),
		"wrong mode":      q("unsubscribe", waVerifyToken, "1"),
		"no challenge":    q("subscribe", waVerifyToken, ""),
		"no query at all": "/webhooks/whatsapp",
	} {
		res, body := h.env.Do("GET", host, path, nil, "")
		require.Equal(t, http.StatusForbidden, res.StatusCode, name+": "+body)
		require.Contains(t, body, "WEBHOOK_VERIFY_REFUSED", name)
		require.NotContains(t, body, waVerifyToken)
	}

	// Without a configured token nothing is echoed, not even to an empty token.
	env, _ := start(t)
	res, body := env.Do("GET", host, q("subscribe", "", "1"), nil, "")
	require.Equal(t, http.StatusForbidden, res.StatusCode, body)
	require.Contains(t, body, "ALORIG_SNAPIFY_WHATSAPP_VERIFY_TOKEN")
}

func TestWhatsAppWebhookRefusesUnsignedDeliveries(t *testing.T) {
	t.Parallel()
	h := startWA(t, false)
	body, goodSig := h.wa.InboundText("923001112233", "Sana", "hi")
	for name, sig := range map[string]string{
		"no signature":        "",
		"another app secret":  whatsapp.Sign("another-secret", body),
		"without the prefix":  strings.TrimPrefix(goodSig, "sha256="),
		"sha1 of the body":    "sha1=" + strings.TrimPrefix(goodSig, "sha256="),
		"truncated signature": goodSig[:len(goodSig)-2],
	} {
		res, out := h.post(host, body, sig)
		require.Equal(t, http.StatusUnauthorized, res.StatusCode, name+": "+out)
		require.Contains(t, out, "SIGNATURE_INVALID", name)
	}
	// A signed body with one byte changed.
	tampered := bytes.Replace(body, []byte(`"hi"`), []byte(`"hI"`), 1)
	res, out := h.post(host, tampered, goodSig)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode, out)
	// Too large is refused before anything else.
	big := append(bytes.Clone(body[:len(body)-1]), []byte(`,"pad":"`+strings.Repeat("x", 300<<10)+`"}`)...)
	res, out = h.post(host, big, whatsapp.Sign(h.wa.Config().AppSecret, big))
	require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode, out)

	drainJobs(t, h.env)
	require.Zero(t, h.count("SELECT count(*) FROM whatsapp_deliveries"))
	require.Zero(t, h.count("SELECT count(*) FROM whatsapp_sessions"))
	require.Zero(t, h.count("SELECT count(*) FROM river_job WHERE kind = 'snapify.process_whatsapp_webhook'"))
	require.Empty(t, h.wa.Messages())

	// Without an app secret every delivery is refused, even one signed with an empty key.
	env, _ := start(t, testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_VERIFY_TOKEN", waVerifyToken))
	res2, out2 := env.Do("POST", host, "/webhooks/whatsapp", map[string]string{whatsapp.SignatureHeader: whatsapp.Sign("", body)}, string(body))
	require.Equal(t, http.StatusForbidden, res2.StatusCode, out2)
	require.Contains(t, out2, "ALORIG_SNAPIFY_WHATSAPP_APP_SECRET")
	var n int
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT count(*) FROM whatsapp_deliveries").Scan(context.Background(), &n))
	require.Zero(t, n)

	// The signed original is accepted.
	res, out = h.post(host, body, goodSig)
	require.Equal(t, http.StatusOK, res.StatusCode, out)
	require.JSONEq(t, `{"received":true,"duplicate":false}`, out)
}

func TestWhatsAppMessageHandledOnce(t *testing.T) {
	t.Parallel()
	h := startWA(t, false)
	body, sig := h.wa.InboundText("923001112233", "Sana", "hi")

	res, out := h.post(host, body, sig)
	require.Equal(t, http.StatusOK, res.StatusCode, out)
	// Meta delivers the same body again before it saw the 200.
	res, out = h.post(host, body, sig)
	require.Equal(t, http.StatusOK, res.StatusCode, out)
	require.JSONEq(t, `{"received":true,"duplicate":true}`, out)
	// And the same message inside another body (another batch).
	var w map[string]any
	require.NoError(t, json.Unmarshal(body, &w))
	w["entry"].([]any)[0].(map[string]any)["id"] = "ANOTHER_BATCH"
	again, err := json.Marshal(w)
	require.NoError(t, err)
	h.deliver(again)

	require.Equal(t, 2, h.count("SELECT count(*) FROM whatsapp_deliveries"))
	require.Equal(t, 1, h.count("SELECT count(*) FROM whatsapp_messages"))
	replies := h.replies("923001112233")
	require.Len(t, replies, 1, texts(replies))
	require.Contains(t, replies[0].Text, "shop's name")
	require.Equal(t, "ask_name", h.state("923001112233"))

	// A retried job (River runs it again after a crash) changes nothing and sends nothing.
	var ids []int64
	require.NoError(t, h.db.NewRaw("SELECT id FROM whatsapp_deliveries ORDER BY id").Scan(context.Background(), &ids))
	_, err = h.db.NewRaw("UPDATE whatsapp_deliveries SET processed_at = NULL").Exec(context.Background())
	require.NoError(t, err)
	for _, id := range ids {
		require.NoError(t, h.m.ProcessWhatsAppDelivery(context.Background(), id))
	}
	drainJobs(t, h.env)
	require.Len(t, h.replies("923001112233"), 1)
	require.Equal(t, 1, h.count("SELECT count(*) FROM whatsapp_outbox"))
	require.Equal(t, "ask_name", h.state("923001112233"))
}

// TestWhatsAppRecordedConversation replays testdata/whatsapp (the Cloud API's webhook bodies of
// a seller's first conversation: "Hi", the shop's name, a city and a category from lists, a
// product photo with its caption, a voice note, delivery receipts, "link") against the webhook
// with valid signatures, and ends with a live store listing the product.
func TestWhatsAppRecordedConversation(t *testing.T) {
	t.Parallel()
	openai := aitest.NewOpenAI(t, "sk-test-whisper")
	openai.EnqueueTranscription(aitest.Transcription{Text: "Stock lawn suit 5", Language: "english", Seconds: 3})
	h := startWA(t, false, testkit.WithEnv("ALORIG_OPENAI_API_KEY", "sk-test-whisper"),
		testkit.WithEnv("ALORIG_OPENAI_BASE_URL", openai.URL+"/v1"))
	const seller = "923001112233"
	photo := testJPEG(t)
	voice := append([]byte("OggS"), bytes.Repeat([]byte{0x4f, 0x70, 0x75, 0x73}, 500)...)
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	vars := map[string]string{"$PHOTO_ID": h.wa.AddMedia(photo, "image/jpeg"), "$PHOTO_SHA256": sum(photo),
		"$VOICE_ID": h.wa.AddMedia(voice, "audio/ogg; codecs=opus"), "$VOICE_SHA256": sum(voice)}

	files, err := filepath.Glob("testdata/whatsapp/*.json")
	require.NoError(t, err)
	sort.Strings(files)
	require.Len(t, files, 8)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		if ms := h.replies(seller); len(ms) > 0 {
			vars["$REPLY_ID"] = ms[0].ID
		}
		for k, v := range vars {
			raw = bytes.ReplaceAll(raw, []byte(k), []byte(v))
		}
		require.NotContains(t, string(raw), "$", f)
		h.wa.OpenWindow(seller)
		h.deliver(raw)
		h.env.Clock.Advance(40 * time.Second)
	}

	all := h.replies(seller)
	transcript := texts(all)
	require.Contains(t, transcript, "Sana Iqbal")
	require.Contains(t, transcript, "Which city")
	require.Contains(t, transcript, "What do you sell")
	require.Contains(t, transcript, "Your store is live")
	require.Contains(t, transcript, "I heard: “Stock lawn suit 5”")
	require.Contains(t, transcript, "Stock of *Lawn suit* is now 5")
	heard := openai.Transcriptions()
	require.Len(t, heard, 1)
	require.Equal(t, voice, heard[0].File, "the voice note's bytes, downloaded in two steps, went to the transcription API")
	require.Equal(t, "voice.ogg", heard[0].Filename)
	require.Equal(t, "whisper-1", heard[0].Model)
	require.Equal(t, "list", all[1].InteractiveType)
	require.Contains(t, all[1].Choices, "city:lahore")
	require.Contains(t, all[2].Choices, "cat:clothing")

	s, err := h.m.StoreBySlug(context.Background(), "sana-boutique")
	require.NoError(t, err)
	require.Equal(t, "Sana Boutique", s.Name)
	require.Equal(t, "Lahore", s.City)
	require.Equal(t, "Punjab", s.Region)
	require.Equal(t, "Clothing", s.Category)
	require.Equal(t, "+923001112233", s.WhatsAppPhone)
	var title string
	var price int64
	var images, stock int
	require.NoError(t, h.db.NewRaw("SELECT title, price_paisa, jsonb_array_length(images), stock FROM products WHERE store_id = ?", s.ID).
		Scan(context.Background(), &title, &price, &images, &stock))
	require.Equal(t, "Lawn suit", title)
	require.Equal(t, int64(250000), price)
	require.Equal(t, 1, images)
	require.Equal(t, 5, stock, "set by the voice note")

	// The store and the product are live for buyers.
	res, body := h.env.Do("GET", host, "/sana-boutique", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, body, "Lawn suit")
	res, body = h.env.Do("GET", host, "/sana-boutique/lawn-suit", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, body, "Rs 2,500")

	// The receipts were recorded on the first reply; "link" answered with the address.
	var status string
	require.NoError(t, h.db.NewRaw("SELECT status FROM whatsapp_outbox WHERE wamid = ?", all[0].ID).Scan(context.Background(), &status))
	require.Equal(t, "read", status)
	require.Contains(t, all[len(all)-1].Text, "/sana-boutique")
	require.Equal(t, "live", h.state(seller))
	require.Zero(t, h.count("SELECT count(*) FROM whatsapp_outbox WHERE sent_at IS NULL"))
}

func TestWhatsAppConversationResumes(t *testing.T) {
	t.Parallel()
	h := startWA(t, false)
	const seller = "923004445566"
	h.say(seller, "Salam")
	h.say(seller, "Zara Shoes")
	require.Equal(t, "ask_city", h.state(seller))

	// The seller goes quiet for three days; the conversation is where it stopped.
	h.env.Clock.Advance(72 * time.Hour)
	got := h.say(seller, "Karachi")
	require.Len(t, got, 1)
	require.Contains(t, got[0].Text, "What do you sell")
	require.Equal(t, "ask_category", h.state(seller))

	// WhatsApp refuses the next reply for a moment (rate limit): the step is saved, the reply
	// goes out once, on the retry.
	h.wa.FailNext(http.StatusTooManyRequests, 130429, 0)
	got = h.say(seller, "Shoes")
	require.Equal(t, "first_product", h.state(seller))
	require.Len(t, got, 1, texts(got))
	require.Contains(t, got[0].Text, "zara-shoes")

	// A photo without a price waits for it, even across a quiet day.
	photo := h.wa.AddMedia(testJPEG(t), "image/jpeg")
	got = h.sendMsg(seller, map[string]any{"type": "image", "image": map[string]any{"id": photo, "mime_type": "image/jpeg", "caption": "Khussa"}})
	require.Contains(t, got[0].Text, "photo of *Khussa*")
	h.env.Clock.Advance(20 * time.Hour)
	got = h.say(seller, "1800")
	require.Contains(t, texts(got), "Your store is live")
	require.Equal(t, "live", h.state(seller))
	require.Equal(t, 1, h.count("SELECT count(*) FROM products p JOIN stores s ON s.id = p.store_id WHERE s.slug = 'zara-shoes' AND p.price_paisa = 180000"))

	// Without speech-to-text configured, a voice note is answered with a request to type.
	voice := h.wa.AddMedia([]byte("OggS voice"), "audio/ogg; codecs=opus")
	got = h.sendMsg(seller, map[string]any{"type": "audio", "audio": map[string]any{"id": voice, "mime_type": "audio/ogg; codecs=opus", "voice": true}})
	require.Len(t, got, 1)
	require.Contains(t, got[0].Text, "speech recognition")
	require.Contains(t, got[0].Text, "type")
}

func TestWhatsAppSellerCommands(t *testing.T) {
	t.Parallel()
	h := startWA(t, true)
	const ali = "923001234567" // owns ali-fabrics in the seed
	ctx := context.Background()

	got := h.say(ali, "hi")
	require.Contains(t, got[0].Text, "Welcome back to Ali Fabrics")
	require.Len(t, got[0].Choices, 3)

	got = h.say(ali, "price chikankari lawn kurti 3800")
	require.Contains(t, got[0].Text, "Rs 3,800")
	got = h.say(ali, "stock chikankari 7")
	require.Contains(t, got[0].Text, "now 7")
	var price int64
	var stock int
	require.NoError(t, h.db.NewRaw("SELECT price_paisa, stock FROM products WHERE slug = 'chikankari-lawn-kurti-off-white'").Scan(ctx, &price, &stock))
	require.Equal(t, int64(380000), price)
	require.Equal(t, 7, stock)
	got = h.say(ali, "price lawn 100")
	require.Contains(t, got[0].Text, "matches")
	got = h.say(ali, "qeemat silk kurti Rs 4,200")
	require.Contains(t, got[0].Text, "Rs 4,200")

	// A buyer orders; the seller lists orders and moves one along its lifecycle.
	s, err := h.m.StoreBySlug(ctx, "ali-fabrics")
	require.NoError(t, err)
	o, _, err := h.m.PlaceOrder(ctx, s, snapify.OrderRequest{IdempotencyKey: "wa-test-order-1", BuyerName: "Ayesha Khan", Phone: "0300 7654321",
		Address: "House 12, Street 4, Model Town", City: "Lahore", Items: []snapify.OrderItem{{ProductSlug: "chikankari-lawn-kurti-off-white", Quantity: 2}}})
	require.NoError(t, err)
	drainJobs(t, h.env)
	// The seller wrote within 24 hours, so the order notice is free text, not the template.
	var notice *whatsapptest.Message
	for _, msg := range h.replies(ali) {
		if strings.HasPrefix(msg.Text, "New order "+o.Number) {
			notice = &msg
		}
	}
	require.NotNil(t, notice, texts(h.replies(ali)))
	require.Equal(t, "text", notice.Type)

	got = h.say(ali, "orders")
	require.Equal(t, "list", got[0].InteractiveType)
	require.Equal(t, []string{"order:" + o.Number}, got[0].Choices)
	got = h.tap(ali, "order:"+o.Number)
	require.Contains(t, got[0].Text, "Ayesha Khan")
	require.Contains(t, got[0].Text, "Rs 7,800")
	require.Equal(t, []string{"status:" + o.Number + ":confirmed", "status:" + o.Number + ":cancelled"}, got[0].Choices)
	got = h.tap(ali, "status:"+o.Number+":confirmed")
	require.Contains(t, got[0].Text, "now *confirmed*")
	// Not allowed by the lifecycle: refused, the status stays.
	got = h.say(ali, "order "+o.Number+" delivered")
	require.Contains(t, got[0].Text, "cannot become delivered")
	got = h.say(ali, strings.ToLower(o.Number)+" shipped")
	require.Contains(t, got[0].Text, "now *shipped*")
	var status string
	require.NoError(t, h.db.NewRaw("SELECT status FROM orders WHERE id = ?", o.ID).Scan(ctx, &status))
	require.Equal(t, "shipped", status)

	for _, w := range []string{"help", "madad"} {
		got = h.say(ali, w)
		require.Contains(t, got[0].Text, "*price*")
	}
	got = h.say(ali, "link")
	require.Contains(t, got[0].Text, "/ali-fabrics")
}

func TestWhatsAppSellerCannotTouchAnotherStore(t *testing.T) {
	t.Parallel()
	h := startWA(t, true)
	ctx := context.Background()
	const ali, noor, stranger = "923001234567", "923211234567", "923009998877" // noor owns noor-boutique
	s, err := h.m.StoreBySlug(ctx, "ali-fabrics")
	require.NoError(t, err)
	o, _, err := h.m.PlaceOrder(ctx, s, snapify.OrderRequest{IdempotencyKey: "wa-test-order-2", BuyerName: "Bilal", Phone: "0300 7654321",
		Address: "House 1, Street 2, Gulberg", Items: []snapify.OrderItem{{ProductSlug: "chikankari-lawn-kurti-off-white", Quantity: 1}}})
	require.NoError(t, err)
	drainJobs(t, h.env)
	price := func() int64 {
		var p int64
		require.NoError(t, h.db.NewRaw("SELECT price_paisa FROM products WHERE slug = 'chikankari-lawn-kurti-off-white'").Scan(ctx, &p))
		return p
	}
	before := price()

	// Another seller's commands run in their own store only.
	h.say(noor, "hi")
	got := h.say(noor, "price chikankari lawn kurti 1")
	require.Contains(t, got[0].Text, "No product matches")
	got = h.tap(noor, "status:"+o.Number+":cancelled") // a button id made up, not one we sent
	require.Contains(t, got[0].Text, "no order "+o.Number)
	got = h.say(noor, "order "+o.Number)
	require.Contains(t, got[0].Text, "no order")

	// Even with its conversation pointed at Ali's store (a forged context), nothing changes.
	_, err = h.db.NewRaw(`UPDATE whatsapp_sessions SET context = '{"store":"ali-fabrics"}' WHERE wa_id = ?`, noor).Exec(ctx)
	require.NoError(t, err)
	got = h.say(noor, "price chikankari lawn kurti 1")
	require.Contains(t, got[0].Text, "no Snapify store")
	got = h.say(noor, "orders")
	require.NotContains(t, texts(got), o.Number)

	// A number without a store gets no one else's.
	got = h.say(stranger, "price chikankari lawn kurti 1")
	require.Contains(t, got[0].Text, "shop's name", "a new number starts the onboarding")
	var status string
	require.NoError(t, h.db.NewRaw("SELECT status FROM orders WHERE id = ?", o.ID).Scan(ctx, &status))
	require.Equal(t, "pending", status)
	require.Equal(t, before, price())

	// The owner still can.
	got = h.say(ali, "price chikankari lawn kurti 3600")
	require.Contains(t, got[0].Text, "Rs 3,600")
}

// A number outside Pakistan cannot open a store, and is told so at once.
func TestWhatsAppRefusesForeignNumbers(t *testing.T) {
	t.Parallel()
	h := startWA(t, false)
	const uk = "447700900123"
	got := h.say(uk, "hi")
	require.Contains(t, got[0].Text, "Pakistani mobile numbers")
	h.say(uk, "London Threads")
	require.Equal(t, "idle", h.state(uk))
	require.Zero(t, h.count("SELECT count(*) FROM stores"))
	require.Zero(t, h.count("SELECT count(*) FROM users"))
}
