package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/vschool/vschool/pipeline/lake"
)

// Explanation is what `vschool validate --explain` says about one file: the dataset it was
// matched to (or the closest one), where each expected column was found, and the contract.
type Explanation struct {
	Path       string
	Contract   Contract
	Matched    bool  // the file is a complete match (for a census: a readable CIN census header)
	HeaderLine int64 // CSV and XLSX: the line (row) of the header, or of the row closest to one
	// Found gives, per column of the contract, the file's column letter and name ("" when
	// the file lacks it). CSV and XLSX only.
	Found   map[string]ColumnRef
	Missing []string // required columns the file lacks
	Unknown []string // the file's columns that no column of the contract takes
	Problem string   // why the file could not be matched or read, when it could not
}

// ColumnRef is a column of a file: its letter and its header name.
type ColumnRef struct{ Letter, Name string }

// Explain matches a file to its dataset (or names the one closest to it) without checking
// its rows; when nothing in the file looks like a dataset, Contract is empty. dataset, when given, is the dataset to explain the file against (--dataset).
// The file is read within lim (the configured limits; zero fields are DefaultLimits), as
// ingest would read it. The error is for operational failures; a file that matches nothing
// has Problem set.
func Explain(ctx context.Context, path, sheet, dataset string, cols ColumnMap, lim Limits) (Explanation, error) {
	ex := Explanation{Path: path}
	x, err := sniffXML(path)
	if err != nil {
		return ex, err
	}
	if x && !isXLSX(path) {
		if dataset != "" && dataset != lake.DatasetCINCensus {
			ex.Contract, _ = ContractOf(dataset)
			ex.Found = map[string]ColumnRef{}
			ex.Problem = fmt.Sprintf("the file is XML, which vschool reads as the DfE CIN census; %s is read from CSV or XLSX", dataset)
			return ex, nil
		}
		ex.Contract, _ = ContractOf(lake.DatasetCINCensus)
		r, err := openCensus(path)
		if err != nil {
			return ex, err
		}
		defer r.Close()
		_, err = r.Next()
		var nc *notCensusError
		switch {
		case errors.As(err, &nc):
			ex.Problem = nc.msg
		case err != nil && err != io.EOF:
			return ex, err
		default:
			ex.Matched = true
		}
		return ex, nil
	}
	fi, err := inspectHeaderOnly(path)
	if err != nil {
		return ex, err
	}
	src, err := openSource(path, fi, sheet, lim.withDefaults())
	var he *headerError
	if errors.As(err, &he) {
		ex.Problem = he.msg
		return ex, nil
	}
	if err != nil {
		return ex, err
	}
	defer src.Close()
	if dataset == lake.DatasetCINCensus {
		ex.Contract, _ = ContractOf(dataset)
		ex.Problem = "the file is not XML; the CIN census is read from the DfE's XML"
		return ex, nil
	}
	c, err := scanHeader(ctx, src, dataset, cols)
	if errors.As(err, &he) {
		ex.Problem = he.msg
		if dataset != "" {
			ex.Contract, _ = ContractOf(dataset)
		}
		return ex, nil
	}
	if err != nil {
		return ex, err
	}
	if c.found == 0 && c.near == 0 && dataset == "" {
		// Nothing in the file looks like any dataset: no contract is closer than another.
		ex.Problem = noMatch(c, dataset, c.line).Error()
		return ex, nil
	}
	ex.Contract, _ = ContractOf(c.l.spec.dataset)
	ex.Matched, ex.HeaderLine, ex.Missing, ex.Unknown = c.complete(), c.line, c.missing, c.l.unknown
	ex.Found = map[string]ColumnRef{}
	for k, col := range c.l.spec.cols {
		if i := c.l.idx[k]; i >= 0 {
			ex.Found[col.name] = ColumnRef{Letter: ColumnLetter(i), Name: c.l.names[i]}
		}
	}
	if !c.complete() {
		ex.Problem = noMatch(c, dataset, c.line).Error()
	}
	return ex, nil
}
