package transforms

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/vschool/vschool/internal/measure"
)

// measureResult is the output of one measure query: its rows by breakdown cell (cells, when
// the query returned cell ids: finish labels them from int_cell_labels), or its rows with
// their labels (rows and keys).
type measureResult struct {
	cells []cellValue
	names []string // the measure names of cells (cellValue.name indexes it)
	rows  []measure.Row
	keys  []rowKey
}

// cellValue is one row a measure query returned by cell: a quarter of the size of a Row,
// which finish builds once, in the run's one slice of rows.
type cellValue struct {
	cell               uint64
	num, den, contrib  float64
	name               uint32
	hasDen, hasContrib bool
}

// labelInto writes the result's rows and their keys into rows and keys, which hold
// exactly as many (len(r.rows) + len(r.cells)): the rows returned by cell take their period
// and labels from labels (int_cell_labels).
func (r measureResult) labelInto(rows []measure.Row, keys []rowKey, m measureSQL, labels map[uint64]cellLabel, timePeriods, timeIDs []string) error {
	n := copy(rows, r.rows)
	copy(keys, r.keys)
	for i, v := range r.cells {
		l, ok := labels[v.cell]
		if !ok {
			return fmt.Errorf("cell_id %d is not in int_cell_labels", v.cell)
		}
		rows[n+i] = measure.Row{
			TimePeriod: timePeriods[l.period], TimeIdentifier: timeIDs[l.period],
			Cohort: l.cohort, Breakdown: l.breakdown, BreakdownValue: l.value,
			Measure: r.names[v.name], Kind: m.Kind,
			Numerator: v.num, Denominator: v.den, HasDenominator: v.hasDen,
			Contributors: v.contrib, HasContributors: v.hasContrib,
		}
		keys[n+i] = rowKey{period: l.period}
	}
	return nil
}

// cellLabel is one row of int_cell_labels: a breakdown cell's period and labels.
type cellLabel struct {
	period                   int
	cohort, breakdown, value string
}

const cellLabelsSQL = `SELECT cell_id, period_id, cohort, breakdown, breakdown_value FROM int_cell_labels`

// readCellLabels reads int_cell_labels: every breakdown cell's period and labels, by cell_id.
func readCellLabels(ctx context.Context, conn *sql.Conn, periods int) (map[uint64]cellLabel, error) {
	rs, err := conn.QueryContext(ctx, cellLabelsSQL)
	if err != nil {
		return nil, fmt.Errorf("transforms: cell labels: %w", err)
	}
	defer rs.Close()
	labels := map[uint64]cellLabel{}
	for rs.Next() {
		var (
			id    uint64
			l     cellLabel
			value sql.NullString
		)
		if err := rs.Scan(&id, &l.period, &l.cohort, &l.breakdown, &value); err != nil {
			return nil, fmt.Errorf("transforms: cell labels: %w", err)
		}
		if l.period < 0 || l.period >= periods {
			return nil, fmt.Errorf("transforms: cell labels: period_id %d is not one of the run's periods", l.period)
		}
		l.value = cmp.Or(value.String, "Unknown")
		labels[id] = l
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("transforms: cell labels: %w", err)
	}
	return labels, nil
}

type availKey struct {
	period int
	source string
}

const availabilitySQL = `SELECT period_id, source FROM int_availability`

func availability(ctx context.Context, conn *sql.Conn) (map[availKey]bool, error) {
	rs, err := conn.QueryContext(ctx, availabilitySQL)
	if err != nil {
		return nil, fmt.Errorf("transforms: availability: %w", err)
	}
	defer rs.Close()
	out := map[availKey]bool{}
	for rs.Next() {
		var k availKey
		if err := rs.Scan(&k.period, &k.source); err != nil {
			return nil, fmt.Errorf("transforms: availability: %w", err)
		}
		out[k] = true
	}
	return out, rs.Err()
}

// periodTexts are each period's EES time_period and time_identifier, worked out once per
// period rather than once per row.
func periodTexts(periods []period) (timePeriods, timeIDs []string) {
	timePeriods = make([]string, len(periods))
	timeIDs = make([]string, len(periods))
	for i, p := range periods {
		timePeriods[i], timeIDs[i] = p.Year.TimePeriod(), p.TimeIdentifier()
	}
	return timePeriods, timeIDs
}

// measureColumns are the columns a measure query returns, in one of two forms: its breakdown
// cells' ids (the labels are read once from int_cell_labels), or the labels themselves (for
// measures with breakdowns of their own: subject, assessment, dataset). Either form may end
// with contributorsColumn: the number of children behind a sum (Row.Contributors).
var (
	cellColumns        = []string{"cell_id", "measure", "numerator", "denominator"}
	labelColumns       = []string{"period_id", "cohort", "breakdown", "breakdown_value", "measure", "numerator", "denominator"}
	contributorsColumn = "contributors"
)

// runMeasure runs one measure query. A measure query returns either cell_id, measure,
// numerator, denominator, or period_id, cohort, breakdown, breakdown_value, measure,
// numerator, denominator (denominator NULL for plain counts and money), optionally followed
// by contributors (the children behind a sum of sessions, events, PEPs or pence). The rows are read
// from the driver directly: database/sql's conversion of every value into a Scan destination
// cost about as much as DuckDB's execution of the smaller measures.
func runMeasure(ctx context.Context, conn *sql.Conn, m measureSQL, periods []period) (measureResult, error) {
	timePeriods, timeIDs := periodTexts(periods)
	var res measureResult
	// readLabels reads the label columns of a row of the second form into r and its key.
	readLabels := func(vals []driver.Value, r *measure.Row, k *rowKey) error {
		pid, ok := intValue(vals[0])
		if !ok || pid < 0 || pid >= int64(len(periods)) {
			return fmt.Errorf("period_id %v is not one of the run's periods", vals[0])
		}
		var texts [2]string // cohort, breakdown: columns 2 and 3
		for i, col := range [2]int{1, 2} {
			v, ok := vals[col].(string)
			if !ok {
				return fmt.Errorf("column %d is %T, not text", col+1, vals[col])
			}
			texts[i] = v
		}
		r.Cohort, r.Breakdown = texts[0], texts[1]
		switch v := vals[3].(type) {
		case nil:
			r.BreakdownValue = "Unknown"
		case string:
			r.BreakdownValue = cmp.Or(v, "Unknown")
		default:
			return fmt.Errorf("column 4 is %T, not text", v)
		}
		r.TimePeriod, r.TimeIdentifier = timePeriods[pid], timeIDs[pid]
		k.period = int(pid)
		return nil
	}
	// read reads a row of either form: vals[first:] are measure, numerator, denominator and
	// perhaps contributors.
	read := func(vals []driver.Value, byCell bool) error {
		first := 4
		if byCell {
			first = 1
		}
		name, ok := vals[first].(string)
		if !ok {
			return fmt.Errorf("column %d is %T, not text", first+1, vals[first])
		}
		num, _, err := floatValue(vals[first+1])
		if err != nil {
			return fmt.Errorf("numerator: %w", err)
		}
		den, hasDen, err := floatValue(vals[first+2])
		if err != nil {
			return fmt.Errorf("denominator: %w", err)
		}
		var contrib float64
		var hasContrib bool
		if len(vals) > first+3 {
			if contrib, hasContrib, err = floatValue(vals[first+3]); err != nil {
				return fmt.Errorf("contributors: %w", err)
			}
		}
		if byCell {
			id, ok := vals[0].(uint64)
			if !ok {
				return fmt.Errorf("cell_id is %T, not UBIGINT", vals[0])
			}
			// A measure emits one name, or a few (pep_quality_rate): rows of the same name
			// come together, so the last one is nearly always the one.
			n := len(res.names) - 1
			if n < 0 || res.names[n] != name {
				if n = slices.Index(res.names, name); n < 0 {
					if !m.Emits(name) {
						return fmt.Errorf("emits a row named %q", name)
					}
					n = len(res.names)
					res.names = append(res.names, name)
				}
			}
			res.cells = append(res.cells, cellValue{cell: id, num: num, den: den, contrib: contrib, hasDen: hasDen, hasContrib: hasContrib, name: uint32(n)})
			return nil
		}
		r, k := measure.Row{Kind: m.Kind, Measure: name}, rowKey{}
		if err := readLabels(vals, &r, &k); err != nil {
			return err
		}
		if !m.Emits(r.Measure) {
			return fmt.Errorf("emits a row named %q", r.Measure)
		}
		r.Numerator, r.Denominator, r.HasDenominator = num, den, hasDen
		r.Contributors, r.HasContributors = contrib, hasContrib
		res.rows = append(res.rows, r)
		res.keys = append(res.keys, k)
		return nil
	}
	err := conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("driver connection %T cannot run queries", dc)
		}
		rs, err := q.QueryContext(ctx, m.SQL, nil)
		if err != nil {
			return err
		}
		defer rs.Close()
		cols := rs.Columns()
		base := cols
		if n := len(cols); n > 0 && cols[n-1] == contributorsColumn {
			base = cols[:n-1]
		}
		byCell := slices.Equal(base, cellColumns)
		if !byCell && !slices.Equal(base, labelColumns) {
			return fmt.Errorf("columns %v, want (%s) or (%s), either followed by %s", cols, strings.Join(cellColumns, ", "), strings.Join(labelColumns, ", "), contributorsColumn)
		}
		vals := make([]driver.Value, len(cols))
		for {
			if err := rs.Next(vals); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			if err := read(vals, byCell); err != nil {
				return err
			}
		}
	})
	if err != nil {
		return measureResult{}, fmt.Errorf("transforms: measure %s: %w", m.Name, err)
	}
	return res, nil
}

// intValue is an integer column's value as the driver gives it.
func intValue(v driver.Value) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	}
	return 0, false
}

// floatValue is a numeric column's value as a float64, and false for NULL. Other types
// (DECIMAL, HUGEINT) are parsed from their text, as database/sql's Scan into a float64 does.
func floatValue(v driver.Value) (float64, bool, error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case float64:
		return x, true, nil
	case float32:
		return float64(x), true, nil
	}
	if n, ok := intValue(v); ok {
		return float64(n), true, nil
	}
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	if err != nil {
		return 0, false, fmt.Errorf("%T %v is not a number", v, v)
	}
	return f, true, nil
}

// setStatus sets the status of a measure's rows: x when a source of the measure holds no
// record for the row's period, z when a rate's or mean's denominator is 0, else ok.
func setStatus(rows []measure.Row, keys []rowKey, m measureSQL, avail map[availKey]bool) {
	for i := range rows {
		r := &rows[i]
		r.Status = measure.StatusOK
		for _, s := range m.Sources {
			if !avail[availKey{keys[i].period, s}] {
				r.Status = measure.StatusNotAvailable
			}
		}
		if r.Status == measure.StatusOK && (r.Kind == measure.KindRate || r.Kind == measure.KindMean) && r.Denominator == 0 {
			r.Status = measure.StatusNotApplicable
		}
	}
}
