package config

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/vschool/vschool/internal/calendar"
)

// HomeLA is the local authority the virtual school belongs to.
type HomeLA struct {
	OldCode string `yaml:"old_code"` // 3-digit DfE code, e.g. "822"
	NewCode string `yaml:"new_code"` // 9-character ONS code, e.g. "E06000055"
	Name    string `yaml:"name"`
}

var (
	oldLACode = regexp.MustCompile(`^\d{3}$`)
	newLACode = regexp.MustCompile(`^E\d{8}$`)
)

func (h *HomeLA) validate() []error {
	var errs []error
	if !oldLACode.MatchString(h.OldCode) {
		errs = append(errs, fmt.Errorf("home_la.old_code %q: want the 3-digit DfE LA code, e.g. 822", h.OldCode))
	}
	if !newLACode.MatchString(h.NewCode) {
		errs = append(errs, fmt.Errorf("home_la.new_code %q: want the 9-character ONS code, e.g. E06000055", h.NewCode))
	}
	if strings.TrimSpace(h.Name) == "" {
		errs = append(errs, fmt.Errorf("home_la.name: required"))
	}
	return errs
}

// Calendar holds local term dates per academic year; years not listed use the DfE
// statistical convention. Half terms (autumn1, autumn2, ...) are optional, both halves of a
// term together; a term without them is split at the default dates (calendar.HalfTerm).
//
//	calendar:
//	  "2024-25":
//	    autumn: {start: 2024-09-03, end: 2024-12-20}
//	    spring: {start: 2025-01-06, end: 2025-04-04}
//	    summer: {start: 2025-04-22, end: 2025-07-22}
//	    autumn1: {start: 2024-09-03, end: 2024-10-25}
//	    autumn2: {start: 2024-11-04, end: 2024-12-20}
type Calendar map[string]TermDates

// TermDates are one academic year's three terms and, optionally, their halves.
type TermDates struct {
	Autumn  DateSpan  `yaml:"autumn"`
	Spring  DateSpan  `yaml:"spring"`
	Summer  DateSpan  `yaml:"summer"`
	Autumn1 *DateSpan `yaml:"autumn1"`
	Autumn2 *DateSpan `yaml:"autumn2"`
	Spring1 *DateSpan `yaml:"spring1"`
	Spring2 *DateSpan `yaml:"spring2"`
	Summer1 *DateSpan `yaml:"summer1"`
	Summer2 *DateSpan `yaml:"summer2"`
}

// DateSpan is an inclusive date range written as YYYY-MM-DD.
type DateSpan struct {
	Start string `yaml:"start" form:"date"`
	End   string `yaml:"end" form:"date"`
}

func (c *Calendar) validate() []error {
	if _, err := c.build(); err != nil {
		return []error{err}
	}
	return nil
}

func (c *Calendar) build() (*calendar.Calendar, error) {
	terms := map[calendar.AcademicYear][3]calendar.Span{}
	keys := make([]string, 0, len(*c))
	for k := range *c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		y, err := calendar.ParseAcademicYear(k)
		if err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		td := (*c)[k]
		var spans [3]calendar.Span
		for i, ds := range []DateSpan{td.Autumn, td.Spring, td.Summer} {
			name := calendar.Terms[i].String()
			s, err1 := time.Parse(time.DateOnly, ds.Start)
			e, err2 := time.Parse(time.DateOnly, ds.End)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("calendar %s %s: start and end must be dates written YYYY-MM-DD", k, name)
			}
			spans[i] = calendar.Span{Start: s, End: e}
		}
		terms[y] = spans
	}
	cal, err := calendar.New(terms)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if err := (*c)[k].setHalves(cal, k); err != nil {
			return nil, err
		}
	}
	return cal, nil
}

// setHalves sets the configured half terms of year k on cal.
func (td TermDates) setHalves(cal *calendar.Calendar, k string) error {
	y, err := calendar.ParseAcademicYear(k)
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	for i, halves := range [][2]*DateSpan{{td.Autumn1, td.Autumn2}, {td.Spring1, td.Spring2}, {td.Summer1, td.Summer2}} {
		term := calendar.Terms[i]
		if halves[0] == nil && halves[1] == nil {
			continue
		}
		var spans [2]calendar.Span
		for h, ds := range halves {
			name := fmt.Sprintf("%s%d", term, h+1)
			if ds == nil {
				return fmt.Errorf("calendar %s %s: give both halves of the %s term, or neither (the default split)", k, name, term)
			}
			s, err1 := time.Parse(time.DateOnly, ds.Start)
			e, err2 := time.Parse(time.DateOnly, ds.End)
			if err1 != nil || err2 != nil {
				return fmt.Errorf("calendar %s %s: start and end must be dates written YYYY-MM-DD", k, name)
			}
			spans[h] = calendar.Span{Start: s, End: e}
		}
		if err := cal.SetHalves(y, term, spans[0], spans[1]); err != nil {
			return err
		}
	}
	return nil
}

// Measures holds the settings that change figures.
type Measures struct {
	// PhonicsThreshold is the Year 1 phonics pass mark per academic year ("2024-25": 32);
	// the key "default" applies to years not listed.
	PhonicsThreshold map[string]int `yaml:"phonics_threshold"`
	// SuppressionThreshold T: board-edition counts 0 < c < T are suppressed.
	SuppressionThreshold int `yaml:"suppression_threshold"`
	// PEPQualityScale lists the quality ratings from worst to best.
	PEPQualityScale []string `yaml:"pep_quality_scale"`
	// Comparators is the folder where `vschool comparators import` keeps the DfE's comparator
	// files published after this vschool was built; empty means <lake>/_comparators. The
	// DfE's files up to 2024-25 ship inside vschool.
	Comparators string `yaml:"comparators"`
	// FullTimeHours is the full-time education threshold of part_time_timetable_rate: a
	// placement giving fewer hours a week is a part-time timetable (default 25).
	FullTimeHours float64 `yaml:"full_time_hours"`
}

func (m *Measures) applyDefaults() {
	if m.PhonicsThreshold == nil {
		m.PhonicsThreshold = map[string]int{}
	}
	if _, ok := m.PhonicsThreshold["default"]; !ok {
		m.PhonicsThreshold["default"] = 32
	}
	if m.SuppressionThreshold == 0 {
		m.SuppressionThreshold = 5
	}
	if len(m.PEPQualityScale) == 0 {
		m.PEPQualityScale = []string{"RED", "AMBER", "GREEN", "GOLD"}
	}
	if m.FullTimeHours == 0 {
		m.FullTimeHours = DefaultFullTimeHours
	}
}

// DefaultFullTimeHours is the default full-time threshold, in hours of education a week.
const DefaultFullTimeHours = 25

func (m *Measures) validate() []error {
	var errs []error
	for k, v := range m.PhonicsThreshold {
		if k != "default" {
			if _, err := calendar.ParseAcademicYear(k); err != nil {
				errs = append(errs, fmt.Errorf("measures.phonics_threshold: %w", err))
			}
		}
		if v < 1 || v > 40 {
			errs = append(errs, fmt.Errorf("measures.phonics_threshold %s = %d: want a mark from 1 to 40", k, v))
		}
	}
	if m.SuppressionThreshold < 1 || m.SuppressionThreshold > 100 {
		errs = append(errs, fmt.Errorf("measures.suppression_threshold = %d: want 1 to 100", m.SuppressionThreshold))
	}
	if m.FullTimeHours <= 0 || m.FullTimeHours > 60 {
		errs = append(errs, fmt.Errorf("measures.full_time_hours = %v: want hours a week above 0 and at most 60", m.FullTimeHours))
	}
	seen := map[string]bool{}
	for _, q := range m.PEPQualityScale {
		u := strings.ToUpper(strings.TrimSpace(q))
		if u == "" || seen[u] {
			errs = append(errs, fmt.Errorf("measures.pep_quality_scale: %q is empty or repeated", q))
		}
		seen[u] = true
	}
	return errs
}

// PhonicsThresholdFor returns the phonics pass mark of an academic year.
func (m *Measures) PhonicsThresholdFor(y calendar.AcademicYear) int {
	if v, ok := m.PhonicsThreshold[y.String()]; ok {
		return v
	}
	return m.PhonicsThreshold["default"]
}

// Ingest holds ingest limits. The limits below take vschool's built-in value, written here
// (applyDefaults), when left at 0; vschool.example.yaml shows each one.
type Ingest struct {
	// BadRowShare: a file with a larger share of bad rows is refused whole (default 0.5).
	BadRowShare float64 `yaml:"bad_row_share"`
	// MaxRows: a file with more data rows is refused.
	MaxRows int64 `yaml:"max_rows"`
	// MaxLineBytes: a longer CSV line is quarantined unread (line_too_long); a longer
	// record in a CSV file with quotes, or a longer row or string in a workbook, refuses the
	// file.
	MaxLineBytes int `yaml:"max_line_bytes"`
	// MaxCellChars: a row with a longer value is quarantined (cell_too_long).
	MaxCellChars int `yaml:"max_cell_chars"`
	// MaxTextChars: a row with a longer free-text value is quarantined (text_too_long).
	MaxTextChars int `yaml:"max_text_chars"`
	// MaxXLSXBytes: a workbook unzipping to more is refused.
	MaxXLSXBytes int64 `yaml:"max_xlsx_bytes"`
	// MaxXLSXRatio: a workbook with a part compressed more times than this is refused.
	MaxXLSXRatio int `yaml:"max_xlsx_ratio"`
	// FutureMarginDays: event dates more days than this after the day of ingest are
	// quarantined (future_date).
	FutureMarginDays int `yaml:"future_margin_days"`
	// MemoryShare: the Go memory limit of ingest and validate, as a share of the machine's
	// memory (physical memory, or the cgroup's memory.max when lower) (default 0.125), at
	// most MemoryMaxMiB. The environment variable GOMEMLIMIT, when set, wins.
	MemoryShare float64 `yaml:"memory_share"`
	// MemoryMaxMiB caps that limit, in MiB (default 1536).
	MemoryMaxMiB int64 `yaml:"memory_max_mib"`
}

func (i *Ingest) applyDefaults() {
	if i.BadRowShare == 0 {
		i.BadRowShare = 0.5
	}
	for _, d := range []struct {
		v   *int64
		def int64
	}{
		{&i.MaxRows, 20_000_000},     // the natural keys of this many rows are counted
		{&i.MaxXLSXBytes, 512 << 20}, // a full sheet of 1,048,576 rows of six columns unzips to about 300 MiB
	} {
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	for _, d := range []struct {
		v   *int
		def int
	}{
		{&i.MaxLineBytes, 1 << 20},
		{&i.MaxCellChars, 32_767}, // Excel's own limit for a cell
		{&i.MaxTextChars, 255},
		{&i.MaxXLSXRatio, 100}, // real sheets compress 10-20 times; the 415 KB workbook of a 400 MB cell, 1,000
		{&i.FutureMarginDays, 31},
	} {
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	if i.MemoryShare == 0 {
		i.MemoryShare = 0.125
	}
	if i.MemoryMaxMiB == 0 {
		i.MemoryMaxMiB = 1536
	}
}

func (i *Ingest) validate() []error {
	var errs []error
	if i.BadRowShare <= 0 || i.BadRowShare > 1 {
		errs = append(errs, fmt.Errorf("ingest.bad_row_share = %v: want a share above 0 and at most 1", i.BadRowShare))
	}
	if i.MemoryShare <= 0 || i.MemoryShare > 0.9 {
		errs = append(errs, fmt.Errorf("ingest.memory_share = %v: want a share of the machine's memory above 0 and at most 0.9", i.MemoryShare))
	}
	if i.MemoryMaxMiB < 256 || i.MemoryMaxMiB > 1<<20 {
		errs = append(errs, fmt.Errorf("ingest.memory_max_mib = %d: want 256 to 1048576 MiB", i.MemoryMaxMiB))
	}
	for _, r := range []struct {
		key       string
		v, lo, hi int64
		unit      string
	}{
		{"max_rows", i.MaxRows, 1, 1_000_000_000, "rows"},
		{"max_line_bytes", int64(i.MaxLineBytes), 1 << 10, 256 << 20, "bytes"},
		{"max_cell_chars", int64(i.MaxCellChars), 1, 1 << 20, "characters"},
		{"max_text_chars", int64(i.MaxTextChars), 1, 32_767, "characters"},
		{"max_xlsx_bytes", i.MaxXLSXBytes, 1 << 20, 8 << 30, "bytes"},
		{"max_xlsx_ratio", int64(i.MaxXLSXRatio), 2, 1000, "times"},
		{"future_margin_days", int64(i.FutureMarginDays), 1, 3660, "days"},
	} {
		if r.v != 0 && (r.v < r.lo || r.v > r.hi) {
			errs = append(errs, fmt.Errorf("ingest.%s = %d: want %d to %d %s (or leave it out for the built-in value)", r.key, r.v, r.lo, r.hi, r.unit))
		}
	}
	return errs
}
