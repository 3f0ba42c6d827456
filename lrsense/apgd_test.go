package lrsense

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// apgdTiny is a 3×2 problem with m = 5 Gaussian measurements and r = 2.
func apgdTiny(t *testing.T) (*Problem, *rand.Rand) {
	t.Helper()
	src := NewSource(7)
	op := mustOp(NewGaussian(5, 3, 2, src))
	truth, err := NewLowRankTruth(3, 2, []float64{1}, src)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	return p, rand.New(src)
}

// apgdAdjoint returns G = 𝒜*(𝒜(LRᵀ) − y), computed directly.
func apgdAdjoint(p *Problem, l, r mat.Matrix) *mat.Dense {
	var x mat.Dense
	x.Mul(l, r.T())
	var res mat.VecDense
	p.Op.ApplyTo(&res, &x)
	res.SubVec(&res, p.Y)
	var g mat.Dense
	p.Op.AdjointTo(&g, &res)
	return &g
}

// apgdInvStep returns f − η·op(G)·F(FᵀF)⁻¹ with an explicit inverse.
func apgdInvStep(t *testing.T, f, g mat.Matrix, other *mat.Dense, eta float64) *mat.Dense {
	t.Helper()
	var gram, inv, pre, d, out mat.Dense
	gram.Mul(other.T(), other)
	if err := inv.Inverse(&gram); err != nil {
		t.Fatal(err)
	}
	pre.Mul(other, &inv)
	d.Mul(g, &pre)
	d.Scale(eta, &d)
	out.Sub(f, &d)
	return &out
}

func apgdClose(t *testing.T, what string, got, want mat.Matrix, tol float64) {
	t.Helper()
	var d mat.Dense
	d.Sub(got, want)
	if e := mat.Norm(&d, 2); !(e <= tol*math.Max(1, mat.Norm(want, 2))) {
		t.Errorf("%s differs by %g:\n got %v\nwant %v", what, e, mat.Formatted(got), mat.Formatted(want))
	}
}

// One step on a tiny problem against the formulas with explicit inverses;
// the R step must use the new L.
func TestAPGDOneStep(t *testing.T) {
	p, rnd := apgdTiny(t)
	x := Factors{L: randDense(3, 2, rnd), R: randDense(2, 2, rnd)}
	eta := 0.5
	l1 := apgdInvStep(t, x.L, apgdAdjoint(p, x.L, x.R), x.R, eta)
	r1 := apgdInvStep(t, x.R, apgdAdjoint(p, l1, x.R).T(), l1, eta)

	a := &APGD{Eta: eta}
	if _, err := a.Init(p, x); err != nil {
		t.Fatal(err)
	}
	step, err := a.Iterate(x)
	if err != nil {
		t.Fatal(err)
	}
	apgdClose(t, "L", x.L, l1, 1e-12)
	apgdClose(t, "R", x.R, r1, 1e-12)

	// The reported loss is ½‖𝒜(L₁R₁ᵀ) − y‖² at the new iterate.
	var prod mat.Dense
	prod.Mul(l1, r1.T())
	var res mat.VecDense
	p.Op.ApplyTo(&res, &prod)
	res.SubVec(&res, p.Y)
	if want := mat.Dot(&res, &res) / 2; math.Abs(step.Loss-want) > 1e-12*want {
		t.Errorf("loss %v, want %v", step.Loss, want)
	}
}

// A rank-deficient R (two equal columns c): (RᵀR) is singular and the
// pseudo-inverse gives R(RᵀR)^† = [c c]/(2‖c‖²), by hand.
func TestAPGDRankDeficientStep(t *testing.T) {
	p, rnd := apgdTiny(t)
	c := []float64{0.3, -1.1}
	x := Factors{L: randDense(3, 2, rnd), R: mat.NewDense(2, 2, []float64{c[0], c[0], c[1], c[1]})}
	eta := 0.7
	cc := c[0]*c[0] + c[1]*c[1]
	pre := mat.NewDense(2, 2, []float64{c[0] / (2 * cc), c[0] / (2 * cc), c[1] / (2 * cc), c[1] / (2 * cc)})
	var d, l1 mat.Dense
	d.Mul(apgdAdjoint(p, x.L, x.R), pre)
	d.Scale(eta, &d)
	l1.Sub(x.L, &d)
	r1 := apgdInvStep(t, x.R, apgdAdjoint(p, &l1, x.R).T(), &l1, eta)

	a := &APGD{Eta: eta}
	if _, err := a.Init(p, x); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Iterate(x); err != nil {
		t.Fatal(err)
	}
	apgdClose(t, "L", x.L, &l1, 1e-10)
	apgdClose(t, "R", x.R, r1, 1e-10)

	// An all-zero R leaves L unchanged (no NaN).
	x = Factors{L: randDense(3, 2, rnd), R: mat.NewDense(2, 2, nil)}
	l0 := mat.DenseCopyOf(x.L)
	if _, err := a.Init(p, x); err != nil {
		t.Fatal(err)
	}
	a.precondStep(x.L, a.ls.Adjoint(), false, x.R)
	apgdClose(t, "L with R = 0", x.L, l0, 0)
}

// apgdProblem is a seeded over-parameterized problem: rank 2 truth with
// κ = 10, r = 2r⋆, m = 5·(n1+n2)·r⋆ Gaussian measurements.
func apgdProblem(t testing.TB, seed uint64, noise *Noise) (*Problem, Factors) {
	src := NewSource(seed)
	sigma := Linear.Spectrum(2, 10)
	truth, err := NewLowRankTruth(12, 10, sigma, src)
	if err != nil {
		t.Fatal(err)
	}
	op := mustOp(NewGaussian(5*22*2, 12, 10, src))
	p, err := NewProblem(op, truth, noise, src)
	if err != nil {
		t.Fatal(err)
	}
	x0 := Factors{L: RandomFactor(12, 4, 1, StdAlphaOverSqrtRows, src), R: RandomFactor(10, 4, 1, StdAlphaOverSqrtRows, src)}
	return p, x0
}

// Noiseless recovery with r = 2r⋆ from a random (not small) initialization:
// the run ends with a factor that is numerically rank deficient, which the
// explicit inverse of the paper could not handle.
func TestAPGDConverges(t *testing.T) {
	p, x0 := apgdProblem(t, 3, nil)
	res, err := Solve(p, &APGD{Eta: 0.5}, x0, &Settings{MaxIterations: 2000, RelErrTol: 1e-12}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Converged {
		t.Fatalf("status %v after %d iterations, relerr %g", res.Status, res.Stats.Iterations, res.Stats.RelErr)
	}
	if res.Stats.Iterations > 400 {
		t.Errorf("took %d iterations to 1e-12", res.Stats.Iterations)
	}
	cond := func(f *mat.Dense) float64 {
		var svd mat.SVD
		svd.Factorize(f, mat.SVDNone)
		s := svd.Values(nil)
		return s[len(s)-1] / s[0]
	}
	if cl, cr := cond(res.X.L), cond(res.X.R); min(cl, cr) > 1e-4 {
		t.Errorf("no factor became rank deficient: σ_min/σ_max of L %g, of R %g", cl, cr)
	}
}

// Entry sampling (matrix completion) from a random initialization, with the
// exact rank r = r⋆ (with r > r⋆ APGD fits the observed entries exactly
// and puts spikes on unobserved ones).
func TestAPGDMatrixCompletion(t *testing.T) {
	src := NewSource(11)
	truth, err := NewLowRankTruth(20, 20, []float64{1, 0.5}, src)
	if err != nil {
		t.Fatal(err)
	}
	op := mustOp(NewEntrySampling(200, 20, 20, src))
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	x0 := Factors{L: RandomFactor(20, 2, 1, StdAlphaOverSqrtRows, src), R: RandomFactor(20, 2, 1, StdAlphaOverSqrtRows, src)}
	res, err := Solve(p, &APGD{Eta: 0.5}, x0, &Settings{MaxIterations: 3000, RelErrTol: 1e-8}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Converged {
		t.Fatalf("status %v after %d iterations, relerr %g", res.Status, res.Stats.Iterations, res.Stats.RelErr)
	}
}

func TestAPGDBadParameters(t *testing.T) {
	p, x0 := apgdProblem(t, 1, nil)
	for _, a := range []*APGD{
		{}, {Eta: -1}, {Eta: math.NaN()}, {Eta: math.Inf(1)},
		{Eta: 0.5, Cutoff: -1}, {Eta: 0.5, Cutoff: 1}, {Eta: 0.5, Cutoff: math.NaN()},
	} {
		if _, err := a.Init(p, x0); !errors.Is(err, ErrBadParam) {
			t.Errorf("%+v: error %v, want ErrBadParam", *a, err)
		}
	}
	sp := recoveryProblem(t, 1, true)
	n, _ := sp.Dims()
	if _, err := (&APGD{Eta: 0.5}).Init(sp, Factors{L: mat.NewDense(n, 2, nil)}); !errors.Is(err, ErrBadParam) {
		t.Errorf("symmetric factors: error %v, want ErrBadParam", err)
	}
}

// With full observation (Identity operator) and η = 1 the L step of APGD is
// the exact least-squares solve L = Y·R(RᵀR)⁻¹ (alternating least squares):
// then L·Rᵀ = Y·P_R, checked by hand on a 2×2 example with R = I·c.
func TestAPGDIdentityIsALS(t *testing.T) {
	op := mustOp(newFullObservation(2, 2))
	y := mat.NewVecDense(4, []float64{1, 2, 3, 4}) // Y = [1 2; 3 4]
	p := &Problem{Op: op, Y: y}
	// R = 2·e₁ (one column): R(RᵀR)⁻¹ = e₁/2, so L₁ = L₀ − (L₀Rᵀ − Y)·e₁/2
	// = Y·e₁/2 = [0.5; 1.5] whatever L₀ is.
	x := Factors{L: mat.NewDense(2, 1, []float64{7, -3}), R: mat.NewDense(2, 1, []float64{2, 0})}
	a := &APGD{Eta: 1}
	if _, err := a.Init(p, x); err != nil {
		t.Fatal(err)
	}
	a.precondStep(x.L, a.ls.Adjoint(), false, x.R)
	apgdClose(t, "L after the L step", x.L, mat.NewDense(2, 1, []float64{0.5, 1.5}), 1e-15)

	// A full step: the R step then solves R = Yᵀ·L(LᵀL)⁻¹ with the new L:
	// L = [0.5; 1.5], LᵀL = 2.5, Yᵀ·L = [0.5+4.5; 1+6] = [5; 7], R = [2; 2.8].
	x = Factors{L: mat.NewDense(2, 1, []float64{7, -3}), R: mat.NewDense(2, 1, []float64{2, 0})}
	if _, err := a.Init(p, x); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Iterate(x); err != nil {
		t.Fatal(err)
	}
	apgdClose(t, "L", x.L, mat.NewDense(2, 1, []float64{0.5, 1.5}), 1e-14)
	apgdClose(t, "R", x.R, mat.NewDense(2, 1, []float64{2, 2.8}), 1e-14)
}
