package snapify

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFormatRupees(t *testing.T) {
	t.Parallel()
	cases := []struct {
		paisa  int64
		want   string
		schema string
	}{
		{0, "Rs 0", "0.00"},
		{5, "Rs 0.05", "0.05"},
		{100, "Rs 1", "1.00"},
		{99999, "Rs 999.99", "999.99"},
		{125000, "Rs 1,250", "1250.00"},
		{125050, "Rs 1,250.50", "1250.50"},
		{100000000, "Rs 1,000,000", "1000000.00"},
		{-25000, "-Rs 250", "-250.00"},
		{math.MaxInt64, "Rs 92,233,720,368,547,758.07", "92233720368547758.07"},
		{math.MinInt64, "-Rs 92,233,720,368,547,758.08", "-92233720368547758.08"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, FormatRupees(c.paisa), c.paisa)
		require.Equal(t, c.schema, schemaPrice(c.paisa), c.paisa)
	}
}

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
