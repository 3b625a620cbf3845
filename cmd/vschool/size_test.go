package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// The reader's targets on the demo (issue: the head's report): the termly team PDF at most
// 12 A4 pages, the annual at most 20; report.html at most 15,000 px tall at 1280 px wide
// before anything is expanded, and no page-wide horizontal scrolling at 400 px (tables
// scroll in their own box).
const (
	maxTermPages  = 12
	maxYearPages  = 20
	maxHTMLHeight = 15000
	narrowWidth   = 400
)

var sizeTitle = regexp.MustCompile(`<title>H=(\d+) W=(\d+)</title>`)

// htmlSize loads report.html in headless Chromium inside a frame of the given width (the
// report itself holds no script: a wrapper page measures it) and returns the document's
// height and width in CSS pixels.
func htmlSize(t *testing.T, chromium, report string, width int) (height, scrollWidth int) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.html"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	wrapper := fmt.Sprintf(`<!DOCTYPE html><html><head><title>measuring</title></head><body style="margin:0">
<iframe id="f" src="report.html" style="width:%dpx;height:900px;border:0"></iframe>
<script>document.getElementById("f").onload=function(){var d=this.contentDocument.documentElement;document.title="H="+d.scrollHeight+" W="+d.scrollWidth;};</script>
</body></html>`, width)
	if err := os.WriteFile(filepath.Join(dir, "measure.html"), []byte(wrapper), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), chromium, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
		"--disable-background-networking", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		fmt.Sprintf("--window-size=%d,1000", width+100), "--virtual-time-budget=10000", "--dump-dom", "file://"+filepath.Join(dir, "measure.html"))
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	m := sizeTitle.FindSubmatch(out)
	if m == nil {
		t.Fatalf("chromium did not measure %s (page title not set)", report)
	}
	height, _ = strconv.Atoi(string(m[1]))
	scrollWidth, _ = strconv.Atoi(string(m[2]))
	return height, scrollWidth
}

// pdfPages counts a PDF's pages with pdfinfo.
func pdfPages(t *testing.T, pdfinfo, path string) int {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), pdfinfo, path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", path)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func lookTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Skipf("%v not installed (Debian: apt-get install -y chromium poppler-utils); skipping", names)
	return ""
}

// checkReaderTargets measures the demo's termly reports (dir: the demo's reports folder
// for the term) and an annual team report of its lake against the targets.
func checkReaderTargets(t *testing.T, termDir, lakeDir string) {
	pdfinfo := lookTool(t, "pdfinfo")
	chromium := lookTool(t, "chromium", "chromium-browser", "chromium-headless-shell")
	annual := filepath.Join(t.TempDir(), "annual")
	cfg := writeFile(t, t.TempDir(), "vschool.yaml", "home_la: {old_code: \"999\", new_code: E99999999, name: Demo Virtual School}\n")
	runOK(t, "report", "--config", cfg, "--lake", lakeDir, "--year", "2024-25", "--format", "html,pdf", "--out", annual, "--quiet")
	tests := []struct {
		name, dir string
		maxPages  int
	}{
		{"termly team", filepath.Join(termDir, "team"), maxTermPages},
		{"termly board", filepath.Join(termDir, "board"), maxTermPages},
		{"annual team", annual, maxYearPages},
	}
	for _, tt := range tests {
		pages := pdfPages(t, pdfinfo, filepath.Join(tt.dir, "report.pdf"))
		h, w := htmlSize(t, chromium, filepath.Join(tt.dir, "report.html"), 1280)
		_, narrow := htmlSize(t, chromium, filepath.Join(tt.dir, "report.html"), narrowWidth)
		t.Logf("%s: report.pdf %d pages; report.html %d px tall at 1280 px (width %d), %d px wide in a %d px window",
			tt.name, pages, h, w, narrow, narrowWidth)
		if pages > tt.maxPages {
			t.Errorf("%s: report.pdf has %d pages, want at most %d", tt.name, pages, tt.maxPages)
		}
		if h > maxHTMLHeight {
			t.Errorf("%s: report.html is %d px tall at 1280 px, want at most %d", tt.name, h, maxHTMLHeight)
		}
		if narrow > narrowWidth {
			t.Errorf("%s: report.html is %d px wide in a %d px window: the page scrolls sideways", tt.name, narrow, narrowWidth)
		}
	}
}
