package comparators

import "testing"

// BenchmarkLoadShipped: the DfE files shipped inside the binary, parsed as every report run
// parses them at start-up.
func BenchmarkLoadShipped(b *testing.B) {
	for b.Loop() {
		if _, err := Load(""); err != nil {
			b.Fatal(err)
		}
	}
}
