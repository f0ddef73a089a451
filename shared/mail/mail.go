// Package mail sends the platform's email (password resets, Snapify's payment receipts) through
// SendGrid's v3 API when ALORIG_SENDGRID_API_KEY is set (sendgrid.go), else through an SMTP
// server named by ALORIG_SMTP_URL. Without either, development writes each message to the log,
// marked as not sent, and production refuses: a flow that depends on mail answers 503 rather
// than pretending.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// ErrNotConfigured is Ready's and Send's answer in production when neither SendGrid nor SMTP is
// configured.
var ErrNotConfigured = errors.New("mail is not configured: set ALORIG_SENDGRID_API_KEY or ALORIG_SMTP_URL")

// Message is one plain-text email.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Config says where mail goes.
type Config struct {
	URL        string // smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465
	From       string // "Alorig <no-reply@alorig.com>"
	Production bool
	Log        *slog.Logger
	Timeout    time.Duration // the whole conversation; default 30 s
	TLS        *tls.Config   // nil: the system roots, ServerName from the URL (tests set roots)
	// SendGridKey, when set, sends through SendGrid's v3 API at SendGridURL ("" is
	// SendGridBaseURL) instead of SMTP.
	SendGridKey string
	SendGridURL string
}

// Mailer sends messages. It holds no connection: each Send is one SMTP conversation, which is
// plenty for the platform's volume (password resets).
type Mailer struct {
	cfg  Config
	from *mail.Address
	addr string // host:port
	host string
	user *url.Userinfo
	tls  bool // implicit TLS (smtps)
	sg   *SendGrid
}

// New checks the configuration. An empty URL is valid: see Ready.
func New(cfg Config) (*Mailer, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: sender %q: %w", cfg.From, err)
	}
	m := &Mailer{cfg: cfg, from: from}
	if cfg.SendGridKey != "" {
		m.sg = NewSendGrid(cfg.SendGridKey, cfg.SendGridURL, &http.Client{Timeout: cfg.Timeout})
		return m, nil
	}
	if cfg.URL == "" {
		return m, nil
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("mail: ALORIG_SMTP_URL: want smtp://user:password@host:587 or smtps://user:password@host:465")
	}
	m.host, m.user, m.tls = u.Hostname(), u.User, u.Scheme == "smtps"
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "465", false: "587"}[m.tls]
	}
	m.addr = net.JoinHostPort(m.host, port)
	return m, nil
}

// Ready is nil when Send can do its job: deliver, or in development log. In production
// without SMTP it is ErrNotConfigured, so a caller can refuse before promising an email.
func (m *Mailer) Ready() error {
	if m.sg == nil && m.addr == "" && m.cfg.Production {
		return ErrNotConfigured
	}
	return nil
}

// Send delivers msg, or in development without SMTP logs it as not sent.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	to, err := mail.ParseAddress(msg.To)
	if err != nil {
		return fmt.Errorf("mail: recipient: %w", err)
	}
	if strings.ContainsAny(msg.Subject, "\r\n") {
		return errors.New("mail: the subject has a line break")
	}
	if m.sg != nil {
		if err := m.sg.Send(ctx, m.from, to, msg.Subject, msg.Text); err != nil {
			return fmt.Errorf("mail: send to %s via SendGrid: %w", to.Address, err)
		}
		return nil
	}
	if m.addr == "" {
		if m.cfg.Production {
			return ErrNotConfigured
		}
		m.cfg.Log.Warn("MAIL NOT SENT (ALORIG_SMTP_URL is not set; development only): the message follows",
			"to", to.Address, "subject", msg.Subject, "text", msg.Text)
		return nil
	}
	body, err := m.compose(to, msg)
	if err != nil {
		return err
	}
	if err := m.deliver(ctx, to.Address, body); err != nil {
		return fmt.Errorf("mail: send to %s via %s: %w", to.Address, m.addr, err)
	}
	return nil
}

// compose builds the RFC 5322 message: headers, then the text as quoted-printable UTF-8.
func (m *Mailer) compose(to *mail.Address, msg Message) ([]byte, error) {
	var id [12]byte
	_, _ = rand.Read(id[:])
	domain := m.from.Address[strings.LastIndex(m.from.Address, "@")+1:]
	var b strings.Builder
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", m.from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	header("Date", time.Now().UTC().Format(time.RFC1123Z)) // the moment of sending, not a rule's time
	header("Message-ID", "<"+hex.EncodeToString(id[:])+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(msg.Text, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

func (m *Mailer) tlsConfig() *tls.Config {
	c := &tls.Config{ServerName: m.host, MinVersion: tls.VersionTLS12}
	if m.cfg.TLS != nil {
		c = m.cfg.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = m.host
		}
	}
	return c
}

// deliver runs one SMTP conversation: EHLO, STARTTLS when offered, AUTH when the URL has a
// user, MAIL FROM, RCPT TO, DATA, QUIT. The whole conversation shares one deadline.
func (m *Mailer) deliver(ctx context.Context, to string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	var conn net.Conn
	var err error
	d := &net.Dialer{}
	if m.tls {
		conn, err = (&tls.Dialer{NetDialer: d, Config: m.tlsConfig()}).DialContext(ctx, "tcp", m.addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", m.addr)
	}
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() }) // a cancelled caller ends the conversation
	defer stop()
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		return err
	}
	defer c.Close()
	hello := "localhost"
	if i := strings.LastIndex(m.from.Address, "@"); i >= 0 {
		hello = m.from.Address[i+1:]
	}
	if err := c.Hello(hello); err != nil {
		return err
	}
	if !m.tls {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(m.tlsConfig()); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
		}
	}
	if m.user != nil && m.user.Username() != "" {
		pw, _ := m.user.Password()
		// PlainAuth refuses to send the password over a connection that is not TLS, except to
		// localhost.
		if err := c.Auth(smtp.PlainAuth("", m.user.Username(), pw, m.host)); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
