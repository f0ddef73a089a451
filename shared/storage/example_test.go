package storage_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/storage"
)

// Without Spaces credentials, Open falls back to local disk and says so in the log.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "media")
	defer os.RemoveAll(dir)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	st, err := storage.Open(storage.Config{LocalDir: dir, LocalBaseURL: "/media"}, clock.System{}, quiet)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	_ = st.Put(ctx, "snapify/7/logo.png", "image/png", strings.NewReader("png"), 3)
	rc, obj, _ := st.Get(ctx, "snapify/7/logo.png")
	defer rc.Close()
	fmt.Println(st.URL("snapify/7/logo.png"), obj.ContentType, obj.Size)
	// Output: /media/snapify/7/logo.png image/png 3
}
