package ai

import "strings"

// Price is a model's list price in micro-dollars (millionths of a US dollar) per million
// tokens, so $3 per million input tokens is 3_000_000.
type Price struct {
	InputPerMTok  int64
	OutputPerMTok int64
}

// Prices are the providers' published standard (not batch, not cached) rates, by model name
// or name prefix; the longest matching prefix wins. A model not listed is unpriced: its cost is
// recorded as unknown rather than as zero.
var Prices = map[string]Price{
	"claude-opus-4-5":   {5_000_000, 25_000_000},
	"claude-opus-4-6":   {5_000_000, 25_000_000},
	"claude-opus-4-7":   {5_000_000, 25_000_000},
	"claude-opus-4-8":   {5_000_000, 25_000_000},
	"claude-sonnet-4":   {3_000_000, 15_000_000},
	"claude-sonnet-5":   {2_000_000, 10_000_000},
	"claude-haiku-4-5":  {1_000_000, 5_000_000},
	"claude-haiku-5-5":  {100_000, 500_000},
	"gpt-4.1":           {2_000_000, 8_000_000},
	"gpt-4.1-mini":      {400_000, 1_600_000},
	"gpt-4.1-nano":      {100_000, 400_000},
	"gpt-4o":            {2_500_000, 10_000_000},
	"gpt-4o-mini":       {150_000, 600_000},
	"offline":           {0, 0},
	"claude-3-5-haiku":  {800_000, 4_000_000},
	"claude-3-7-sonnet": {3_000_000, 15_000_000},
}

// Cost prices usage for model in micro-dollars, rounding up so a total never undercounts.
func Cost(model string, u Usage) (int64, bool) {
	best, found := "", false
	for name := range Prices {
		if strings.HasPrefix(model, name) && len(name) > len(best) {
			best, found = name, true
		}
	}
	if !found {
		return 0, false
	}
	p := Prices[best]
	total := u.InputTokens*p.InputPerMTok + u.OutputTokens*p.OutputPerMTok
	return (total + 999_999) / 1_000_000, true
}
