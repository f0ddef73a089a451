package engine

// The developer API's plans, from least to most: what a plan unlocks follows this order (a
// premium key may do all a developer key may). Their rates and quotas are the module's tier
// table; only the order is a rule.
const (
	PlanFree      = "free"
	PlanDeveloper = "developer"
	PlanPremium   = "premium"
)

// planRank orders the plans; an unknown name ranks below free.
func planRank(plan string) int {
	switch plan {
	case PlanPremium:
		return 3
	case PlanDeveloper:
		return 2
	case PlanFree:
		return 1
	}
	return 0
}

// PlanAtLeast reports whether plan grants what min grants.
func PlanAtLeast(plan, min string) bool { return planRank(plan) >= planRank(min) }

// BestPlan is the highest of a user's plans (the tiers of their live keys); free without any.
func BestPlan(plans []string) string {
	best := PlanFree
	for _, p := range plans {
		if planRank(p) > planRank(best) {
			best = p
		}
	}
	return best
}
