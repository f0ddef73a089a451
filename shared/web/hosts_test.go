package web_test

import (
	"testing"

	"github.com/alorig/alorig/shared/web"
)

func TestIsOwnHost(t *testing.T) {
	configured := []string{"snapify.pk", "app.snapify.pk"}
	for _, tc := range []struct {
		host string
		own  bool
	}{
		{"snapify.pk", true},
		{"App.Snapify.pk:443", true},
		{"snapify.localhost", true},
		{"admin.snapify.localhost:8080", true},
		{"shop.example.pk", false},
		{"snapify.pk.evil.example", false},
		{"notsnapify.localhost", false},
		{"sitebuilder.localhost", false},
	} {
		if got := web.IsOwnHost(tc.host, "snapify", configured); got != tc.own {
			t.Errorf("IsOwnHost(%q) = %v, want %v", tc.host, got, tc.own)
		}
	}
}
