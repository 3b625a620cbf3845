package ingest

import (
	"fmt"

	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/pipeline/validate"
)

// Limits bound what one file may hold, so that a broken or hostile export is refused (or its
// row quarantined) instead of filling memory or the lake. A zero field takes its value from
// DefaultLimits. The keys of vschool.yaml's ingest section set them (cmd maps them).
type Limits struct {
	// MaxRows: a file with more data rows is refused (ingest.max_rows).
	MaxRows int64
	// MaxLineBytes: a longer CSV line is quarantined unread (rule line_too_long); in a CSV
	// file with double quotes, a longer record refuses the file (where an unclosed quote
	// ends cannot be known); a workbook with a longer row, or a longer string anywhere, is
	// refused (ingest.max_line_bytes).
	MaxLineBytes int
	// MaxCellChars: a row with a longer value in any column is quarantined (rule
	// cell_too_long; ingest.max_cell_chars).
	MaxCellChars int
	// MaxTextChars: a row with a longer value in a free-text column (school and LA names,
	// establishment type, phase, Ofsted rating, the 903 URN, pep_id) is quarantined (rule
	// text_too_long; ingest.max_text_chars).
	MaxTextChars int
	// MaxXLSXBytes: a workbook whose parts unzip to more is refused (ingest.max_xlsx_bytes).
	MaxXLSXBytes int64
	// MaxXLSXRatio: a workbook with a part of more than 1 MiB compressed more than this
	// many times is refused: a zip bomb (ingest.max_xlsx_ratio).
	MaxXLSXRatio int
	// FutureMarginDays: event dates (attendance, exclusions, episode and membership starts,
	// completed PEPs, the academic year of results and PEPs) more than this many days after
	// the day of ingest are quarantined (rule future_date; ingest.future_margin_days).
	FutureMarginDays int
}

// DefaultLimits are the limits of a run that sets none: those of the configuration's
// defaults, which are written in internal/config only.
func DefaultLimits() Limits { return LimitsOf(config.Default().Ingest) }

// LimitsOf are the limits of vschool.yaml's ingest section.
func LimitsOf(c config.Ingest) Limits {
	return Limits{
		MaxRows: c.MaxRows, MaxLineBytes: c.MaxLineBytes, MaxCellChars: c.MaxCellChars, MaxTextChars: c.MaxTextChars,
		MaxXLSXBytes: c.MaxXLSXBytes, MaxXLSXRatio: c.MaxXLSXRatio, FutureMarginDays: c.FutureMarginDays,
	}
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	for _, f := range []struct{ v, def *int64 }{{&l.MaxRows, &d.MaxRows}, {&l.MaxXLSXBytes, &d.MaxXLSXBytes}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	for _, f := range []struct{ v, def *int }{{&l.MaxLineBytes, &d.MaxLineBytes}, {&l.MaxCellChars, &d.MaxCellChars},
		{&l.MaxTextChars, &d.MaxTextChars}, {&l.MaxXLSXRatio, &d.MaxXLSXRatio}, {&l.FutureMarginDays, &d.FutureMarginDays}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return l
}

// Fixed bounds of a workbook, protecting memory whatever the configured limits: excelize
// keeps some parts of a workbook in memory, and an index entry per shared string.
const (
	xlsxMaxEntries       = 10_000    // files inside the zip
	xlsxMaxInMemory      = 128 << 20 // bytes of the parts excelize unpacks in memory
	xlsxMaxSharedStrings = 2 << 20   // distinct strings of the shared string table
	xlsxXMLInMemory      = 4 << 20   // worksheets and shared strings above this are unpacked to temporary files
	xlsxRatioFloor       = 1 << 20   // parts below this size are not checked for their compression ratio
)

// withKey adds the vschool.yaml key of the limit a rule error is about to its message.
func withKey(err error, key string) error {
	return &validate.Error{Rule: validate.RuleOf(err), Message: err.Error() + " (limit ingest." + key + ")"}
}

// mib writes a byte count in MiB for messages.
func mib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
