// Package wame builds WhatsApp click-to-chat links (https://wa.me/…). It is the one copy of the
// link format: Snapify's order messages and its pages' chat buttons both call it.
package wame

import (
	"net/url"
	"strings"
)

// Link opens a chat with the number digits (international, digits only: "923001234567"),
// with text already typed when text is not empty. Spaces are sent as %20 rather than '+',
// which some WhatsApp clients show literally. No digits, no link: "".
func Link(digits, text string) string {
	if digits == "" {
		return ""
	}
	link := "https://wa.me/" + digits
	if text == "" {
		return link
	}
	return link + "?text=" + strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
}
