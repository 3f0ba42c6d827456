package lrsense

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestOneStepHandChecked takes one step of OneStep on a 2×2 fully observed
// problem with the trigger firing at t = 0 and β = 1, worked out by hand:
//
//	F = [2 0; 0 1], G = [1 0; 1 1], M⋆ = I, η = 0.1.
//	FᵀF = diag(4, 1) → F' = F·diag(1/2, 1) = I, G' = G·diag(2, 1) = [2 0; 2 1].
//	F'G'ᵀ = [2 2; 0 1] = FGᵀ, E = F'G'ᵀ − I = [1 2; 0 0], loss ½‖E‖² = 2.5.
//	F'' = F' − η·E·G' = I − 0.1·[6 2; 0 0] = [0.4 −0.2; 0 1],
//	G'' = G' − η·Eᵀ·F' = [2 0; 2 1] − 0.1·[1 0; 2 0] = [1.9 0; 1.8 1].
func TestOneStepHandChecked(t *testing.T) {
	op, err := newFullObservation(2, 2)
	if err != nil {
		t.Fatal(err)
	}
	p := &Problem{Op: op, Y: mat.NewVecDense(4, []float64{1, 0, 0, 1})}
	x := Factors{
		L: mat.NewDense(2, 2, []float64{2, 0, 0, 1}),
		R: mat.NewDense(2, 2, []float64{1, 0, 1, 1}),
	}
	o := &OneStep{Eta: 0.1, LossThreshold: 3, Beta: 1}
	st, err := o.Init(p, x)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(st.Loss-2.5) > 1e-14 {
		t.Errorf("loss at x₀ = %v, want 2.5", st.Loss)
	}
	if _, ok := o.StepAt(); ok {
		t.Errorf("StepAt reports a step before any Iterate")
	}
	if _, err := o.Iterate(x); err != nil {
		t.Fatal(err)
	}
	wantF := mat.NewDense(2, 2, []float64{0.4, -0.2, 0, 1})
	wantG := mat.NewDense(2, 2, []float64{1.9, 0, 1.8, 1})
	if !mat.EqualApprox(x.L, wantF, 1e-14) || !mat.EqualApprox(x.R, wantG, 1e-14) {
		t.Errorf("after one step F = %v, G = %v; want %v, %v",
			mat.Formatted(x.L), mat.Formatted(x.R), mat.Formatted(wantF), mat.Formatted(wantG))
	}
	if at, ok := o.StepAt(); !ok || at != 0 {
		t.Errorf("StepAt = %d, %v; want 0, true", at, ok)
	}
	if o.BetaUsed() != 1 {
		t.Errorf("BetaUsed = %v, want 1", o.BetaUsed())
	}
	// The trigger fires once: the next step is plain GD.
	before := x.Clone()
	if _, err := o.Iterate(x); err != nil {
		t.Fatal(err)
	}
	var gd GD
	gd.Eta = 0.1
	if _, err := gd.Init(p, before); err != nil {
		t.Fatal(err)
	}
	if _, err := gd.Iterate(before); err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(x.L, before.L, 1e-15) || !mat.EqualApprox(x.R, before.R, 1e-15) {
		t.Errorf("second step differs from a GD step")
	}
}

// TestOneStepRebalance checks eq. (5.1) on random factors, full rank and
// rank-deficient: FGᵀ is unchanged and FᵀF = β²·I on the range of Fᵀ.
func TestOneStepRebalance(t *testing.T) {
	rnd := rand.New(NewSource(3))
	for _, tc := range []struct {
		name    string
		zeroCol bool
		beta    float64
	}{
		{name: "full rank β=0.7", beta: 0.7},
		{name: "full rank β=2", beta: 2},
		{name: "zero column β=1.3", beta: 1.3, zeroCol: true},
	} {
		n1, n2, k := 7, 5, 3
		f := randDense(n1, k, rnd)
		g := randDense(n2, k, rnd)
		if tc.zeroCol {
			for i := 0; i < n1; i++ {
				f.Set(i, 1, 0)
			}
		}
		x := Factors{L: f, R: g}
		var before mat.Dense
		x.ProductTo(&before)
		o := &OneStep{Beta: tc.beta, Eta: 1, LossThreshold: 1}
		if !o.rebalance(x) {
			t.Fatalf("%s: rebalance skipped", tc.name)
		}
		var after mat.Dense
		x.ProductTo(&after)
		if !mat.EqualApprox(&after, &before, 1e-12*mat.Norm(&before, 2)) {
			t.Errorf("%s: FGᵀ changed by %v", tc.name, maxAbsDiff(&after, &before))
		}
		var ftf mat.Dense
		ftf.Mul(x.L.T(), x.L)
		want := mat.NewDense(k, k, nil)
		for i := 0; i < k; i++ {
			want.Set(i, i, tc.beta*tc.beta)
		}
		if tc.zeroCol {
			// F·N = 0 on the null direction e₂ of F: FᵀF = β²(I − e₂e₂ᵀ).
			want.Set(1, 1, 0)
		}
		if !mat.EqualApprox(&ftf, want, 1e-10) {
			t.Errorf("%s: FᵀF = %v, want %v", tc.name, mat.Formatted(&ftf), mat.Formatted(want))
		}
	}

	// F = 0: nothing to rebalance.
	x := Factors{L: mat.NewDense(4, 2, nil), R: randDense(3, 2, rnd)}
	o := &OneStep{Beta: 1, Eta: 1, LossThreshold: 1}
	if o.rebalance(x) {
		t.Errorf("rebalance of F = 0 reported a step")
	}
}

func maxAbsDiff(a, b mat.Matrix) float64 {
	var d mat.Dense
	d.Sub(a, b)
	return mat.Norm(&d, math.Inf(1))
}

// oneStepProblem is a small seeded over-parameterized sensing problem: a
// rank-2 PSD M⋆ (eigenvalues 1, 0.5) in 10×10, fitted as FGᵀ with k = 4.
func oneStepProblem(t *testing.T) (*Problem, *Truth, Factors) {
	t.Helper()
	src := NewSource(11)
	op, err := NewGaussian(300, 10, 10, src)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := NewPSDTruth(10, []float64{1, 0.5}, src)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	x0 := Factors{L: RandomFactor(10, 4, 0.05, StdAlphaOverSqrtRows, NewSource(12)), R: RandomFactor(10, 4, 0.05/3, StdAlphaOverSqrtRows, NewSource(12))}
	return p, truth, x0
}

// TestOneStepConverges runs OneStep and GD from the same small
// initialization: the iterates agree up to the trigger, the automatic β² is
// σ_r(M⋆) to within the error at the trigger, and OneStep reaches relative
// error 1e-8 in a fraction of GD's iterations (GD with k > r converges at a
// rate ∝ α²).
func TestOneStepConverges(t *testing.T) {
	p, truth, x0 := oneStepProblem(t)
	const eta = 0.25
	s := &Settings{MaxIterations: 20000, RelErrTol: 1e-8}
	o := &OneStep{Eta: eta, LossThreshold: 1e-4}
	trOne := NewTrajectory(Schedule{})
	resOne, err := Solve(p, o, x0, s, trOne)
	if err != nil {
		t.Fatal(err)
	}
	if resOne.Status != Converged {
		t.Fatalf("OneStep: status %v after %d iterations", resOne.Status, resOne.Stats.Iterations)
	}
	// GD gets 3× OneStep's budget.
	trGD := NewTrajectory(Schedule{})
	resGD, err := Solve(p, &GD{Eta: eta}, x0,
		&Settings{MaxIterations: 3 * resOne.Stats.Iterations, RelErrTol: 1e-8}, trGD)
	if err != nil {
		t.Fatal(err)
	}
	at, ok := o.StepAt()
	if !ok {
		t.Fatal("OneStep never rebalanced")
	}
	one, gd := trOne.Series("relerr"), trGD.Series("relerr")
	for i := 0; i <= at && i < len(gd); i++ {
		if one[i] != gd[i] {
			t.Fatalf("iterate %d (≤ trigger %d): OneStep relerr %v, GD %v", i, at, one[i], gd[i])
		}
	}
	if b2 := o.BetaUsed() * o.BetaUsed(); math.Abs(b2-truth.Sigma[1]) > 0.05 {
		t.Errorf("automatic β² = %v, want σ_r = %v ± 0.05", b2, truth.Sigma[1])
	}
	after := resOne.Stats.Iterations - at
	t.Logf("trigger at %d, β² = %.4f, %d iterations after it; GD: %v after %d",
		at, o.BetaUsed()*o.BetaUsed(), after, resGD.Status, resGD.Stats.Iterations)
	// k = r rate ≈ η·σ_r = 0.125 per step on the error: relative error
	// ≈ 1e-2 → 1e-8 takes ≈ 110 steps; allow ≈ 3×.
	if after > 300 {
		t.Errorf("OneStep took %d iterations after the trigger, want ≤ 300", after)
	}
	if resGD.Status == Converged {
		t.Errorf("GD converged in %d iterations, OneStep in %d: want OneStep 3× faster",
			resGD.Stats.Iterations, resOne.Stats.Iterations)
	}
}

func TestOneStepBadParams(t *testing.T) {
	p, _, x0 := oneStepProblem(t)
	good := OneStep{Eta: 0.1, LossThreshold: 1e-3}
	if _, err := (&good).Init(p, x0); err != nil {
		t.Fatalf("good parameters: %v", err)
	}
	nan, inf := math.NaN(), math.Inf(1)
	for name, o := range map[string]OneStep{
		"step 0":           {LossThreshold: 1e-3},
		"step NaN":         {Eta: nan, LossThreshold: 1e-3},
		"step Inf":         {Eta: inf, LossThreshold: 1e-3},
		"threshold 0":      {Eta: 0.1},
		"threshold < 0":    {Eta: 0.1, LossThreshold: -1},
		"threshold NaN":    {Eta: 0.1, LossThreshold: nan},
		"threshold Inf":    {Eta: 0.1, LossThreshold: inf},
		"beta < 0":         {Eta: 0.1, LossThreshold: 1e-3, Beta: -1},
		"beta NaN":         {Eta: 0.1, LossThreshold: 1e-3, Beta: nan},
		"beta Inf":         {Eta: 0.1, LossThreshold: 1e-3, Beta: inf},
		"rank tol 1":       {Eta: 0.1, LossThreshold: 1e-3, RankTol: 1},
		"rank tol < 0":     {Eta: 0.1, LossThreshold: 1e-3, RankTol: -0.1},
		"rank tol NaN":     {Eta: 0.1, LossThreshold: 1e-3, RankTol: nan},
		"eig tol 1":        {Eta: 0.1, LossThreshold: 1e-3, EigTol: 1},
		"eig tol NaN":      {Eta: 0.1, LossThreshold: 1e-3, EigTol: nan},
		"eig tol negative": {Eta: 0.1, LossThreshold: 1e-3, EigTol: -1e-3},
	} {
		if _, err := o.Init(p, x0); !errors.Is(err, ErrBadParam) {
			t.Errorf("%s: err = %v, want ErrBadParam", name, err)
		}
	}
	sym := Factors{L: x0.L}
	if _, err := good.Init(p, sym); !errors.Is(err, ErrBadParam) {
		t.Errorf("symmetric factors: err = %v, want ErrBadParam", err)
	}
}

// TestOneStepAutoBeta checks the automatic β on a fully observed 6×6
// problem where FGᵀ = diag(1, 0.5, 0.03, 0, 0, 0) and M⋆ = diag(1, 0.5, 0, …):
// the spurious singular value 0.03 is above the relative cutoff
// 1e-2·σ₁ but below the loss-based one 2·√(2L) = 2·√(0.03²) = 0.06, so
// β² = σ_r = 0.5, not 0.03.
func TestOneStepAutoBeta(t *testing.T) {
	const n = 6
	op, err := newFullObservation(n, n)
	if err != nil {
		t.Fatal(err)
	}
	y := mat.NewVecDense(n*n, nil)
	y.SetVec(0, 1)
	y.SetVec(n+1, 0.5)
	p := &Problem{Op: op, Y: y}
	f := mat.NewDense(n, 3, nil)
	g := mat.NewDense(n, 3, nil)
	for j, s := range []float64{1, 0.5, 0.03} {
		f.Set(j, j, 1)
		g.Set(j, j, s)
	}
	x := Factors{L: f, R: g}
	o := &OneStep{Eta: 0.1, LossThreshold: 1e-3}
	st, err := o.Init(p, x)
	if err != nil {
		t.Fatal(err)
	}
	if want := 0.5 * 0.03 * 0.03; math.Abs(st.Loss-want) > 1e-15 {
		t.Fatalf("loss %v, want %v", st.Loss, want)
	}
	if _, err := o.Iterate(x); err != nil {
		t.Fatal(err)
	}
	if b2 := o.BetaUsed() * o.BetaUsed(); math.Abs(b2-0.5) > 1e-12 {
		t.Errorf("automatic β² = %v, want σ_r = 0.5", b2)
	}
}
