package snapify

import _ "embed"

// openapiDoc describes the seller and admin API for the PWA and admin SPA; a test checks that
// every route under /api/v1 is in it.
//
//go:embed openapi.json
var openapiDoc []byte
