package comparators

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// nextYear is a made-up KS2 file for 2025/26 in the DfE's format, with a revised 2024/25
// national figure.
const nextYear = "\ufefftime_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code,social_care_group,version," +
	"pt_read_met_expected_standard,pt_writta_met_expected_standard,pt_mat_met_expected_standard,pt_rwm_met_expected_standard\n" +
	"202526,Academic year,National,E92000001,England,,,,,,CLA 12 months at 31 March,Provisional,52,46,47,36\n" +
	"202526,Academic year,Regional,E92000001,England,E12000006,East of England,,,,CLA 12 months at 31 March,Provisional,50,44,45,33\n" +
	"202526,Academic year,Local authority,E92000001,England,E12000006,East of England,822,Bedford,E06000055,CLA 12 months at 31 March,Provisional,60,50,55,40\n" +
	"202526,Academic year,Local authority,E92000001,England,E12000008,South East,886,Kent,E10000016,CLA 12 months at 31 March,Provisional,41,35,40,30\n"

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportNextYear(t *testing.T) {
	store := filepath.Join(t.TempDir(), "_comparators")
	file := writeFile(t, "ks2_2026.csv", nextYear)
	now := time.Date(2027, 3, 20, 9, 0, 0, 0, time.UTC)
	got, err := Import(store, now, file)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Kind != "ks2" || strings.Join(got[0].Periods, ",") != "202526" || got[0].AlreadyStored {
		t.Fatalf("imported %+v", got)
	}
	for _, p := range []string{store, filepath.Join(store, "ks2")} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v, want 0700", p, fi.Mode(), err)
		}
	}
	if fi, err := os.Stat(got[0].Stored); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, want 0600", got[0].Stored, err)
	}

	s, err := Load(store)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := s.Find(Query{TimePeriod: "202526", TimeIdentifier: "Academic year", Cohort: "CLA 12 months at 31 March",
		Breakdown: "Total", BreakdownValue: "Total", Measure: "ks2_rwm_expected_rate", HomeLA: "822"})
	if !ok || f.NotYetPublished || f.National.Number != 36 || f.Region.Number != 33 || f.LA.Number != 40 {
		t.Fatalf("2025-26 after import: %+v", f)
	}
	// Only Kent (886) of Bedford's neighbours is in the made-up file.
	if f.NeighboursCount != 1 || f.Neighbours.Number != 30 {
		t.Errorf("neighbours %v over %d", f.Neighbours, f.NeighboursCount)
	}
	// The shipped 2024-25 figures stay.
	if f, _ := s.Find(Query{TimePeriod: "202425", TimeIdentifier: "Academic year", Cohort: "CLA 12 months at 31 March",
		Breakdown: "Total", BreakdownValue: "Total", Measure: "ks2_rwm_expected_rate"}); f.National.Number != 35 {
		t.Errorf("2024-25 national after import = %v", f.National)
	}
	if last := s.Sources[len(s.Sources)-1]; last.Shipped || last.Kind != "ks2" || last.File != got[0].Stored {
		t.Errorf("last source %+v", last)
	}

	// The same bytes again change nothing.
	again, err := Import(store, now.Add(time.Hour), file)
	if err != nil || !again[0].AlreadyStored || again[0].Stored != got[0].Stored {
		t.Fatalf("second import: %+v %v", again, err)
	}
	entries, _ := os.ReadDir(filepath.Join(store, "ks2"))
	if len(entries) != 1 {
		t.Errorf("store holds %d files, want 1", len(entries))
	}
}

// TestImportRefuses: a file of an unknown kind or with a bad cell is refused with its
// file, line and column, and nothing of the batch is stored.
func TestImportRefuses(t *testing.T) {
	good := writeFile(t, "good.csv", nextYear)
	tests := []struct {
		name, content, want string
	}{
		{"attendance export", "child_id,school_urn,date,session,code\nC1,100000,2024-09-02,AM,/\n",
			"not a DfE comparator file of a kind vschool knows"},
		{"KS2 without RWM", strings.Replace(nextYear, ",pt_rwm_met_expected_standard", ",pt_other", 1),
			"nearest is ks2, which needs the columns pt_rwm_met_expected_standard"},
		{"bad value", strings.Replace(nextYear, "Provisional,52,", "Provisional,fifty,", 1),
			"line 2, column M (pt_read_met_expected_standard): \"fifty\" is neither a number nor a DfE symbol"},
		{"bad period", strings.Replace(nextYear, "202526,Academic year,Regional", "2025/26,Academic year,Regional", 1),
			"line 3, column A (time_period): \"2025/26\" is not an academic year"},
		{"bad LA code", strings.Replace(nextYear, ",822,Bedford", ",82,Bedford", 1),
			"line 4, column H (old_la_code)"},
		{"empty", "", "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := filepath.Join(t.TempDir(), "store")
			bad := writeFile(t, "bad.csv", tt.content)
			_, err := Import(store, time.Unix(0, 0), good, bad)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "bad.csv") {
				t.Fatalf("err = %v, want %q naming bad.csv", err, tt.want)
			}
			if _, err := os.Stat(store); !os.IsNotExist(err) {
				t.Errorf("store was written despite the bad file: %v", err)
			}
		})
	}
}

// TestImportedModel: a new statistical neighbours model replaces the shipped one.
func TestImportedModel(t *testing.T) {
	store := t.TempDir()
	model := "old_la_code,la_name,region_ind,region_name,SN_1,SN_1P,SN_2,SN_2P,SN_3,SN_3P,SN_4,SN_4P,SN_5,SN_5P,SN_6,SN_6P,SN_7,SN_7P,SN_8,SN_8P,SN_9,SN_9P,SN_10,SN_10P\n" +
		"822,Bedford,2,East of England,311,Close,937,Close,,,,,,,,,,,,,,,,\n"
	if _, err := Import(store, time.Unix(0, 0), writeFile(t, "sn.csv", model)); err != nil {
		t.Fatal(err)
	}
	s, err := Load(store)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := s.Find(Query{TimePeriod: "202425", TimeIdentifier: "Academic year", Cohort: "CLA 12 months at 31 March",
		Breakdown: "Total", BreakdownValue: "Total", Measure: "ks2_rwm_expected_rate", HomeLA: "822"})
	// Havering 55 and Warwickshire 36: 45.5 over 2 of 2.
	if f.NeighboursOf != 2 || f.NeighboursCount != 2 || f.Neighbours.Number != 45.5 {
		t.Errorf("neighbours %v over %d of %d", f.Neighbours, f.NeighboursCount, f.NeighboursOf)
	}
}
