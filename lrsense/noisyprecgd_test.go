package lrsense

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Two steps of NoisyPrecGD equal ScaledGD steps with λ₀ = ‖𝒜(X₀) − y‖ and
// then β·λ₀, and the first equals the explicit formula.
func TestNoisyPrecGDSteps(t *testing.T) {
	p, rnd := apgdTiny(t)
	x := Factors{L: randDense(3, 2, rnd), R: randDense(2, 2, rnd)}
	var prod mat.Dense
	prod.Mul(x.L, x.R.T())
	var res mat.VecDense
	p.Op.ApplyTo(&res, &prod)
	res.SubVec(&res, p.Y)
	lam0 := mat.Norm(&res, 2)
	eta, beta := 0.4, 0.5

	// Explicit first step: simultaneous, damped.
	g := apgdAdjoint(p, x.L, x.R)
	step := func(f, gm mat.Matrix, other *mat.Dense) *mat.Dense {
		var gram, inv, gr, d, out mat.Dense
		gram.Mul(other.T(), other)
		k, _ := gram.Dims()
		for i := 0; i < k; i++ {
			gram.Set(i, i, gram.At(i, i)+lam0)
		}
		if err := inv.Inverse(&gram); err != nil {
			t.Fatal(err)
		}
		gr.Mul(gm, other)
		d.Mul(&gr, &inv)
		d.Scale(eta, &d)
		out.Sub(f, &d)
		return &out
	}
	l1, r1 := step(x.L, g, x.R), step(x.R, g.T(), x.L)

	n := &PrecGD{Eta: eta, Decay: beta}
	y := x.Clone()
	if _, err := n.Init(p, y); err != nil {
		t.Fatal(err)
	}
	if math.Abs(n.Damping()-lam0) > 1e-14*lam0 {
		t.Fatalf("λ₀ = %v, want %v", n.Damping(), lam0)
	}
	if _, err := n.Iterate(y); err != nil {
		t.Fatal(err)
	}
	apgdClose(t, "L", y.L, l1, 1e-12)
	apgdClose(t, "R", y.R, r1, 1e-12)
	if _, err := n.Iterate(y); err != nil {
		t.Fatal(err)
	}

	z := x.Clone()
	s := &ScaledGD{Eta: eta, Lambda: lam0}
	if _, err := s.Init(p, z); err != nil {
		t.Fatal(err)
	}
	s.Iterate(z)
	s.Lambda = beta * lam0
	s.Iterate(z)
	apgdClose(t, "L after two steps", y.L, z.L, 1e-14)
	apgdClose(t, "R after two steps", y.R, z.R, 1e-14)
}

func TestNoisyPrecGDConverges(t *testing.T) {
	p, x0 := apgdProblem(t, 5, nil)
	res, err := Solve(p, &PrecGD{Eta: 0.5, Decay: 0.9}, x0, &Settings{MaxIterations: 2000, RelErrTol: 1e-8}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Converged {
		t.Fatalf("status %v after %d iterations, relerr %g", res.Status, res.Stats.Iterations, res.Stats.RelErr)
	}
}

func TestNoisyPrecGDBadParameters(t *testing.T) {
	p, x0 := apgdProblem(t, 1, nil)
	for _, n := range []*PrecGD{
		{Eta: 0.5, Lambda0: 0.5}, {Eta: 0.5, Decay: -0.5}, {Eta: 0.5, Decay: 1.5}, {Eta: 0.5, Decay: math.NaN()},
		{Eta: 0.5, Decay: 0.9, Lambda0: -1}, {Eta: 0.5, Decay: 0.9, Lambda0: math.Inf(1)},
		{Eta: 0, Decay: 0.9}, {Eta: math.Inf(1), Decay: 0.9},
	} {
		if _, err := n.Init(p, x0); !errors.Is(err, ErrBadParam) {
			t.Errorf("%+v: error %v, want ErrBadParam", *n, err)
		}
	}
}
