package whatsapptest

import (
	"encoding/json"
	"fmt"

	"github.com/alorig/alorig/modules/snapify/whatsapp"
)

// InboundText builds the webhook body Meta posts when waID sends text to the business number,
// and its X-Hub-Signature-256 value under the fake's app secret. It also opens that user's
// 24-hour window, as the real message would.
func (s *Server) InboundText(waID, profileName, text string) (body []byte, signature string) {
	s.OpenWindow(waID)
	s.mu.Lock()
	s.seq++
	id := fmt.Sprintf("wamid.IN%s%08d", waID, s.seq)
	s.mu.Unlock()
	payload := map[string]any{
		"object": "whatsapp_business_account",
		"entry": []any{map[string]any{
			"id": "WABA_ID",
			"changes": []any{map[string]any{
				"field": "messages",
				"value": map[string]any{
					"messaging_product": "whatsapp",
					"metadata":          map[string]any{"display_phone_number": "15550000000", "phone_number_id": s.opts.PhoneNumberID},
					"contacts":          []any{map[string]any{"profile": map[string]any{"name": profileName}, "wa_id": waID}},
					"messages": []any{map[string]any{
						"from": waID, "id": id, "timestamp": fmt.Sprint(s.opts.Clock.Now().Unix()),
						"type": "text", "text": map[string]any{"body": text},
					}},
				},
			}},
		}},
	}
	body, err := json.Marshal(payload)
	if err != nil {
		panic(err) // only maps of strings: cannot fail
	}
	return body, whatsapp.Sign(s.opts.AppSecret, body)
}
