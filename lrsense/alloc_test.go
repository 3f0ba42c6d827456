package lrsense

import "testing"

// TestIterationAllocs checks that, once initialized, an iteration of every
// method allocates nothing, at n = 70 (above gonum's 64 block, where a
// plain Dense.Mul would start goroutines), on symmetric and asymmetric
// Gaussian sensing and on low-rank approximation.
func TestIterationAllocs(t *testing.T) {
	sigma := Geometric.Spectrum(3, 2)
	src := NewSource(51)
	const n, m, r = 70, 300, 5
	ts, _ := NewPSDTruth(n, sigma, src)
	sop, _ := NewSymGaussian(m, n, src)
	ps, err := NewProblem(sop, ts, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	ta, _ := NewLowRankTruth(n, n, sigma, src)
	aop, _ := NewGaussian(m, n, n, src)
	pa, err := NewProblem(aop, ta, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	lambda := make([]float64, n)
	for i := range lambda {
		lambda[i] = 1 / float64(i+1)
	}
	pl, err := newApproxSymProblem(lambda, r, src)
	if err != nil {
		t.Fatal(err)
	}
	sym := func() Factors { x := Factors{L: RandomFactor(n, r, 0.1, StdAlphaOverSqrtCols, src)}; return x }
	asym := func() Factors {
		x := Factors{L: RandomFactor(n, r, 0.1, StdAlphaOverSqrtCols, src), R: RandomFactor(n, r, 0.1, StdAlphaOverSqrtCols, src)}
		return x
	}
	for _, c := range []struct {
		name string
		p    *Problem
		m    Method
		x    Factors
	}{
		{"sym GD", ps, &GD{Eta: 0.1}, sym()},
		{"sym ScaledGD", ps, &ScaledGD{Eta: 0.1, Lambda: 0.01}, sym()},
		{"sym PrecGD", ps, &PrecGD{Eta: 0.1}, sym()},
		{"sym PrecGD decaying", ps, &PrecGD{Eta: 0.1, Decay: 0.99}, sym()},
		{"sym SubGM geometric", ps, &SubGM{Eta: 0.01, Rho: 0.99}, sym()},
		{"sym SubGM Polyak", ps, &SubGM{PolyakStep: true, Eta: 0.1}, sym()},
		{"sym SubGM expected", ps, &SubGM{ErrorStep: true, Eta: 0.1, Expected: &ExpectedL1{P: 0.1}}, sym()},
		{"asym GD", pa, &GD{Eta: 0.1}, asym()},
		{"asym ScaledGD", pa, &ScaledGD{Eta: 0.1, Lambda: 0.01}, asym()},
		{"asym PrecGD", pa, &PrecGD{Eta: 0.1}, asym()},
		{"asym APGD", pa, &APGD{Eta: 0.5}, asym()},
		{"asym OneStep", pa, &OneStep{Eta: 0.1, LossThreshold: 1e-12}, asym()},
		{"ApproxGD", pl, &ApproxGD{Eta: 1e-3}, sym()},
		{"RiemannianGD", pl, &ApproxGD{Eta: 1e-3, Riemannian: true}, Factors{L: orthonormalize(sym().L)}},
	} {
		if _, err := c.m.Init(c.p, c.x); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		c.m.Iterate(c.x) // sizes the workspaces
		if a := testing.AllocsPerRun(5, func() { c.m.Iterate(c.x) }); a != 0 {
			t.Errorf("%s: %v allocations per iteration", c.name, a)
		}
	}
}

// TestSolveLoopAllocs checks that Solve allocates nothing per iteration:
// the same runs with 5 and with 25 iterations allocate as much (the
// relative error against the truth is taken at every iteration).
func TestSolveLoopAllocs(t *testing.T) {
	src := NewSource(52)
	truth, _ := NewPSDTruth(40, Geometric.Spectrum(3, 2), src)
	op, _ := NewSymGaussian(400, 40, src)
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	x0 := Factors{L: RandomFactor(40, 3, 0.1, StdAlphaOverSqrtCols, src)}
	allocs := func(iters int) float64 {
		return testing.AllocsPerRun(3, func() {
			if _, err := Solve(p, &GD{Eta: 0.1}, x0, &Settings{MaxIterations: iters}, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
	if a, b := allocs(5), allocs(25); b > a {
		t.Errorf("Solve allocates %v times over 5 iterations and %v over 25", a, b)
	}
}
