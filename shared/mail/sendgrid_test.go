package mail_test

import (
	"context"
	"net/http"
	"net/mail"
	"testing"

	amail "github.com/alorig/alorig/shared/mail"
	"github.com/alorig/alorig/shared/mail/mailtest"
	"github.com/stretchr/testify/require"
)

func TestSendGridClient(t *testing.T) {
	t.Parallel()
	fake := mailtest.NewSendGrid(t, "SG.test-key")
	from, to := &mail.Address{Name: "Snapify", Address: "no-reply@snapify.pk"}, &mail.Address{Address: "seller@example.pk"}

	sg := amail.NewSendGrid("SG.test-key", fake.URL, nil)
	require.NoError(t, sg.Send(context.Background(), from, to, "Your receipt", "Rs 2,500 paid."))
	require.Equal(t, []mailtest.Mail{{To: []string{"seller@example.pk"}, From: "no-reply@snapify.pk", Subject: "Your receipt",
		Text: "Rs 2,500 paid."}}, fake.Sent())

	// A wrong key is SendGrid's 401 with its error message parsed.
	err := amail.NewSendGrid("SG.wrong", fake.URL, nil).Send(context.Background(), from, to, "s", "t")
	var sge *amail.SendGridError
	require.ErrorAs(t, err, &sge)
	require.Equal(t, http.StatusUnauthorized, sge.Status)
	require.Contains(t, sge.Error(), "authorization grant is invalid")

	// Required fields are checked as SendGrid checks them.
	err = sg.Send(context.Background(), from, to, "", "t")
	require.ErrorAs(t, err, &sge)
	require.Equal(t, http.StatusBadRequest, sge.Status)
	require.Equal(t, "subject", sge.Errors[0].Field)
	err = sg.Send(context.Background(), from, to, "s", "")
	require.ErrorAs(t, err, &sge)
	require.Equal(t, "content", sge.Errors[0].Field)

	fake.Fail = func() (int, string) { return http.StatusTooManyRequests, "too many requests" }
	err = sg.Send(context.Background(), from, to, "s", "t")
	require.ErrorAs(t, err, &sge)
	require.Equal(t, http.StatusTooManyRequests, sge.Status)
	require.Len(t, fake.Sent(), 1)
}

func TestMailerPicksSendGridWhenKeyed(t *testing.T) {
	t.Parallel()
	fake := mailtest.NewSendGrid(t, "SG.k")
	// An SMTP URL too: the key wins, and production is ready without SMTP being reachable.
	m, err := amail.New(amail.Config{From: "Alorig <no-reply@alorig.com>", Production: true, SendGridKey: "SG.k", SendGridURL: fake.URL})
	require.NoError(t, err)
	require.NoError(t, m.Ready())
	require.NoError(t, m.Send(context.Background(), amail.Message{To: "Seller <seller@example.pk>", Subject: "Reset", Text: "code"}))
	require.Len(t, fake.Sent(), 1)
	require.Equal(t, "no-reply@alorig.com", fake.Sent()[0].From)

	bad, err := amail.New(amail.Config{From: "no-reply@alorig.com", SendGridKey: "SG.other", SendGridURL: fake.URL})
	require.NoError(t, err)
	require.ErrorContains(t, bad.Send(context.Background(), amail.Message{To: "a@example.pk", Subject: "s", Text: "t"}), "via SendGrid")
}
