package lake

import (
	"path/filepath"
	"sort"
)

// QuarantineFiles lists the quarantine CSV files (lake/_quarantine/<batch_id>.csv) of the
// committed batches of a dataset, sorted. Batches that quarantined nothing have no file; a
// quarantine file left by an interrupted batch is never listed (only manifests name files).
func (l *Lake) QuarantineFiles(dataset string) ([]string, error) {
	ms, err := l.Batches()
	if err != nil {
		return nil, err
	}
	return l.QuarantineFilesOf(ms, dataset), nil
}

// QuarantineFilesOf is QuarantineFiles over batches already read (Batches).
func (l *Lake) QuarantineFilesOf(ms []Manifest, dataset string) []string {
	var out []string
	for _, m := range ms {
		if m.Dataset == dataset && m.Quarantine != "" {
			out = append(out, filepath.Join(l.dir, filepath.FromSlash(m.Quarantine)))
		}
	}
	sort.Strings(out)
	return out
}
