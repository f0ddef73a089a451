package snapify

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDiscountPercent(t *testing.T) {
	t.Parallel()
	require.Equal(t, 0, discountPercent(1000, 0))
	require.Equal(t, 0, discountPercent(1000, 1000))
	require.Equal(t, 0, discountPercent(1200, 1000))
	require.Equal(t, 50, discountPercent(500, 1000))
	require.Equal(t, 33, discountPercent(2000, 3000))
	require.Equal(t, 99, discountPercent(1, 100))
}

func TestParagraphsAndFill(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"one two", "three"}, paragraphs("one\ntwo\r\n\r\n\n three  "))
	require.Nil(t, paragraphs(" \n\n "))
	require.Equal(t, "ab…", firstParagraphs("ab cd", 3))
	// Cutting inside a multi-byte rune backs off to its start.
	require.Equal(t, "ن…", firstParagraphs("نور", 3))
	require.Equal(t, "Thank you, 50%s off!", fill(uiEnglish.ThankYou, "50%s off"))
	require.Equal(t, "Page 2 of 9", fill(uiEnglish.PageOf, "2", "9"))
	require.Equal(t, "https://wa.me/923001234567", chatURL("+92 300 1234567"))
	require.Empty(t, chatURL("n/a"))
}
