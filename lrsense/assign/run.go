package assign

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
)

// studentMethod turns a student's step into an lrsense.Method, so that the
// student's code runs through the same driver, recorders and stopping
// rules as the library's solvers.
type studentMethod struct {
	step func(p *lrsense.Problem, u *mat.Dense) *mat.Dense
	p    *lrsense.Problem
	ls   *lrsense.LeastSquares
}

func (m *studentMethod) Init(p *lrsense.Problem, x lrsense.Factors) (lrsense.Measures, error) {
	m.p, m.ls = p, lrsense.NewLeastSquares(p)
	return lrsense.Measures{Loss: m.ls.Eval(nil, x), GradNorm: -1}, nil
}

func (m *studentMethod) Iterate(x lrsense.Factors) (lrsense.Measures, error) {
	var next *mat.Dense
	if msg := safely(func() { next = m.step(m.p, mat.DenseCopyOf(x.L)) }); msg != "" {
		return lrsense.Measures{}, fmt.Errorf("%s", msg)
	}
	r, c := x.L.Dims()
	if msg := shapeProblem("the new iterate", next, r, c, ""); msg != "" {
		return lrsense.Measures{}, fmt.Errorf("%s", msg)
	}
	x.L.Copy(next)
	return lrsense.Measures{Loss: m.ls.Eval(nil, x), GradNorm: -1}, nil
}

// sensingProblem returns the seeded n = 20, rank-2 PSD problem with
// condition number kappa used by the run checks.
func sensingProblem(kappa float64, seed uint64) (*lrsense.Problem, error) {
	src := lrsense.NewSource(seed)
	sigma, err := lrsense.Spectrum(2, kappa, lrsense.Linear)
	if err != nil {
		return nil, err
	}
	truth, err := lrsense.NewPSDTruth(20, sigma, src)
	if err != nil {
		return nil, err
	}
	op, err := lrsense.NewSymGaussian(300, 20, src)
	if err != nil {
		return nil, err
	}
	return lrsense.NewProblem(op, truth, nil, src)
}

// RunGD runs gradient descent with the student's gradient (step 0.25,
// r′ = 2, α = 1e-3) on a seeded rank-2 problem for at most 2000 iterations
// and checks that it reaches a relative error ≤ 1e-6. The trajectory is
// returned for plotting even when the check fails.
func RunGD(grad SymGradFunc) (Result, *lrsense.Trajectory) {
	res := Result{Assignment: "gradient", Check: "gd-converges"}
	traj := lrsense.NewTrajectory(lrsense.Schedule{})
	p, err := sensingProblem(2, 50)
	if err != nil {
		res.Message = err.Error()
		return res, traj
	}
	x0, _ := lrsense.RandomSym(20, 2, 1e-3, lrsense.StdAlphaOverSqrtRows, lrsense.NewSource(51))
	const eta = 0.25
	m := &studentMethod{step: func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
		g := grad(p, mat.DenseCopyOf(u))
		if g == nil {
			return nil
		}
		var out mat.Dense
		out.Scale(-eta, g)
		out.Add(u, &out)
		return &out
	}}
	out, err := lrsense.Solve(p, m, x0, &lrsense.Settings{MaxIterations: 2000, RelErrTol: 1e-6}, traj)
	switch {
	case err != nil:
		res.Message = "GD with your gradient stopped: " + err.Error()
	case out.Status == lrsense.Converged:
		res.Pass = true
		res.Message = fmt.Sprintf("GD with your gradient reached relative error %.1e in %d iterations.", out.Stats.RelErr, out.Stats.Iterations)
	default:
		res.Message = fmt.Sprintf("GD with your gradient ended %v at relative error %.2g after %d iterations (want ≤ 1e-6): check the gradient first.", out.Status, out.Stats.RelErr, out.Stats.Iterations)
		if e := traj.Series(lrsense.SeriesRelErr); len(e) > 0 && math.Abs(out.Stats.RelErr-e[0]) <= 1e-6*e[0] {
			res.Message += " U did not move: is your gradient zero?"
		}
	}
	return res, traj
}

// PrecondKappas are the condition numbers of RunPreconditioning.
var PrecondKappas = []float64{1, 10, 100}

// RunPreconditioning runs GD (η = 0.25) and the student's ScaledGD(λ) step
// (η = 0.5, λ = 1e-3) from the same small initialization (α = 1e-3,
// r′ = 2) on rank-2 problems with κ ∈ PrecondKappas, and checks what the
// paper claims: ScaledGD(λ)'s iterations to relative error 1e-6 change by
// less than 2× from κ = 1 to κ = 100. It returns the GD and ScaledGD(λ)
// trajectories, in the order of PrecondKappas, for plotting: all of them,
// even when the check fails at a smaller κ.
func RunPreconditioning(step ScaledStepFunc) (res Result, gd, scaled []*lrsense.Trajectory) {
	res = Result{Assignment: "preconditioning", Check: "kappa-independence"}
	const maxIter = 3000
	var iters []int
	failed := false
	for _, kappa := range PrecondKappas {
		p, err := sensingProblem(kappa, 60)
		if err != nil {
			res.Message = err.Error()
			return res, gd, scaled
		}
		x0, _ := lrsense.RandomSym(20, 2, 1e-3, lrsense.StdAlphaOverSqrtRows, lrsense.NewSource(61))
		settings := &lrsense.Settings{MaxIterations: maxIter, RelErrTol: 1e-6}
		tg := lrsense.NewTrajectory(lrsense.Schedule{Every: 5})
		if _, err := lrsense.Solve(p, &lrsense.GD{Eta: 0.25}, x0, settings, tg); err != nil {
			res.Message = err.Error()
			return res, gd, scaled
		}
		gd = append(gd, tg)
		ts := lrsense.NewTrajectory(lrsense.Schedule{Every: 5})
		m := &studentMethod{step: func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
			return step(p, u, 0.5, 1e-3)
		}}
		out, err := lrsense.Solve(p, m, x0, settings, ts)
		scaled = append(scaled, ts)
		// Keep going after a failure, so that every panel can be plotted;
		// the first failure is the one reported.
		switch {
		case failed:
		case err != nil:
			res.Message = "your ScaledGD(λ) stopped: " + err.Error()
			failed = true
		case out.Status != lrsense.Converged:
			res.Message = fmt.Sprintf("your ScaledGD(λ) did not reach 1e-6 at κ = %g in %d iterations (%v at %.2g): make the scaledgd-step check pass first.", kappa, maxIter, out.Status, out.Stats.RelErr)
			failed = true
		}
		iters = append(iters, out.Stats.Iterations)
	}
	if failed {
		return res, gd, scaled
	}
	ratio := float64(iters[len(iters)-1]) / float64(iters[0])
	res.Message = fmt.Sprintf("ScaledGD(λ) iterations to 1e-6 at κ = %v: %v (ratio %.2f).", PrecondKappas, iters, ratio)
	res.Pass = ratio < 2
	return res, gd, scaled
}
