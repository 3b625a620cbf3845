package transforms

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/comparators"
)

// Sources maps a lake dataset name (e.g. "attendance_sessions") to its committed Parquet
// files, as listed by lake.Lake.CommittedFiles. A dataset with no files is an empty table.
type Sources map[string][]string

// HomeLA is the local authority the virtual school belongs to.
type HomeLA struct {
	OldCode string // 3-digit DfE code, e.g. "822"
	NewCode string // 9-character ONS code, e.g. "E06000055"
	Name    string
}

// Request is one run of the transforms.
type Request struct {
	Sources Sources
	// Quarantine maps a lake dataset name to the quarantine CSV files of its committed
	// batches, as listed by lake.Lake.QuarantineFiles (columns batch_id, file, line, column,
	// column_name, rule, reason, school_urn; no identifiers). A batch that refused no row has
	// no file. nil means the caller did not supply them and dq_quarantined_rows is "x"
	// (not available); an empty, non-nil map means nothing was quarantined.
	Quarantine Sources
	// Periods are the periods to compute: the report period plus any trend periods. Term
	// periods get the term measures, academic-year periods the year measures (docs/measures.md).
	Periods []calendar.Period
	// YearToDate lists terms whose year to date is computed too: 1 August to the term's last
	// day, cohorts at that day ("... at term end"), the attendance and suspension and
	// exclusion measures only. EES time_identifier: "Autumn and spring term" for spring,
	// "Academic year" for summer (told from the academic year by its cohorts at term end).
	// The autumn year to date is the autumn term itself: it is added as a term period.
	YearToDate []calendar.Period
	Calendar   *calendar.Calendar
	HomeLA     HomeLA
	// PhonicsThreshold returns the Year 1 phonics pass mark of an academic year (the
	// configuration's measures.phonics_threshold); required.
	PhonicsThreshold func(calendar.AcademicYear) int
	// PEPQualityScale lists the PEP quality ratings, worst first (measures.pep_quality_scale);
	// required.
	PEPQualityScale []string
	// Comparators are the DfE's published figures (comparators.Load); nil means
	// LoadComparators, else the files shipped inside vschool. Figures for the home LA, its
	// region and its statistical neighbours need HomeLA.OldCode.
	Comparators *comparators.Set
	// LoadComparators, when Comparators is nil, loads them: a run calls it while the
	// queries run (the figures are needed only at the end), not before.
	LoadComparators func() (*comparators.Set, error)
	// FullTimeHours is the full-time threshold of part_time_timetable_rate, in hours of
	// education a week (measures.full_time_hours); required.
	FullTimeHours float64
	// ActionTerm is the term whose action list is computed; the zero value means the latest
	// term period in Periods (no term period: no actions).
	ActionTerm calendar.Period
	// CelebrationPeriod is the term or academic year whose celebrations are computed
	// (docs/measures.md); it must be one of Periods, and for a term the calendar's previous term
	// must be one too. The zero value means no celebrations.
	CelebrationPeriod calendar.Period
	// School, when not "", restricts every cohort to the children on that school's roll (its
	// URN) in each period: see sql/school/int_school_roll.sql. Rows about every record of the
	// lake (cohort "All records": unmatched and quarantined rows) are left out.
	School string
	// Logger receives one debug line per stage; nil discards.
	Logger *slog.Logger
	// Engine is how much memory and how many threads DuckDB may use, and where it spills.
	Engine Engine

	// only, when not nil, names (lower case) the tables and views a Session's query reads:
	// the run then builds those and what they read, and nothing else (neededJobs).
	only map[string]bool
	// parts, when not nil, are the reports of a RunMany run, whose action terms and
	// celebration periods are computed (Periods and YearToDate are then their union).
	parts []Part
}

// comparators are the request's DfE figures: Comparators, else what LoadComparators loads,
// else the files shipped inside vschool.
func (r Request) comparators() (*comparators.Set, error) {
	switch {
	case r.Comparators != nil:
		return r.Comparators, nil
	case r.LoadComparators != nil:
		return r.LoadComparators()
	}
	return comparators.Shipped()
}

// reportParts are the reports whose action lists and celebrations a run computes: those of
// RunMany, else the request's own.
func (r Request) reportParts() []Part {
	if r.parts != nil {
		return r.parts
	}
	return []Part{r.Part()}
}

// checkSettings returns an error naming the measure settings the request lacks: they come
// from the configuration (internal/config holds their defaults), never from here.
func (r Request) checkSettings() error {
	var missing []string
	if r.PhonicsThreshold == nil {
		missing = append(missing, "PhonicsThreshold")
	}
	if len(r.PEPQualityScale) == 0 {
		missing = append(missing, "PEPQualityScale")
	}
	if r.FullTimeHours <= 0 {
		missing = append(missing, "FullTimeHours")
	}
	if len(missing) > 0 {
		return fmt.Errorf("transforms: request without measure settings %s", strings.Join(missing, ", "))
	}
	return nil
}
