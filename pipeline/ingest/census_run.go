package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/vschool/vschool/pipeline/lake"
	"github.com/vschool/vschool/pipeline/validate"
)

func keyCensusChild(b []byte, r *lake.CensusChild, _ string) []byte {
	return append(str(b, r.ChildID), byte(r.CensusYear), byte(r.CensusYear>>8))
}

// censusCheck collects the problems of one child. Problems name the element by its path
// and the child by its position in the file, never by an identifier.
type censusCheck struct {
	c        *censusChild
	problems []Problem
	bad      bool
}

func (k *censusCheck) problem(f censusField, path string, err error, warning bool) {
	line := f.line
	if !f.set {
		line = k.c.line
	}
	rule := validate.RuleOf(err)
	if rule == "" {
		rule = validate.RuleRow
	}
	k.problems = append(k.problems, Problem{
		Line: line, ColumnName: fmt.Sprintf("Child[%d]/%s", k.c.pos, path), Rule: rule,
		Reason: fmt.Sprintf("child %d of the file: %s", k.c.pos, err.Error()), Warning: warning,
	})
	if !warning {
		k.bad = true
	}
}

func (k *censusCheck) fail(f censusField, path string, err error) { k.problem(f, path, err, false) }
func (k *censusCheck) warn(f censusField, path string, err error) { k.problem(f, path, err, true) }

// text returns a field's text, failing a text longer than the reader keeps.
func (k *censusCheck) text(f censusField, path string) string {
	if f.long {
		k.fail(f, path, &validate.Error{Rule: validate.RuleRow, Message: fmt.Sprintf("the element's text is longer than %d characters", maxCensusText)})
		return ""
	}
	return f.text
}

func (k *censusCheck) date(f censusField, path string, required bool) *lake.Date {
	v := k.text(f, path)
	if v == "" {
		if required {
			k.fail(f, path, &validate.Error{Rule: validate.RuleRequired, Message: "the date is missing"})
		}
		return nil
	}
	d, err := xmlDate(v)
	if err != nil {
		k.fail(f, path, err)
		return nil
	}
	return &d
}

// span checks a start and an optional end date, and that the end is not before the start.
func (k *censusCheck) span(start, end censusField, startPath, endPath string) (*lake.Date, *lake.Date) {
	s := k.date(start, startPath, true)
	e := k.date(end, endPath, false)
	if s != nil && e != nil && *e < *s {
		k.fail(end, endPath, validate.EndNotBeforeStart(s.Time(), e.Time()))
	}
	return s, e
}

// derive checks a child and returns its census row and memberships (docs/inputs.md, cin_census): CIN from
// CINreferralDate to CINclosureDate for every CINdetails not marked ReferralNFA, CPP from
// CPPstartDate to CPPendDate. nfa counts the referrals marked ReferralNFA.
func (k *censusCheck) derive(r *censusReader, row *lake.CensusChild, eps []lake.CensusEpisode) ([]lake.CensusEpisode, int) {
	c := k.c
	year := int16(r.year)
	*row = lake.CensusChild{SourceLine: c.line, CensusYear: year, ReferenceDate: r.refDate}
	const ids = "ChildIdentifiers/"
	row.ChildID = k.text(c.id, ids+"LAchildID")
	if err := validate.ChildID(row.ChildID); err != nil && !c.id.long {
		k.fail(c.id, ids+"LAchildID", err)
	}
	row.UPN, row.UPNStatus = k.upn()
	row.DOB = k.date(c.dob, ids+"PersonBirthDate", false)
	gender, gpath := c.gender, ids+"GenderCurrent"
	if !gender.set && c.gender2.set {
		gender, gpath = c.gender2, ids+"Gender"
	}
	sex, err := validate.Sex(k.text(gender, gpath))
	if err != nil {
		k.fail(gender, gpath, err)
	}
	row.Sex = sex
	if v := k.text(c.ethnicity, "ChildCharacteristics/Ethnicity"); v != "" {
		e, err := validate.Code(validate.Ethnicity, v)
		if err != nil {
			k.warn(c.ethnicity, "ChildCharacteristics/Ethnicity", &validate.Error{Rule: validate.RuleOf(err), Message: err.Error() + "; stored as blank"})
		} else {
			row.Ethnicity = &e
		}
	}
	if c.tooMany {
		k.fail(censusField{}, "CINdetails", &validate.Error{Rule: validate.RuleRow, Message: fmt.Sprintf("the child has more than %d CINdetails", maxCensusRecords)})
	}
	nfa := 0
	for i, d := range c.cin {
		p := fmt.Sprintf("CINdetails[%d]/", i+1)
		start, end := k.span(d.referral, d.closure, p+"CINreferralDate", p+"CINclosureDate")
		isNFA := false
		switch strings.ToLower(k.text(d.nfa, p+"ReferralNFA")) {
		case "true", "1":
			isNFA = true
		case "false", "0", "":
		default:
			k.fail(d.nfa, p+"ReferralNFA", &validate.Error{Rule: validate.RuleBoolean, Message: "ReferralNFA is true or false (or 1 or 0)"})
		}
		if isNFA {
			nfa++
		} else if start != nil {
			eps = append(eps, lake.CensusEpisode{SourceLine: d.line, CensusYear: year, Cohort: "CIN", StartDate: *start, EndDate: end})
		}
		if d.tooMany {
			k.fail(censusField{line: d.line, set: true}, p+"ChildProtectionPlans", &validate.Error{Rule: validate.RuleRow, Message: fmt.Sprintf("the referral has more than %d child protection plans", maxCensusRecords)})
		}
		for j, pl := range d.cpp {
			q := fmt.Sprintf("%sChildProtectionPlans[%d]/", p, j+1)
			s, e := k.span(pl.start, pl.end, q+"CPPstartDate", q+"CPPendDate")
			if s != nil {
				eps = append(eps, lake.CensusEpisode{SourceLine: pl.line, CensusYear: year, Cohort: "CPP", StartDate: *s, EndDate: e})
			}
		}
	}
	return eps, nfa
}

// upn classifies the child's UPN as the rosters do: an invalid one is kept as missing with a
// warning; without a UPN, UPNunknown gives the unknown-UPN code.
func (k *censusCheck) upn() (*string, string) {
	c := k.c
	f, path := c.upn, "ChildIdentifiers/UPN"
	if k.text(f, path) == "" {
		f, path = c.upnUnknown, "ChildIdentifiers/UPNunknown"
	}
	status, norm, err := validate.UPN(k.text(f, path))
	if err != nil {
		k.warn(f, path, &validate.Error{Rule: validate.RuleOf(err), Message: err.Error() + "; the UPN is treated as missing (the child is kept)"})
		return nil, status
	}
	if status == validate.UPNValid || status == validate.UPNTemporary {
		if err := validate.UPNLACode(norm); err != nil {
			k.warn(f, path, err)
		}
		return &norm, status
	}
	return nil, status
}

// ingestCensus ingests a CIN census file as one batch: a cin_census row per child and, in the
// same batch, the child's memberships in cin_census_episodes. A child with an error is
// quarantined whole (its row and its memberships), like a bad CSV row.
func ingestCensus(ctx context.Context, opts Options, path string, ros *roster) (res FileResult, err error) {
	res = FileResult{Path: path, Dataset: lake.DatasetCINCensus, Encoding: EncodingXML}
	if opts.Dataset != "" && opts.Dataset != lake.DatasetCINCensus {
		res.Refused = fmt.Sprintf("the file is XML, which vschool reads as the DfE CIN census; --dataset %s is read from CSV or XLSX", opts.Dataset)
		return res, nil
	}
	fi, err := inspect(ctx, path)
	if err != nil {
		return res, err
	}
	if !opts.DryRun {
		done, err := opts.Lake.HasSource(lake.DatasetCINCensus, fi.sha256, "")
		if err != nil {
			return res, err
		}
		if done {
			res.NoOp = true
			return res, nil
		}
	}
	r, err := openCensus(path)
	if err != nil {
		return res, err
	}
	defer r.Close()
	if err := ros.load(ctx, opts.Lake); err != nil {
		return res, err
	}

	now := opts.Now().UTC().Truncate(time.Microsecond)
	batchID := lake.BatchID(now, "dryrun00")
	var b *lake.Batch
	var w *lake.Writer[lake.CensusChild]
	var ew *lake.Writer[lake.CensusEpisode]
	if !opts.DryRun {
		b, err = opts.Lake.Begin(ctx, lake.Source{Path: path, SHA256: fi.sha256, Size: fi.size, Dataset: lake.DatasetCINCensus, Encoding: EncodingXML}, now)
		if err != nil {
			return res, err
		}
		batchID = b.ID()
		workers := max(opts.Workers, 1) // rows are few and small: one encoder each is plenty
		w = lake.NewWriter[lake.CensusChild](ctx, b, workers)
		ew = lake.NewDerivedWriter[lake.CensusEpisode](ctx, b, lake.DatasetCINCensusEpisodes, workers)
		defer func() {
			if cerr := errors.Join(w.Close(), ew.Close()); err == nil && cerr != nil {
				err = cerr
			}
			if err != nil || res.Refused != "" {
				if aerr := b.Abort(); err == nil && aerr != nil {
					err = aerr
				}
			}
		}()
	}
	base := filepath.Base(path)
	seen := newKeys(keyCensusChild)
	newUPNs := map[string]string{}
	var row lake.CensusChild
	var eps []lake.CensusEpisode
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if opts.Progress != nil {
				opts.Progress(path, r.Done(), max(fi.size, 1))
			}
		}
		c, err := r.Next()
		if err == io.EOF {
			break
		}
		var nc *notCensusError
		if errors.As(err, &nc) {
			res.Refused, res.Stored = nc.msg, 0
			return res, nil
		}
		if err != nil {
			return res, err
		}
		res.Read++
		k := censusCheck{c: c}
		var nfa int
		eps, nfa = k.derive(r, &row, eps[:0])
		for _, p := range k.problems {
			res.record(p)
			if !p.Warning && b != nil {
				if err := b.Quarantine(lake.Rejection{File: base, Line: p.Line, ColumnName: p.ColumnName, Rule: p.Rule, Reason: p.Reason}); err != nil {
					return res, err
				}
			}
		}
		if k.bad {
			res.Quarantined++
			continue
		}
		if len(k.problems) > 0 {
			res.Warnings++
		}
		res.Stored++
		res.NFAReferrals += nfa
		res.Memberships += len(eps)
		partition := r.refDate.AcademicYear()
		row.BatchID, row.IngestedAt = batchID, now
		seen.add(&row, partition)
		if row.UPN != nil {
			newUPNs[*row.UPN] = row.ChildID
		}
		if w == nil {
			continue
		}
		if err := w.Write(partition, &row); err != nil {
			return res, err
		}
		for i := range eps {
			e := &eps[i]
			e.BatchID, e.IngestedAt, e.ChildID = batchID, now, row.ChildID
			if err := ew.Write(partition, e); err != nil {
				return res, err
			}
		}
	}
	res.CensusYear = r.year
	if opts.Progress != nil {
		opts.Progress(path, max(fi.size, 1), max(fi.size, 1))
	}
	if res.Read > 0 && float64(res.Quarantined) > opts.BadRowShare*float64(res.Read) {
		res.Refused = fmt.Sprintf("%d of %d children are bad (more than %.0f%%): the file was refused and nothing was stored",
			res.Quarantined, res.Read, opts.BadRowShare*100)
		res.Stored = 0
		return res, nil
	}
	res.Superseded = seen.duplicates()
	prior, err := seen.supersededInLake(ctx, opts.Lake, lake.DatasetCINCensus, nil)
	if err != nil {
		return res, err
	}
	res.Superseded += prior
	if b != nil {
		if err := errors.Join(w.Close(), ew.Close()); err != nil {
			return res, err
		}
		if _, err := b.Commit(ctx, lake.Counts{Read: res.Read, Stored: res.Stored, Quarantined: res.Quarantined, Superseded: res.Superseded}); err != nil {
			return res, err
		}
		res.BatchID = batchID
	}
	for upn, child := range newUPNs {
		ros.byUPN[upn] = child
	}
	return res, nil
}

// record keeps a problem in the result, up to maxProblems.
func (res *FileResult) record(p Problem) {
	if len(res.Problems) < maxProblems {
		res.Problems = append(res.Problems, p)
	} else {
		res.ProblemsDropped++
	}
}
