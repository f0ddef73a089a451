package discipline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMsgFormatting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{utc(time.Date(2026, 3, 3, 7, 5, 0, 0, time.UTC)), "2026-03-03 07:05 UTC"},
		{utc(time.Date(987, 11, 30, 23, 59, 59, 0, time.FixedZone("x", 3600))), "0987-11-30 22:59 UTC"},
		{FormatPrice(108_500, 5), "1.08500"},
		{FormatPrice(5, 3), "0.005"},
		{FormatPrice(151_500, 0), "151500"},
		{FormatMinor(-1_005, "USD"), "-10.05 USD"},
		{FormatMinor(61_400, "KWD"), "61.400 KWD"},
		{FormatLots(1), "0.01"},
		{FormatBasisPoints(100), "1.00%"},
		{msg(nil).r(-2000).String(), "−2.000R"},
		{msg(nil).r(50).String(), "+0.050R"},
		{hhmm(8 * 60), "08:00"},
		{windowText(SessionHours{Enabled: true, Open: 9*60 + 30, Close: 17 * 60}), "09:30–17:00"},
		{windowText(SessionHours{}), "(closed)"},
	} {
		require.Equal(t, tc.want, tc.got)
	}
}
