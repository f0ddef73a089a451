package asms

// The module's domain errors and the one function that maps them to problem+json answers live
// in this file (see modules/sitebuilder/errors.go). ASMS has none yet: its first handler that
// can fail for a domain reason adds the error here together with its mapping.
