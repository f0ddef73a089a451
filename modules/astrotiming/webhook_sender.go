package astrotiming

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Webhook URLs come from developers, so a delivery must never reach this network or any other
// address that is not the public internet (cloud metadata, the database, a neighbour's admin
// port). The rules hold in every environment; tests name their loopback receivers explicitly.

// deniedPrefixes are IANA's special-purpose IPv4 and IPv6 ranges that are not globally
// reachable, plus multicast and reserved space. IPv4-mapped IPv6 is unmapped and checked as
// IPv4; 6to4 addresses are checked by the IPv4 address they carry.
var deniedPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		// IPv4
		"0.0.0.0/8",       // "this network", unspecified
		"10.0.0.0/8",      // private
		"100.64.0.0/10",   // shared address space (carrier-grade NAT)
		"127.0.0.0/8",     // loopback
		"169.254.0.0/16",  // link-local (cloud metadata lives here)
		"172.16.0.0/12",   // private
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation (TEST-NET-1)
		"192.31.196.0/24", // AS112
		"192.52.193.0/24", // AMT
		"192.88.99.0/24",  // deprecated 6to4 relay anycast
		"192.168.0.0/16",  // private
		"192.175.48.0/24", // AS112 direct delegation
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // documentation (TEST-NET-2)
		"203.0.113.0/24",  // documentation (TEST-NET-3)
		"224.0.0.0/4",     // multicast
		"240.0.0.0/4",     // reserved, and 255.255.255.255 broadcast
		// IPv6
		"::/128",         // unspecified
		"::1/128",        // loopback
		"::/96",          // deprecated IPv4-compatible addresses
		"64:ff9b::/96",   // NAT64: would reach any IPv4 address, private ones included
		"64:ff9b:1::/48", // local-use NAT64
		"100::/64",       // discard-only
		"2001::/23",      // IETF protocol assignments: Teredo, benchmarking, ORCHID, ...
		"2001:db8::/32",  // documentation
		"3fff::/20",      // documentation
		"5f00::/16",      // segment routing SIDs
		"fc00::/7",       // unique local
		"fe80::/10",      // link-local
		"fec0::/10",      // deprecated site-local
		"ff00::/8",       // multicast
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

var sixToFour = netip.MustParsePrefix("2002::/16")

// deniedAddr reports whether a delivery may not go to ip.
func deniedAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return true
	}
	if sixToFour.Contains(ip) {
		// 2002:AABB:CCDD::/48 is the IPv4 address AA.BB.CC.DD's 6to4 network.
		b := ip.As16()
		return deniedAddr(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
	}
	for _, p := range deniedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// webhookSender posts deliveries with the address rules above, checked on the resolved address
// at dial time, so a name that resolves (or re-resolves) to a private address is refused too.
type webhookSender struct {
	client *http.Client
	// allow lists addresses exempt from the range and port rules. Only tests set it, for the
	// receivers they run on loopback; production code never does.
	allow []netip.Prefix
}

func newWebhookSender(timeout time.Duration) *webhookSender {
	s := &webhookSender{}
	d := &net.Dialer{Timeout: 5 * time.Second, Control: s.control}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil // a proxy would dial for us, past the check
	t.DialContext = d.DialContext
	s.client = &http.Client{Timeout: timeout, Transport: t,
		// A redirect would re-send the signed body to a place the check never saw (307/308
		// keep the method and body); the 3xx itself is the answer, and a failed delivery.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return s
}

func (s *webhookSender) allowed(ip netip.Addr) bool {
	for _, p := range s.allow {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// control runs for every connection the transport opens, with the address it is about to dial.
func (s *webhookSender) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook: cannot check address %q: %w", address, err)
	}
	if s.allowed(ap.Addr()) {
		return nil
	}
	if deniedAddr(ap.Addr()) {
		return fmt.Errorf("webhook: %s is not a public address", ap.Addr().Unmap())
	}
	if p := ap.Port(); p != 80 && p != 443 {
		return fmt.Errorf("webhook: port %d is not allowed (80 or 443 only)", p)
	}
	return nil
}

// checkURL holds a webhook URL to the rules a delivery will meet, so a developer hears about a
// URL that can never be delivered to when registering it, not from silent failures later.
func (s *webhookSender) checkURL(raw string, production bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" || len(raw) > 2000 {
		return errors.New("must be an absolute https URL of at most 2000 characters")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && !production:
	case production:
		return errors.New("must use https")
	default:
		return errors.New("must use https (or http while developing)")
	}
	if u.User != nil {
		return errors.New("must not carry a user name or password")
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	ip, err := netip.ParseAddr(host)
	isIP := err == nil
	if isIP && s.allowed(ip) {
		return nil
	}
	if port := u.Port(); port != "" && port != "80" && port != "443" {
		return fmt.Errorf("port %s is not allowed: deliveries go to port 80 or 443 only", port)
	}
	if isIP && deniedAddr(ip) {
		return fmt.Errorf("%s is not a public address", ip.Unmap())
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return errors.New("localhost is not a public address")
	}
	return nil
}
