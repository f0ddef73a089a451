package astrotiming

import (
	"context"
	"net/http"
)

// DialCheck sends a GET through the production webhook transport.
func DialCheck(url string) error {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := (&http.Client{Transport: publicOnlyTransport()}).Do(req)
	if err == nil {
		res.Body.Close()
	}
	return err
}
