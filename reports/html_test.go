package reports

import (
	"html/template"
	"strings"
	"testing"

	"github.com/vschool/vschool/internal/measure"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/model"
)

// tableRowsTemplate is how the "table" template wrote its rows before tableRows: the
// reference tableRows must match byte for byte.
const tableRowsTemplate = `<tbody>
{{- $bd := .Breakdown}}
{{- range .Rows}}
{{- if not .Empty}}
<tr><th scope="row">{{.Cohort}}</th>{{if ne $bd "Total"}}<td>{{.BreakdownValue}}</td>{{end}}<td>{{.MeasureLabel}}</td><td class="num">{{numerator .Cell}}</td><td class="num">{{denominator .Cell}}</td><td class="num">{{.Display}}</td><td class="num">{{national .Cell}}</td><td class="num">{{.Cell.Gap}}</td></tr>
{{- end}}
{{- end}}
</tbody>`

func TestTableRowsEscapeAsTemplate(t *testing.T) {
	ref := template.Must(template.New("rows").Funcs(template.FuncMap{
		"numerator": model.NumeratorText, "denominator": model.DenominatorText, "national": model.ComparatorText,
	}).Parse(tableRowsTemplate))
	ours := template.Must(template.New("rows").Funcs(template.FuncMap{"rows": tableRows}).Parse("<tbody>{{rows .}}\n</tbody>"))
	// Every byte html/template replaces, a multi-byte character, invalid UTF-8 and a
	// noncharacter (escaped only in attributes).
	odd := "a&b <c> \"d\" 'e' f+g \x00 £ é \xff \ufdd0 &amp;"
	cell := edition.Cell{Kind: measure.KindMoney, Numerator: "1234.5", HasNumerator: true, Denominator: odd,
		ComparatorValue: "12.3", HasComparator: true, Gap: odd, Value: "x"}
	rows := []model.TableRow{
		{Cohort: odd, BreakdownValue: odd, MeasureLabel: odd, Display: odd, Cell: cell},
		{Cohort: "left out", Empty: true},
		{Cohort: "CLA at 31 March", BreakdownValue: "Female", MeasureLabel: "Attendance", Display: "91.2%",
			Cell: edition.Cell{Kind: measure.KindRate, Numerator: "12345", HasNumerator: true, Denominator: "20000", HasDenominator: true,
				ComparatorValue: "x", Gap: "x"}},
	}
	for _, tb := range []model.Table{
		{Breakdown: "Total", Rows: rows},
		{Breakdown: "Sex", Rows: rows},
		{Breakdown: "Sex"},
		{Breakdown: "Sex", Rows: rows[1:2]},
	} {
		var want, got strings.Builder
		if err := ref.Execute(&want, tb); err != nil {
			t.Fatal(err)
		}
		if err := ours.Execute(&got, tb); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("breakdown %s, %d rows:\ngot  %q\nwant %q", tb.Breakdown, len(tb.Rows), got.String(), want.String())
		}
	}
}
