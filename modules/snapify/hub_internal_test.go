package snapify

import (
	"net/http/httptest"
	"testing"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// A hub that does not exist is database.ErrNotFound, never a nil page with a nil error that
// every caller has to remember to check.
func TestMissingHubIsNotFound(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"snapify": New}, testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", t.TempDir()))
	m := env.Mounted("snapify").Module.(*Module)
	c := echo.New().NewContext(httptest.NewRequest("GET", "/best-nothing-stores-nowhere", nil), httptest.NewRecorder())
	r, err := m.hubPage(c, "best-nothing-stores-nowhere")
	require.ErrorIs(t, err, database.ErrNotFound)
	require.Nil(t, r)
}
