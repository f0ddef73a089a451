package media_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/modules/snapify/whatsapp/whatsapptest"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/storage"
	"github.com/alorig/alorig/shared/storage/s3test"
)

// A seller sends a product photo over WhatsApp: download it, clean and resize it, put it in
// the bucket, and build the img attributes a store page uses.
func TestWhatsAppPhotoToBucket(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	wa := whatsapptest.Start(whatsapptest.Options{Clock: clk})
	t.Cleanup(wa.Close)
	bucket := s3test.Start(s3test.Options{Clock: clk})
	t.Cleanup(bucket.Close)

	photo := withExif(t, encodeJPEG(t, halves(1000, 750)), 6)
	mediaID := wa.AddMedia(photo, "image/jpeg")
	data, info, err := whatsapp.New(wa.Config(), nil).DownloadMedia(ctx, mediaID, media.DefaultLimits.MaxBytes)
	require.NoError(t, err)
	require.Equal(t, "image/jpeg", info.MimeType)

	res, err := media.NewProcessor(media.DefaultLimits, nil, 1).Process(ctx, data)
	require.NoError(t, err)
	st, err := storage.NewS3(storage.S3Config{
		Endpoint: bucket.URL, Region: bucket.Opts.Region, Bucket: bucket.Opts.Bucket,
		AccessKey: bucket.Opts.AccessKey, SecretKey: bucket.Opts.SecretKey, PathStyle: true, PublicRead: true,
	}, clk, nil)
	require.NoError(t, err)
	stored, err := media.Save(ctx, st, "snapify/s/7/p", res)
	require.NoError(t, err)
	require.Equal(t, []int{160, 320, 480, 640}, stored.Widths, "portrait 750 px wide after rotation")
	require.Equal(t, 5, bucket.Len(), "four variants and the full copy")

	pic := media.Delivery{URL: st.URL}.Picture(stored, media.SizesProductPage)
	require.Equal(t, [2]int{750, 1000}, [2]int{pic.Width, pic.Height})
	resp, err := http.Get(pic.Src)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "image/jpeg", resp.Header.Get("Content-Type"))
	obj, ok := bucket.Object(stored.FullKey())
	require.True(t, ok)
	require.False(t, strings.Contains(string(obj.Data), gpsMarker), "no location reaches the bucket")
}
