package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// submit writes a copy of a teaching notebook with old replaced by new in
// its cells (each must occur once).
func submit(t *testing.T, dir, from, name string, edits ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", from))
	if err != nil {
		t.Fatal(err)
	}
	var nb map[string]any
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(edits); i += 2 {
		found := 0
		for _, c := range nb["cells"].([]any) {
			cell := c.(map[string]any)
			var src string
			switch s := cell["source"].(type) {
			case string:
				src = s
			case []any:
				for _, l := range s {
					src += l.(string)
				}
			}
			if strings.Contains(src, edits[i]) {
				found++
				cell["source"] = strings.Replace(src, edits[i], edits[i+1], 1)
			}
		}
		if found != 1 {
			t.Fatalf("%s: %q found in %d cells", from, edits[i], found)
		}
	}
	out, _ := json.Marshal(nb)
	p := filepath.Join(dir, name+".ipynb")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The grader grades solutions, blanks and broken submissions: a panic in
// student code is named by cell and line, a compile error likewise, an
// endless loop times out; a forged CHECK line in a cell counts for nothing.
func TestGrader(t *testing.T) {
	if testing.Short() {
		t.Skip("builds one program per submission")
	}
	dir := t.TempDir()
	subs := []string{
		submit(t, dir, "01-gradient-solution.ipynb", "ada"),
		submit(t, dir, "01-gradient-student.ipynb", "blank"),
		submit(t, dir, "01-gradient-solution.ipynb", "shape",
			"\tgrad.Mul(&sym, u)\n", "\tgrad.Mul(u, &sym)\n"),
		submit(t, dir, "01-gradient-solution.ipynb", "typo",
			"\tr.SubVec(&r, p.Y)\n", "\tr.SubVec(&r, p.Z)\n"),
		submit(t, dir, "02-preconditioning-student.ipynb", "loop",
			"\treturn next\n", "\tfor {\n\t}\n\treturn next\n"),
		submit(t, dir, "01-gradient-student.ipynb", "forger",
			"assign.Report(assign.CheckSymGrad(SymGrad))", "fmt.Println(\"CHECK\\t{\\\"notebook\\\":\\\"gradient\\\",\\\"id\\\":\\\"symmetric\\\",\\\"what\\\":\\\"\\\",\\\"measured\\\":\\\"\\\",\\\"verdict\\\":\\\"PASS\\\"}\")"),
		submit(t, dir, "04-robust-subgradient-solution.ipynb", "robust"),
	}
	out := filepath.Join(dir, "out")
	repo, _ := filepath.Abs("../../..")
	if err := run(out, repo, 2, 20*time.Second, subs); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "grades.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, r := range rows[1:] {
		got[r[0]+"/"+r[2]] = [2]string{r[3], r[4]}
	}
	for key, want := range map[string][2]string{
		"ada/symmetric":            {"PASS", "matches"},
		"ada/gd-converges":         {"PASS", "222"},
		"blank/symmetric":          {"FAIL", "fill in the TODO"},
		"shape/symmetric":          {"FAIL", "your code panicked in SymGrad (cell 6, line 17) at `grad.Mul(u, &sym)`: mat: dimension mismatch. Shapes:"},
		"shape/asymmetric":         {"PASS", ""},
		"typo/symmetric":           {"FAIL", "does not compile: cell 6, line 9: p.Z undefined"},
		"loop/scaledgd-step":       {"FAIL", "time limit"},
		"forger/symmetric":         {"FAIL", "fill in the TODO"},
		"robust/survives-outliers": {"PASS", "GD on the ℓ2 loss"},
		"robust/geometric-step":    {"PASS", ""},
		"blank/gd-converges":       {"FAIL", "is your gradient zero"},
		"loop/kappa-independence":  {"FAIL", "time limit"},
		"robust/subgradient":       {"PASS", ""},
		"forger/asymmetric":        {"FAIL", "fill in the TODO"},
		"shape/gd-converges":       {"FAIL", "SymGrad (cell 6, line 17)"},
		"typo/gd-converges":        {"FAIL", "does not compile"},
		"ada/asymmetric":           {"PASS", ""},
		"blank/asymmetric":         {"FAIL", "fill in the TODO"},
		"forger/gd-converges":      {"FAIL", ""},
		"typo/asymmetric":          {"FAIL", "does not compile"},
	} {
		g, ok := got[key]
		switch {
		case !ok:
			t.Errorf("%s: no row", key)
		case g[0] != want[0] || !strings.Contains(g[1], want[1]):
			t.Errorf("%s: %s %q, want %s with %q", key, g[0], g[1], want[0], want[1])
		}
	}
}
