package assign

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStudentFunc(t *testing.T) {
	for fn, want := range map[string]bool{
		"main.SymGrad":                         true,
		"main.SymGrad.func1":                   true,
		"lrsensegrade/s07.SymGrad":             false, // no dot in the first element: a std-like path
		"grade.lrsense/s07.SymGrad":            true,
		"runtime.gopanic":                      false,
		"gonum.org/v1/gonum/mat.(*Dense).Mul":  false,
		"github.com/lrsense/lrsense/lrsense.X": false,
		"fmt.Sprint":                           false,
	} {
		if got := studentFunc(fn); got != want {
			t.Errorf("studentFunc(%q) = %v, want %v", fn, got, want)
		}
	}
	for fn, want := range map[string]string{
		"main.SymGrad":                   "SymGrad",
		"main.SymGrad.func1":             "SymGrad",
		"grade.lrsense/s07.(*T).M.func2": "(*T).M",
	} {
		if got := funcName(fn); got != want {
			t.Errorf("funcName(%q) = %q, want %q", fn, got, want)
		}
	}
}

// sourceLine maps a line of GoNB's main.go (each function with its doc
// comment, as in its cell) and of grade.sh's marked file to the cell line.
func TestSourceLine(t *testing.T) {
	dir := t.TempDir()
	gonb := filepath.Join(dir, "main.go")
	os.WriteFile(gonb, []byte("package main\n\nimport \"fmt\"\n\n// Bad panics.\n// More doc.\nfunc Bad() {\n\ta := []int{}\n\tfmt.Println(a[1])\n}\n"), 0o644)
	if c, l, s := sourceLine(gonb, 9); c != 0 || l != 5 || s != "fmt.Println(a[1])" {
		t.Errorf("GoNB file: got cell %d line %d %q, want 0, 5, fmt.Println(a[1])", c, l, s)
	}
	marked := filepath.Join(dir, "sub.go")
	os.WriteFile(marked, []byte("package s01\n\n//lrsense:cell 7 line 3\n// Bad panics.\nfunc Bad() {\n\tvar a []int\n\t_ = a[1]\n}\n"), 0o644)
	if c, l, s := sourceLine(marked, 7); c != 7 || l != 6 || s != "_ = a[1]" {
		t.Errorf("marked file: got cell %d line %d %q, want 7, 6, _ = a[1]", c, l, s)
	}
}
