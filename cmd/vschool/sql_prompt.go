package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/vschool/vschool/transforms"
)

const sqlPromptHelp = `Statements end with ";" at the end of a line. Only reading statements run (SELECT, WITH,
FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN). Commands, at the start of a statement:
  .views, \d          list the tables and views
  \d NAME, .schema NAME   the columns of one
  .help, \?           this help
  .quit, .exit, \q    leave
The views and their meaning: docs/sql.md.
`

// sqlPrompt reads statements and commands from a.stdin until its end or .quit, and writes
// each result to a.stdout in format. A failed statement is reported on stderr and the next
// one is read; sqlPrompt then returns an error saying how many failed.
func (a *app) sqlPrompt(ctx context.Context, s *transforms.Session, format string) error {
	interactive := false
	if f, ok := a.stdin.(*os.File); ok {
		interactive = term.IsTerminal(int(f.Fd()))
	}
	prompt := func(more bool) {
		if interactive {
			if more {
				fmt.Fprint(a.stdout, "   ...> ")
			} else {
				fmt.Fprint(a.stdout, "vschool> ")
			}
		}
	}
	if interactive {
		fmt.Fprintf(a.stdout, "vschool sql: %d tables and views. Type .views to list them, .help for help, .quit to leave.\n", len(s.Views()))
	}
	sc := bufio.NewScanner(a.stdin)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	var (
		stmt         strings.Builder
		ran, failed  int
		runStatement = func() {
			q := strings.TrimSpace(stmt.String())
			stmt.Reset()
			if strings.Trim(q, "; \t\r\n") == "" {
				return
			}
			ran++
			if err := runQuery(ctx, s, q, format, "", a.stdout); err != nil {
				failed++
				fmt.Fprintf(a.stderr, "error: %v\n", err)
			}
		}
	)
	prompt(false)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		line := sc.Text()
		if stmt.Len() == 0 {
			if done, ok := a.promptCommand(s, strings.TrimSpace(line)); ok {
				if done {
					break
				}
				prompt(false)
				continue
			}
		}
		stmt.WriteString(line)
		stmt.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			runStatement()
		}
		prompt(stmt.Len() > 0)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("sql: read standard input: %w", err)
	}
	runStatement() // a last statement without ";"
	if interactive {
		fmt.Fprintln(a.stdout)
	}
	if failed > 0 {
		return fmt.Errorf("sql: %d of %d statements failed", failed, ran)
	}
	return nil
}

// promptCommand runs a prompt command (.views, \d, .help, .quit, ...): ok is false when line
// is not one; done is true for .quit.
func (a *app) promptCommand(s *transforms.Session, line string) (done, ok bool) {
	word, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch strings.ToLower(word) {
	case ".quit", ".exit", `\q`:
		return true, true
	case ".help", `\?`, `\h`:
		fmt.Fprint(a.stdout, sqlPromptHelp)
	case ".views", ".tables":
		a.listViews(s, a.stdout)
	case `\d`, ".schema":
		if arg == "" && word == `\d` {
			a.listViews(s, a.stdout)
			break
		}
		if err := describeView(s, arg, a.stdout); err != nil {
			fmt.Fprintf(a.stderr, "error: %v\n", err)
		}
	default:
		return false, false
	}
	return false, true
}

// listViews prints every view's name, layer and meaning.
func (a *app) listViews(s *transforms.Session, w io.Writer) {
	t := &tableResult{w: w}
	_ = t.Columns([]transforms.Column{{Name: "name"}, {Name: "layer"}, {Name: "about"}})
	for _, v := range s.Views() {
		_ = t.Row([]any{v.Name, v.Layer, v.About})
	}
	_ = t.Flush()
}

// describeView prints the columns of one view.
func describeView(s *transforms.Session, name string, w io.Writer) error {
	for _, v := range s.Views() {
		if strings.EqualFold(v.Name, strings.Trim(name, `";`)) {
			fmt.Fprintf(w, "%s (%s): %s\n", v.Name, v.Layer, v.About)
			t := &tableResult{w: w}
			_ = t.Columns([]transforms.Column{{Name: "column"}, {Name: "type"}})
			for _, c := range v.Columns {
				_ = t.Row([]any{c.Name, c.Type})
			}
			return t.Flush()
		}
	}
	return errors.New("no view named " + name + " (.views lists them)")
}
