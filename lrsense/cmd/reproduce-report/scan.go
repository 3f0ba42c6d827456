package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/lrsense/lrsense/lrsense/experiment"
)

// Result is what the scan found in one executed notebook. It is kept as
// <notebook>.result.json beside the executed notebook; the report reads it.
type Result struct {
	// Notebook is the notebook's path under notebooks/ ("apgd.ipynb",
	// "teaching/01-gradient-solution.ipynb"); Name is the same without
	// ".ipynb". Title is its first markdown heading.
	Notebook string `json:"notebook"`
	Name     string `json:"name"`
	Title    string `json:"title"`
	// Status is "ok" or "FAIL"; Problems says why it failed.
	Status   string   `json:"status"`
	Problems []string `json:"problems"`
	// Seconds is the wall time of the notebook's execution; Scale "quick"
	// or "paper".
	Seconds float64 `json:"seconds"`
	Scale   string  `json:"scale"`
	// Student is true for a teaching notebook's student version, whose
	// checks must all FAIL.
	Student bool `json:"student"`
	// Claims are the notebook's claim lines (REPRO, or CHECK in a teaching
	// notebook), in the order printed; Declared the ids its metadata
	// declares for this scale.
	Claims   []ClaimLine `json:"claims"`
	Declared []string    `json:"declared"`
	// Figures are the notebook's figures in the order shown.
	Figures []Figure `json:"figures"`
	// Executed, HTML and Log are the paths, relative to the output
	// directory, of the executed notebook, its HTML export and the
	// execution log ("" if missing).
	Executed string `json:"executed"`
	HTML     string `json:"html"`
	Log      string `json:"log"`
}

// ClaimLine is one parsed claim line. Its Kind ("REPRO" or "CHECK") is
// kept in the JSON result, where experiment.Record leaves it out.
type ClaimLine struct {
	Kind string `json:"kind"`
	experiment.Record
}

// Figure is one figure a notebook showed, extracted to files.
type Figure struct {
	// N numbers the figures of a notebook from 1.
	N int `json:"n"`
	// Title is the figure's title (the first line of text drawn in the
	// SVG), Section the markdown heading above the cell that drew it.
	Title   string `json:"title"`
	Section string `json:"section"`
	// SVG and PNG are file paths relative to the output directory ("" when
	// not available). PNGFrom says where the PNG came from: "notebook" (an
	// image/png output) or "chromium" (rendered from the SVG).
	SVG     string `json:"svg"`
	PNG     string `json:"png"`
	PNGFrom string `json:"png_from"`
	// Width and Height are the figure's size in CSS pixels (0 if unknown).
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Counts returns the number of claims of each verdict, by kind ("REPRO",
// "CHECK").
func (r *Result) Counts(kind string) (pass, fail, dev int) {
	for _, c := range r.Claims {
		if c.Kind != kind {
			continue
		}
		switch c.Verdict {
		case experiment.Passed:
			pass++
		case experiment.Failed:
			fail++
		case experiment.Deviated:
			dev++
		}
	}
	return pass, fail, dev
}

func (r *Result) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

func initCmd(args []string) error {
	fs := flag.NewFlagSet("init", flag.ExitOnError)
	out := fs.String("out", "", "the output directory")
	fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("init: -out is required")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(*out, "index.html")); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "summary.tsv"), []byte(summaryHeader), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*out, "notebooks.tsv"), []byte(notebooksHeader), 0o644)
}

var errNotebookFailed = errors.New("the notebook failed")

func scanCmd(args []string) error {
	fs := flag.NewFlagSet("scan", flag.ExitOnError)
	out := fs.String("out", "", "the output directory (summary.tsv, notebooks.tsv, figures/)")
	name := fs.String("name", "", "the notebook's path under notebooks/ (default: the executed notebook's base name)")
	source := fs.String("source", "", "the source notebook (its metadata is used when there is no executed notebook)")
	rc := fs.Int("rc", 0, "nbconvert's exit status")
	seconds := fs.Float64("seconds", 0, "wall time of the execution")
	scale := fs.String("scale", "paper", "the scale the notebook ran at: paper or quick")
	png := fs.String("png", "auto", "render a PNG of each SVG figure with headless Chromium: auto (when Chromium is found) or off")
	fs.Parse(args)
	if fs.NArg() != 1 || *out == "" {
		return fmt.Errorf("scan: usage: scan -out DIR [flags] EXECUTED.ipynb")
	}
	executed := fs.Arg(0)
	if *name == "" {
		*name = filepath.Base(executed)
	}
	r := scan(executed, *source, *name, *rc, *scale)
	r.Seconds = *seconds
	if err := r.extractFigures(*out, executed, *png != "off"); err != nil {
		return err
	}
	if err := r.write(*out, executed); err != nil {
		return err
	}
	for _, p := range r.Problems {
		fmt.Fprintf(os.Stderr, "reproduce.sh:   %s: %s\n", r.Notebook, p)
	}
	if r.Status != "ok" {
		fmt.Fprintf(os.Stderr, "reproduce-report: %s: %v\n", r.Notebook, errNotebookFailed)
		os.Exit(3)
	}
	return nil
}

// scan reads the executed notebook and finds what failed. rc is
// nbconvert's exit status; source (optional) is the notebook that was run.
func scan(executed, source, name string, rc int, scale string) *Result {
	r := &Result{
		Notebook: name,
		Name:     strings.TrimSuffix(name, ".ipynb"),
		Scale:    scale,
		Student:  strings.HasSuffix(name, "-student.ipynb"),
		Claims:   []ClaimLine{},
		Figures:  []Figure{},
		Problems: []string{},
	}
	if rc != 0 {
		msg := fmt.Sprintf("nbconvert exited %d (cell timeout, dead kernel or unreadable notebook)", rc)
		if last := lastError(strings.TrimSuffix(executed, ".ipynb") + ".log"); last != "" {
			msg += ": " + last
		}
		r.problem("%s", msg)
	}
	nb, err := readNotebook(executed)
	if err != nil {
		r.problem("no executed notebook: %v", err)
		if source != "" {
			nb, _ = readNotebook(source)
		}
		if nb == nil {
			nb = &notebook{}
		}
	}
	r.Title = title(nb)
	r.scanOutputs(nb)
	r.checkVerdicts()
	// The declared ids are the source notebook's (the executed copy has the
	// same metadata, unless the source changed meanwhile).
	d := nb.Metadata.LRSense
	if src, err := readNotebook(source); source != "" && err == nil {
		d = src.Metadata.LRSense
	}
	r.checkDeclared(d)
	r.Status = "ok"
	if len(r.Problems) > 0 {
		r.Status = "FAIL"
	}
	return r
}

var (
	ansi       = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	exitStatus = regexp.MustCompile(`^exit status (\d+)\s*$`)
	gonbWhere  = regexp.MustCompile(`\[\[ Cell \[(\d+)\] Line (\d+) \]\]`)
	logStamp   = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(\.\d+)? `)
)

// scanOutputs looks at every output of every code cell: error outputs,
// panics, non-zero exits and the claim lines.
func (r *Result) scanOutputs(nb *notebook) {
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		where := c.label(i)
		var compileErr, lastLine string
		failed := false // a panic or fatal error was reported: skip its "exit status"
		for _, o := range c.Outputs {
			var text string
			switch o.OutputType {
			case "stream":
				text = string(o.Text)
			case "display_data", "execute_result":
				text = string(o.Data["text/plain"])
				if h := string(o.Data["text/html"]); strings.Contains(h, "gonb-err-location") || strings.Contains(h, "gonb-cell-line-info") {
					compileErr = compileMessage(h)
				}
			case "error":
				msg := strings.TrimSpace(o.Evalue)
				if msg == "" {
					msg = o.Ename
				}
				if compileErr != "" {
					r.problem("%s: compile error: %s", where, compileErr)
				} else {
					r.problem("%s: error: %s", where, clip(msg))
				}
				continue
			}
			lines := strings.Split(text, "\n")
			for j, line := range lines {
				line = strings.TrimRight(ansi.ReplaceAllString(line, ""), "\r")
				rec, ok, err := experiment.ParseLine(line)
				switch {
				case err != nil:
					r.problem("%s: %v", where, err)
					continue
				case ok:
					r.Claims = append(r.Claims, ClaimLine{Kind: rec.Kind, Record: rec})
					continue
				}
				switch {
				case strings.HasPrefix(line, "panic: "), strings.HasPrefix(line, "fatal error: "):
					msg := line
					if at := gonbWhere.FindStringSubmatch(strings.Join(lines[j:], "\n")); at != nil {
						msg += fmt.Sprintf(" (at cell [%s] line %s)", at[1], at[2])
					}
					r.problem("%s: %s", where, clip(msg))
					failed = true
				case strings.HasPrefix(line, "signal: "):
					r.problem("%s: the program was killed: %s", where, clip(line))
					failed = true
				case exitStatus.MatchString(line):
					if failed {
						continue
					}
					msg := strings.TrimSpace(line)
					if lastLine != "" {
						msg += ", after: " + lastLine
					}
					r.problem("%s: %s", where, clip(msg))
					failed = true
				}
				if t := strings.TrimSpace(line); t != "" && !failed {
					lastLine = logStamp.ReplaceAllString(t, "")
				}
			}
		}
	}
}

// checkVerdicts applies the verdict rules: no REPRO line may FAIL; in a
// solution (or any non-student) notebook every CHECK must PASS, in a
// student notebook every CHECK must FAIL.
func (r *Result) checkVerdicts() {
	_, rf, _ := r.Counts("REPRO")
	cp, cf, cd := r.Counts("CHECK")
	if rf > 0 {
		var ids []string
		for _, c := range r.Claims {
			if c.Kind == "REPRO" && c.Verdict == experiment.Failed {
				ids = append(ids, c.ID)
			}
		}
		r.problem("%d REPRO claim(s) FAIL: %s", rf, strings.Join(ids, ", "))
	}
	switch {
	case r.Student && cp+cd > 0:
		r.problem("student notebook: %d CHECK line(s) not FAIL; with the exercises blank, every check must FAIL", cp+cd)
	case !r.Student && cf+cd > 0:
		r.problem("%d CHECK line(s) not PASS", cf+cd)
	}
}

// checkDeclared compares the claim ids printed with those the notebook's
// metadata declares.
func (r *Result) checkDeclared(d *declared) {
	want := map[string]bool{}
	if d != nil {
		for _, id := range d.Claims {
			want[id] = true
			r.Declared = append(r.Declared, id)
		}
		if r.Scale != "quick" {
			for _, id := range d.PaperScaleClaims {
				want[id] = true
				r.Declared = append(r.Declared, id)
			}
		}
	}
	optional := map[string]bool{}
	if d != nil && r.Scale == "quick" {
		for _, id := range d.PaperScaleClaims {
			optional[id] = true
		}
	}
	got := map[string]bool{}
	var extra []string
	for _, c := range r.Claims {
		if !got[c.ID] && !want[c.ID] && !optional[c.ID] {
			extra = append(extra, c.ID)
		}
		got[c.ID] = true
	}
	var missing []string
	for id := range want {
		if !got[id] {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	switch {
	case len(want) == 0 && len(r.Claims) == 0:
		r.problem("declares no claims (metadata lrsense.claims) and prints none: a notebook must check what it claims")
	case len(want) == 0:
		r.problem("prints claims %s but its metadata declares none: add them to lrsense.claims (reproduce-report declare-claims)", strings.Join(extra, ", "))
	default:
		if len(missing) > 0 {
			r.problem("missing claim(s) declared in the notebook's metadata: %s", strings.Join(missing, ", "))
		}
		if len(extra) > 0 {
			r.problem("claim(s) printed but not declared in the notebook's metadata (lrsense.claims): %s", strings.Join(extra, ", "))
		}
	}
}

var (
	styleBlock  = regexp.MustCompile(`(?s)<style.*?</style>`)
	errLine     = regexp.MustCompile(`(?s)<div class="gonb-err-line">.*?</div>`)
	errContext  = regexp.MustCompile(`(?s)<div class="gonb-err-context">.*?</div>`)
	tag         = regexp.MustCompile(`<[^>]*>`)
	cellLine    = regexp.MustCompile(`^Cell\[(\d+)\]: Line (\d+)$`)
	goLocation  = regexp.MustCompile(`^\./[^ :]+\.go:\d+:\d+:\s*`)
	nbconvError = regexp.MustCompile(`(\w+(Error|Exception|Timeout)\w*): (.+)$`)
)

// compileMessage returns the compiler's messages from GoNB's HTML error
// report: "cell [6] line 2: cannot use ...".
func compileMessage(h string) string {
	s := styleBlock.ReplaceAllString(h, "")
	s = errLine.ReplaceAllString(s, "")
	s = errContext.ReplaceAllString(s, "")
	s = html.UnescapeString(tag.ReplaceAllString(s, "\n"))
	var items []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "# "):
		case cellLine.MatchString(l):
			m := cellLine.FindStringSubmatch(l)
			items = append(items, fmt.Sprintf("cell [%s] line %s:", m[1], m[2]))
		case len(items) == 0:
			items = append(items, goLocation.ReplaceAllString(l, ""))
		default:
			items[len(items)-1] += " " + goLocation.ReplaceAllString(l, "")
		}
	}
	return clip(strings.Join(items, "; "))
}

// lastError returns the last line of an nbconvert log that names a Python
// error (CellTimeoutError, DeadKernelError...).
func lastError(log string) string {
	b, err := os.ReadFile(log)
	if err != nil {
		return ""
	}
	last := ""
	for _, l := range strings.Split(string(b), "\n") {
		if m := nbconvError.FindString(strings.TrimSpace(l)); m != "" {
			last = m
		}
	}
	return clip(last)
}

// title returns the notebook's first markdown heading.
func title(nb *notebook) string {
	for _, c := range nb.Cells {
		if c.CellType != "markdown" {
			continue
		}
		for _, l := range strings.Split(string(c.Source), "\n") {
			if strings.HasPrefix(l, "#") {
				return strings.TrimSpace(strings.TrimLeft(l, "#"))
			}
		}
	}
	return ""
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 400 {
		s = string(r[:397]) + "..."
	}
	return s
}

// write appends the notebook's REPRO lines to summary.tsv and its row to
// notebooks.tsv, and saves the result beside the executed notebook.
func (r *Result) write(out, executed string) error {
	base := strings.TrimSuffix(executed, ".ipynb")
	rel := func(p string) string {
		if _, err := os.Stat(p); err != nil {
			return ""
		}
		if s, err := filepath.Rel(out, p); err == nil {
			return filepath.ToSlash(s)
		}
		return ""
	}
	r.Executed, r.HTML, r.Log = rel(executed), rel(base+".html"), rel(base+".log")

	var rows strings.Builder
	for _, c := range r.Claims {
		if c.Kind != "REPRO" {
			continue
		}
		rows.WriteString(tsv(c.Notebook, c.ID, c.Measured, c.Target, string(c.Verdict), c.Paper, c.Reason, c.Source, r.Notebook))
	}
	if err := appendFile(filepath.Join(out, "summary.tsv"), rows.String()); err != nil {
		return err
	}
	rp, rf, rd := r.Counts("REPRO")
	cp, cf, cd := r.Counts("CHECK")
	first := ""
	if len(r.Problems) > 0 {
		first = r.Problems[0]
	}
	row := tsv(r.Notebook, r.Status, fmt.Sprintf("%.1f", r.Seconds), fmt.Sprint(rp), fmt.Sprint(rf), fmt.Sprint(rd),
		fmt.Sprint(cp), fmt.Sprint(cf+cd), first)
	if err := appendFile(filepath.Join(out, "notebooks.tsv"), row); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(base+".result.json", append(b, '\n'), 0o644)
}

// tsv returns one tab-separated row: tabs and newlines inside a field
// become spaces.
func tsv(fields ...string) string {
	for i, f := range fields {
		fields[i] = strings.Join(strings.Fields(f), " ")
	}
	return strings.Join(fields, "\t") + "\n"
}

func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Header rows of the two tables (reproduce.sh writes them at the start).
const (
	summaryHeader   = "notebook\tclaim\tmeasured\ttarget\tverdict\tpaper\treason\tsource\tfile\n"
	notebooksHeader = "notebook\tstatus\tseconds\trepro_pass\trepro_fail\trepro_deviation\tcheck_pass\tcheck_fail\tproblem\n"
)
