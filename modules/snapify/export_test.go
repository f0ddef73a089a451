package snapify

// SetResolver replaces the module's DNS resolver, for tests of custom domain proofs.
func (m *Module) SetResolver(r Resolver) { m.resolver = r }
