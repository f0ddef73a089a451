package astrotiming

import (
	"context"
	"net/http"
	"net/netip"
	"time"
)

// DialCheck sends a GET through the webhook sender's transport, with no test exceptions.
func DialCheck(url string) error {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := newWebhookSender(5 * time.Second).client.Do(req)
	if err == nil {
		res.Body.Close()
	}
	return err
}

// WebhookDialAllowed runs the dial-time check on a resolved "ip:port".
func WebhookDialAllowed(address string) error {
	return newWebhookSender(time.Second).control("tcp", address, nil)
}

// CheckWebhookURL runs the registration check with no test exceptions.
func CheckWebhookURL(raw string, production bool) error {
	return newWebhookSender(time.Second).checkURL(raw, production)
}

// AllowWebhookTargets exempts the test's own receivers (on loopback) from the address rules;
// with no prefixes it removes the exemptions.
func (m *Module) AllowWebhookTargets(prefixes ...netip.Prefix) { m.hook.allow = prefixes }

// AllowCalDAVTargets exempts the test's CalDAV servers (on loopback) from the address rules.
func (m *Module) AllowCalDAVTargets(prefixes ...netip.Prefix) { m.dav.allow = prefixes }
