package whatsapptest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/snapify/whatsapp/whatsapptest"
)

// The fake must refuse what the real Graph API refuses even when a client other than ours
// sends it, so these requests are written by hand.
func TestFakeRefusesWhatGraphRefuses(t *testing.T) {
	t.Parallel()
	fake := whatsapptest.Start(whatsapptest.Options{AllWindowsOpen: true})
	t.Cleanup(fake.Close)
	cfg := fake.Config()
	endpoint := cfg.APIBase + "/v21.0/" + cfg.PhoneNumberID + "/messages"
	buttons := func(n int, title string) string {
		var b []string
		for i := range n {
			b = append(b, `{"type":"reply","reply":{"id":"id`+string(rune('a'+i))+`","title":"`+title+string(rune('a'+i))+`"}}`)
		}
		return `{"messaging_product":"whatsapp","to":"923001234567","type":"interactive","interactive":{"type":"button","body":{"text":"Pick"},"action":{"buttons":[` + strings.Join(b, ",") + `]}}}`
	}
	cases := []struct {
		name, token, url, body string
		status, code           int
	}{
		{"valid text", cfg.Token, endpoint, `{"messaging_product":"whatsapp","recipient_type":"individual","to":"923001234567","type":"text","text":{"body":"hi"}}`, 200, 0},
		{"no token", "", endpoint, `{"messaging_product":"whatsapp","to":"923001234567","type":"text","text":{"body":"hi"}}`, 401, 190},
		{"wrong phone id", cfg.Token, cfg.APIBase + "/v21.0/42/messages", `{"messaging_product":"whatsapp","to":"923001234567","type":"text","text":{"body":"hi"}}`, 400, 100},
		{"no messaging_product", cfg.Token, endpoint, `{"to":"923001234567","type":"text","text":{"body":"hi"}}`, 400, 100},
		{"unknown key", cfg.Token, endpoint, `{"messaging_product":"whatsapp","to":"923001234567","type":"text","text":{"body":"hi","bold":true}}`, 400, 100},
		{"missing body", cfg.Token, endpoint, `{"messaging_product":"whatsapp","to":"923001234567","type":"text","text":{}}`, 400, 131008},
		{"bad recipient", cfg.Token, endpoint, `{"messaging_product":"whatsapp","to":"0300-1234567","type":"text","text":{"body":"hi"}}`, 400, 131009},
		{"three buttons", cfg.Token, endpoint, buttons(3, "Option"), 200, 0},
		{"four buttons", cfg.Token, endpoint, buttons(4, "Option"), 400, 131009},
		{"button title 21", cfg.Token, endpoint, buttons(1, strings.Repeat("x", 20)), 400, 131009},
		{"unknown template", cfg.Token, endpoint, `{"messaging_product":"whatsapp","to":"923001234567","type":"template","template":{"name":"promo","language":{"code":"en"}}}`, 400, 132001},
		{"template param count", cfg.Token, endpoint, `{"messaging_product":"whatsapp","to":"923001234567","type":"template","template":{"name":"snapify_login_code","language":{"code":"en"},"components":[{"type":"body","parameters":[{"type":"text","text":"1"},{"type":"text","text":"2"}]},{"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"1"}]}]}}`, 400, 132000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, tc.url, strings.NewReader(tc.body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, tc.status, resp.StatusCode)
			var out struct {
				Error *struct {
					Code int `json:"code"`
				} `json:"error"`
				Messages []struct {
					ID string `json:"id"`
				} `json:"messages"`
			}
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
			if tc.code == 0 {
				require.Nil(t, out.Error)
				require.Len(t, out.Messages, 1)
				return
			}
			require.NotNil(t, out.Error)
			require.Equal(t, tc.code, out.Error.Code)
		})
	}
	require.Len(t, fake.Messages(), 2, "only the valid requests were recorded")
}
