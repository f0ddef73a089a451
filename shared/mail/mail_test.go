package mail_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"log/slog"
	"math/big"
	"mime/quotedprintable"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/mail"
	"github.com/stretchr/testify/require"
)

// fakeSMTP is a small SMTP server that checks the order of the conversation the way a real
// one does and records what it was told.
type fakeSMTP struct {
	t        *testing.T
	ln       net.Listener
	cert     *tls.Certificate // offer STARTTLS when set
	user, pw string

	mu       sync.Mutex
	commands []string
	tls      bool // the conversation was upgraded before MAIL FROM
	from     string
	rcpt     []string
	data     string
}

func startFake(t *testing.T, cert *tls.Certificate) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f := &fakeSMTP{t: t, ln: ln, cert: cert, user: "mailer", pw: "pa55word"}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(conn)
		}
	}()
	return f
}

func (f *fakeSMTP) addr() string { return f.ln.Addr().String() }

func (f *fakeSMTP) serve(conn net.Conn) {
	defer conn.Close()
	tp := textproto.NewConn(conn)
	reply := func(s string) { _ = tp.PrintfLine("%s", s) }
	reply("220 fake ESMTP ready")
	helloed, authed, upgraded := false, false, false
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		f.mu.Lock()
		f.commands = append(f.commands, verb)
		f.mu.Unlock()
		switch {
		case verb == "EHLO":
			helloed = true
			ext := []string{"250-fake greets you", "250-8BITMIME"}
			if f.cert != nil && !upgraded {
				ext = append(ext, "250-STARTTLS")
			}
			ext = append(ext, "250 AUTH PLAIN")
			for _, e := range ext {
				reply(e)
			}
		case !helloed:
			reply("503 5.5.1 EHLO first")
		case verb == "STARTTLS":
			reply("220 2.0.0 go ahead")
			tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{*f.cert}})
			if tc.Handshake() != nil {
				return
			}
			conn, upgraded, helloed = tc, true, false
			tp = textproto.NewConn(conn)
		case verb == "AUTH":
			got, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(line, "AUTH PLAIN "))
			if string(got) != "\x00"+f.user+"\x00"+f.pw {
				reply("535 5.7.8 bad credentials")
				continue
			}
			authed = true
			reply("235 2.7.0 ok")
		case verb == "MAIL":
			if !authed {
				reply("530 5.7.0 authentication required")
				continue
			}
			f.mu.Lock()
			f.from, f.tls = line, upgraded
			f.mu.Unlock()
			reply("250 2.1.0 ok")
		case verb == "RCPT":
			f.mu.Lock()
			f.rcpt = append(f.rcpt, line)
			f.mu.Unlock()
			reply("250 2.1.5 ok")
		case verb == "DATA":
			reply("354 end with .")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.data = string(b)
			f.mu.Unlock()
			reply("250 2.0.0 queued")
		case verb == "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			reply("502 5.5.2 unknown command")
		}
	}
}

func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func TestSendSpeaksSMTP(t *testing.T) {
	t.Parallel()
	f := startFake(t, nil)
	m, err := mail.New(mail.Config{URL: "smtp://mailer:pa55word@" + f.addr(), From: "Alorig <no-reply@alorig.com>", Production: true})
	require.NoError(t, err)
	require.NoError(t, m.Ready())
	require.NoError(t, m.Send(context.Background(), mail.Message{To: "amna@example.pk", Subject: "Reset your ASMS password — now",
		Text: "Hello,\nyour code is pr_abc=123.\n"}))

	f.mu.Lock()
	defer f.mu.Unlock()
	require.Equal(t, []string{"EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"}, f.commands)
	require.Equal(t, "MAIL FROM:<no-reply@alorig.com> BODY=8BITMIME", f.from)
	require.Equal(t, []string{"RCPT TO:<amna@example.pk>"}, f.rcpt)
	head, body, ok := strings.Cut(f.data, "\n\n")
	require.True(t, ok, f.data)
	for _, want := range []string{"From: \"Alorig\" <no-reply@alorig.com>", "To: <amna@example.pk>", "Subject: =?utf-8?q?Reset_your_ASMS_password_",
		"MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "Message-ID: <", "Date: "} {
		require.Contains(t, head, want)
	}
	text, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	require.NoError(t, err)
	require.Contains(t, string(text), "your code is pr_abc=123.")
}

func TestSendUpgradesWithSTARTTLSWhenOffered(t *testing.T) {
	t.Parallel()
	cert, roots := selfSigned(t)
	f := startFake(t, cert)
	m, err := mail.New(mail.Config{URL: "smtp://mailer:pa55word@" + f.addr(), From: "no-reply@alorig.com", TLS: &tls.Config{RootCAs: roots}})
	require.NoError(t, err)
	require.NoError(t, m.Send(context.Background(), mail.Message{To: "a@example.pk", Subject: "s", Text: "t"}))
	f.mu.Lock()
	upgraded, commands := f.tls, f.commands
	f.mu.Unlock()
	require.True(t, upgraded, "MAIL FROM came after STARTTLS")
	require.Equal(t, []string{"EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"}, commands)

	// A server whose certificate does not verify gets nothing.
	bad, err := mail.New(mail.Config{URL: "smtp://mailer:pa55word@" + f.addr(), From: "no-reply@alorig.com"})
	require.NoError(t, err)
	require.ErrorContains(t, bad.Send(context.Background(), mail.Message{To: "a@example.pk", Subject: "s", Text: "t"}), "STARTTLS")
}

func TestWithoutSMTP(t *testing.T) {
	t.Parallel()
	var logged bytes.Buffer
	dev, err := mail.New(mail.Config{From: "no-reply@alorig.com", Log: slog.New(slog.NewTextHandler(&logged, nil))})
	require.NoError(t, err)
	require.NoError(t, dev.Ready())
	require.NoError(t, dev.Send(context.Background(), mail.Message{To: "a@example.pk", Subject: "Reset", Text: "code pr_x"}))
	require.Contains(t, logged.String(), "MAIL NOT SENT")
	require.Contains(t, logged.String(), "code pr_x")

	prod, err := mail.New(mail.Config{From: "no-reply@alorig.com", Production: true})
	require.NoError(t, err)
	require.ErrorIs(t, prod.Ready(), mail.ErrNotConfigured)
	require.ErrorIs(t, prod.Send(context.Background(), mail.Message{To: "a@example.pk", Subject: "s", Text: "t"}), mail.ErrNotConfigured)

	_, err = mail.New(mail.Config{URL: "http://x", From: "no-reply@alorig.com"})
	require.Error(t, err)
	require.ErrorContains(t, dev.Send(context.Background(), mail.Message{To: "a@example.pk", Subject: "a\r\nBcc: x@y", Text: "t"}), "line break")
}
