package wame_test

import (
	"testing"

	"github.com/alorig/alorig/shared/wame"
)

func TestLink(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ digits, text, want string }{
		{"923001234567", "", "https://wa.me/923001234567"},
		{"923001234567", "2 × Lawn suit & dupatta", "https://wa.me/923001234567?text=2%20%C3%97%20Lawn%20suit%20%26%20dupatta"},
		{"", "hello", ""},
	} {
		if got := wame.Link(c.digits, c.text); got != c.want {
			t.Errorf("Link(%q, %q) = %q, want %q", c.digits, c.text, got, c.want)
		}
	}
}
