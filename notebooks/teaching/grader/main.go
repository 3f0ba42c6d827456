// Command grader grades submitted teaching notebooks without executing
// them one by one: it extracts each submission's declaration cells (what
// GoNB compiles), builds one small program per submission that runs the
// assignment's checks (package lrsense/assign) on the student's functions,
// builds all of them in one `go build`, and runs them in parallel, a few at
// a time, each with a time limit. notebooks/teaching/grade.sh calls it.
//
// Usage: go run ./notebooks/teaching/grader [-out DIR] [-jobs N] [-timeout D] submission.ipynb ...
//
// It prints a table per student and writes DIR/grades.csv with the columns
// student, assignment, check, verdict, hint (one row per check; a
// gradebook imports it). The student is the submission's file name
// without ".ipynb". A submission whose cells do not compile, or whose
// checks panic outside student code or run past the time limit, gets FAIL
// on each check it did not finish, with the reason as the hint.
//
// The checks are those of the notebooks' check cells (assign's
// GradientChecks, PreconditioningChecks, SmallInitChecks, RobustChecks),
// run on the functions the submission declares: what the student's own
// check cells printed is not read, so a forged CHECK line counts for
// nothing. Submissions are programs: run the grader in the Docker image
// without network (see notebooks/teaching/README.md).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/lrsense/lrsense/lrsense/assign"
	"github.com/lrsense/lrsense/lrsense/experiment"
)

// graded is one submission and what became of it.
type graded struct {
	file, student, pkg string
	sub                *submission
	problem            string // why checks did not run to the end
	records            map[string]experiment.Record
}

func main() {
	out := flag.String("out", "reproduced/grading", "where the generated programs, binaries and grades.csv go")
	jobs := flag.Int("jobs", 2, "submissions graded at the same time")
	timeout := flag.Duration("timeout", 3*time.Minute, "time limit for the checks of one submission")
	repo := flag.String("repo", ".", "the lrsense repository (its go.mod)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: grader [-out DIR] [-jobs N] [-timeout D] submission.ipynb ...")
		os.Exit(2)
	}
	if err := run(*out, *repo, *jobs, *timeout, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "grader:", err)
		os.Exit(1)
	}
}

func run(out, repo string, jobs int, timeout time.Duration, files []string) error {
	repo, err := filepath.Abs(repo)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(repo, "go.mod")); err != nil {
		return fmt.Errorf("-repo %s: no go.mod", repo)
	}
	gen, bin := filepath.Join(out, "gen"), filepath.Join(out, "bin")
	for _, d := range []string{gen, bin} {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if gen, err = filepath.Abs(gen); err != nil {
		return err
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	// A module of its own (its path has a dot, so assign's panic locator
	// counts its packages as student code) in a workspace with lrsense.
	if err := os.WriteFile(filepath.Join(gen, "go.mod"), []byte("module grade.lrsense\n\ngo 1.24.0\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(gen, "go.work"), []byte(fmt.Sprintf("go 1.24.0\n\nuse (\n\t.\n\t%s\n)\n", repo)), 0o644); err != nil {
		return err
	}

	subs := make([]*graded, len(files))
	for i, f := range files {
		g := &graded{file: f, student: strings.TrimSuffix(filepath.Base(f), ".ipynb"), pkg: fmt.Sprintf("s%03d", i+1)}
		subs[i] = g
		s, err := extract(f)
		switch {
		case err != nil:
			g.problem = err.Error()
			continue
		case s.problem != "":
			g.problem = s.problem
		case s.assignment == "":
			g.problem = "not a teaching notebook: no lrsense assignment in its metadata and none of the functions of one"
		}
		g.sub = s
		if g.problem != "" {
			continue
		}
		dir := filepath.Join(gen, g.pkg)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(s.program(f)), 0o644); err != nil {
			return err
		}
	}

	// One go build for all: packages that do not compile are reported
	// under their "# grade.lrsense/sNNN" header; the others are built.
	// -s -w drops the symbol table and DWARF, not the pc-line tables that
	// runtime.Callers (assign's panic locator) reads; not -trimpath, which
	// would hide the source files the locator quotes.
	t0 := time.Now()
	cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", bin+"/", "./...")
	cmd.Dir = gen
	cmd.Env = append(os.Environ(), "GOWORK="+filepath.Join(gen, "go.work"), "GOFLAGS=")
	buildOut, _ := cmd.CombinedOutput()
	compileErrs := compileErrors(string(buildOut), gen)
	fmt.Fprintf(os.Stderr, "grader: built %d submission(s) in %.1fs\n", len(files), time.Since(t0).Seconds())

	t0 = time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(jobs, 1))
	for _, g := range subs {
		if g.problem != "" {
			continue
		}
		if msg, ok := compileErrs[g.pkg]; ok {
			g.problem = "does not compile: " + msg
			continue
		}
		if _, err := os.Stat(filepath.Join(bin, g.pkg)); err != nil {
			g.problem = "not built: " + firstLine(string(buildOut), err)
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(g *graded) {
			defer func() { <-sem; wg.Done() }()
			g.records, g.problem = runChecks(filepath.Join(bin, g.pkg), filepath.Join(gen, g.pkg), timeout)
		}(g)
	}
	wg.Wait()
	fmt.Fprintf(os.Stderr, "grader: ran the checks of %d submission(s) in %.1fs (%d at a time)\n", len(files), time.Since(t0).Seconds(), jobs)
	return report(out, subs)
}

// compileErrors maps a package (sNNN) to its first compile error, with the
// generated file's lines mapped back to the notebook's cells.
func compileErrors(out, gen string) map[string]string {
	errs := map[string]string{}
	pkg := ""
	loc := regexp.MustCompile(`^(?:\./)?(s\d+)/main\.go:(\d+):(?:\d+:)? (.*)$`)
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "# grade.lrsense/") {
			pkg = strings.TrimPrefix(line, "# grade.lrsense/")
			continue
		}
		m := loc.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			if pkg != "" && errs[pkg] == "" && strings.TrimSpace(line) != "" {
				errs[pkg] = strings.TrimSpace(line)
			}
			continue
		}
		if _, seen := errs[m[1]]; seen {
			continue
		}
		var n int
		fmt.Sscan(m[2], &n)
		errs[m[1]] = cellOf(filepath.Join(gen, m[1], "main.go"), n) + m[3]
	}
	return errs
}

// cellOf returns "cell N, line L: " for line n of a generated file, from
// the marker above its declaration ("" when n is in the generated part).
func cellOf(file string, n int) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	lines := strings.Split(string(b), "\n")
	for i := n - 1; i >= 0 && i < len(lines); i-- {
		var c, l int
		if k, _ := fmt.Sscanf(lines[i], "//lrsense:cell %d line %d", &c, &l); k == 2 {
			return fmt.Sprintf("cell %d, line %d: ", c, l+n-(i+2))
		}
	}
	return ""
}

// runChecks runs one submission's program and reads its CHECK lines.
func runChecks(exe, dir string, timeout time.Duration) (map[string]experiment.Record, string) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	recs := map[string]experiment.Record{}
	rs, perr := experiment.ParseLines(&stdout)
	for _, r := range rs {
		if r.Kind == "CHECK" {
			recs[r.ID] = r
		}
	}
	switch {
	case ctx.Err() != nil:
		return recs, fmt.Sprintf("the checks ran past the time limit of %v (an endless loop?)", timeout)
	case err != nil:
		return recs, "the checks stopped: " + firstLine(stderr.String(), err)
	case perr != nil:
		return recs, perr.Error()
	}
	return recs, ""
}

// firstLine returns the first line of a crash report ("panic: …"), or the
// error.
func firstLine(s string, err error) string {
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			return t
		}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.String()
	}
	return err.Error()
}

// report prints the table per student and writes grades.csv.
func report(out string, subs []*graded) error {
	f, err := os.Create(filepath.Join(out, "grades.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"student", "assignment", "check", "verdict", "hint"})
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	for _, g := range subs {
		a := ""
		if g.sub != nil {
			a = g.sub.assignment
		}
		ids := assign.CheckIDs[a]
		if ids == nil {
			ids = []string{"-"}
		}
		pass := 0
		var rows [][]string
		for _, id := range ids {
			verdict, hint := "FAIL", g.problem
			if r, ok := g.records[id]; ok {
				verdict, hint = string(r.Verdict), r.Reason
			} else if hint == "" {
				hint = "the check did not report"
			}
			if verdict == "PASS" {
				pass++
			}
			rows = append(rows, []string{id, verdict, hint})
			w.Write([]string{g.student, a, id, verdict, hint})
		}
		fmt.Fprintf(tw, "%s\t%s\tscore %d/%d\t\n", g.student, a, pass, len(ids))
		for _, r := range rows {
			fmt.Fprintf(tw, "\t%s\t%s\t%s\n", r[0], r[1], short(r[2], 110))
		}
	}
	tw.Flush()
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	fmt.Printf("\ngrader: %s\n", filepath.Join(out, "grades.csv"))
	return f.Close()
}

// short cuts s to n runes.
func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
