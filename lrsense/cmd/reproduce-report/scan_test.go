package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stream, html and claim build notebook outputs and cells for the tests.
func stream(name, text string) map[string]any {
	return map[string]any{"output_type": "stream", "name": name, "text": text}
}

func htmlOut(h string) map[string]any {
	return map[string]any{"output_type": "display_data", "data": map[string]any{"text/html": h}, "metadata": map[string]any{}}
}

func codeCell(n int, src string, outputs ...map[string]any) map[string]any {
	if outputs == nil {
		outputs = []map[string]any{}
	}
	return map[string]any{"cell_type": "code", "execution_count": n, "metadata": map[string]any{}, "source": src, "outputs": outputs}
}

func repro(id, verdict string) string {
	return `REPRO	{"notebook":"t","id":"` + id + `","what":"w","measured":"1","verdict":"` + verdict + `"}` + "\n"
}

func check(id, verdict string) string {
	return `CHECK	{"notebook":"t","id":"` + id + `","what":"w","measured":"1","verdict":"` + verdict + `"}` + "\n"
}

// writeNB writes a notebook with the given declared claims (nil: no
// lrsense metadata) and cells, and returns its path.
func writeNB(t *testing.T, name string, d *declared, cells ...map[string]any) string {
	t.Helper()
	meta := map[string]any{"kernelspec": map[string]any{"name": "gonb"}}
	if d != nil {
		meta["lrsense"] = d
	}
	b, err := json.Marshal(map[string]any{"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestScan(t *testing.T) {
	for _, tc := range []struct {
		name     string
		file     string
		rc       int
		scale    string
		declared *declared
		cells    []map[string]any
		want     []string // each must be in one of the problems; none means ok
	}{
		{name: "ok", declared: &declared{Claims: []string{"a", "b"}},
			cells: []map[string]any{codeCell(3, "%%\nreport()", stream("stdout", repro("a", "PASS")+repro("b", "DEVIATION")))}},
		{name: "claims cell removed", declared: &declared{Claims: []string{"a", "b"}},
			cells: []map[string]any{codeCell(3, "%%\nfmt.Println(1)", stream("stdout", "1\n"))},
			want:  []string{"missing claim(s) declared in the notebook's metadata: a, b"}},
		{name: "one claim missing", declared: &declared{Claims: []string{"a", "b"}},
			cells: []map[string]any{codeCell(3, "%%\nreport()", stream("stdout", repro("a", "PASS")))},
			want:  []string{"missing claim(s) declared in the notebook's metadata: b"}},
		{name: "undeclared claim", declared: &declared{Claims: []string{"a"}},
			cells: []map[string]any{codeCell(3, "%%\nreport()", stream("stdout", repro("a", "PASS")+repro("new", "PASS")))},
			want:  []string{"printed but not declared in the notebook's metadata (lrsense.claims): new"}},
		{name: "nothing declared, nothing printed",
			cells: []map[string]any{codeCell(1, "%%\nfmt.Println(1)", stream("stdout", "1\n"))},
			want:  []string{"declares no claims"}},
		{name: "printed, nothing declared",
			cells: []map[string]any{codeCell(1, "%%\nreport()", stream("stdout", repro("a", "PASS")))},
			want:  []string{"prints claims a but its metadata declares none"}},
		{name: "log.Fatal", declared: &declared{Claims: []string{"a"}},
			cells: []map[string]any{codeCell(4, "%%\nload()", stream("stdout", "loading\n"),
				stream("stderr", "2026/11/30 06:37:11 lrsense: the input file x.csv is missing\nexit status 1\n"))},
			want: []string{`In [4] (load()): exit status 1, after: lrsense: the input file x.csv is missing`, "missing claim"}},
		{name: "panic", declared: &declared{Claims: []string{"a"}},
			cells: []map[string]any{codeCell(7, "%%\nrun()", stream("stdout", repro("a", "PASS")),
				stream("stderr", "panic: lrsense: bad shape\n\ngoroutine 1 [running]:\nmain.main()\n\t \x1b[7m[[ Cell [7] Line 2 ]]\x1b[0m /tmp/x/main.go:25 +0x65\nexit status 2\n"))},
			want: []string{"In [7] (run()): panic: lrsense: bad shape (at cell [7] line 2)"}},
		{name: "killed", declared: &declared{Claims: []string{"a"}},
			cells: []map[string]any{codeCell(2, "%%\nrun()", stream("stdout", repro("a", "PASS")), stream("stderr", "signal: killed\n"))},
			want:  []string{"the program was killed: signal: killed"}},
		{name: "error output", declared: &declared{Claims: []string{"a"}},
			cells: []map[string]any{codeCell(2, "!false", stream("stdout", repro("a", "PASS")),
				map[string]any{"output_type": "error", "ename": "ERROR", "evalue": "failed to run shell command", "traceback": []string{}})},
			want: []string{"In [2] (!false): error: failed to run shell command"}},
		{name: "REPRO FAIL", declared: &declared{Claims: []string{"a", "b"}},
			cells: []map[string]any{codeCell(3, "%%\nreport()", stream("stdout", repro("a", "FAIL")+repro("b", "PASS")))},
			want:  []string{"1 REPRO claim(s) FAIL: a"}},
		{name: "malformed claim line", declared: &declared{Claims: []string{"a"}},
			cells: []map[string]any{codeCell(3, "%%\nreport()", stream("stdout", repro("a", "PASS")+"REPRO\t{\"id\":\"x\",\"verdict\":\"MAYBE\"}\n"))},
			want:  []string{`unknown verdict "MAYBE"`}},
		{name: "nbconvert failed", rc: 1, declared: &declared{Claims: []string{"a"}},
			cells: []map[string]any{codeCell(3, "%%\nreport()", stream("stdout", repro("a", "PASS")))},
			want:  []string{"nbconvert exited 1"}},
		{name: "solution check fails", declared: &declared{Claims: []string{"q1"}},
			cells: []map[string]any{codeCell(3, "%%\ncheck()", stream("stdout", check("q1", "FAIL")))},
			want:  []string{"1 CHECK line(s) not PASS"}},
		{name: "student checks fail", file: "x-student.ipynb", declared: &declared{Claims: []string{"q1"}},
			cells: []map[string]any{codeCell(3, "%%\ncheck()", stream("stdout", check("q1", "FAIL")))}},
		{name: "student check passes", file: "x-student.ipynb", declared: &declared{Claims: []string{"q1"}},
			cells: []map[string]any{codeCell(3, "%%\ncheck()", stream("stdout", check("q1", "PASS")))},
			want:  []string{"student notebook: 1 CHECK line(s) not FAIL"}},
		{name: "paper-scale claim at quick scale", scale: "quick",
			declared: &declared{Claims: []string{"a"}, PaperScaleClaims: []string{"timing"}},
			cells:    []map[string]any{codeCell(3, "%%\nreport()", stream("stdout", repro("a", "PASS")))}},
		{name: "paper-scale claim missing at paper scale", scale: "paper",
			declared: &declared{Claims: []string{"a"}, PaperScaleClaims: []string{"timing"}},
			cells:    []map[string]any{codeCell(3, "%%\nreport()", stream("stdout", repro("a", "PASS")))},
			want:     []string{"missing claim(s) declared in the notebook's metadata: timing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "x.ipynb"
			}
			scale := tc.scale
			if scale == "" {
				scale = "quick"
			}
			path := writeNB(t, file, tc.declared, tc.cells...)
			r := scan(path, "", file, tc.rc, scale)
			if len(tc.want) == 0 {
				if r.Status != "ok" || len(r.Problems) > 0 {
					t.Errorf("status %s, problems %q; want ok", r.Status, r.Problems)
				}
				return
			}
			if r.Status != "FAIL" {
				t.Errorf("status %s, want FAIL", r.Status)
			}
			all := strings.Join(r.Problems, "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("no problem says %q; problems:\n%s", w, all)
				}
			}
			if tc.name == "panic" && strings.Contains(all, "exit status 2") {
				t.Errorf("the panic's exit status is reported on its own:\n%s", all)
			}
		})
	}
}

// TestScanGoNB reads a notebook executed by GoNB (testdata): a log.Fatal,
// a compile error and a panic, each shown with its message and cell.
func TestScanGoNB(t *testing.T) {
	r := scan("testdata/broken-executed.ipynb", "", "broken.ipynb", 0, "quick")
	want := []string{
		`In [5] (fmt.Println("before the fatal")): exit status 1, after: fixture: the input file x.csv is missing`,
		`In [6] (var x int = "not an int"): compile error: cell [6] line 2: cannot use "not an int" (untyped string constant) as int value in variable declaration`,
		`In [7] (panic("fixture: a panic")): panic: fixture: a panic (at cell [7] line 2)`,
		`missing claim(s) declared in the notebook's metadata: x`,
	}
	if strings.Join(r.Problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(r.Problems, "\n"), strings.Join(want, "\n"))
	}
}

func TestExtractFigures(t *testing.T) {
	svg := `<svg width="30pt" height="15pt" viewBox="0 0 30 15" xmlns="http://www.w3.org/2000/svg">` +
		`<text x="1" y="-12" transform="scale(1, -1)">Error &amp; loss</text><text x="20" y="-12">Second panel</text>` +
		`<text x="5" y="-1">iteration</text></svg>`
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(pngBuf.Bytes())
	path := writeNB(t, "f.ipynb", &declared{Claims: []string{"a"}},
		map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": "## 2. Convergence"},
		codeCell(1, "%%\nplot()", htmlOut("<div><?xml version=\"1.0\"?>\n"+svg+"\n</div>"),
			htmlOut(`<img src="data:image/png;base64,`+b64+`">`),
			htmlOut(`<table><tr><td>not a figure</td></tr></table>`)))
	out := t.TempDir()
	r := &Result{Name: "sub/f"}
	if err := r.extractFigures(out, path, false); err != nil {
		t.Fatal(err)
	}
	if len(r.Figures) != 2 {
		t.Fatalf("%d figures, want 2: %+v", len(r.Figures), r.Figures)
	}
	f := r.Figures[0]
	if f.Title != "Error & loss | Second panel" || f.Section != "2. Convergence" || f.SVG != "figures/sub/f/1.svg" || f.Width != 40 || f.Height != 20 {
		t.Errorf("SVG figure %+v", f)
	}
	if g := r.Figures[1]; g.PNG != "figures/sub/f/2.png" || g.PNGFrom != "notebook" || g.Width != 4 || g.Height != 3 {
		t.Errorf("PNG figure %+v", g)
	}
	b, err := os.ReadFile(filepath.Join(out, "figures", "sub", "f", "1.svg"))
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(b)), "</svg>") || !strings.HasPrefix(string(b), "<?xml") {
		t.Errorf("1.svg: %v\n%s", err, b)
	}
	if b, err := os.ReadFile(filepath.Join(out, "figures", "sub", "f", "2.png")); err != nil || !bytes.Equal(b, pngBuf.Bytes()) {
		t.Errorf("2.png is not the notebook's PNG: %v", err)
	}
}

// TestScanSourceDeclares: the declared ids are read from the source
// notebook when it is given (the executed copy may predate its metadata).
func TestScanSourceDeclares(t *testing.T) {
	cell := codeCell(3, "%%\nreport()", stream("stdout", repro("a", "PASS")))
	executed := writeNB(t, "x.ipynb", nil, cell)
	source := writeNB(t, "x.ipynb", &declared{Claims: []string{"a"}}, codeCell(0, "%%\nreport()"))
	if r := scan(executed, source, "x.ipynb", 0, "quick"); r.Status != "ok" {
		t.Errorf("with the source's metadata: %s %q, want ok", r.Status, r.Problems)
	}
	if r := scan(executed, "", "x.ipynb", 0, "quick"); r.Status != "FAIL" {
		t.Errorf("without it: %s, want FAIL (nothing declared)", r.Status)
	}
}
