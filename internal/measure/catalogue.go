package measure

import "strings"

// Info describes one measure of the catalogue, from its SQL file's header comment:
// what reports print beside the figures ("definitions and methods").
type Info struct {
	Name       string // the SQL file stem; pep_quality_rate stands for pep_quality_<rating>_rate
	Kind       Kind
	Definition string
	Source     string
	Grain      string
}

// Catalogue lists the measures in output order. The list is generated from the headers of
// the transforms' SQL files (transforms/sql/measures), which are its source: the transforms'
// test TestMeasureCatalogueIsCurrent fails when it is out of date, and
// `go test ./transforms -run TestMeasureCatalogueIsCurrent -update` rewrites it.
func Catalogue() []Info { return append([]Info(nil), catalogue...) }

// Lookup returns a measure's catalogue entry by stem; a family such as pep_quality_rate
// stands for its members (pep_quality_red_rate, ...).
func Lookup(stem string) (Info, bool) {
	for _, m := range catalogue {
		if m.Name == stem || m.Emits(stem) {
			return m, true
		}
	}
	return Info{}, false
}

// Emits reports whether a measure may emit rows under the name got: its own stem, or for a
// "<family>_rate" measure a "<family>_<variant>_rate" name (pep_quality_rate emits
// pep_quality_red_rate, ...).
func (m Info) Emits(got string) bool {
	if got == m.Name {
		return true
	}
	family, ok := strings.CutSuffix(m.Name, "rate")
	return ok && strings.HasPrefix(got, family) && strings.HasSuffix(got, "_rate") && len(got) > len(m.Name)
}
