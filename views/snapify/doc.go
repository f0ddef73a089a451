// Package snapify renders Snapify's buyer-facing pages: store home, product, category, city
// landing, about, order form and confirmation, search, platform hub, platform home and 404.
//
// Every page is a complete HTML document built for a 412-px phone on 3G: critical CSS is inlined
// (no stylesheet, script or font request), the one LCP image is fetched eagerly at high
// priority, every other image waits until it is near the viewport, and nothing needs JavaScript.
// Seven store themes share one set of markup; a theme changes CSS custom properties and a few
// layout switches. Store content is always escaped, JSON-LD included.
//
// The package imports only the standard library and templ (never modules/), so the props types
// in props.go are the whole contract with modules/snapify. A handler fills one page struct and
// renders it:
//
//	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
//	return snapify.ProductDetail(page).Render(c.Request().Context(), c.Response())
//
// SamplePages renders every page type from demo data, for budget checks and previews.
package snapify
