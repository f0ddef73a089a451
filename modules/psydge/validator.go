package psydge

import (
	"fmt"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/modules/psydge/market/indicators"
)

// validatorVerdict is the rule-based pre-entry validator (the AI issue replaces the reasoning,
// not the rule): stand down when both the path efficiency NDNS(10) and the swing structure
// FHS(2) point against the direction, or when there are too few closed bars to judge.
func validatorVerdict(c []market.Candle, dir discipline.Direction) (string, string) {
	ndns, err := indicators.NDNS(c, 10)
	if err != nil {
		return "stand_down", "not enough closed bars to judge this timeframe yet"
	}
	fhs, err := indicators.FHS(c, 2)
	if err != nil {
		return "stand_down", "not enough closed bars to read the swing structure yet"
	}
	d := float64(dir)
	if ndns*d < 0 && float64(fhs.Score)*d < 0 {
		return "stand_down", fmt.Sprintf("price path (NDNS %.2f) and swing structure (FHS %d) both run against a %s", ndns, fhs.Score, dir)
	}
	return "approve", fmt.Sprintf("price path (NDNS %.2f) and swing structure (FHS %d) do not argue against a %s", ndns, fhs.Score, dir)
}
