package ingest

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestNoIdentifiersInLogsOrProblems: the log and the problems name files, lines, columns and
// rules, never a child ID or UPN, even for rows rejected because of them. Progress ends at
// the file's size.
func TestNoIdentifiersInLogsOrProblems(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "a.csv", "child_id,upn,school_urn,date,session,code\n"+
		"SECRET1,,100000,2024-09-02,AM,/\n"+
		",R247962919251,100000,2024-09-02,AM,/\n"+ // wrong check letter
		",A950000178301,100000,2024-09-02,AM,/\n"+ // valid, but no such child
		"SECRET 2,,100000,2024-09-02,AM,/\n") // bad child ID
	var logs bytes.Buffer
	var last, total int64
	sum, err := Run(t.Context(), Options{Lake: newLake(t), Files: []string{path}, Now: clock(), BadRowShare: 0.9,
		Logger:   slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Progress: func(_ string, done, all int64) { last, total = done, all }})
	if err != nil {
		t.Fatal(err)
	}
	res := sum.Files[0]
	if res.Stored != 1 || res.Quarantined != 3 {
		t.Fatalf("%+v", res)
	}
	var text strings.Builder
	text.WriteString(logs.String())
	for _, p := range res.Problems {
		text.WriteString(p.Reason + p.ColumnName + p.Rule)
	}
	for _, id := range []string{"SECRET", "R247962919251", "A950000178301"} {
		if strings.Contains(text.String(), id) {
			t.Errorf("identifier %s appears in the logs or problems:\n%s", id, text.String())
		}
	}
	if last != total || total == 0 {
		t.Errorf("progress ended at %d of %d", last, total)
	}
}
