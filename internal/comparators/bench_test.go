package comparators

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

// BenchmarkLoadShipped: the DfE files shipped inside the binary, parsed as every report run
// parses them at start-up.
func BenchmarkLoadShipped(b *testing.B) {
	for b.Loop() {
		if _, err := Load(""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParsePlain: the shipped files, already decompressed, parsed one after another by
// parseTable and by the encoding/csv parser it replaced (csvParseTable): the parsing alone,
// without gzip or the parallel goroutines, and both in one binary for a fair ratio.
func BenchmarkParsePlain(b *testing.B) {
	var files [][]byte
	for _, k := range Kinds {
		gz, err := shipped.ReadFile("data/" + k.File)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			b.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, plain)
	}
	parsers := []struct {
		name  string
		parse func(io.Reader, string, string) (*table, *model, error)
	}{{"records", parseTable}, {"encoding-csv", csvParseTable}}
	for _, p := range parsers {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				for i, k := range Kinds {
					if _, _, err := p.parse(bytes.NewReader(files[i]), k.File, k.Name); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
