package ai_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/shared/ai"
)

// Without a key the offline provider answers from the task's own rules, and says so.
func Example() {
	client := ai.FromConfig(config.AIConfig{}, nil, nil)
	schema := ai.MustSchema("mood", `{"type":"object","required":["mood"],"properties":{"mood":{"type":"string"}},"additionalProperties":false}`)
	resp, err := client.Call(context.Background(), &ai.Request{
		Task: "example.mood", Prompt: "How does this journal entry feel?", Input: json.RawMessage(`{"words":12}`), Schema: schema,
		Offline: func(json.RawMessage) (json.RawMessage, error) { return json.RawMessage(`{"mood":"neutral"}`), nil },
	}, ai.AuditFunc(func(_ context.Context, r *ai.Record) error {
		fmt.Println("audited:", r.Task, r.Provider, r.Outcome)
		return nil
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Provider, string(resp.JSON))
	// Output:
	// audited: example.mood offline ok
	// offline {"mood":"neutral"}
}
