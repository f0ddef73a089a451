package web

import "strings"

// IsOwnHost tells a module's own names from the hosts of its tenants (a store's or a site's
// custom domain) that the dispatcher sends it after a host claim. A module's own names are the
// configured hosts (ALORIG_<MODULE>_HOSTS) and its development names: <module>.localhost and
// any name under it (app.snapify.localhost). host may carry a port or capitals.
func IsOwnHost(host, module string, configured []string) bool {
	host = CanonicalHost(host)
	for _, h := range configured {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	local := module + ".localhost"
	return host == local || strings.HasSuffix(host, "."+local)
}
