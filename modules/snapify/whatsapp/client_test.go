package whatsapp_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/modules/snapify/whatsapp/whatsapptest"
	"github.com/alorig/alorig/shared/clock"
)

const buyer = "923001234567"

func newPair(t *testing.T) (*whatsapp.Client, *whatsapptest.Server, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	fake := whatsapptest.Start(whatsapptest.Options{Clock: clk})
	t.Cleanup(fake.Close)
	return whatsapp.New(fake.Config(), nil), fake, clk
}

func TestNotConfigured(t *testing.T) {
	t.Parallel()
	for _, cfg := range []whatsapp.Config{{}, {Token: "t"}, {PhoneNumberID: "1"}} {
		c := whatsapp.New(cfg, nil)
		require.False(t, c.Configured())
		_, err := c.SendText(context.Background(), buyer, "hi", false)
		require.ErrorIs(t, err, whatsapp.ErrNotConfigured)
		require.Contains(t, err.Error(), "ALORIG_SNAPIFY_WHATSAPP_TOKEN")
		_, err = c.SendLoginCode(context.Background(), buyer, "123456", "en")
		require.ErrorIs(t, err, whatsapp.ErrNotConfigured)
		_, _, err = c.DownloadMedia(context.Background(), "1", 100)
		require.ErrorIs(t, err, whatsapp.ErrNotConfigured)
	}
	require.True(t, whatsapp.New(whatsapp.Config{Token: "t", PhoneNumberID: "1"}, nil).Configured())
}

func TestTextRespectsWindow(t *testing.T) {
	t.Parallel()
	c, fake, clk := newPair(t)
	ctx := context.Background()

	_, err := c.SendText(ctx, "+"+buyer, "Your order is packed", false)
	require.ErrorIs(t, err, whatsapp.ErrOutsideWindow)
	var apiErr *whatsapp.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 131047, apiErr.Code)
	require.NotEmpty(t, apiErr.FBTraceID)

	fake.OpenWindow(buyer)
	id, err := c.SendText(ctx, "+"+buyer, "Your order is packed", false)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(id, "wamid."), id)
	msgs := fake.Messages()
	require.Len(t, msgs, 1)
	require.Equal(t, buyer, msgs[0].To)
	require.Equal(t, "Your order is packed", msgs[0].Text)
	require.Equal(t, id, msgs[0].ID)

	clk.Advance(24 * time.Hour)
	_, err = c.SendText(ctx, buyer, "still there?", false)
	require.ErrorIs(t, err, whatsapp.ErrOutsideWindow)
}

func TestTypedErrors(t *testing.T) {
	t.Parallel()
	c, fake, _ := newPair(t)
	ctx := context.Background()
	for _, tc := range []struct {
		code int
		want error
	}{
		{130429, whatsapp.ErrRateLimited},
		{131056, whatsapp.ErrRateLimited},
		{132001, whatsapp.ErrTemplate},
		{190, whatsapp.ErrUnauthorized},
	} {
		fake.FailNext(http.StatusBadRequest, tc.code, 0)
		_, err := c.SendLoginCode(ctx, buyer, "4821", "en")
		require.ErrorIs(t, err, tc.want, "code %d", tc.code)
		for _, other := range []error{whatsapp.ErrRateLimited, whatsapp.ErrTemplate, whatsapp.ErrUnauthorized, whatsapp.ErrOutsideWindow} {
			if other != tc.want {
				require.NotErrorIs(t, err, other, "code %d", tc.code)
			}
		}
	}
	require.Empty(t, fake.Messages())
}

func TestCredentialsChecked(t *testing.T) {
	t.Parallel()
	_, fake, _ := newPair(t)
	ctx := context.Background()
	fake.OpenWindow(buyer)

	cfg := fake.Config()
	cfg.Token = "wrong"
	_, err := whatsapp.New(cfg, nil).SendText(ctx, buyer, "hi", false)
	require.ErrorIs(t, err, whatsapp.ErrUnauthorized)

	cfg = fake.Config()
	cfg.PhoneNumberID = "999"
	_, err = whatsapp.New(cfg, nil).SendText(ctx, buyer, "hi", false)
	var apiErr *whatsapp.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 100, apiErr.Code)
	require.Equal(t, 33, apiErr.Subcode)
}

func TestLoginCodeTemplate(t *testing.T) {
	t.Parallel()
	c, fake, _ := newPair(t)
	_, err := c.SendLoginCode(context.Background(), "+"+buyer, "482193", "ur")
	require.NoError(t, err)
	msgs := fake.Messages()
	require.Len(t, msgs, 1)
	m := msgs[0]
	require.Equal(t, "template", m.Type)
	require.Equal(t, whatsapp.TemplateLoginCode, m.Template)
	require.Equal(t, "ur", m.Language)
	require.Equal(t, []string{"482193"}, m.BodyParams)
	require.Equal(t, []string{"482193"}, m.URLButtonParams)

	_, err = c.SendLoginCode(context.Background(), buyer, "12 34", "en")
	require.ErrorIs(t, err, whatsapp.ErrInvalidMessage)
	_, err = c.SendLoginCode(context.Background(), buyer, "1234", "fr")
	require.ErrorIs(t, err, whatsapp.ErrTemplate, "the fake has no French translation")
}

func TestNewOrderNotice(t *testing.T) {
	t.Parallel()
	c, fake, _ := newPair(t)
	ctx := context.Background()
	n := whatsapp.OrderNotice{OrderRef: "SN-4821", BuyerName: "Ayesha\nKhan", Total: "Rs 1,250", Items: "2 × Lawn suit,\n1 × Dupatta", OrderURL: "https://app.snapify.pk/orders/SN-4821"}

	_, err := c.NotifyNewOrder(ctx, buyer, n, false)
	require.NoError(t, err)
	fake.OpenWindow(buyer)
	_, err = c.NotifyNewOrder(ctx, buyer, n, true)
	require.NoError(t, err)

	msgs := fake.Messages()
	require.Len(t, msgs, 2)
	require.Equal(t, whatsapp.TemplateNewOrder, msgs[0].Template)
	require.Equal(t, []string{"SN-4821", "Ayesha Khan", "Rs 1,250", "2 × Lawn suit, 1 × Dupatta"}, msgs[0].BodyParams)
	require.Equal(t, []string{"SN-4821"}, msgs[0].URLButtonParams)
	require.Equal(t, "text", msgs[1].Type)
	require.Contains(t, msgs[1].Text, "New order SN-4821 from Ayesha Khan: Rs 1,250")
	require.Contains(t, msgs[1].Text, n.OrderURL)
}

func TestInteractiveMessages(t *testing.T) {
	t.Parallel()
	c, fake, _ := newPair(t)
	ctx := context.Background()
	fake.OpenWindow(buyer)

	_, err := c.SendButtons(ctx, buyer, whatsapp.ReplyButtons{
		Header: "Order SN-1", Body: "Confirm your order?", Footer: "Snapify",
		Button: []whatsapp.ReplyButton{{ID: "confirm", Title: "Confirm"}, {ID: "cancel", Title: "Cancel"}},
	})
	require.NoError(t, err)
	rows := make([]whatsapp.ListRow, 0, 10)
	for i := range 10 {
		rows = append(rows, whatsapp.ListRow{ID: "city-" + string(rune('a'+i)), Title: "City " + string(rune('A'+i))})
	}
	_, err = c.SendList(ctx, buyer, whatsapp.List{Body: "Where should we deliver?", ButtonText: "Choose city",
		Sections: []whatsapp.ListSection{{Title: "Punjab", Rows: rows[:6]}, {Title: "Sindh", Rows: rows[6:]}}})
	require.NoError(t, err)

	msgs := fake.Messages()
	require.Len(t, msgs, 2)
	require.Equal(t, "button", msgs[0].InteractiveType)
	require.Equal(t, []string{"confirm", "cancel"}, msgs[0].Choices)
	require.Equal(t, "list", msgs[1].InteractiveType)
	require.Len(t, msgs[1].Choices, 10)
}

func TestLimitsCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	c, fake, _ := newPair(t)
	ctx := context.Background()
	fake.OpenWindow(buyer)
	btn := func(n int, title string) []whatsapp.ReplyButton {
		out := make([]whatsapp.ReplyButton, n)
		for i := range out {
			out[i] = whatsapp.ReplyButton{ID: string(rune('a' + i)), Title: title + string(rune('a'+i))}
		}
		return out
	}
	row := func(id, title string) whatsapp.ListRow { return whatsapp.ListRow{ID: id, Title: title} }
	many := make([]whatsapp.ListRow, 11)
	for i := range many {
		many[i] = row(string(rune('a'+i)), "Row")
	}
	cases := map[string]func() error{
		"four buttons": func() error {
			_, e := c.SendButtons(ctx, buyer, whatsapp.ReplyButtons{Body: "b", Button: btn(4, "x")})
			return e
		},
		"no buttons": func() error { _, e := c.SendButtons(ctx, buyer, whatsapp.ReplyButtons{Body: "b"}); return e },
		"button title 21": func() error {
			_, e := c.SendButtons(ctx, buyer, whatsapp.ReplyButtons{Body: "b", Button: btn(1, strings.Repeat("t", 20))})
			return e
		},
		"duplicate button": func() error {
			_, e := c.SendButtons(ctx, buyer, whatsapp.ReplyButtons{Body: "b", Button: []whatsapp.ReplyButton{{ID: "a", Title: "A"}, {ID: "a", Title: "B"}}})
			return e
		},
		"empty body": func() error { _, e := c.SendButtons(ctx, buyer, whatsapp.ReplyButtons{Button: btn(1, "x")}); return e },
		"eleven rows": func() error {
			_, e := c.SendList(ctx, buyer, whatsapp.List{Body: "b", ButtonText: "Go", Sections: []whatsapp.ListSection{{Rows: many}}})
			return e
		},
		"row title 25": func() error {
			_, e := c.SendList(ctx, buyer, whatsapp.List{Body: "b", ButtonText: "Go", Sections: []whatsapp.ListSection{{Rows: []whatsapp.ListRow{row("a", strings.Repeat("r", 25))}}}})
			return e
		},
		"untitled sections": func() error {
			_, e := c.SendList(ctx, buyer, whatsapp.List{Body: "b", ButtonText: "Go", Sections: []whatsapp.ListSection{{Rows: []whatsapp.ListRow{row("a", "A")}}, {Rows: []whatsapp.ListRow{row("b", "B")}}}})
			return e
		},
		"text too long":    func() error { _, e := c.SendText(ctx, buyer, strings.Repeat("x", 4097), false); return e },
		"local number":     func() error { _, e := c.SendText(ctx, "03001234567", "hi", false); return e },
		"template no name": func() error { _, e := c.SendTemplate(ctx, buyer, whatsapp.Template{Language: "en"}); return e },
		"template newline": func() error {
			_, e := c.SendTemplate(ctx, buyer, whatsapp.Template{Name: "x", Language: "en", Components: []whatsapp.Component{{Type: "body", Parameters: []whatsapp.Parameter{{Text: "a\nb"}}}}})
			return e
		},
		"template bad button": func() error {
			_, e := c.SendTemplate(ctx, buyer, whatsapp.Template{Name: "x", Language: "en", Components: []whatsapp.Component{{Type: "button", SubType: "call", Parameters: []whatsapp.Parameter{{Text: "a"}}}}})
			return e
		},
	}
	for name, send := range cases {
		err := send()
		require.ErrorIs(t, err, whatsapp.ErrInvalidMessage, name)
	}
	require.Empty(t, fake.Messages(), "nothing invalid reaches the API")
	_, err := c.SendButtons(ctx, buyer, whatsapp.ReplyButtons{Body: "b", Button: btn(3, strings.Repeat("t", 19))})
	require.NoError(t, err, "three buttons of 20 characters are allowed")
}

func TestMediaDownload(t *testing.T) {
	t.Parallel()
	c, fake, _ := newPair(t)
	ctx := context.Background()
	data := []byte("\xff\xd8\xff\xe0 pretend jpeg bytes")
	id := fake.AddMedia(data, "image/jpeg")

	got, info, err := c.DownloadMedia(ctx, id, 1<<20)
	require.NoError(t, err)
	require.Equal(t, data, got)
	require.Equal(t, "image/jpeg", info.MimeType)
	require.Equal(t, int64(len(data)), info.FileSize)

	_, _, err = c.DownloadMedia(ctx, id, 10)
	require.ErrorIs(t, err, whatsapp.ErrMediaTooLarge)

	fake.TamperMedia(id, []byte("\xff\xd8\xff\xe0 other jpeg bytes!!"))
	_, _, err = c.DownloadMedia(ctx, id, 1<<20)
	require.ErrorIs(t, err, whatsapp.ErrMediaCorrupt)

	_, _, err = c.DownloadMedia(ctx, "424242", 1<<20)
	var apiErr *whatsapp.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 100, apiErr.Code)
}

func TestWebhookSignature(t *testing.T) {
	t.Parallel()
	_, fake, _ := newPair(t)
	secret := fake.Config().AppSecret
	body, sig := fake.InboundText(buyer, "Ayesha", "Salam, is the lawn suit available?")

	w, err := whatsapp.ParseWebhook(secret, body, sig)
	require.NoError(t, err)
	require.Len(t, w.Entry, 1)
	msgs := w.Entry[0].Changes[0].Value.Messages
	require.Len(t, msgs, 1)
	require.Equal(t, buyer, msgs[0].From)
	require.Equal(t, "Salam, is the lawn suit available?", msgs[0].Text.Body)

	tampered := append([]byte(nil), body...)
	tampered[len(tampered)-3] ^= 1
	require.ErrorIs(t, whatsapp.VerifySignature(secret, tampered, sig), whatsapp.ErrBadSignature)
	require.ErrorIs(t, whatsapp.VerifySignature("other", body, sig), whatsapp.ErrBadSignature)
	require.ErrorIs(t, whatsapp.VerifySignature(secret, body, strings.TrimPrefix(sig, "sha256=")), whatsapp.ErrBadSignature)
	require.ErrorIs(t, whatsapp.VerifySignature("", body, sig), whatsapp.ErrNoAppSecret)

	// The window the inbound message opened lets free-form text through.
	_, err = whatsapp.New(fake.Config(), nil).SendText(context.Background(), buyer, "Yes!", false)
	require.NoError(t, err)
}

func TestVerifyHandshake(t *testing.T) {
	t.Parallel()
	q := map[string][]string{"hub.mode": {"subscribe"}, "hub.verify_token": {"s3cret"}, "hub.challenge": {"1158201444"}}
	got, err := whatsapp.VerifyHandshake(q, "s3cret")
	require.NoError(t, err)
	require.Equal(t, "1158201444", got)
	_, err = whatsapp.VerifyHandshake(q, "other")
	require.ErrorIs(t, err, whatsapp.ErrVerifyTokenWrong)
	_, err = whatsapp.VerifyHandshake(q, "")
	require.ErrorIs(t, err, whatsapp.ErrVerifyTokenWrong)
	q["hub.mode"] = []string{"unsubscribe"}
	_, err = whatsapp.VerifyHandshake(q, "s3cret")
	require.Error(t, err)
}

func TestStatusErr(t *testing.T) {
	t.Parallel()
	var s whatsapp.Status
	s.Status = "delivered"
	require.NoError(t, s.Err())
	s.Status = "failed"
	s.Errors = append(s.Errors, struct {
		Code  int    `json:"code"`
		Title string `json:"title"`
	}{131047, "Re-engagement message"})
	require.True(t, errors.Is(s.Err(), whatsapp.ErrOutsideWindow))
}
