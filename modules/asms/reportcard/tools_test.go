package reportcard

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

var ensureOnce sync.Once

// tool finds a program of poppler-utils or libharfbuzz-bin, installing the group with
// scripts/dev/ensure-packages.sh pdf the first time one is missing. A missing tool fails the
// test: the checks it runs are the point of these tests.
func tool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	ensureOnce.Do(func() {
		dir, _ := os.Getwd()
		for dir != "/" && dir != "." {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
			dir = filepath.Dir(dir)
		}
		cmd := exec.Command("bash", filepath.Join(dir, "scripts/dev/ensure-packages.sh"), "pdf")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Logf("ensure-packages.sh pdf: %v\n%s", err, out)
		}
	})
	p, err := exec.LookPath(name)
	require.NoError(t, err, "%s is missing: run scripts/dev/ensure-packages.sh pdf", name)
	return p
}

func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s %s: %s", name, strings.Join(args, " "), stderr.String())
	return out
}

func writeTemp(t testing.TB, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	require.NoError(t, os.WriteFile(p, pdf, 0o600))
	return p
}

// pdfText is pdftotext's reading of the PDF, without the bidi embedding marks it wraps
// right-to-left lines in.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	out := run(t, "pdftotext", "-enc", "UTF-8", writeTemp(t, pdf), "-")
	return strings.Map(func(r rune) rune {
		if r >= 0x202A && r <= 0x202E {
			return -1
		}
		return r
	}, string(out))
}

// rasterise renders page 1 of the PDF in grey at the given resolution with pdftoppm.
func rasterise(t testing.TB, pdf []byte, dpi int) *image.Gray {
	t.Helper()
	out := run(t, "pdftoppm", "-gray", "-r", fmt.Sprint(dpi), "-f", "1", "-l", "1", writeTemp(t, pdf))
	img, err := decodePGM(out)
	require.NoError(t, err)
	return img
}

// decodePGM reads the binary (P5) greymap pdftoppm -gray writes.
func decodePGM(b []byte) (*image.Gray, error) {
	var w, h, maxV int
	fields := 0
	i := 0
	if !bytes.HasPrefix(b, []byte("P5")) {
		return nil, fmt.Errorf("not a P5 greymap")
	}
	i = 2
	vals := []*int{&w, &h, &maxV}
	for fields < 3 {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
			i++
		}
		if i < len(b) && b[i] == '#' {
			for i < len(b) && b[i] != '\n' {
				i++
			}
			continue
		}
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			n = n*10 + int(b[i]-'0')
			i++
		}
		*vals[fields] = n
		fields++
	}
	i++
	if maxV != 255 || len(b) < i+w*h {
		return nil, fmt.Errorf("greymap %dx%d max %d truncated", w, h, maxV)
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	copy(img.Pix, b[i:i+w*h])
	return img, nil
}
