package storage

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The examples published in Amazon's SigV4 documentation for S3, with their example keys.
func TestSignRequestMatchesAWSExamples(t *testing.T) {
	t.Parallel()
	creds := Credentials{AccessKey: "AKIAIOSFODNN7EXAMPLE", SecretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	at := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name, url, signed, sig string
		hdr                    map[string]string
	}{
		{"get object with range", "https://examplebucket.s3.amazonaws.com/test.txt",
			"host;range;x-amz-content-sha256;x-amz-date",
			"f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
			map[string]string{"Range": "bytes=0-9"}},
		{"list objects with query", "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J",
			"host;x-amz-content-sha256;x-amz-date",
			"34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7", nil},
	}
	for _, tc := range cases {
		req, err := http.NewRequest(http.MethodGet, tc.url, nil)
		require.NoError(t, err)
		for k, v := range tc.hdr {
			req.Header.Set(k, v)
		}
		signRequest(req, creds, "us-east-1", "s3", EmptyPayloadHash, at)
		auth := req.Header.Get("Authorization")
		require.True(t, strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "), tc.name)
		require.Contains(t, auth, "SignedHeaders="+tc.signed+",", tc.name)
		require.True(t, strings.HasSuffix(auth, "Signature="+tc.sig), "%s: %s", tc.name, auth)
	}
}

func TestURIEncode(t *testing.T) {
	t.Parallel()
	require.Equal(t, "/photos/a%20b/%C3%BC%24%2B~_.-.jpg", uriEncode("/photos/a b/ü$+~_.-.jpg", false))
	require.Equal(t, "a%2Fb%3D", uriEncode("a/b=", true))
}
