package main

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/alorig/alorig/shared/ephemeris"
	"github.com/stretchr/testify/require"
)

// alorig version names the build, the libswe it links with that library's licence, and where
// the source is offered (ALORIG_SOURCE_URL, else the project's repository).
func TestVersionNamesLibsweAndItsLicence(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"version"}, getenv(nil), &out, io.Discard))
	require.Regexp(t, `(?m)^alorig \S+$`, out.String())
	require.Contains(t, out.String(), "libswe "+ephemeris.Version()+" (Swiss Ephemeris, linked): AGPL-3.0")
	require.Contains(t, out.String(), "source: https://github.com/alorig/alorig\n")

	out.Reset()
	env := map[string]string{"ALORIG_SOURCE_URL": "https://git.example.org/alorig/tree/v9"}
	require.NoError(t, run(context.Background(), []string{"version"}, getenv(env), &out, io.Discard))
	require.Contains(t, out.String(), "source: https://git.example.org/alorig/tree/v9\n")
}

// Every listener answers /source with the offer, and names the linked libswe there.
func TestSourceOfferNamesLibswe(t *testing.T) {
	t.Parallel()
	o := sourceOffer("https://git.example.org/alorig")
	require.Equal(t, "https://git.example.org/alorig", o.URL)
	require.Len(t, o.Libraries, 1)
	require.Equal(t, ephemeris.Version(), o.Libraries[0].Version)
	require.Contains(t, o.Libraries[0].Licence, "AGPL-3.0")
}
