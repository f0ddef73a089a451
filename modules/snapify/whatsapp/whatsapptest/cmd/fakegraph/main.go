// Command fakegraph runs the fake WhatsApp Cloud API (whatsapptest) as a server, so a developer
// can watch Snapify's sign-in codes and new-order notifications arrive without Meta:
//
//	go run ./modules/snapify/whatsapp/whatsapptest/cmd/fakegraph -addr 127.0.0.1:18101
//
// It prints the three ALORIG_SNAPIFY_WHATSAPP_* variables to start alorig with, then one JSON
// line per message the fake accepted. Every 24-hour window is open, as in the offline demo.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/alorig/alorig/modules/snapify/whatsapp/whatsapptest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18101", "listen address")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fakegraph: cannot listen on %s: %v (pass -addr with a free port)\n", *addr, err)
		os.Exit(1)
	}
	srv, h := newDemo(os.Stdout, "http://"+ln.Addr().String())
	cfg := srv.Config()
	fmt.Fprintf(os.Stderr, "fakegraph: fake Graph API on %s; start alorig with:\n", srv.URL)
	fmt.Fprintf(os.Stderr, "  export ALORIG_SNAPIFY_WHATSAPP_API_BASE=%s ALORIG_SNAPIFY_WHATSAPP_TOKEN=%s ALORIG_SNAPIFY_WHATSAPP_PHONE_NUMBER_ID=%s\n",
		cfg.APIBase, cfg.Token, cfg.PhoneNumberID)
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if err := hs.Serve(ln); err != nil {
		fmt.Fprintf(os.Stderr, "fakegraph: %v\n", err)
		os.Exit(1)
	}
}

// logged is what a developer needs to see of an accepted message.
type logged struct {
	ID         string    `json:"id"`
	To         string    `json:"to"`
	Type       string    `json:"type"`
	Template   string    `json:"template,omitempty"`
	Language   string    `json:"language,omitempty"`
	Text       string    `json:"text,omitempty"`
	BodyParams []string  `json:"body_params,omitempty"`
	At         time.Time `json:"at"`
}

// newDemo is the fake mounted at base, writing each newly accepted message to out.
func newDemo(out io.Writer, base string) (*whatsapptest.Server, http.Handler) {
	srv := whatsapptest.New(whatsapptest.Options{AllWindowsOpen: true})
	srv.URL = base
	var mu sync.Mutex
	seen := 0
	enc := json.NewEncoder(out)
	return srv, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(w, r)
		mu.Lock()
		defer mu.Unlock()
		msgs := srv.Messages()
		for _, m := range msgs[seen:] {
			_ = enc.Encode(logged{ID: m.ID, To: m.To, Type: m.Type, Template: m.Template, Language: m.Language,
				Text: m.Text, BodyParams: m.BodyParams, At: m.At})
		}
		seen = len(msgs)
	})
}
