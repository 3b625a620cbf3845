package edition

import (
	"strconv"

	"github.com/vschool/vschool/internal/comparators"
	"github.com/vschool/vschool/internal/measure"
)

// Benchmark is the DfE's published figures beside a cell (docs/outputs.md): the period of the
// national figure, the home LA's region, the mean of its statistical neighbours and the
// DfE's own figure for the home LA, as strings (a number with one decimal place, or a DfE
// symbol) and as numbers where they are numbers. They are published figures: no edition
// suppresses them.
type Benchmark struct {
	Period          string // comparator_period, e.g. "202425"; x when none
	Context         bool   // annual figures beside a term figure: no gap (Gap is z)
	NotYetPublished bool   // the DfE has published nothing for the period yet
	RegionName      string
	Group           string // the DfE cohort, e.g. "CLA 12 months at 31 March"

	Region          string
	Neighbours      string
	NeighboursCount string // statistical_neighbours_count: neighbours with a published value
	NeighboursOf    int    // neighbours in the model; 0 when the home LA is not in it
	LA              string

	RegionNumber, NeighboursNumber, LANumber float64
	HasRegion, HasNeighbours, HasLA          bool
}

// benchmarkInto writes the benchmark of a row into b, a zero Benchmark (format: field by
// field).
func benchmarkInto(b *Benchmark, r *measure.Row) {
	f := r.Benchmark
	if f == nil {
		b.Period, b.Region, b.Neighbours, b.NeighboursCount, b.LA = SymbolNotAvailable, SymbolNotAvailable, SymbolNotAvailable, SymbolNotAvailable, SymbolNotAvailable
		return
	}
	b.Period, b.Context, b.NotYetPublished, b.RegionName, b.Group = f.Period, f.Context, f.NotYetPublished, f.RegionName, f.Group
	b.NeighboursOf, b.NeighboursCount = f.NeighboursOf, SymbolNotAvailable
	b.Region, b.RegionNumber, b.HasRegion = published(f.Region)
	b.Neighbours, b.NeighboursNumber, b.HasNeighbours = published(f.Neighbours)
	b.LA, b.LANumber, b.HasLA = published(f.LA)
	if f.NeighboursOf > 0 && !f.NotYetPublished {
		b.NeighboursCount = strconv.Itoa(f.NeighboursCount)
	}
}

func published(v comparators.Value) (string, float64, bool) {
	if !v.Has {
		if v.Symbol == "" {
			return SymbolNotAvailable, 0, false
		}
		return v.Symbol, 0, false
	}
	return measure.FormatNumber(v.Number, 1), v.Number, true
}
