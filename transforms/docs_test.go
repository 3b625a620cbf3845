package transforms

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vschool/vschool/internal/measure"
)

// repoRoot is the module root, seen from this package's folder.
const repoRoot = ".."

var (
	// outsideCite finds a comment citing a document that is not in the repository: the
	// specification files by their bare names (the repository's own are docs/measures.md,
	// docs/outputs.md, docs/inputs.md, docs/domain.md and docs/libraries.md), or a folder
	// outside it.
	outsideCite = regexp.MustCompile(`(^|[^/\w.-])(measures|outputs|inputs)\.md|LIBRARIES\.md|STYLE\.md|domain-reference|shared/|specs/`)
	// historyNote finds a comment that tells the history of the work instead of the code's
	// reason (a work session or an issue by its number): that belongs in commit messages.
	historyNote = regexp.MustCompile(`(?i)\b(session|issue) #?[0-9]+\b`)
	// docsCite finds a comment's citation of a page of docs/.
	docsCite = regexp.MustCompile(`\bdocs/([\w-]+\.md)`)
)

// commentLine is one line of a comment in a source file.
type commentLine struct {
	pos  string // file:line
	text string
}

// sourceComments returns every comment line of the repository's .go and .sql files.
func sourceComments(t *testing.T) []commentLine {
	t.Helper()
	var out []commentLine
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go":
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				return fmt.Errorf("parse %s: %w", path, err)
			}
			for _, g := range f.Comments {
				for _, c := range g.List {
					p := fset.Position(c.Pos())
					for i, l := range strings.Split(c.Text, "\n") {
						out = append(out, commentLine{fmt.Sprintf("%s:%d", path, p.Line+i), l})
					}
				}
			}
		case ".sql":
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, l := range strings.Split(string(b), "\n") {
				if _, c, ok := strings.Cut(l, "--"); ok {
					out = append(out, commentLine{fmt.Sprintf("%s:%d", path, i+1), c})
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 1000 {
		t.Fatalf("found only %d comment lines under %s: the walk is broken", len(out), repoRoot)
	}
	return out
}

// TestCommentsCiteTheRepository: a comment cites only documents that are in the repository
// (docs/...), and says why the code is as it is rather than when it was written.
func TestCommentsCiteTheRepository(t *testing.T) {
	for _, c := range sourceComments(t) {
		if outsideCite.MatchString(c.text) {
			t.Errorf("%s: cites a document outside the repository (cite docs/measures.md, docs/outputs.md, docs/inputs.md, docs/domain.md or docs/libraries.md):\n\t%s", c.pos, strings.TrimSpace(c.text))
		}
		if historyNote.MatchString(c.text) {
			t.Errorf("%s: tells the history of the work; give the code's reason instead:\n\t%s", c.pos, strings.TrimSpace(c.text))
		}
		for _, m := range docsCite.FindAllStringSubmatch(c.text, -1) {
			if _, err := os.Stat(filepath.Join(repoRoot, "docs", m[1])); err != nil {
				t.Errorf("%s: cites docs/%s, which does not exist", c.pos, m[1])
			}
		}
	}
}

// TestCiteCheckers: the patterns above catch what they are for and pass what they must.
func TestCiteCheckers(t *testing.T) {
	for _, tc := range []struct {
		text          string
		outside, hist bool
	}{
		{text: "(measures.md v2)", outside: true},
		{text: `(measures.md "Cohorts")`, outside: true},
		{text: "the sections of outputs.md", outside: true},
		{text: "inputs.md: the file does not say", outside: true},
		{text: "see LIBRARIES.md", outside: true},
		{text: "(domain-reference 7.1)", outside: true},
		{text: "../../shared/specs/inputs.md", outside: true},
		{text: "(specs/inputs.md)", outside: true},
		{text: "transforms/README.md, session 7", hist: true},
		{text: "the file-level cases of issue 4", hist: true},
		{text: "(docs/measures.md, Cohorts)"},
		{text: "docs/inputs.md describes them all"},
		{text: "../docs/outputs.md"},
		{text: "one row per session (AM or PM)"},
		{text: "docs/measures-v2.md is gone"},
	} {
		if got := outsideCite.MatchString(tc.text); got != tc.outside {
			t.Errorf("outsideCite(%q) = %v, want %v", tc.text, got, tc.outside)
		}
		if got := historyNote.MatchString(tc.text); got != tc.hist {
			t.Errorf("historyNote(%q) = %v, want %v", tc.text, got, tc.hist)
		}
	}
}

// markdownLink finds [text](target) links; the target has no spaces.
var markdownLink = regexp.MustCompile(`\]\(([^()\s]+)\)`)

// headingSlug is GitHub's anchor for a heading: lower case, punctuation other than - and _
// dropped, spaces as hyphens.
func headingSlug(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// markdownFile is what the link check needs of a Markdown file: its links (outside code
// blocks and code spans) and the anchors of its headings.
type markdownFile struct {
	links   []commentLine // pos, target
	anchors map[string]bool
}

func readMarkdown(t *testing.T, path string) markdownFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	md := markdownFile{anchors: map[string]bool{}}
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	fenced := false
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		if h, ok := strings.CutPrefix(l, "#"); ok {
			s := headingSlug(strings.TrimLeft(h, "#"))
			if k := seen[s]; k > 0 {
				md.anchors[fmt.Sprintf("%s-%d", s, k)] = true
			} else {
				md.anchors[s] = true
			}
			seen[s]++
		}
		// Links inside code spans are examples, not links.
		parts := strings.Split(l, "`")
		for i := 0; i < len(parts); i += 2 {
			for _, m := range markdownLink.FindAllStringSubmatch(parts[i], -1) {
				md.links = append(md.links, commentLine{fmt.Sprintf("%s:%d", path, n), m[1]})
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return md
}

// TestDocsLinks: every relative link of the documentation (docs/*.md, README.md,
// ARCHITECTURE.md and the folders' READMEs) points to a file or folder of the repository,
// and a link to a heading of a Markdown file to a heading it has.
func TestDocsLinks(t *testing.T) {
	files := []string{filepath.Join(repoRoot, "README.md"), filepath.Join(repoRoot, "ARCHITECTURE.md")}
	docs, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	readmes, err := filepath.Glob(filepath.Join(repoRoot, "*", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	deeper, err := filepath.Glob(filepath.Join(repoRoot, "*", "*", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(append(append(files, docs...), readmes...), deeper...)
	if len(docs) < 5 {
		t.Fatalf("docs/ holds %d pages", len(docs))
	}
	parsed := map[string]markdownFile{}
	read := func(path string) markdownFile {
		if md, ok := parsed[path]; ok {
			return md
		}
		md := readMarkdown(t, path)
		parsed[path] = md
		return md
	}
	links := 0
	for _, path := range files {
		for _, l := range read(path).links {
			target := l.text
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			links++
			file, anchor, _ := strings.Cut(target, "#")
			dest := path
			if file != "" {
				dest = filepath.Join(filepath.Dir(path), file)
				if _, err := os.Stat(dest); err != nil {
					t.Errorf("%s: link to %s: no such file", l.pos, target)
					continue
				}
			}
			if anchor != "" && strings.HasSuffix(dest, ".md") && !read(dest).anchors[anchor] {
				t.Errorf("%s: link to %s: %s has no heading #%s", l.pos, target, dest, anchor)
			}
		}
	}
	if links < 20 {
		t.Fatalf("found only %d relative links: the link scan is broken", links)
	}
}

// TestMeasuresDocumented: docs/measures.md names every measure the transforms compute.
func TestMeasuresDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs", "measures.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range measure.Catalogue() {
		if !strings.Contains(string(doc), "`"+m.Name+"`") {
			t.Errorf("docs/measures.md does not define `%s`", m.Name)
		}
	}
}
