package assign

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
)

// SubgradFunc is a student's sub-gradient of the ℓ1 loss of robust
// matrix sensing (Ma & Fattahi, JMLR 2023) in lrsense's normalization,
//
//	f(U) = ‖𝒜(UUᵀ) − y‖₁/√m,  Q = 𝒜*(Sign(𝒜(UUᵀ) − y))/√m,  D = (Q + Qᵀ)·U,
//
// at U (n×r′): it returns D (n×r′) and Q (n×n). It must not modify u.
type SubgradFunc func(p *lrsense.Problem, u *mat.Dense) (d, q *mat.Dense)

// SubGMStepFunc is a student's step t of the sub-gradient method with the
// geometric step size: U⁺ = U − η_t·D with η_t = η·ρ^t/‖Q‖₂ (‖·‖₂ the
// spectral norm), t = 0 for the first step. It must not modify u.
type SubGMStepFunc func(p *lrsense.Problem, u *mat.Dense, t int, eta, rho float64) *mat.Dense

// robustShapes explains the shapes of the sub-gradient's products.
func robustShapes(n, k int) string {
	return fmt.Sprintf("Shapes: U is %d×%d (n×r′), Q = 𝒜*(Sign(r))/√m is %d×%d (n×n), so D = (Q + Qᵀ)·U is (n×n)·(n×r′), Q on the left.", n, k, n, n)
}

// subgradRef returns the reference D and Q, and G = 𝒜*(r) (the ℓ2
// analogue of Q, built from the residual instead of its sign).
func subgradRef(p *lrsense.Problem, u *mat.Dense) (d, q, g *mat.Dense) {
	m, _, _ := p.Op.Dims()
	sm := math.Sqrt(float64(m))
	var x mat.Dense
	x.Mul(u, u.T())
	var r mat.VecDense
	p.Op.ApplyTo(&r, &x)
	r.SubVec(&r, p.Y)
	s := mat.NewVecDense(m, nil)
	for i := 0; i < m; i++ {
		switch v := r.AtVec(i); {
		case v > 0:
			s.SetVec(i, 1)
		case v < 0:
			s.SetVec(i, -1)
		}
	}
	sym := func(g *mat.Dense) *mat.Dense {
		var out, gs mat.Dense
		gs.Add(g, g.T())
		out.Mul(&gs, u)
		return &out
	}
	q = &mat.Dense{}
	p.Op.AdjointTo(q, s)
	q.Scale(1/sm, q)
	g = &mat.Dense{}
	p.Op.AdjointTo(g, &r)
	return sym(q), q, g
}

// symTimes returns s·(G + Gᵀ)·U.
func symTimes(s float64, g, u *mat.Dense) *mat.Dense {
	var gs, out mat.Dense
	gs.Add(g, g.T())
	out.Mul(&gs, u)
	out.Scale(s, &out)
	return &out
}

// robustTestProblem is a small problem with non-symmetric Gaussian A_i
// and 10% outliers.
func robustTestProblem(n, m int, seed uint64) (*lrsense.Problem, error) {
	src := lrsense.NewSource(seed)
	truth, err := lrsense.NewPSDTruth(n, []float64{3, 2, 1}, src)
	if err != nil {
		return nil, err
	}
	op, err := lrsense.NewGaussian(m, n, n, src)
	if err != nil {
		return nil, err
	}
	return lrsense.NewProblem(op, truth, &lrsense.Noise{Outliers: 0.1, OutlierStd: 10 / math.Sqrt(float64(m))}, src)
}

// CheckSubgradient compares the student's D and Q with the formula on a
// problem with non-symmetric A_i and outliers, at two points.
func CheckSubgradient(f SubgradFunc) Result {
	res := Result{Assignment: "robust", Check: "subgradient", What: "D = (Q + Qᵀ)·U and Q = 𝒜*(Sign(𝒜(UUᵀ) − y))/√m against the formula, non-symmetric A_i"}
	const n, k, m = 6, 4, 60
	p, err := robustTestProblem(n, m, 70)
	if err != nil {
		return res.fail("%v", err)
	}
	sm := math.Sqrt(m)
	for i := 0; i < 2; i++ {
		u := randomFactor(n, k, uint64(71+i))
		wantD, wantQ, g := subgradRef(p, u)
		var d, q *mat.Dense
		if e := safely(func() { d, q = f(p, mat.DenseCopyOf(u)) }); e != nil {
			return res.panicked(e, robustShapes(n, k))
		}
		if msg := shapeProblem("Q", q, n, n, "n×n, the shape of 𝒜*(v)", map[[2]int]string{
			{n, k}: "did you return D and Q in the other order? Return D first",
		}, ""); msg != "" {
			return res.fail("%s", msg)
		}
		if msg := shapeProblem("D", d, n, k, "n×r′, the shape of U", map[[2]int]string{
			{n, n}: "did you forget to multiply Q + Qᵀ by U?",
			{k, n}: "did you compute Uᵀ·(Q + Qᵀ) (the transpose of D)?",
		}, ""); msg != "" {
			return res.fail("%s", msg)
		}
		var qu, qtu mat.Dense
		qu.Mul(wantQ, u)
		qtu.Mul(wantQ.T(), u)
		ok, msg := diagnose("Q", q, wantQ, 1e-9, []candidate{
			{scaledCopy(sm, wantQ), fmt.Sprintf("Your Q is √m = %.3g times too large: Q = 𝒜*(Sign(r))/√m (lrsense's 𝒜* has one 1/√m, the paper's 1/m needs another).", sm)},
			{scaledCopy(1/sm, wantQ), fmt.Sprintf("Your Q is √m = %.3g times too small: Q = 𝒜*(Sign(r))/√m, one 1/√m on top of 𝒜*'s.", sm)},
			{scaledCopy(-1, wantQ), "Your Q has the wrong sign: the residual is 𝒜(UUᵀ) − y, not y − 𝒜(UUᵀ)."},
			{g, "You used the residual r = 𝒜(UUᵀ) − y where its sign belongs: that is the ℓ2 gradient. The ℓ1 sub-gradient uses Sign(r)."},
			{scaledCopy(1/sm, g), "You used the residual r = 𝒜(UUᵀ) − y where its sign belongs: that is the ℓ2 gradient. The ℓ1 sub-gradient uses Sign(r)."},
			{wantQ.T(), "Your Q is transposed: Q = 𝒜*(Sign(r))/√m, and the A_i are not symmetric."},
		})
		if !ok {
			return res.fail("%s", msg)
		}
		ok, msg = diagnose("D", d, wantD, 1e-9, []candidate{
			{scaledCopy(2, &qu), "Your D is 2·Q·U: without symmetrizing. The A_i are not symmetric, so D = (Q + Qᵀ)·U."},
			{&qu, "Your D is Q·U: D = (Q + Qᵀ)·U, the derivative of ⟨A_i, UUᵀ⟩ is (A_i + A_iᵀ)·U."},
			{&qtu, "Your D is Qᵀ·U: D = (Q + Qᵀ)·U."},
			{scaledCopy(0.5, wantD), "Your D is half the sub-gradient, sym(Q)·U: D = (Q + Qᵀ)·U, without the ½."},
			{scaledCopy(2, wantD), "Your D is twice the sub-gradient: D = (Q + Qᵀ)·U."},
			{scaledCopy(-1, wantD), "Your D has the wrong sign: the residual is 𝒜(UUᵀ) − y."},
			{symTimes(0.5, g, u), "Your D is the ℓ2 gradient sym(G)·U of Assignment 1: the ℓ1 sub-gradient uses Sign(𝒜(UUᵀ) − y), not the residual."},
			{symTimes(1, g, u), "Your D uses the residual r = 𝒜(UUᵀ) − y where its sign belongs: that is the ℓ2 gradient. The ℓ1 sub-gradient uses Sign(r)."},
			{symTimes(1/sm, g, u), "Your D uses the residual r = 𝒜(UUᵀ) − y where its sign belongs: that is the ℓ2 gradient. The ℓ1 sub-gradient uses Sign(r)."},
		})
		if !ok {
			return res.fail("%s", msg)
		}
	}
	res.Pass = true
	res.Message = "D and Q match the formula at two points (non-symmetric A_i, 10% outliers)."
	return res
}

// CheckSubGMStep compares the student's geometric step with the library's
// lrsense.SubGM (the geometric rule, η = 1, ρ = 0.9) at t = 0 and t = 6.
func CheckSubGMStep(step SubGMStepFunc) Result {
	res := Result{Assignment: "robust", Check: "geometric-step", What: "U − η·ρ^t/‖Q‖₂·D against lrsense.SubGM at t = 0 and t = 6"}
	const n, k, m, eta, rho = 8, 4, 80, 1.0, 0.9
	p, err := robustTestProblem(n, m, 80)
	if err != nil {
		return res.fail("%v", err)
	}
	x := lrsense.Factors{L: randomFactor(n, k, 81)}
	ref := &lrsense.SubGM{Eta: eta, Rho: rho}
	if _, err := ref.Init(p, x); err != nil {
		return res.fail("%v", err)
	}
	for t := 0; t <= 6; t++ {
		u := mat.DenseCopyOf(x.L)
		if _, err := ref.Iterate(x); err != nil {
			return res.fail("%v", err)
		}
		if t != 0 && t != 6 {
			continue
		}
		want := x.L
		d, q, _ := subgradRef(p, u)
		var svd mat.SVD
		svd.Factorize(q, mat.SVDNone)
		spec := svd.Values(nil)[0]
		var qs mat.Dense
		qs.Add(q, q.T())
		svd.Factorize(&qs, mat.SVDNone)
		specSym := svd.Values(nil)[0]
		with := func(s float64) *mat.Dense { // U − s·D
			var out mat.Dense
			out.Scale(-s, d)
			out.Add(u, &out)
			return &out
		}
		pow := func(e int) float64 { return math.Pow(rho, float64(e)) }
		var got *mat.Dense
		if e := safely(func() { got = step(p, mat.DenseCopyOf(u), t, eta, rho) }); e != nil {
			return res.panicked(e, robustShapes(n, k))
		}
		if msg := shapeProblem("U⁺", got, n, k, "n×r′, the shape of U", nil, "a step returns the new U"); msg != "" {
			return res.fail("%s", msg)
		}
		if relDiff(got, u) == 0 {
			return res.fail("U⁺ = U at t = %d: your step does not move. Subtract η·ρ^t/‖Q‖₂·D (at t = 0, ρ^t = 1).", t)
		}
		cands := []candidate{
			{with(eta * pow(t+1) / spec), "Your step size is η·ρ^(t+1)/‖Q‖₂: off by one. The first step (t = 0) has η_0 = η/‖Q‖₂."},
			{with(eta * pow(t) / mat.Norm(q, 2)), "You divided by ‖Q‖_F: gonum's mat.Norm(q, 2) is the Frobenius norm. The step uses the spectral norm ‖Q‖₂, the largest singular value (mat.SVD)."},
			{with(eta * pow(t)), "You did not divide by ‖Q‖₂: η_t = η·ρ^t/‖Q‖₂."},
			{with(eta * pow(t) / specSym), "You divided by ‖Q + Qᵀ‖₂: the step uses ‖Q‖₂."},
			{with(eta * pow(t) / (spec * spec)), "You divided by ‖Q‖₂²: η_t = η·ρ^t/‖Q‖₂."},
			{with(-eta * pow(t) / spec), "Your step goes uphill: U⁺ = U − η_t·D."},
			{with(eta * rho * float64(t) / spec), "Your step size is η·ρ·t/‖Q‖₂: the decay is geometric, ρ to the power t."},
			{with(2 * eta * pow(t) / spec), "Your step is twice the reference's: η_t = η·ρ^t/‖Q‖₂, no 2 (D = (Q + Qᵀ)·U already carries it)."},
		}
		if t > 0 {
			cands = append(cands, candidate{with(eta * pow(t-1) / spec), "Your step size is η·ρ^(t−1)/‖Q‖₂: off by one. The first step (t = 0) has η_0 = η/‖Q‖₂."})
			cands = append(cands, candidate{with(eta / spec), "Your step size does not decay: η_t = η·ρ^t/‖Q‖₂ shrinks geometrically with t."})
		}
		ok, msg := diagnose(fmt.Sprintf("U⁺ (t = %d)", t), got, want, 1e-9, cands)
		if !ok {
			return res.fail("%s If your subgradient check fails, fix that first: the step uses your D and Q.", msg)
		}
	}
	res.Pass = true
	res.Message = "Your geometric step matches lrsense.SubGM at t = 0 and t = 6."
	return res
}

// Robust is the experiment of the robust assignment (Ma & Fattahi 2023,
// Sec. 6, at a smaller size): a rank-3 PSD X⋆ = V·diag(10, 5, 1)·Vᵀ with
// n = 20, m = 400 non-symmetric Gaussian measurements of which 10% carry
// an outlier N(0, 10²) (the paper's scale), r′ = 3, the sign-spectral
// initialization with α = 1e-3, SubGM with η = 1, ρ = 0.985 (Fig. 1a's)
// for 800 iterations, against GD on the ℓ2 loss with step 0.25/σ₁.
var Robust = RobustConfig{N: 20, R: 3, M: 400, RPrime: 3, Iterations: 800, Sigma: []float64{10, 5, 1},
	P: 0.1, OutlierStd: 10, Alpha: 1e-3, Eta: 1, Rho: 0.985, GDStep: 0.025, Seed: 90}

// RobustConfig is the type of Robust.
type RobustConfig struct {
	// N is the size of X⋆ (N×N), R its rank, M the number of measurements,
	// RPrime the rank of the factors, Iterations the length of each run.
	N, R, M, RPrime, Iterations int
	// Sigma are the eigenvalues of X⋆.
	Sigma []float64
	// P is the outlier probability, OutlierStd their standard deviation in
	// the paper's scale (divided by √M for lrsense's), Alpha the scale of
	// the sign-spectral initialization.
	P, OutlierStd, Alpha float64
	// Eta and Rho are SubGM's geometric step, GDStep GD's step on the ℓ2
	// loss.
	Eta, Rho, GDStep float64
	// Seed fixes the problem.
	Seed uint64
}

// RobustProblem returns the problem of RunRobust and its initial point.
func RobustProblem() (*lrsense.Problem, lrsense.Factors, error) {
	c := Robust
	src := lrsense.NewSource(c.Seed)
	truth, err := lrsense.NewPSDTruth(c.N, c.Sigma, src)
	if err != nil {
		return nil, lrsense.Factors{}, err
	}
	op, err := lrsense.NewGaussian(c.M, c.N, c.N, src)
	if err != nil {
		return nil, lrsense.Factors{}, err
	}
	p, err := lrsense.NewProblem(op, truth, &lrsense.Noise{Outliers: c.P, OutlierStd: c.OutlierStd / math.Sqrt(float64(c.M))}, src)
	if err != nil {
		return nil, lrsense.Factors{}, err
	}
	x0, err := lrsense.SignSpectral(p, c.RPrime, c.Alpha)
	return p, x0, err
}

// RobustTarget is the relative error RunRobust asks of SubGM.
const RobustTarget = 1e-4

// robustCurveTol is how far (relative) the student's error curve may stray
// from lrsense.SubGM's. The sub-gradient step amplifies rounding: a correct
// step whose ‖Q‖₂ comes from mat.SVD (lrsense uses its own bisection, equal
// to a few ulps) ends up to 1.9e-5 away after the 800 steps, while a wrong
// step is caught to 1e-9 by the geometric-step check and strays by O(1).
const robustCurveTol = 1e-3

// RunRobust runs the student's SubGM (their step, t = 0, 1, …) and GD on
// the ℓ2 loss on the Robust experiment, and passes when the student's run
// follows lrsense.SubGM's (relative-error curves equal to robustCurveTol,
// relative) and ends at relative error ≤ RobustTarget. The message also gives GD's
// final error, for comparison. It returns the student's and GD's
// trajectories (relative error) for plotting, even when the check fails.
func RunRobust(step SubGMStepFunc) (res Result, sub, gd *lrsense.Trajectory) {
	res = Result{Assignment: "robust", Check: "survives-outliers", What: fmt.Sprintf("your SubGM with 10%% outliers: relative error ≤ %g, following lrsense.SubGM", RobustTarget)}
	c := Robust
	sub = lrsense.NewTrajectory(lrsense.Schedule{})
	gd = lrsense.NewTrajectory(lrsense.Schedule{})
	p, x0, err := RobustProblem()
	if err != nil {
		return res.fail("%v", err), sub, gd
	}
	settings := &lrsense.Settings{MaxIterations: c.Iterations}
	if _, err := lrsense.Solve(p, &lrsense.GD{Eta: c.GDStep}, x0, settings, gd); err != nil {
		return res.fail("%v", err), sub, gd
	}
	ref := lrsense.NewTrajectory(lrsense.Schedule{})
	if _, err := lrsense.Solve(p, &lrsense.SubGM{Eta: c.Eta, Rho: c.Rho}, x0, settings, ref); err != nil {
		return res.fail("%v", err), sub, gd
	}
	m := &studentMethod{
		step: func(p *lrsense.Problem, u *mat.Dense, t int) *mat.Dense {
			return step(p, u, t, c.Eta, c.Rho)
		},
		shapes: "Shapes: U is n×r′ and Q is n×n: D = (Q + Qᵀ)·U has Q on the left.",
	}
	out, err := lrsense.Solve(p, m, x0, settings, sub)
	gdErr := gd.Stats.RelErr
	switch {
	case err != nil:
		return res.fail("your SubGM stopped: %v", err), sub, gd
	}
	final := out.Stats.RelErr
	gap := curveGap(sub.Series(lrsense.SeriesRelErr), ref.Series(lrsense.SeriesRelErr))
	switch {
	case !(final <= RobustTarget) && gap > robustCurveTol:
		return res.fail("your SubGM ended at relative error %.2g after %d iterations (want ≤ %g; lrsense.SubGM reaches %.2g, GD on the ℓ2 loss %.2g): make the subgradient and geometric-step checks pass first.", final, out.Stats.Iterations, RobustTarget, ref.Stats.RelErr, gdErr), sub, gd
	case gap > robustCurveTol:
		return res.fail("your SubGM reached %.2g, but its relative-error curve differs from lrsense.SubGM's by up to %.2g (relative; want ≤ %g): your step is not the geometric SubGM step. Make the geometric-step check pass first.", final, gap, robustCurveTol), sub, gd
	case !(final <= RobustTarget):
		return res.fail("your SubGM follows lrsense.SubGM but ends at %.2g (> %g): report this to your teacher.", final, RobustTarget), sub, gd
	}
	res.Pass = true
	res.Message = fmt.Sprintf("your SubGM reached relative error %.1e in %d iterations with 10%% outliers; GD on the ℓ2 loss ends at %.2g.", final, out.Stats.Iterations, gdErr)
	return res, sub, gd
}
