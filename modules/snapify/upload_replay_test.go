package snapify_test

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// The seller app's offline queue uploads a photo kept on the phone, then creates the product
// with the picture the server answered. When an upload's answer is lost the app uploads the same
// bytes again: that must be the same picture (same hash, same stored files, nothing new), so
// uploads need no Idempotency-Key of their own; the product create that follows carries one.
func TestUploadAgainAfterALostAnswerIsTheSamePicture(t *testing.T) {
	t.Parallel()
	media := t.TempDir()
	env, _ := start(t, testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", media))
	tok, storeID := newStore(t, env, "03001260001", "replay-shop")
	up := bearer(tok)
	up["Content-Type"] = "image/png"
	path := "/api/v1/stores/replay-shop/images"

	type uploaded struct {
		Picture struct {
			Prefix string `json:"prefix"`
			Hash   string `json:"hash"`
		} `json:"picture"`
	}
	upload := func(body string) (uploaded, string) {
		res, b := env.Do("POST", host, path, up, body)
		require.Equal(t, http.StatusCreated, res.StatusCode, b)
		var u uploaded
		require.NoError(t, json.Unmarshal([]byte(b), &u))
		return u, b
	}
	// Every file the media store holds, and the picture folders of the store.
	files := func() []string {
		var out []string
		require.NoError(t, filepath.WalkDir(media, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, p)
			}
			return err
		}))
		return out
	}
	folders := func() []string {
		entries, err := os.ReadDir(filepath.Join(media, "snapify", "s", strconv.FormatInt(storeID, 10)))
		require.NoError(t, err)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	photo := pngOf(300, 300)
	first, firstBody := upload(photo)
	kept := files()
	require.NotEmpty(t, kept)
	again, againBody := upload(photo)
	require.Equal(t, first.Picture, again.Picture)
	require.JSONEq(t, firstBody, againBody)
	require.Equal(t, kept, files(), "the repeated upload stored nothing new")
	require.Equal(t, []string{first.Picture.Hash}, folders())
	other, _ := upload(pngOf(320, 300))
	require.NotEqual(t, first.Picture.Hash, other.Picture.Hash)
	require.Len(t, folders(), 2)

	// The product the queue then creates, sent twice with its key, is one product with the picture.
	var pic map[string]any
	var raw struct {
		Picture json.RawMessage `json:"picture"`
	}
	require.NoError(t, json.Unmarshal([]byte(firstBody), &raw))
	require.NoError(t, json.Unmarshal(raw.Picture, &pic))
	body, err := json.Marshal(map[string]any{"title": "Queued vase", "price_paisa": 150000, "images": []any{pic}})
	require.NoError(t, err)
	for range 2 {
		res, b := env.Do("POST", host, "/api/v1/stores/replay-shop/products", withKey(tok, "queued-photo-01"), string(body))
		require.Equal(t, http.StatusCreated, res.StatusCode, b)
	}
	res, list := env.Do("GET", host, "/api/v1/stores/replay-shop/products", bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, list)
	var page struct {
		Total    int
		Products []struct {
			Images []struct{ Hash string } `json:"images"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(list), &page))
	require.Equal(t, 1, page.Total, list)
	require.Len(t, page.Products[0].Images, 1)
	require.Equal(t, first.Picture.Hash, page.Products[0].Images[0].Hash)
}
