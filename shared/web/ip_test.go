package web_test

import (
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/alorig/alorig/shared/web"
	"github.com/stretchr/testify/require"
)

func TestClientIPTrustsForwardedForOnlyFromConfiguredProxies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		trusted []string
		peer    string
		xff     string
		want    string
	}{
		{"no proxies configured: the peer", nil, "203.0.113.5:4000", "198.51.100.1", "203.0.113.5"},
		{"private peer is not trusted by default", nil, "10.0.0.2:4000", "198.51.100.1", "10.0.0.2"},
		{"trusted proxy: the forwarded client", []string{"172.18.0.0/16"}, "172.18.0.3:4000", "198.51.100.1", "198.51.100.1"},
		{"forged chain through a trusted proxy", []string{"172.18.0.0/16"}, "172.18.0.3:4000", "6.6.6.6, 198.51.100.1", "198.51.100.1"},
		{"untrusted peer's header ignored", []string{"172.18.0.0/16"}, "203.0.113.9:4000", "198.51.100.1", "203.0.113.9"},
	} {
		var prefixes []netip.Prefix
		for _, p := range tc.trusted {
			prefixes = append(prefixes, netip.MustParsePrefix(p))
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		r.Header.Set("X-Forwarded-For", tc.xff)
		require.Equal(t, tc.want, web.IPExtractor(prefixes)(r), tc.name)
	}
}
