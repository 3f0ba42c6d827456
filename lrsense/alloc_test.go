package lrsense

import (
	"runtime"
	"runtime/debug"
	"testing"
)

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
// runs of 5 and of 105 iterations (the relative error against the truth is
// taken at every iteration) allocate as much, up to less than one
// allocation per 2 extra iterations. An allocation in the loop would add at
// least 100.
//
// The slack is for the runtime, not for Solve: testing.AllocsPerRun counts
// every allocation in the process, and a garbage collection started by
// Solve's own setup allocations may wake a thread the runtime then allocates
// for (CI saw 16 against 17). The collector is off while the runs are
// counted, which removes most of that, and the slack the rest.
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
		return testing.AllocsPerRun(5, func() {
			res, err := Solve(p, &GD{Eta: 0.1}, x0, &Settings{MaxIterations: iters}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Stats.Iterations != iters {
				t.Fatalf("Solve stopped after %d of %d iterations (%v)", res.Stats.Iterations, iters, res.Status)
			}
		})
	}
	runtime.GC()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	const short, long = 5, 105
	a, b := allocs(short), allocs(long)
	if per := (b - a) / (long - short); per >= 0.5 {
		t.Errorf("Solve allocates %v times over %d iterations and %v over %d: %.2f per iteration", a, short, b, long, per)
	}
}
