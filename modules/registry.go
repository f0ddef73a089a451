// Package modules lists the products the binary can mount. This is the only file that imports
// all six; modules never import each other.
package modules

import (
	"github.com/alorig/alorig/modules/asms"
	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/alorig/alorig/modules/observer"
	"github.com/alorig/alorig/modules/psydge"
	"github.com/alorig/alorig/modules/sitebuilder"
	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/shared/platform"
)

// Registry maps module names to constructors.
func Registry() map[string]platform.Constructor {
	return map[string]platform.Constructor{
		"psydge":      psydge.New,
		"snapify":     snapify.New,
		"sitebuilder": sitebuilder.New,
		"observer":    observer.New,
		"astrotiming": astrotiming.New,
		"asms":        asms.New,
	}
}
