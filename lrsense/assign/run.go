package assign

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
)

// studentMethod turns a student's step into an lrsense.Method, so that the
// student's code runs through the same driver, recorders and stopping
// rules as the library's solvers. step gets the iteration number t
// (0 for the step from the initial point).
type studentMethod struct {
	step func(p *lrsense.Problem, u *mat.Dense, t int) *mat.Dense
	// shapes explains the shapes of the formula when student code panics
	// on operands that do not fit.
	shapes string
	p      *lrsense.Problem
	ls     *lrsense.LeastSquares
	t      int
}

func (m *studentMethod) Init(p *lrsense.Problem, x lrsense.Factors) (lrsense.Measures, error) {
	m.p, m.ls, m.t = p, lrsense.NewLeastSquares(p), 0
	return lrsense.Measures{Loss: m.ls.Eval(nil, x), GradNorm: -1}, nil
}

func (m *studentMethod) Iterate(x lrsense.Factors) (lrsense.Measures, error) {
	var next *mat.Dense
	if e := safely(func() { next = m.step(m.p, mat.DenseCopyOf(x.L), m.t) }); e != nil {
		if s, ok := e.Value.(checkFailure); ok {
			return lrsense.Measures{}, errors.New(string(s))
		}
		msg := e.Error()
		if e.ShapeMismatch() && m.shapes != "" {
			msg += " " + m.shapes
		}
		return lrsense.Measures{}, errors.New(msg)
	}
	r, c := x.L.Dims()
	if msg := shapeProblem("new iterate", next, r, c, "n×r′, the shape of U", nil, ""); msg != "" {
		return lrsense.Measures{}, errors.New(msg)
	}
	x.L.Copy(next)
	m.t++
	return lrsense.Measures{Loss: m.ls.Eval(nil, x), GradNorm: -1}, nil
}

// checkFailure is panicked by a check's own code inside studentMethod's
// step, to stop the run with its message.
type checkFailure string

// sensingProblem returns the seeded n = 20, rank-2 PSD problem with
// condition number kappa used by the run checks, sensed by m = 300
// symmetric Gaussian measurements, or by non-symmetric ones when asym.
func sensingProblem(kappa float64, seed uint64, asym bool) (*lrsense.Problem, error) {
	src := lrsense.NewSource(seed)
	sigma := lrsense.Linear.Spectrum(2, kappa)
	truth, err := lrsense.NewPSDTruth(20, sigma, src)
	if err != nil {
		return nil, err
	}
	var op lrsense.Operator
	if asym {
		op, err = lrsense.NewGaussian(300, 20, 20, src)
	} else {
		op, err = lrsense.NewSymGaussian(300, 20, src)
	}
	if err != nil {
		return nil, err
	}
	return lrsense.NewProblem(op, truth, nil, src)
}

// itersMatch reports whether a run's iteration count agrees with the
// reference's: a correct update computes the reference's iterates up to
// rounding, so the counts agree up to rounding near the stopping level;
// 2% (at least one iteration) leaves room for that and nothing else.
func itersMatch(got, ref int) bool {
	tol := int(math.Ceil(0.02 * float64(ref)))
	if tol < 1 {
		tol = 1
	}
	return got >= ref-tol && got <= ref+tol
}

// curveGap returns the largest relative difference between two recorded
// series at their common iterations (+Inf when a value is not finite).
func curveGap(a, b []float64) float64 {
	gap := 0.0
	for i := 0; i < len(a) && i < len(b); i++ {
		d := math.Abs(a[i]-b[i]) / math.Abs(b[i])
		if math.IsNaN(d) || math.IsInf(a[i], 0) {
			return math.Inf(1)
		}
		gap = math.Max(gap, d)
	}
	return gap
}

// GDEta is the step of RunGD.
const GDEta = 0.25

// RunGD runs gradient descent with the student's gradient (step 0.25,
// r′ = 2, α = 1e-3) on a seeded rank-2 problem whose A_i are not symmetric
// (so a gradient without sym(·) takes other steps), for at most 2000
// iterations, and compares it with GD with the true gradient from the same
// start: it passes when both reach relative error 1e-6 in the same number
// of iterations (within 2%) and the relative-error curves agree to 1e-6
// (relative) at every iteration. The trajectory is returned for plotting
// even when the check fails.
func RunGD(grad SymGradFunc) (Result, *lrsense.Trajectory) {
	res := Result{Assignment: "gradient", Check: "gd-converges", What: "GD with your gradient against GD with the true gradient (non-symmetric A_i)"}
	traj := lrsense.NewTrajectory(lrsense.Schedule{})
	p, err := sensingProblem(2, 50, true)
	if err != nil {
		return res.fail("%v", err), traj
	}
	x0 := lrsense.Factors{L: lrsense.RandomFactor(20, 2, 1e-3, lrsense.StdAlphaOverSqrtRows, lrsense.NewSource(51))}
	settings := &lrsense.Settings{MaxIterations: 2000, RelErrTol: 1e-6}
	ref := lrsense.NewTrajectory(lrsense.Schedule{})
	refOut, err := lrsense.Solve(p, &lrsense.GD{Eta: GDEta}, x0, settings, ref)
	if err != nil || refOut.Status != lrsense.Converged {
		return res.fail("assign: the reference GD did not converge (%v): report this to your teacher", err), traj
	}
	m := &studentMethod{
		step: func(p *lrsense.Problem, u *mat.Dense, _ int) *mat.Dense {
			g := grad(p, mat.DenseCopyOf(u))
			r, c := u.Dims()
			if msg := shapeProblem("∇f(U)", g, r, c, "n×r′, the shape of U", nil, "the gradient has the shape of U"); msg != "" {
				panic(checkFailure(msg))
			}
			var out mat.Dense
			out.Scale(-GDEta, g)
			out.Add(u, &out)
			return &out
		},
		shapes: "Shapes: U is n×r′ and G = 𝒜*(r) is n×n: ∇f(U) = sym(G)·U has G on the left.",
	}
	out, err := lrsense.Solve(p, m, x0, settings, traj)
	tRef := refOut.Stats.Iterations
	switch {
	case err != nil:
		return res.fail("GD with your gradient stopped: %v", err), traj
	case out.Status != lrsense.Converged:
		msg := fmt.Sprintf("GD with your gradient ended %v at relative error %.2g after %d iterations (want ≤ 1e-6; the true gradient gets there in %d): check the gradient first.", out.Status, out.Stats.RelErr, out.Stats.Iterations, tRef)
		if e := traj.Series(lrsense.SeriesRelErr); len(e) > 0 && math.Abs(out.Stats.RelErr-e[0]) <= 1e-6*e[0] {
			msg += " U did not move: is your gradient zero?"
		} else if out.Status == lrsense.Diverged {
			msg += " It diverged: is the sign right, or the gradient several times too large?"
		}
		return res.fail("%s", msg), traj
	}
	t := out.Stats.Iterations
	switch gap := curveGap(traj.Series(lrsense.SeriesRelErr), ref.Series(lrsense.SeriesRelErr)); {
	case !itersMatch(t, tRef):
		ratio := float64(t) / float64(tRef)
		msg := fmt.Sprintf("GD with your gradient reached 1e-6 in %d iterations, with the true gradient in %d (want within 2%%, the same iterates up to rounding).", t, tRef)
		switch {
		case math.Abs(ratio-0.5) < 0.1:
			msg += " About half as many: is your gradient twice the true one?"
		case math.Abs(ratio-2) < 0.4:
			msg += " About twice as many: is your gradient half the true one?"
		default:
			msg += " Your gradient takes other steps: make the symmetric check pass first (a missing sym(G) shows here, since these A_i are not symmetric)."
		}
		return res.fail("%s", msg), traj
	case gap > 1e-6:
		return res.fail("GD with your gradient reached 1e-6 in %d iterations (the true gradient: %d), but its relative-error curve differs from the true gradient's by up to %.2g (relative; want ≤ 1e-6): your gradient is not ∇f. Make the symmetric check pass first.", t, tRef, gap), traj
	}
	res.Pass = true
	res.Message = fmt.Sprintf("GD with your gradient reached relative error %.1e in %d iterations, as GD with the true gradient (%d).", out.Stats.RelErr, t, tRef)
	return res, traj
}

// PrecondKappas are the condition numbers of RunPreconditioning.
var PrecondKappas = []float64{1, 10, 100}

// RunPreconditioning runs GD (η = 0.25) and the student's ScaledGD(λ) step
// (η = 0.5, λ = 1e-3) from the same small initialization (α = 1e-3,
// r′ = 2) on rank-2 problems with κ ∈ PrecondKappas. It passes when the
// student's run follows lrsense.ScaledGD(λ)'s at every κ (relative-error
// curves equal to 1e-6, relative: the same iterates up to rounding) and
// shows what the paper claims: the iterations to relative error 1e-6
// change by less than 2× from κ = 1 to κ = 100. It returns the GD and
// ScaledGD(λ) trajectories, in the order of PrecondKappas, for plotting:
// all of them, even when the check fails at a smaller κ.
func RunPreconditioning(step ScaledStepFunc) (res Result, gd, scaled []*lrsense.Trajectory) {
	res = Result{Assignment: "preconditioning", Check: "kappa-independence", What: "your ScaledGD(λ) follows lrsense.ScaledGD; iterations to 1e-6 at κ = 100 over κ = 1 < 2"}
	refs, err := precondRefs()
	if err != nil {
		return res.fail("%v", err), gd, scaled
	}
	var iters []int
	failed := false
	for i, kappa := range PrecondKappas {
		gd = append(gd, refs[i].gd)
		ts := lrsense.NewTrajectory(lrsense.Schedule{Every: 5})
		m := &studentMethod{step: func(p *lrsense.Problem, u *mat.Dense, _ int) *mat.Dense {
			return step(p, u, 0.5, 1e-3)
		}, shapes: "Shapes: X and ∇f(X) are n×r′, P = XᵀX + λI is r′×r′: P⁻¹ multiplies ∇f(X) on the right."}
		out, err := lrsense.Solve(refs[i].p, m, refs[i].x0, precondSettings, ts)
		scaled = append(scaled, ts)
		// Keep going after a failure, so that every panel can be plotted;
		// the first failure is the one reported.
		if failed {
			continue
		}
		if err != nil {
			res = res.fail("your ScaledGD(λ) stopped at κ = %g: %v", kappa, err)
			failed = true
			continue
		}
		gap := curveGap(ts.Series(lrsense.SeriesRelErr), refs[i].scaled.Series(lrsense.SeriesRelErr))
		switch {
		case gap > 1e-6:
			res = res.fail("your ScaledGD(λ) takes other steps than lrsense.ScaledGD(λ) at κ = %g: the relative-error curves differ by up to %.2g (relative; want ≤ 1e-6), and yours ends %v at %.2g after %d iterations. Make the scaledgd-step check pass first.", kappa, gap, out.Status, out.Stats.RelErr, out.Stats.Iterations)
			failed = true
		case out.Status != lrsense.Converged:
			res = res.fail("your ScaledGD(λ) did not reach 1e-6 at κ = %g in %d iterations (%v at %.2g).", kappa, precondSettings.MaxIterations, out.Status, out.Stats.RelErr)
			failed = true
		}
		iters = append(iters, out.Stats.Iterations)
	}
	if failed {
		return res, gd, scaled
	}
	ratio := float64(iters[len(iters)-1]) / float64(iters[0])
	res.Message = fmt.Sprintf("ScaledGD(λ) iterations to 1e-6 at κ = %v: %v (ratio %.2f, want < 2).", PrecondKappas, iters, ratio)
	res.Pass = ratio < 2
	return res, gd, scaled
}

var precondSettings = &lrsense.Settings{MaxIterations: 3000, RelErrTol: 1e-6}

// precondRef is the problem, start and reference runs of one κ.
type precondRef struct {
	p          *lrsense.Problem
	x0         lrsense.Factors
	gd, scaled *lrsense.Trajectory
}

var precondCache struct {
	sync.Once
	refs []precondRef
	err  error
}

// precondRefs returns the reference runs of RunPreconditioning, computed
// once per process (they are deterministic). Callers must not modify them.
func precondRefs() ([]precondRef, error) {
	c := &precondCache
	c.Do(func() {
		for _, kappa := range PrecondKappas {
			p, err := sensingProblem(kappa, 60, false)
			if err != nil {
				c.err = err
				return
			}
			x0 := lrsense.Factors{L: lrsense.RandomFactor(20, 2, 1e-3, lrsense.StdAlphaOverSqrtRows, lrsense.NewSource(61))}
			r := precondRef{p: p, x0: x0,
				gd:     lrsense.NewTrajectory(lrsense.Schedule{Every: 5}),
				scaled: lrsense.NewTrajectory(lrsense.Schedule{Every: 5})}
			if _, err := lrsense.Solve(p, &lrsense.GD{Eta: 0.25}, x0, precondSettings, r.gd); err != nil {
				c.err = err
				return
			}
			if _, err := lrsense.Solve(p, &lrsense.ScaledGD{Eta: 0.5, Lambda: 1e-3}, x0, precondSettings, r.scaled); err != nil {
				c.err = err
				return
			}
			c.refs = append(c.refs, r)
		}
	})
	return c.refs, c.err
}
