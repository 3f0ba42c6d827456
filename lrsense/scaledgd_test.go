package lrsense

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// identityProblem measures the n1×n2 matrix xstar with the identity
// operator (𝒜*𝒜 = I, so G = X − X⋆ exactly).
func identityProblem(t *testing.T, xstar *mat.Dense, truth bool) *Problem {
	t.Helper()
	n1, n2 := xstar.Dims()
	op, err := newFullObservation(n1, n2)
	if err != nil {
		t.Fatal(err)
	}
	y := mat.NewVecDense(n1*n2, nil)
	op.ApplyTo(y, xstar)
	var tr *Truth
	if truth {
		tr = &Truth{X: xstar}
	}
	p := &Problem{Op: op, Y: y, Truth: tr}
	return p
}

func checkDense(t *testing.T, what string, got, want *mat.Dense, tol float64) {
	t.Helper()
	if !mat.EqualApprox(got, want, tol) {
		t.Errorf("%s = %v, want %v", what, mat.Formatted(got, mat.Squeeze()), mat.Formatted(want, mat.Squeeze()))
	}
}

// One symmetric ScaledGD(λ) step worked by hand: X⋆ = diag(2, 0), U = (1, 1)ᵀ,
// G = UUᵀ − X⋆ = [[-1 1] [1 1]], ∇f = G·U = (0, 2)ᵀ, UᵀU + λ = 3,
// U' = U − 0.3·(0, 2)ᵀ/3 = (1, 0.8)ᵀ; f(U) = ¼‖G‖² = 1 and
// f(U') = ¼(1 + 2·0.64 + 0.4096) = 0.6724.
func TestScaledGDHandStepSym(t *testing.T) {
	p := identityProblem(t, mat.NewDense(2, 2, []float64{2, 0, 0, 0}), true)
	x := Factors{L: mat.NewDense(2, 1, []float64{1, 1})}
	m := &ScaledGD{Eta: 0.3, Lambda: 1}
	st, err := m.Init(p, x)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(st.Loss-1) > 1e-14 || math.Abs(st.GradNorm-2) > 1e-14 {
		t.Errorf("Init: loss %v gradnorm %v, want 1 and 2", st.Loss, st.GradNorm)
	}
	st, err = m.Iterate(x)
	if err != nil {
		t.Fatal(err)
	}
	checkDense(t, "U'", x.L, mat.NewDense(2, 1, []float64{1, 0.8}), 1e-14)
	if math.Abs(st.Loss-0.6724) > 1e-14 {
		t.Errorf("loss after the step %v, want 0.6724", st.Loss)
	}
}

// One asymmetric step by hand: X⋆ = 0, L = I, R = [[1 1] [0 1]], so
// G = LRᵀ = Rᵀ, ∇_L = G·R = [[1 1] [1 2]], ∇_R = Gᵀ·L = R;
// RᵀR + I = [[2 1] [1 3]] with inverse [[3 −1] [−1 2]]/5, LᵀL + I = 2I.
// η = 0.5: L' = L − ½·[[2 1] [1 3]]/5 = [[0.8 −0.1] [−0.1 0.7]],
// R' = R − ½·R/2 = 0.75·R.
func TestScaledGDHandStepAsym(t *testing.T) {
	p := identityProblem(t, mat.NewDense(2, 2, nil), false)
	x := Factors{L: eye(2), R: mat.NewDense(2, 2, []float64{1, 1, 0, 1})}
	m := &ScaledGD{Eta: 0.5, Lambda: 1}
	if _, err := m.Init(p, x); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Iterate(x); err != nil {
		t.Fatal(err)
	}
	checkDense(t, "L'", x.L, mat.NewDense(2, 2, []float64{0.8, -0.1, -0.1, 0.7}), 1e-14)
	checkDense(t, "R'", x.R, mat.NewDense(2, 2, []float64{0.75, 0.75, 0, 0.75}), 1e-14)
}

// The Cholesky solves agree with the update written with explicit inverses
// on a random rectangular problem (Gaussian operator, r′ = 3).
func TestScaledGDMatchesInverseFormula(t *testing.T) {
	src := NewSource(11)
	sigma := Linear.Spectrum(2, 4)
	truth, err := NewLowRankTruth(6, 5, sigma, src)
	if err != nil {
		t.Fatal(err)
	}
	op, err := NewGaussian(60, 6, 5, src)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProblem(op, truth, &Noise{Std: 0.1}, src)
	if err != nil {
		t.Fatal(err)
	}
	{
		x := Factors{L: RandomFactor(6, 3, 0.5, StdAlpha, src), R: RandomFactor(5, 3, 0.7, StdAlpha, src)}
		const eta, lambda = 0.4, 0.05
		// Reference: explicit inverses.
		var grad Factors
		NewLeastSquares(p).Eval(&grad, x)
		pre := func(f *mat.Dense) *mat.Dense {
			var g, inv mat.Dense
			g.Mul(f.T(), f)
			for i := 0; i < 3; i++ {
				g.Set(i, i, g.At(i, i)+lambda)
			}
			if err := inv.Inverse(&g); err != nil {
				t.Fatal(err)
			}
			return &inv
		}
		var dl, dr, wantL, wantR mat.Dense
		dl.Mul(grad.L, pre(x.R))
		dr.Mul(grad.R, pre(x.L))
		dl.Scale(eta, &dl)
		dr.Scale(eta, &dr)
		wantL.Sub(x.L, &dl)
		wantR.Sub(x.R, &dr)

		m := &ScaledGD{Eta: eta, Lambda: lambda}
		if _, err := m.Init(p, x); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Iterate(x); err != nil {
			t.Fatal(err)
		}
		checkDense(t, "L'", x.L, &wantL, 1e-12)
		checkDense(t, "R'", x.R, &wantR, 1e-12)
	}
}

// precondProblem is an over-parameterized symmetric problem with an
// ill-conditioned truth: n = 20, r⋆ = 2 (κ = 100), r′ = 4, m = 2000
// (m must be large for a κ = 100 truth: with fewer samples the
// over-parameterized columns grow during the first steps and ScaledGD(λ)
// ends sublinearly).
func precondProblem(t *testing.T, sym bool) *Problem {
	t.Helper()
	src := NewSource(21)
	sigma := Geometric.Spectrum(2, 100)
	var err error
	var truth *Truth
	var op Operator
	if sym {
		truth, err = NewPSDTruth(20, sigma, src)
		if err == nil {
			op, err = NewSymGaussian(2000, 20, src)
		}
	} else {
		truth, err = NewLowRankTruth(20, 20, sigma, src)
		if err == nil {
			op, err = NewGaussian(2000, 20, 20, src)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func precondInit(t *testing.T, sym bool, alpha float64) Factors {
	t.Helper()
	var x Factors
	var err error
	if sym {
		x = Factors{L: RandomFactor(20, 4, alpha, StdAlphaOverSqrtRows, NewSource(22))}
	} else {
		x = Factors{L: RandomFactor(20, 4, alpha, StdAlphaOverSqrtRows, NewSource(22)), R: RandomFactor(20, 4, alpha, StdAlphaOverSqrtRows, NewSource(22))}
	}
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// ScaledGD(λ) recovers an ill-conditioned (κ = 100) truth from a small
// random over-parameterized start in a few hundred iterations, where GD with
// its best stable step needs many times more.
func TestScaledGDConvergesIllConditioned(t *testing.T) {
	for _, sym := range []bool{true, false} {
		p := precondProblem(t, sym)
		x0 := precondInit(t, sym, 1e-12)
		set := &Settings{MaxIterations: 600, RelErrTol: 1e-8}
		res, err := Solve(p, &ScaledGD{Eta: 0.5, Lambda: 0.01}, x0, set, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != Converged {
			t.Fatalf("sym=%v: ScaledGD(λ) status %v, relative error %v after %d iterations", sym, res.Status, res.Stats.RelErr, res.Stats.Iterations)
		}
		gd, err := Solve(p, &GD{Eta: 0.3}, x0, &Settings{MaxIterations: 5 * res.Stats.Iterations, RelErrTol: 1e-8}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if gd.Status == Converged {
			t.Errorf("sym=%v: GD converged in %d iterations, ScaledGD(λ) in %d: expected GD ≥ 5× slower at κ = 100", sym, gd.Stats.Iterations, res.Stats.Iterations)
		}
		t.Logf("sym=%v: ScaledGD(λ) %d iterations; GD relative error %.2g after %d", sym, res.Stats.Iterations, gd.Stats.RelErr, gd.Stats.Iterations)
	}
}

func TestScaledGDBadParameters(t *testing.T) {
	p := precondProblem(t, true)
	x0 := precondInit(t, true, 1e-3)
	for _, m := range []Method{
		&ScaledGD{Eta: 0, Lambda: 1},
		&ScaledGD{Eta: -1, Lambda: 1},
		&ScaledGD{Eta: math.Inf(1), Lambda: 1},
		&ScaledGD{Eta: math.NaN(), Lambda: 1},
		&ScaledGD{Eta: 0.5, Lambda: -1e-3},
		&ScaledGD{Eta: 0.5, Lambda: math.NaN()},
		&ScaledGD{Eta: 0.5, Lambda: math.Inf(1)},
	} {
		if _, err := m.Init(p, x0); !errors.Is(err, ErrBadParam) {
			t.Errorf("%+v: Init error %v, want ErrBadParam", m, err)
		}
	}
	// λ = 0 from a rank-deficient start: the preconditioner is singular.
	zero := Factors{L: mat.NewDense(20, 4, nil)}
	if _, err := (&ScaledGD{Eta: 0.5}).Init(p, zero); !errors.Is(err, ErrBadParam) {
		t.Errorf("λ = 0 from U₀ = 0: error %v, want ErrBadParam", err)
	}
	// With λ > 0 the same start is fine.
	if _, err := (&ScaledGD{Eta: 0.5, Lambda: 1e-3}).Init(p, zero); err != nil {
		t.Errorf("λ > 0 from U₀ = 0: %v", err)
	}
}

// With λ = 0 a factor that reaches exact rank deficiency mid-run stops the
// run with NonFinite and keeps the last iterate: X⋆ = 0, U = (1, 0)ᵀ and
// η = 1 give U₁ = U − U·|U|²/|U|² = 0, and the next preconditioner is 0.
func TestScaledGDSingularMidRun(t *testing.T) {
	p := identityProblem(t, mat.NewDense(2, 2, nil), false)
	x0 := Factors{L: mat.NewDense(2, 1, []float64{1, 0})}
	res, err := Solve(p, &ScaledGD{Eta: 1}, x0, &Settings{MaxIterations: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != NonFinite || res.Stats.Iterations != 2 {
		t.Errorf("status %v after %d iterations, want NonFinite after 2", res.Status, res.Stats.Iterations)
	}
	if mat.Norm(res.X.L, 2) != 0 {
		t.Errorf("last iterate %v, want the exact zero reached at step 1", mat.Formatted(res.X.L))
	}
}

func TestScaledGDAllocations(t *testing.T) {
	p := precondProblem(t, false)
	x := precondInit(t, false, 1e-3)
	m := &ScaledGD{Eta: 0.5, Lambda: 1e-3}
	if _, err := m.Init(p, x); err != nil {
		t.Fatal(err)
	}
	m.Iterate(x)
	gd := &GD{Eta: 1e-3}
	gd.Init(p, x)
	base := testing.AllocsPerRun(20, func() { gd.Iterate(x) })
	got := testing.AllocsPerRun(20, func() { m.Iterate(x) })
	if got > base {
		t.Errorf("ScaledGD iteration allocates %v times, a GD iteration %v", got, base)
	}
	t.Logf("allocations per iteration: %v", got)
}

// The symmetric step the scaledgd-lambda notebook takes (GOE-type operator,
// over-parameterized r′ = 3 > r⋆ = 2, noise, λ > 0) agrees with
// X − η·sym(G)·X·(XᵀX + λI)⁻¹ written with an explicit inverse.
func TestScaledGDSymMatchesInverseFormula(t *testing.T) {
	src := NewSource(12)
	sigma := Geometric.Spectrum(2, 10)
	truth, err := NewPSDTruth(6, sigma, src)
	if err != nil {
		t.Fatal(err)
	}
	op, err := NewSymGaussian(80, 6, src)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProblem(op, truth, &Noise{Std: 0.05}, src)
	if err != nil {
		t.Fatal(err)
	}
	x := Factors{L: RandomFactor(6, 3, 0.5, StdAlpha, src)}
	const eta, lambda = 0.5, 0.03
	var grad Factors
	NewLeastSquares(p).Eval(&grad, x)
	var g, inv, d, want mat.Dense
	g.Mul(x.L.T(), x.L)
	for i := 0; i < 3; i++ {
		g.Set(i, i, g.At(i, i)+lambda)
	}
	if err := inv.Inverse(&g); err != nil {
		t.Fatal(err)
	}
	d.Mul(grad.L, &inv)
	d.Scale(eta, &d)
	want.Sub(x.L, &d)

	m := &ScaledGD{Eta: eta, Lambda: lambda}
	if _, err := m.Init(p, x); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Iterate(x); err != nil {
		t.Fatal(err)
	}
	checkDense(t, "X'", x.L, &want, 1e-12)
}
