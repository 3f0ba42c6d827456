package lrsense

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// subgmProblem is a small Gaussian problem in the paper's setup: PSD truth
// with the given eigenvalues, A_i with N(0,1) entries (not symmetrized),
// outliers of the paper's N(0, 100) scaled by 1/√m to this package's y.
func subgmProblem(t testing.TB, seed uint64, n, m int, sigma []float64, p float64) *Problem {
	t.Helper()
	src := NewSource(seed)
	truth, err := NewPSDTruth(n, sigma, src)
	if err != nil {
		t.Fatal(err)
	}
	op, err := NewGaussian(m, n, n, src)
	if err != nil {
		t.Fatal(err)
	}
	var noise *Noise
	if p > 0 {
		noise = &Noise{Outliers: p, OutlierStd: 10 / math.Sqrt(float64(m))}
	}
	pr, err := NewProblem(op, truth, noise, src)
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

func sgRand(r, c int, rnd *rand.Rand) *mat.Dense {
	d := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			d.Set(i, j, rnd.NormFloat64())
		}
	}
	return d
}

// paperSubgradient computes f, Q and D from the paper's formulas with the
// unscaled A_i and the paper's y = √m·y.
func paperSubgradient(p *Problem, u *mat.Dense) (f float64, q, d *mat.Dense) {
	op := p.Op.(*gaussianOp)
	m, n, _ := op.Dims()
	sm := math.Sqrt(float64(m))
	var x mat.Dense
	x.Mul(u, u.T())
	q = mat.NewDense(n, n, nil)
	sym := mat.NewDense(n, n, nil)
	for i := 0; i < m; i++ {
		a := op.Measurement(i)
		res := mat.Sum(mulEl(a, &x)) - sm*p.Y.AtVec(i)
		f += math.Abs(res) / float64(m)
		s := 0.0
		if res > 0 {
			s = 1
		} else if res < 0 {
			s = -1
		}
		var at mat.Dense
		at.Add(a, a.T())
		at.Scale(s/float64(m), &at)
		sym.Add(sym, &at)
		a.Scale(s/float64(m), a)
		q.Add(q, a)
	}
	d = &mat.Dense{}
	d.Mul(sym, u)
	return f, q, d
}

func mulEl(a, b mat.Matrix) *mat.Dense {
	var c mat.Dense
	c.MulElem(a, b)
	return &c
}

func TestSubGMOneStepByHand(t *testing.T) {
	p := subgmProblem(t, 3, 4, 30, []float64{2, 1}, 0.2)
	rnd := rand.New(NewSource(4))
	u0 := sgRand(4, 3, rnd)
	f, q, d := paperSubgradient(p, u0)
	qnorm := mat.Norm(q, 2) // Frobenius; spectral below
	var svd mat.SVD
	svd.Factorize(q, mat.SVDNone)
	qspec := svd.Values(nil)[0]
	if qspec > qnorm {
		t.Fatalf("spectral %v > Frobenius %v", qspec, qnorm)
	}
	var diff mat.Dense
	diff.Mul(u0, u0.T())
	diff.Sub(&diff, p.Truth.X)
	errF := mat.Norm(&diff, 2)
	for _, tc := range []struct {
		name string
		g    SubGM
		eta  float64
	}{
		{"geometric", SubGM{Eta: 0.3, Rho: 0.9}, 0.3 / qspec},
		{"polyak", SubGM{PolyakStep: true, Eta: 0.3}, 0.15 * f},
		{"error", SubGM{ErrorStep: true, Eta: 0.3}, 0.15 * errF},
	} {
		x := Factors{L: mat.DenseCopyOf(u0)}
		g := tc.g
		st, err := g.Init(p, x)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(st.Loss-f) > 1e-12*f {
			t.Errorf("%s: loss %v, by hand %v", tc.name, st.Loss, f)
		}
		if math.Abs(st.GradNorm-mat.Norm(d, 2)) > 1e-10 {
			t.Errorf("%s: ‖D‖ %v, by hand %v", tc.name, st.GradNorm, mat.Norm(d, 2))
		}
		if got := g.StepSize(); math.Abs(got-tc.eta) > 1e-12*tc.eta {
			t.Errorf("%s: η_0 = %v, want %v", tc.name, got, tc.eta)
		}
		if _, err := g.Iterate(x); err != nil {
			t.Fatal(err)
		}
		var want mat.Dense
		want.Scale(tc.eta, d)
		want.Sub(u0, &want)
		if !mat.EqualApprox(x.L, &want, 1e-10) {
			t.Errorf("%s: step differs from the paper's update", tc.name)
		}
	}
	// The geometric rule decays by ρ per step: η_1 = η·ρ/‖Q_1‖.
	x := Factors{L: mat.DenseCopyOf(u0)}
	g := SubGM{Eta: 0.3, Rho: 0.9}
	if _, err := g.Init(p, x); err != nil {
		t.Fatal(err)
	}
	g.Iterate(x)
	_, q1, _ := paperSubgradient(p, x.L)
	svd.Factorize(q1, mat.SVDNone)
	if got, want := g.StepSize(), 0.3*0.9/svd.Values(nil)[0]; math.Abs(got-want) > 1e-12*want {
		t.Errorf("η_1 = %v, want %v", got, want)
	}
}

func TestSubGMConverges(t *testing.T) {
	p := subgmProblem(t, 11, 8, 200, []float64{3, 1}, 0.1)
	x0, err := SignSpectral(p, 4, 1e-8)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []*SubGM{
		{Eta: 0.5, Rho: 0.98},
		{ErrorStep: true, Eta: 0.2},
	} {
		res, err := Solve(p, g, x0, &Settings{MaxIterations: 1500}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if e := res.Stats.RelErr; !(e < 1e-6) {
			t.Errorf("%+v with 10%% outliers: relative error %v after %d its", *g, e, res.Stats.Iterations)
		}
	}
	// Noiseless, Polyak steps.
	p0 := subgmProblem(t, 12, 8, 200, []float64{3, 1}, 0)
	x0, _ = SignSpectral(p0, 4, 1e-8)
	res, err := Solve(p0, &SubGM{PolyakStep: true, Eta: 0.2}, x0, &Settings{MaxIterations: 1500}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Stats.RelErr; !(e < 1e-6) {
		t.Errorf("noiseless Polyak: relative error %v", e)
	}
}

func TestSubGMExpectedLoss(t *testing.T) {
	p := subgmProblem(t, 5, 5, 10, []float64{2, 1}, 0)
	rnd := rand.New(NewSource(6))
	u := sgRand(5, 3, rnd)
	for _, e := range []*ExpectedL1{{}, {P: 0.3, Std: 2}} {
		g := &SubGM{ErrorStep: true, Eta: 1, Expected: e}
		st, err := g.Init(p, Factors{L: u})
		if err != nil {
			t.Fatal(err)
		}
		// Finite-difference check of D̄ against f̄.
		dir := sgRand(5, 3, rnd)
		h := 1e-6
		var up, um mat.Dense
		up.Scale(h, dir)
		up.Add(u, &up)
		um.Scale(-h, dir)
		um.Add(u, &um)
		gp, gm := &SubGM{ErrorStep: true, Eta: 1, Expected: e}, &SubGM{ErrorStep: true, Eta: 1, Expected: e}
		fp, _ := gp.Init(p, Factors{L: &up})
		fm, _ := gm.Init(p, Factors{L: &um})
		fd := (fp.Loss - fm.Loss) / (2 * h)
		an := mat.Sum(mulEl(&g.d, dir))
		if math.Abs(fd-an) > 1e-6*math.Max(1, math.Abs(an)) {
			t.Errorf("%+v: directional derivative %v, finite difference %v", *e, an, fd)
		}
		// Loss formula against a Monte Carlo estimate over Gaussian A.
		var delta mat.Dense
		delta.Mul(u, u.T())
		delta.Sub(&delta, p.Truth.X)
		nd := mat.Norm(&delta, 2)
		mc := 0.0
		const N = 200000
		std := e.Std
		for i := 0; i < N; i++ {
			s := 0.0
			if rnd.Float64() < e.P {
				s = std * rnd.NormFloat64()
			}
			mc += math.Abs(nd*rnd.NormFloat64()-s) / N
		}
		if math.Abs(mc-st.Loss) > 0.01*st.Loss {
			t.Errorf("%+v: f̄ = %v, Monte Carlo %v", *e, st.Loss, mc)
		}
	}
	// Converges on the expected loss from a small init.
	x0 := Factors{L: RandomFactor(5, 5, 1e-6, StdAlpha, NewSource(9))}
	res, err := Solve(p, &SubGM{ErrorStep: true, Eta: 0.3, Expected: &ExpectedL1{P: 0.2}}, x0, &Settings{MaxIterations: 2000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Stats.RelErr; !(e < 1e-8) {
		t.Errorf("expected loss: relative error %v", e)
	}
}

func TestSubGMBadParameters(t *testing.T) {
	p := subgmProblem(t, 1, 4, 20, []float64{1}, 0)
	x := Factors{L: mat.NewDense(4, 2, nil)}
	noTruth := &Problem{Op: p.Op, Y: p.Y}
	asym := Factors{L: mat.NewDense(4, 2, nil), R: mat.NewDense(4, 2, nil)}
	for name, c := range map[string]struct {
		g SubGM
		p *Problem
		x Factors
	}{
		"eta 0":             {SubGM{PolyakStep: true}, p, x},
		"eta NaN":           {SubGM{PolyakStep: true, Eta: math.NaN()}, p, x},
		"rho 0":             {SubGM{Eta: 1}, p, x},
		"rho > 1":           {SubGM{Eta: 1, Rho: 1.1}, p, x},
		"two rules":         {SubGM{PolyakStep: true, ErrorStep: true, Eta: 1}, p, x},
		"error no truth":    {SubGM{ErrorStep: true, Eta: 1}, noTruth, x},
		"expected no truth": {SubGM{PolyakStep: true, Eta: 1, Expected: &ExpectedL1{}}, noTruth, x},
		"expected P = 1":    {SubGM{PolyakStep: true, Eta: 1, Expected: &ExpectedL1{P: 1}}, p, x},
		"asymmetric":        {SubGM{PolyakStep: true, Eta: 1}, p, asym},
	} {
		g := c.g
		if _, err := g.Init(c.p, c.x); !errors.Is(err, ErrBadParam) {
			t.Errorf("%s: got %v, want ErrBadParam", name, err)
		}
	}
}
