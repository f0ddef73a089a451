package snapify

// SetContentFailures makes the named pipeline stages fail until the returned function runs.
// Tests using it must not run in parallel with other content tests.
func SetContentFailures(f map[string]error) func() {
	contentFailures = f
	return func() { contentFailures = nil }
}
