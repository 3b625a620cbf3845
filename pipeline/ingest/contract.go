package ingest

import (
	"fmt"

	"github.com/vschool/vschool/pipeline/lake"
)

// Contract is a dataset's input contract as a data officer reads it: the columns (for the
// CIN census, the XML elements) and what each value is checked for, the checks that involve
// several columns, the natural key and what happens when a record is sent again. docs/inputs.md
// is written from it, and a test keeps the two in step.
type Contract struct {
	Dataset     string
	Format      string // "CSV or XLSX", or "XML (DfE CIN census)"
	Columns     []ContractColumn
	ChildOrUPN  bool     // rows name the child by child_id, upn or both
	RowChecks   []string // checks across columns, and what happens to the row
	NaturalKey  []string
	Replacement string
}

// ContractColumn is one column of a contract.
type ContractColumn struct {
	Name     string
	Required bool // the column (element) must be in the file; child_id and upn: one of them
	Stored   bool // false for columns read and dropped (MOTHER, MC_DOB, HOME_POST)
	Check    string
}

// Requirement is how docs/inputs.md and `vschool validate --explain` say whether a column
// is needed: "yes", "no", "one of" (child_id or upn) or "not stored".
func (c Contract) Requirement(col ContractColumn) string {
	switch {
	case !col.Stored:
		return "not stored"
	case c.ChildOrUPN && (col.Name == "child_id" || col.Name == "upn"):
		return "one of"
	case col.Required:
		return "yes"
	}
	return "no"
}

// Checks a value may get, worded once.
const (
	chkChildID   = "the LA's case-management child ID: 1-20 letters, digits, - or _"
	chkDate      = "a date: YYYY-MM-DD or DD/MM/YYYY (D/M/YYYY too); an Excel date cell in XLSX"
	chkOptDate   = "blank, or " + chkDate
	chkURN       = "the DfE school URN: 6 or 7 digits"
	chkRosterUPN = "blank, a 13-character UPN with the right check letter, a temporary UPN, or UN1-UN7; " +
		"a bad UPN is a warning: the row is kept and the UPN treated as missing"
	chkEduUPN   = "a UPN with the right check letter, matched to a child of the rosters (903 header, children, CIN census)"
	chkEthnic   = "a DfE ethnicity code (WBRI ... OOTH, REFU, NOBT); an unknown code is a warning: stored blank"
	chkSex      = "M, F or U (also 1 = M, 2 = F, 0 or 9 = U)"
	chkYear     = "an academic year: 2024-25, 2024/25 or 202425"
	chkTerm     = "autumn, spring or summer (any case; Aut, Spr, Sum too)"
	chkBoolean  = "blank, or Y/N, Yes/No, TRUE/FALSE, 1/0"
	chkMoney    = "blank, or pounds: 650, 650.5, 650.00, £1,250.00"
	chkChildRow = "the row must name a child: child_id, or a UPN found in a roster; otherwise it is quarantined (unknown_child)"
	chkLACode   = "blank, or a 3-digit DfE LA code"
	replLatest  = "A row whose natural key is already in the lake replaces the earlier one: the most recently ingested file wins (and, within one file, the later line). Sending the same file again changes nothing."
)

// contracts are the datasets' contracts, keyed by dataset. Their columns must be those of
// specs(), in the same order (TestContractsMatchSpecs).
func contracts() map[string]Contract {
	col := func(name string, required bool, check string) ContractColumn {
		return ContractColumn{Name: name, Required: required, Stored: true, Check: check}
	}
	dropped := func(name, check string) ContractColumn { return ContractColumn{Name: name, Check: check} }
	return map[string]Contract{
		lake.DatasetSSDA903Header: {
			Columns: []ContractColumn{
				col("CHILD", true, chkChildID),
				col("SEX", true, "1 = male, 2 = female (M, F, 0 and 9 for unknown also read)"),
				col("DOB", true, chkDate+" (the 903 files use DD/MM/YYYY)"),
				col("ETHNIC", true, chkEthnic),
				col("UPN", false, chkRosterUPN),
				dropped("MOTHER", "read and dropped: never stored"),
				dropped("MC_DOB", "read and dropped: never stored"),
			},
			RowChecks:   []string{"a child whose date of birth or sex differs from the children file is reported (the most recent file wins, field by field)"},
			NaturalKey:  []string{"CHILD"},
			Replacement: replLatest,
		},
		lake.DatasetChildren: {
			Columns: []ContractColumn{
				col("child_id", true, chkChildID),
				col("upn", false, chkRosterUPN),
				col("dob", true, chkDate),
				col("sex", true, chkSex),
				col("ethnicity", false, "blank, or "+chkEthnic),
				col("sen_provision", false, "blank, or E (EHC plan), K (SEN support), N (none)"),
				col("school_urn", false, "blank, or "+chkURN+" (the current school)"),
				col("ncy", false, "blank, or a national curriculum year from -2 to 14 (0 = Reception) overriding the one worked out from dob"),
			},
			RowChecks:   []string{"a child whose date of birth or sex differs from the 903 header is reported (the most recent file wins, field by field)"},
			NaturalKey:  []string{"child_id"},
			Replacement: replLatest,
		},
		lake.DatasetSchools: {
			Columns: []ContractColumn{
				col("URN", true, chkURN),
				col("EstablishmentName", true, "the school's name (not blank)"),
				col("LA (code)", false, chkLACode+" (in area when it is the home LA's)"),
				col("LA (name)", false, "text"),
				col("TypeOfEstablishment (name)", false, "text, as GIAS writes it"),
				col("PhaseOfEducation (name)", false, "text, as GIAS writes it"),
				col("OfstedRating (name)", false, "text, as GIAS writes it (Outstanding, Good, ...)"),
			},
			NaturalKey:  []string{"URN"},
			Replacement: replLatest,
		},
		lake.DatasetSSDA903Episodes: {
			Columns: []ContractColumn{
				col("CHILD", true, chkChildID),
				col("DECOM", true, chkDate+" (the 903 files use DD/MM/YYYY)"),
				col("RNE", true, "blank, or S, L, P, T, B, U"),
				col("LS", true, "blank, or a legal status: C1 C2 D1 E1 J1 J2 J3 L1 L2 L3 V2 V3 V4"),
				col("CIN", false, "blank, or a category of need N1-N8"),
				col("PLACE", true, "blank, or a 903 placement code (A3-A6, H5, K1, K2, P1-P3, R1-R5, S1, T0-T4, U1-U6, Z1)"),
				col("PLACE_PROVIDER", false, "blank, or PR0-PR5"),
				col("DEC", true, "blank (still open), or "+chkDate+", not before DECOM"),
				col("REC", false, "blank, or a reason the episode ceased (X1, E11 ... E9)"),
				col("REASON_PLACE_CHANGE", false, "blank, or ALLEG APPRR CARPL CHILD CLOSE CREQB CREQO CUSTOD LAREQ OTHER PLACE STAND"),
				dropped("HOME_POST", "read and dropped: never stored"),
				col("PL_POST", false, "blank, or a postcode: only its outward code (LU1) is stored; not a postcode is a warning"),
				col("URN", false, "the placement's Ofsted URN, stored as given"),
			},
			RowChecks:   []string{"DEC must not be before DECOM", "episodes joined by REC = X1 form one period of care; LS V3 and V4 (short breaks) are not periods of care"},
			NaturalKey:  []string{"CHILD", "DECOM"},
			Replacement: replLatest,
		},
		lake.DatasetCohortEpisodes: {
			Columns: []ContractColumn{
				col("child_id", true, chkChildID),
				col("cohort", true, "CLA, CIN, CPP or PLAC"),
				col("start_date", true, chkDate),
				col("end_date", false, "blank (still open), or "+chkDate+"; the child is in the cohort from start_date up to the day before end_date"),
				col("legal_status", false, "blank, or a 903 legal status (CLA)"),
				col("placement_type", false, "blank, or a 903 placement code (CLA)"),
				col("placement_la", false, chkLACode+" where the child lives (CLA)"),
				col("plac_route", false, "blank, or ADOPTION, SGO, CAO (PLAC)"),
			},
			RowChecks:   []string{"end_date must not be before start_date"},
			NaturalKey:  []string{"child_id", "cohort", "start_date"},
			Replacement: replLatest + " A CIN census gives CIN and CPP memberships too: where both give the same one, the latest file wins.",
		},
		lake.DatasetAttendanceSessions: {
			ChildOrUPN: true,
			Columns: []ContractColumn{
				col("child_id", false, chkChildID),
				col("upn", false, chkEduUPN),
				col("school_urn", true, chkURN),
				col("date", true, chkDate),
				col("session", true, "AM or PM"),
				col("code", true, "an attendance code of the August 2024 set (/ \\ L K V P W B D C1 C2 C M J1 S E I R T G N O U X Q Y1-Y7 Z #), or - for no mark yet; before 19 August 2024 the withdrawn H, F, J, Y are read and mapped"),
			},
			RowChecks:   []string{chkChildRow, "summary rows for the same child, school and term are superseded by the marks (reported, not counted twice)"},
			NaturalKey:  []string{"child", "school_urn", "date", "session"},
			Replacement: replLatest,
		},
		lake.DatasetAttendanceSummary: {
			ChildOrUPN: true,
			Columns: []ContractColumn{
				col("child_id", false, chkChildID),
				col("upn", false, chkEduUPN),
				col("school_urn", true, chkURN),
				col("period_start", true, chkDate),
				col("period_end", true, chkDate+", not before period_start"),
				col("sessions_possible", true, "a whole number, 0 or more"),
				col("sessions_present", true, "a whole number, 0 or more (approved educational activity included)"),
				col("sessions_authorised", true, "a whole number, 0 or more"),
				col("sessions_unauthorised", true, "a whole number, 0 or more"),
			},
			RowChecks:   []string{chkChildRow, "sessions_possible must equal present + authorised + unauthorised", "period_end must not be before period_start"},
			NaturalKey:  []string{"child", "school_urn", "period_start", "period_end"},
			Replacement: replLatest + " Where session marks exist for the child, school and term, the summary is superseded by them.",
		},
		lake.DatasetExclusions: {
			ChildOrUPN: true,
			Columns: []ContractColumn{
				col("child_id", false, chkChildID),
				col("upn", false, chkEduUPN),
				col("school_urn", true, chkURN),
				col("start_date", true, chkDate),
				col("category", true, "SUSPENSION (also FIXED, FTE) or PERMANENT (also PERM)"),
				col("sessions", false, "the length in sessions, a whole number from 1 to 1000; required for a suspension"),
				col("reason", false, "blank, or the DfE exclusion reason code (stored in upper case)"),
			},
			RowChecks:   []string{chkChildRow, "a suspension needs its sessions"},
			NaturalKey:  []string{"child", "school_urn", "start_date", "category"},
			Replacement: replLatest,
		},
		lake.DatasetAttainment: {
			ChildOrUPN: true,
			Columns: []ContractColumn{
				col("child_id", false, chkChildID),
				col("upn", false, chkEduUPN),
				col("academic_year", true, chkYear),
				col("term", false, "blank, or "+chkTerm+"; required for TERMLY"),
				col("assessment", true, "EYFS, PHONICS, MTC, KS2, KS4 or TERMLY"),
				col("subject", true, "a subject of the assessment (see the table below)"),
				col("result", true, "a result valid for the assessment and subject (see the table below)"),
			},
			RowChecks:   []string{chkChildRow, "assessment, subject and result must be a valid combination", "a TERMLY result needs its term"},
			NaturalKey:  []string{"child", "academic_year", "term", "assessment", "subject"},
			Replacement: replLatest,
		},
		lake.DatasetPEPs: {
			Columns: []ContractColumn{
				col("pep_id", true, "the PEP's own ID in the ePEP system (not blank)"),
				col("child_id", true, chkChildID),
				col("academic_year", true, chkYear),
				col("term", true, chkTerm),
				col("meeting_date", false, chkOptDate),
				col("status", true, "NOT_STARTED, IN_PROGRESS, SUBMITTED, COMPLETED, QA_APPROVED or QA_RETURNED"),
				col("completed_date", false, chkOptDate+"; required for COMPLETED and QA_APPROVED"),
				col("initial", false, chkBoolean+": the first PEP after the child came into care"),
				col("quality", false, "blank (not yet quality assured), or RED, AMBER, GREEN, GOLD"),
				col("child_voice", false, chkBoolean+": the child's views were recorded"),
				col("targets_count", false, "blank, or a whole number from 0 to 1000"),
				col("pp_plus_requested", false, chkMoney),
				col("pp_plus_approved", false, chkMoney),
			},
			RowChecks:   []string{"a COMPLETED or QA_APPROVED PEP needs its completed_date"},
			NaturalKey:  []string{"pep_id"},
			Replacement: replLatest,
		},
		lake.DatasetCINCensus: {
			Format: "XML (DfE CIN census)",
			Columns: []ContractColumn{
				col("Header/CollectionDetails/Year", true, fmt.Sprintf("the collection year, %d or later (2025 is the year ending 31 March 2025)", MinCensusYear)),
				col("Header/CollectionDetails/ReferenceDate", false, "YYYY-MM-DD; 31 March of the year when absent"),
				col("Child/ChildIdentifiers/LAchildID", true, chkChildID),
				col("Child/ChildIdentifiers/UPN", false, chkRosterUPN),
				col("Child/ChildIdentifiers/UPNunknown", false, "UN1-UN7, read when there is no UPN"),
				col("Child/ChildIdentifiers/PersonBirthDate", false, "blank (unborn), or YYYY-MM-DD"),
				col("Child/ChildIdentifiers/GenderCurrent", true, "1 male, 2 female, 0 or 9 unknown"),
				col("Child/ChildCharacteristics/Ethnicity", false, "blank, or "+chkEthnic),
				col("Child/CINdetails/CINreferralDate", true, "YYYY-MM-DD: the start of a CIN membership"),
				col("Child/CINdetails/CINclosureDate", false, "blank (open), or YYYY-MM-DD, not before the referral"),
				col("Child/CINdetails/ReferralNFA", false, "true/1 or false/0 (blank = false): a referral marked NFA is not a membership"),
				col("Child/CINdetails/ChildProtectionPlans/CPPstartDate", true, "YYYY-MM-DD: the start of a CPP membership"),
				col("Child/CINdetails/ChildProtectionPlans/CPPendDate", false, "blank (open), or YYYY-MM-DD, not before the start"),
			},
			RowChecks: []string{
				"a child with an error is quarantined whole (its row and memberships), named by its position in the file and the element's path",
				"every other element of the schema is read past and not stored",
			},
			NaturalKey:  []string{"LAchildID", "collection year"},
			Replacement: "A census file is a full snapshot of its collection year: for every child it lists, its memberships replace those an earlier census of the same year gave that child (also when it no longer has some, or has only NFA referrals). A membership in the census of several years takes the latest year's version. Sending the same file again changes nothing.",
		},
	}
}

// Contracts returns the contract of every dataset a user can send, in ingest order.
func Contracts() []Contract {
	all := contracts()
	var out []Contract
	for _, ds := range lake.Datasets() {
		if c, ok := all[ds]; ok {
			c.Dataset = ds
			if c.Format == "" {
				c.Format = "CSV or XLSX"
			}
			out = append(out, c)
		}
	}
	return out
}

// ContractOf returns the contract of a dataset.
func ContractOf(dataset string) (Contract, bool) {
	for _, c := range Contracts() {
		if c.Dataset == dataset {
			return c, true
		}
	}
	return Contract{}, false
}
