// Package assign holds the answer checks of the lrsense teaching notebooks.
//
// A check takes the student's function, runs it on small seeded problems
// built with lrsense, compares the result with the library's reference and
// returns a Result: PASS, or FAIL with a hint that says what is wrong (a
// missing factor 2, a wrong transpose, a plain GD step instead of a
// preconditioned one …). The run checks (RunGD, RunPreconditioning,
// RunRobust) drive the student's update through lrsense.Solve and compare
// the whole trajectory with the library's method from the same start.
// Student code that panics or returns a matrix of the wrong shape is
// reported as a FAIL, never as a panic, so a blank assignment runs to the
// end; a panic's message names the student's function, line and statement
// (see PanicError), and notebook cells that call student code directly use
// Catch for the same.
//
// Report prints one machine-readable CHECK line per check (the claim
// protocol of package experiment, through experiment.ReportChecks), which
// docker/reproduce.sh collects. GradientChecks, PreconditioningChecks,
// SmallInitChecks and RobustChecks run all checks of one assignment, for a
// notebook's score cell and for notebooks/teaching/grader.
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
	// What says in words what the check compares.
	What string
	// Pass is the verdict.
	Pass bool
	// Message says what was measured, or what to look at (the hint).
	Message string
}

// Claim returns the result in the claim protocol of package experiment:
// ID is the check, Verdict PASS or FAIL, Reason the message.
func (r Result) Claim() experiment.Claim {
	v := experiment.Failed
	if r.Pass {
		v = experiment.Passed
	}
	what := r.What
	if what == "" {
		what = r.Check
	}
	return experiment.Claim{ID: r.Check, What: what, Verdict: v, Reason: r.Message}
}

// Line returns the machine-readable CHECK line (experiment.ParseLine reads
// it back).
func (r Result) Line() string {
	return experiment.Record{Kind: "CHECK", Notebook: r.Assignment, Claim: r.Claim()}.Line()
}

// String returns a human-readable verdict.
func (r Result) String() string {
	v := "FAIL"
	if r.Pass {
		v = "PASS"
	}
	return fmt.Sprintf("%s  %s/%s: %s", v, r.Assignment, r.Check, r.Message)
}

// Report reports the results through experiment.ReportChecks, one call per
// assignment: a table for the student and one CHECK line per result for
// docker/reproduce.sh. It returns whether all passed.
func Report(results ...Result) bool {
	all := true
	for i := 0; i < len(results); {
		j := i
		var claims []experiment.Claim
		for ; j < len(results) && results[j].Assignment == results[i].Assignment; j++ {
			claims = append(claims, results[j].Claim())
		}
		all = experiment.ReportChecks(results[i].Assignment, claims...) && all
		i = j
	}
	return all
}

// fail sets the result's message and returns it, failed.
func (r Result) fail(format string, args ...any) Result {
	r.Pass = false
	r.Message = fmt.Sprintf(format, args...)
	return r
}

// panicked returns the failed result for a panic in student code: where it
// happened and, for operands whose shapes do not fit, shapes (the shapes
// of the matrices involved and what the formula multiplies).
func (r Result) panicked(e *PanicError, shapes string) Result {
	msg := e.Error()
	if e.ShapeMismatch() && shapes != "" {
		msg += " " + shapes
	}
	return r.fail("%s", msg)
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

// shapeProblem returns "" when m is a finite r×c matrix, and otherwise
// says what is wrong: "Your ∇_L f is 4×3; it should be 6×3 (n1×r′) — did
// you multiply by Gᵀ?". sym names the shape in the formula's letters;
// hints maps a wrong shape to its likely cause, def is the hint for any
// other shape.
func shapeProblem(what string, m *mat.Dense, r, c int, sym string, hints map[[2]int]string, def string) string {
	if m == nil || m.IsEmpty() {
		return fmt.Sprintf("Your %s is nil or empty; return a %d×%d matrix (%s).", what, r, c, sym)
	}
	if mr, mc := m.Dims(); mr != r || mc != c {
		hint := hints[[2]int{mr, mc}]
		if hint == "" {
			hint = def
		}
		msg := fmt.Sprintf("Your %s is %d×%d; it should be %d×%d (%s)", what, mr, mc, r, c, sym)
		if hint != "" {
			msg += " — " + hint
		}
		return msg + "."
	}
	for i := 0; i < r; i++ {
		for _, v := range m.RawRowView(i)[:c] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Sprintf("Your %s has NaN or Inf entries.", what)
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
	noise := lrsense.Noise{Std: 1}
	noise.AddTo(y, src)
	p := &lrsense.Problem{Op: op, Y: y}
	return p
}

func randomFactor(r, c int, seed uint64) *mat.Dense {
	f := lrsense.Factors{L: lrsense.RandomFactor(r, c, 1, lrsense.StdAlpha, lrsense.NewSource(seed))}
	return f.L
}
