package reports

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/vschool/vschool/internal/calendar"
	"github.com/vschool/vschool/reports/edition"
	"github.com/vschool/vschool/reports/internal/sample"
)

// Tests with real tools: headless Chromium, LibreOffice and poppler. They skip under
// -short and, with a clear message, where the tool is missing (CI installs them).

func tool(t *testing.T, names ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("real-tool test skipped under -short")
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Skipf("%s not installed (Debian: apt-get install -y chromium libreoffice-calc-nogui poppler-utils); skipping", strings.Join(names, " or "))
	return ""
}

func writeAll(t *testing.T, e edition.Edition) Options {
	t.Helper()
	opt := Options{Result: sample.Generate(300, 3, 2024, calendar.Autumn, false), Edition: e, Threshold: 5,
		Year: 2024, Term: calendar.Autumn, LA: testLA, Formats: Formats, OutDir: t.TempDir()}
	if _, err := Write(t.Context(), opt); err != nil {
		t.Fatal(err)
	}
	if e == edition.Board {
		auditBoard(t, opt.OutDir, opt.Threshold)
	}
	return opt
}

// consoleOrFailure matches Chromium log lines for console messages and failed loads.
var consoleOrFailure = regexp.MustCompile(`CONSOLE|Uncaught|net::ERR_|Failed to load resource|Refused to`)

// netURL finds request URLs in a Chromium net log; browserService matches the browser's
// own background requests (updates, time, accounts), which are not the page's.
var (
	netURL         = regexp.MustCompile(`"url":"([^"]+)"`)
	browserService = regexp.MustCompile(`^https?://(clients\d*\.google\.com|[a-z0-9.-]*\.googleapis\.com|accounts\.google\.com|[a-z0-9.-]*\.gvt1\.com)/`)
)

func TestChromiumRendersHTML(t *testing.T) {
	chromium := tool(t, "chromium", "chromium-browser", "chromium-headless-shell")
	opt := writeAll(t, edition.Team)
	html := filepath.Join(opt.OutDir, "report.html")
	data, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	// Self-contained: no scripts, no external references.
	for _, bad := range []string{"<script", "src=", `href="http`, "url(http", "@import"} {
		if bytes.Contains(data, []byte(bad)) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	tmp := t.TempDir()
	shot := filepath.Join(tmp, "report.png")
	netLog := filepath.Join(tmp, "net.json")
	ctx := t.Context()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--disable-features=OptimizationHints,OptimizationGuideModelDownloading,MediaRouter",
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--enable-logging=stderr", "--v=0",
		"--log-net-log="+netLog,
		"--screenshot="+shot, "--window-size=1280,2000", "file://"+html)
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		if consoleOrFailure.MatchString(sc.Text()) {
			t.Errorf("chromium: %s", sc.Text())
		}
	}
	// No request left the page: the net log holds no URL but the file itself and the
	// browser's own background services.
	netData, err := os.ReadFile(netLog)
	if err != nil {
		t.Fatalf("chromium wrote no net log: %v", err)
	}
	for _, m := range netURL.FindAllSubmatch(netData, -1) {
		u := string(m[1])
		if strings.HasPrefix(u, "file://") || strings.HasPrefix(u, "data:") || browserService.MatchString(u) {
			continue
		}
		t.Errorf("report.html made a request to %s", u)
	}
	fi, err := os.Stat(shot)
	if err != nil || fi.Size() < 10_000 {
		t.Fatalf("no screenshot (%v, %v)", fi, err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, fi.Size())
}

func TestLibreOfficeOpensXLSX(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice")
	opt := writeAll(t, edition.Board)
	tmp := t.TempDir()
	cmd := exec.CommandContext(t.Context(), soffice, "-env:UserInstallation=file://"+filepath.Join(tmp, "profile"),
		"--headless", "--convert-to", "pdf", "--outdir", tmp, filepath.Join(opt.OutDir, "report.xlsx"))
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	fi, err := os.Stat(filepath.Join(tmp, "report.pdf"))
	if err != nil || fi.Size() == 0 {
		t.Fatalf("LibreOffice did not convert report.xlsx: %v\n%s", err, out)
	}
}

func TestPDFText(t *testing.T) {
	pdftotext := tool(t, "pdftotext")
	for _, e := range []edition.Edition{edition.Team, edition.Board} {
		t.Run(string(e), func(t *testing.T) {
			opt := writeAll(t, e)
			r := Build(opt)
			pdf := filepath.Join(opt.OutDir, "report.pdf")
			out, err := exec.CommandContext(t.Context(), pdftotext, "-layout", pdf, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			text := string(out)
			for _, want := range []string{"Termly report of the virtual school", "Summary", "Data as at", "Attendance", "Definitions and methods",
				"Appendix: breakdowns", r.Headlines[0].Label, r.Headlines[0].Count} {
				if !strings.Contains(text, want) {
					t.Errorf("report.pdf lacks %q", want)
				}
			}
			hasChild := strings.Contains(text, "Children needing attention") || strings.Contains(text, opt.Result.Actions[0].ChildID)
			if hasChild != (e == edition.Team) {
				t.Errorf("%s edition: action list present = %v", e, hasChild)
			}
			if info, err := exec.CommandContext(t.Context(), "pdfinfo", pdf).Output(); err == nil && !bytes.Contains(info, []byte("(A4)")) {
				t.Errorf("report.pdf is not A4:\n%s", info)
			}
		})
	}
}

// TestBoardHasNoChildData checks every board-edition output for the child IDs of the
// sample's action list.
func TestBoardHasNoChildData(t *testing.T) {
	team := sample.Generate(300, 3, 2024, calendar.Autumn, false)
	if len(team.Actions) == 0 {
		t.Fatal("sample has no actions to look for")
	}
	opt := Options{Result: team, Edition: edition.Board, Threshold: 5, Year: 2024, Term: calendar.Autumn,
		LA: testLA, Formats: Formats, OutDir: t.TempDir()}
	paths, err := Write(t.Context(), opt)
	if err != nil {
		t.Fatal(err)
	}
	auditBoard(t, opt.OutDir, opt.Threshold)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(p) == ".xlsx" {
			f, err := excelize.OpenFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var text bytes.Buffer
			for _, sheet := range f.GetSheetList() {
				rows, _ := f.GetRows(sheet)
				for _, r := range rows {
					text.WriteString(strings.Join(r, "\t") + "\n")
				}
			}
			f.Close()
			data = text.Bytes()
		}
		if filepath.Ext(p) == ".pdf" {
			continue // compressed: checked through its text below
		}
		for _, a := range team.Actions {
			if bytes.Contains(data, []byte(a.ChildID)) {
				t.Fatalf("%s contains child ID %s", filepath.Base(p), a.ChildID)
			}
		}
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.CommandContext(t.Context(), pdftotext, filepath.Join(opt.OutDir, "report.pdf"), "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range team.Actions {
			if bytes.Contains(out, []byte(a.ChildID)) {
				t.Fatalf("report.pdf contains child ID %s", a.ChildID)
			}
		}
	}
}
