// Package assign holds the answer checks of the lrsense teaching notebooks.
//
// A check takes the student's function, runs it on small seeded problems
// built with lrsense, compares the result with the library's reference and
// returns a Result: PASS, or FAIL with a hint that says what is wrong (a
// missing factor 2, a wrong transpose, a plain GD step instead of a
// preconditioned one …). Student code that panics or returns a matrix of
// the wrong shape is reported as a FAIL, never as a panic, so a blank
// assignment runs to the end.
//
// Report prints one machine-readable CHECK line per check (the claim
// protocol of package experiment), which docker/reproduce.sh collects.
package assign

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
	"github.com/lrsense/lrsense/lrsense/experiment"
)

// Result is the verdict of one check.
type Result struct {
	// Assignment and Check name what was checked.
	Assignment, Check string
	// Pass is the verdict.
	Pass bool
	// Message says what was measured, or what to look at.
	Message string
}

// Line returns the machine-readable CHECK line, in the claim protocol of
// package experiment (experiment.ParseLine reads it back).
func (r Result) Line() string {
	v := experiment.Failed
	if r.Pass {
		v = experiment.Passed
	}
	return experiment.Record{Kind: "CHECK", Notebook: r.Assignment,
		Claim: experiment.Claim{ID: r.Check, What: r.Check, Verdict: v, Reason: r.Message}}.Line()
}

// String returns a human-readable verdict.
func (r Result) String() string {
	v := "FAIL"
	if r.Pass {
		v = "PASS"
	}
	return fmt.Sprintf("%s  %s/%s: %s", v, r.Assignment, r.Check, r.Message)
}

// Report prints every result as a human-readable line followed by its
// CHECK line, and reports whether all passed.
func Report(results ...Result) bool {
	all := true
	for _, r := range results {
		fmt.Println(r.String())
		fmt.Println(r.Line())
		all = all && r.Pass
	}
	return all
}

// safely runs f and turns a panic into an error message.
func safely(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint("your code panicked: ", r)
		}
	}()
	f()
	return ""
}

// relDiff returns ‖a − b‖_F/‖b‖_F (‖a − b‖_F when b is zero).
func relDiff(a, b mat.Matrix) float64 {
	var d mat.Dense
	d.Sub(a, b)
	nb := mat.Norm(b, 2)
	if nb == 0 {
		return mat.Norm(&d, 2)
	}
	return mat.Norm(&d, 2) / nb
}

func scaledCopy(s float64, a mat.Matrix) *mat.Dense {
	var d mat.Dense
	d.Scale(s, a)
	return &d
}

// shapeProblem returns a message if m is nil, not finite, or not r×c.
func shapeProblem(what string, m *mat.Dense, r, c int, hint string) string {
	if m == nil || m.IsEmpty() {
		return fmt.Sprintf("%s is nil or empty: return a %d×%d matrix. %s", what, r, c, hint)
	}
	if mr, mc := m.Dims(); mr != r || mc != c {
		return fmt.Sprintf("%s is %d×%d, want %d×%d. %s", what, mr, mc, r, c, hint)
	}
	for i := 0; i < r; i++ {
		for _, v := range m.RawRowView(i)[:c] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Sprintf("%s has NaN or Inf entries.", what)
			}
		}
	}
	return ""
}

// candidate is a wrong answer students often give, with its hint.
type candidate struct {
	m    mat.Matrix
	hint string
}

// diagnose compares got with want and the known wrong answers.
func diagnose(what string, got, want mat.Matrix, tol float64, wrong []candidate) (bool, string) {
	d := relDiff(got, want)
	if d <= tol {
		return true, fmt.Sprintf("%s matches the reference (relative difference %.1e).", what, d)
	}
	if mat.Norm(got, 2) == 0 {
		return false, fmt.Sprintf("%s is zero: fill in the TODO.", what)
	}
	for _, c := range wrong {
		if r, cc := c.m.Dims(); r > 0 && cc > 0 && relDiff(got, c.m) <= tol {
			return false, c.hint
		}
	}
	return false, fmt.Sprintf("%s differs from the reference by %.2g (relative, want ≤ %.0e): compare it term by term with the formula.", what, d, tol)
}

// testProblem builds a small seeded sensing problem with random y (so the
// residual is not small) on op.
func testProblem(op lrsense.Operator, seed uint64) *lrsense.Problem {
	m, _, _ := op.Dims()
	src := lrsense.NewSource(seed)
	y := mat.NewVecDense(m, nil)
	noise := lrsense.GaussianNoise{Sigma: 1}
	noise.AddTo(y, src)
	p, err := lrsense.FromMeasurements(op, y, nil)
	if err != nil {
		panic(err)
	}
	return p
}

func randomFactor(r, c int, seed uint64) *mat.Dense {
	f, err := lrsense.RandomSym(r, c, 1, lrsense.StdAlpha, lrsense.NewSource(seed))
	if err != nil {
		panic(err)
	}
	return f.L
}
