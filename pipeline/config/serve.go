package config

// Serve configures `vschool serve`. Owned by the scheduler work; filled in there.
type Serve struct{}

func (s *Serve) applyDefaults()    {}
func (s *Serve) validate() []error { return nil }

// Email configures delivery. Credentials never live here: only the names of the
// environment variables or files that hold them.
type Email struct{}

func (e *Email) applyDefaults()    {}
func (e *Email) validate() []error { return nil }
