package transforms

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// View is one table or view a Session's queries may read.
type View struct {
	Name string
	// Layer is where it comes from: source (the lake's rows, every version), parameter (the
	// session's periods and settings), staging, intermediate, measure, or adhoc (sql/adhoc).
	Layer string
	// About is the first sentence of the comment above its CREATE statement (the file's
	// header comment for a model); the SQL file holds the whole definition.
	About   string
	File    string // the SQL file that creates it, e.g. sql/staging/stg_peps.sql
	Columns []Column
}

// Layers in the order views are listed.
var viewLayers = []string{"source", "parameter", "staging", "intermediate", "measure", "adhoc"}

// objectNotes says where each object of the catalogue is created and what its comment says.
type objectNote struct {
	layer, file, about string
}

// catalogueNotes reads the layer, file and description of every object the catalogue's
// SQL files create.
func catalogueNotes(cat *catalogue, adhoc, school []model) map[string]objectNote {
	notes := map[string]objectNote{}
	add := func(layer, file, stmts string) {
		for name, about := range createComments(stmts) {
			notes[strings.ToLower(name)] = objectNote{layer: layer, file: file, about: about}
		}
	}
	add("source", "sql/sources.sql", cat.Sources)
	add("parameter", "sql/params.sql", cat.Params)
	for _, m := range cat.Staging {
		add("staging", "sql/staging/"+m.Name+".sql", m.SQL)
	}
	for _, m := range cat.Intermediate {
		add("intermediate", "sql/intermediate/"+m.Name+".sql", m.SQL)
	}
	add("parameter", "sql/school/school_filter.sql", school[0].SQL)
	add("intermediate", "sql/school/int_school_roll.sql", school[1].SQL)
	for _, m := range adhoc {
		layer := "adhoc"
		if m.Name == "measures" || m.Name == "measure_catalogue" {
			layer = "measure"
		}
		add(layer, "sql/adhoc/"+m.Name+".sql", m.SQL)
	}
	// attendance_code_classes is created below its file's header, which is about the marks.
	if n, ok := notes["attendance_code_classes"]; ok {
		n.about = "The attendance codes (2024 set) and their class: possible, present, authorised, unauthorised (class 0 not possible, 1 present, 2 authorised, 3 unauthorised)."
		notes["attendance_code_classes"] = n
	}
	for name, n := range notes {
		if strings.HasPrefix(name, "src_") && n.layer == "source" {
			dataset := strings.TrimPrefix(name, "src_")
			switch name {
			case "src_quarantine":
				n.about = "One row per problem in the quarantine files of committed batches: dataset, batch, file, line and rule (never an identifier)."
			default:
				n.about = "Every stored row of the lake dataset " + dataset + ", every version of each record (the staging models keep the current one)."
			}
			notes[name] = n
		}
	}
	return notes
}

// createComments maps each name stmts creates to the first sentence of the comment lines
// just above its CREATE statement, or of the file's leading comment when there are none.
func createComments(stmts string) map[string]string {
	out := map[string]string{}
	var lead, block []string
	inLead := true
	for line := range strings.SplitSeq(stmts, "\n") {
		t := strings.TrimSpace(line)
		if c, ok := strings.CutPrefix(t, "--"); ok {
			block = append(block, strings.TrimSpace(c))
			if inLead {
				lead = append(lead, strings.TrimSpace(c))
			}
			continue
		}
		inLead = inLead && t == ""
		for _, name := range createdIn(stripComments(line)) {
			text := block
			if len(text) == 0 {
				text = lead
			}
			out[name] = firstSentence(strings.Join(text, " "))
		}
		if t != "" || len(block) > 0 {
			block = nil
		}
	}
	return out
}

// firstSentence is s up to its first full stop followed by a space or the end ("e.g." and
// "i.e." do not end a sentence).
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for i := 0; i < len(s); i++ {
		if s[i] != '.' || (i+1 < len(s) && s[i+1] != ' ') {
			continue
		}
		if strings.HasSuffix(s[:i+1], "e.g.") || strings.HasSuffix(s[:i+1], "i.e.") {
			continue
		}
		return s[:i+1]
	}
	return s
}

// listViews lists every table and view of the session's database with its columns, layer
// and description.
func listViews(ctx context.Context, conn *sql.Conn, cat *catalogue, adhoc, school []model) ([]View, error) {
	notes := catalogueNotes(cat, adhoc, school)
	rs, err := conn.QueryContext(ctx, `
		SELECT t.name, c.column_name, c.data_type
		FROM (SELECT table_name AS name FROM duckdb_tables() WHERE NOT internal AND database_name = 'memory' AND schema_name = 'main'
		      UNION ALL
		      SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = 'memory' AND schema_name = 'main') t
		JOIN duckdb_columns() c ON c.table_name = t.name AND c.database_name = 'memory' AND c.schema_name = 'main'
		ORDER BY t.name, c.column_index`)
	if err != nil {
		return nil, fmt.Errorf("transforms: session: list views: %w", err)
	}
	defer rs.Close()
	var views []View
	for rs.Next() {
		var name string
		var col Column
		if err := rs.Scan(&name, &col.Name, &col.Type); err != nil {
			return nil, fmt.Errorf("transforms: session: list views: %w", err)
		}
		if n := len(views); n == 0 || views[n-1].Name != name {
			note, ok := notes[strings.ToLower(name)]
			if !ok {
				return nil, fmt.Errorf("transforms: session: %s is created by no SQL file of the catalogue", name)
			}
			views = append(views, View{Name: name, Layer: note.layer, About: note.about, File: note.file})
		}
		views[len(views)-1].Columns = append(views[len(views)-1].Columns, col)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("transforms: session: list views: %w", err)
	}
	slices.SortStableFunc(views, func(a, b View) int {
		return slices.Index(viewLayers, a.Layer) - slices.Index(viewLayers, b.Layer)
	})
	return views, nil
}
