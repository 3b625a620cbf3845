package ingest

import (
	"log/slog"
	"time"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/internal/config"
	"github.com/vschool/vschool/pipeline/lake"
)

// DefaultBadRowShare is the share of bad rows above which a file is refused whole, when a
// run sets none: the configuration's default, written in internal/config only.
func DefaultBadRowShare() float64 { return config.Default().Ingest.BadRowShare }

// Options is one ingest run.
type Options struct {
	Lake        *lake.Lake // where rows go; with DryRun it may be nil (it is then used only to resolve UPNs)
	Files       []string
	Dataset     string  // "" to detect each file's dataset from its header
	BadRowShare float64 // 0 means DefaultBadRowShare
	DryRun      bool    // check only; write nothing
	Logger      *slog.Logger
	Progress    func(file string, doneBytes, totalBytes int64) // may be nil; called from several goroutines at once (files are ingested side by side)
	Now         func() time.Time                               // nil means time.Now
	Workers     int                                            // Parquet encoding goroutines per file; 0 = one per CPU
	Calendar    *calendar.Calendar                             // term dates; nil = the DfE statistical convention
	Sheet       string                                         // XLSX files: the sheet to read ("" = the first); CSV files ignore it
	Limits      Limits                                         // bounds of a file and plausible dates; zero fields are DefaultLimits
	Columns     ColumnMap                                      // the council's own column names per dataset (checked with ColumnMap.Check); may be nil

	// checked, when set (by tests), is called with a file's path once the "already
	// ingested" check before its batch has passed, before the writer lock is taken.
	checked func(path string)
	// CollectionYear is the SSDA903 collection year of OC3 files: the year ending 31 March
	// CollectionYear (2025: 1 April 2024 to 31 March 2025). 0 refuses OC3 files, which do
	// not say which year they are for.
	CollectionYear int
}

// Summary is what a run did, file by file, in the order the files were ingested.
type Summary struct {
	Files []FileResult
}

// FileResult is one file's outcome.
type FileResult struct {
	Path, Dataset, Encoding string
	Read                    int // data rows read (blank lines not counted)
	Stored                  int
	Quarantined             int  // rows set aside
	Superseded              int  // rows of earlier batches (or earlier lines) replaced by this file's rows
	SupersededPartial       bool // the file was too large to count every superseded row: Superseded is a lower bound
	SupersededBySessions    int  // attendance_summary rows whose child, school and term have session marks
	RosterConflicts         int  // children whose date of birth or sex differs between the 903 header and the children roster
	Warnings                int  // rows kept with a data-quality warning
	UnknownColumns          []string
	HeaderLine              int64  // the line (XLSX row) of the header; above 1 when title or blank rows came first
	NoOp                    bool   // a byte-identical file was already ingested
	BatchID                 string // "" when nothing was committed
	Refused                 string // the reason the file was refused whole; "" otherwise
	Problems                []Problem
	ProblemsDropped         int // problems not kept in Problems (beyond the in-memory limit)

	// A CIN census file: its collection year, the CIN and CPP memberships derived from the
	// stored children, and the referrals marked ReferralNFA (not memberships).
	CensusYear   int
	Memberships  int
	NFAReferrals int
}

// Quarantined is the number of rows quarantined over all files.
func (s Summary) Quarantined() int {
	n := 0
	for _, f := range s.Files {
		n += f.Quarantined
	}
	return n
}

// Refused is the number of files refused whole.
func (s Summary) Refused() int {
	n := 0
	for _, f := range s.Files {
		if f.Refused != "" {
			n++
		}
	}
	return n
}
