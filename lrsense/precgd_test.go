package lrsense

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// One symmetric PrecGD step by hand, on the problem of
// TestScaledGDHandStepSym: the residual is G = [[-1 1] [1 1]] (identity
// operator), so λ₀ = ‖G‖_F = 2, UᵀU + λ₀ = 4 and, with η = 0.5,
// U' = (1, 1)ᵀ − 0.5·(0, 2)ᵀ/4 = (1, 0.75)ᵀ.
func TestPrecGDHandStepSym(t *testing.T) {
	p := identityProblem(t, mat.NewDense(2, 2, []float64{2, 0, 0, 0}), true)
	x := Factors{L: mat.NewDense(2, 1, []float64{1, 1})}
	m := &PrecGD{Eta: 0.5}
	if _, err := m.Init(p, x); err != nil {
		t.Fatal(err)
	}
	if d := m.Damping(); math.Abs(d-2) > 1e-14 {
		t.Errorf("λ₀ = %v, want 2", d)
	}
	st, err := m.Iterate(x)
	if err != nil {
		t.Fatal(err)
	}
	checkDense(t, "U'", x.L, mat.NewDense(2, 1, []float64{1, 0.75}), 1e-14)
	// G' = [[-1 0.75] [0.75 0.5625]]: f = ¼(1 + 2·0.5625 + 0.31640625).
	if want := (1 + 2*0.5625 + 0.31640625) / 4; math.Abs(st.Loss-want) > 1e-14 {
		t.Errorf("loss after the step %v, want %v", st.Loss, want)
	}
	if d := m.Damping(); math.Abs(d-math.Sqrt(4*st.Loss)) > 1e-14 {
		t.Errorf("λ₁ = %v, want 2√f = %v", d, math.Sqrt(4*st.Loss))
	}
}

// The asymmetric step of TestScaledGDHandStepAsym: there ‖𝒜(LRᵀ) − y‖ =
// ‖Rᵀ‖_F = √3, so Scale = 1/√3 gives λ₀ = 1 and the same step.
func TestPrecGDHandStepAsym(t *testing.T) {
	p := identityProblem(t, mat.NewDense(2, 2, nil), false)
	x := Factors{L: eye(2), R: mat.NewDense(2, 2, []float64{1, 1, 0, 1})}
	m := &PrecGD{Eta: 0.5, Scale: 1 / math.Sqrt(3)}
	if _, err := m.Init(p, x); err != nil {
		t.Fatal(err)
	}
	if d := m.Damping(); math.Abs(d-1) > 1e-14 {
		t.Errorf("λ₀ = %v, want 1", d)
	}
	if _, err := m.Iterate(x); err != nil {
		t.Fatal(err)
	}
	checkDense(t, "L'", x.L, mat.NewDense(2, 2, []float64{0.8, -0.1, -0.1, 0.7}), 1e-14)
	checkDense(t, "R'", x.R, mat.NewDense(2, 2, []float64{0.75, 0.75, 0, 0.75}), 1e-14)
}

// PrecGD recovers the κ = 100 truth of precondProblem from a small random
// over-parameterized start, symmetric and asymmetric, in a few hundred
// iterations.
func TestPrecGDConverges(t *testing.T) {
	for _, sym := range []bool{true, false} {
		p := precondProblem(t, sym)
		x0 := precondInit(t, sym, 1e-9)
		res, err := Solve(p, &PrecGD{Eta: 0.5}, x0, &Settings{MaxIterations: 400, RelErrTol: 1e-10}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != Converged {
			t.Errorf("sym=%v: status %v, relative error %v after %d iterations", sym, res.Status, res.Stats.RelErr, res.Stats.Iterations)
		}
		t.Logf("sym=%v: %d iterations to 1e-10", sym, res.Stats.Iterations)
	}
}

func TestPrecGDBadParameters(t *testing.T) {
	p := precondProblem(t, true)
	x0 := precondInit(t, true, 1e-3)
	for _, m := range []*PrecGD{
		{Eta: 0},
		{Eta: -0.5},
		{Eta: math.Inf(1)},
		{Eta: math.NaN()},
		{Eta: 0.5, Scale: -1},
		{Eta: 0.5, Scale: math.NaN()},
		{Eta: 0.5, Scale: math.Inf(1)},
	} {
		if _, err := m.Init(p, x0); !errors.Is(err, ErrBadParam) {
			t.Errorf("%+v: Init error %v, want ErrBadParam", *m, err)
		}
	}
	// U₀ = 0 is a fine start while the residual is not zero (λ₀ > 0)...
	zero := Factors{L: mat.NewDense(20, 4, nil)}
	if _, err := (&PrecGD{Eta: 0.5}).Init(p, zero); err != nil {
		t.Errorf("U₀ = 0 with y ≠ 0: %v", err)
	}
	// ...but not at an exact fit, where λ₀ = 0 and UᵀU = 0.
	q := identityProblem(t, mat.NewDense(3, 3, nil), false)
	if _, err := (&PrecGD{Eta: 0.5}).Init(q, Factors{L: mat.NewDense(3, 2, nil)}); !errors.Is(err, ErrBadParam) {
		t.Errorf("U₀ = 0 with y = 0: error %v, want ErrBadParam", err)
	}
}

// Scale = ½ gives the damping λ_t = √f(X_t) of the package's symmetric
// ¼-objective, the convention the scaledgd-lambda notebook uses for "λ_t =
// √f" (Xu et al. 2023, Sec. 4), at the start and after a step.
func TestPrecGDScaleHalfIsSqrtLoss(t *testing.T) {
	p := precondProblem(t, true)
	x := precondInit(t, true, 1e-2)
	m := &PrecGD{Eta: 0.5, Scale: 0.5}
	st, err := m.Init(p, x)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 2; k++ {
		if d, want := m.Damping(), math.Sqrt(st.Loss); math.Abs(d-want) > 1e-12*want {
			t.Errorf("step %d: λ_t = %v, want √f = %v", k, d, want)
		}
		if st, err = m.Iterate(x); err != nil {
			t.Fatal(err)
		}
	}
}
