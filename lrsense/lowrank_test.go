package lrsense

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func approxProblem(t *testing.T, n1, n2 int, sigma []float64, seed uint64) *Problem {
	src := NewSource(seed)
	var truth *Truth
	var err error
	if n1 == n2 {
		truth, err = NewPSDTruth(n1, sigma, src)
	} else {
		truth, err = NewLowRankTruth(n1, n2, sigma, src)
	}
	if err != nil {
		t.Fatal(err)
	}
	op, _ := newFullObservation(n1, n2)
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApproxGDHandStep(t *testing.T) {
	op, _ := newFullObservation(1, 1)
	p := &Problem{Op: op, Y: mat.NewVecDense(1, []float64{2})}
	x := Factors{L: mat.NewDense(1, 1, []float64{1})}
	g := &ApproxGD{Eta: 0.1}
	st, err := g.Init(p, x)
	if err != nil {
		t.Fatal(err)
	}
	// f = ¼(1·1 − 2)² = 0.25, ∇f = (1 − 2)·1 = −1.
	if math.Abs(st.Loss-0.25) > 1e-15 || math.Abs(st.GradNorm-1) > 1e-15 {
		t.Errorf("measures at x₀ = %+v, want loss 0.25, gradient norm 1", st)
	}
	st, _ = g.Iterate(x)
	// x₁ = 1 − 0.1·(−1) = 1.1; f = ¼(1.21 − 2)² = 0.156025.
	if math.Abs(x.L.At(0, 0)-1.1) > 1e-15 || math.Abs(st.Loss-0.156025) > 1e-14 {
		t.Errorf("x₁ = %v, loss %v; want 1.1, 0.156025", x.L.At(0, 0), st.Loss)
	}
}

// TestApproxGDMatchesGD checks that the O(n²r) path gives GD's iterates on
// the Identity operator.
func TestApproxGDMatchesGD(t *testing.T) {
	rnd := rand.New(NewSource(3))
	for _, sym := range []bool{true, false} {
		n2 := 9
		if sym {
			n2 = 12
		}
		p := approxProblem(t, 12, n2, []float64{2, 1.5, 1}, 4)
		x := Factors{L: randDense(12, 4, rnd)}
		if !sym {
			x.R = randDense(n2, 4, rnd)
		}
		x.L.Scale(0.3, x.L)
		if !sym {
			x.R.Scale(0.3, x.R)
		}
		a, b := x.Clone(), x.Clone()
		var fast ApproxGD = ApproxGD{Eta: 0.1}
		slow := GD{Eta: 0.1}
		sf, _ := fast.Init(p, a)
		ss, _ := slow.Init(p, b)
		for it := 0; it < 20; it++ {
			if math.Abs(sf.Loss-ss.Loss) > 1e-12*math.Max(1, ss.Loss) || math.Abs(sf.GradNorm-ss.GradNorm) > 1e-12*math.Max(1, ss.GradNorm) {
				t.Fatalf("sym=%v it %d: ApproxGD %+v, GD %+v", sym, it, sf, ss)
			}
			sf, _ = fast.Iterate(a)
			ss, _ = slow.Iterate(b)
		}
		if !mat.EqualApprox(a.L, b.L, 1e-12) || (!sym && !mat.EqualApprox(a.R, b.R, 1e-12)) {
			t.Errorf("sym=%v: iterates differ after 20 steps", sym)
		}
	}
}

func TestApproxGDAndRiemannianGDConverge(t *testing.T) {
	sigma := []float64{2, 1.8, 1.5}
	p := approxProblem(t, 30, 30, sigma, 5)
	// A gapped Σ: the truth plus a small full-rank tail keeps the top-3
	// eigenspace the truth's.
	src := NewSource(6)
	x0 := Factors{L: RandomFactor(30, 3, 1e-3, StdAlphaOverSqrtRows, src)}
	res, err := Solve(p, &ApproxGD{Eta: 0.2}, x0, &Settings{MaxIterations: 2000, RelErrTol: 1e-10}, nil)
	if err != nil || res.Status != Converged {
		t.Fatalf("ApproxGD: %v %v after %d", res.Status, err, res.Stats.Iterations)
	}
	if d := ProjDist(p.Truth.U, orthonormalize(res.X.L)); d > 1e-8 {
		t.Errorf("retraction-free eigenspace at distance %v", d)
	}
	q0 := Factors{L: orthonormalize(x0.L)}
	traj := NewTrajectory(Schedule{}, NewMetric("dist", func(s *State) float64 {
		return ProjDist(p.Truth.U, orthonormalize(s.X.L))
	}))
	res, err = Solve(p, &ApproxGD{Eta: 0.3, Riemannian: true}, q0, &Settings{MaxIterations: 300}, traj)
	if err != nil {
		t.Fatal(err)
	}
	if d := traj.Last("dist"); d > 1e-8 {
		t.Errorf("Riemannian GD ends at subspace distance %v", d)
	}
	var qtq mat.Dense
	qtq.Mul(res.X.L.T(), res.X.L)
	if !mat.EqualApprox(&qtq, eye(3), 1e-12) {
		t.Error("Riemannian GD left the Stiefel manifold")
	}
	// Σ has rank 3: at its top eigenspace ½(tr Σ − tr(XᵀΣX)) = 0, where
	// the unshifted −½tr(XᵀΣX) would be −(2+1.8+1.5)/2.
	if l := traj.Last("loss"); math.Abs(l) > 1e-10 {
		t.Errorf("final ½(tr Σ − tr(XᵀΣX)) = %v, want 0", l)
	}
}

func TestLowRankBadParameters(t *testing.T) {
	p := approxProblem(t, 6, 6, []float64{1}, 1)
	x := Factors{L: RandomFactor(6, 2, 1, StdAlphaOverSqrtRows, NewSource(2))}
	gauss := recoveryProblem(t, 1, true)
	xg := Factors{L: RandomFactor(20, 2, 1, StdAlphaOverSqrtRows, NewSource(2))}
	for name, err := range map[string]error{
		"ApproxGD step":         solveErr(p, &ApproxGD{}, x, nil),
		"ApproxGD operator":     solveErr(gauss, &ApproxGD{Eta: 0.1}, xg, nil),
		"RiemannianGD step":     solveErr(p, &ApproxGD{Eta: -1, Riemannian: true}, Factors{L: orthonormalize(x.L)}, nil),
		"RiemannianGD operator": solveErr(gauss, &ApproxGD{Eta: 0.1, Riemannian: true}, Factors{L: orthonormalize(xg.L)}, nil),
	} {
		if !errors.Is(err, ErrBadParam) {
			t.Errorf("%s: %v, want ErrBadParam", name, err)
		}
	}
}

func TestOrthonormalize(t *testing.T) {
	rnd := rand.New(NewSource(9))
	a := randDense(7, 3, rnd)
	q := orthonormalize(a)
	var qtq mat.Dense
	qtq.Mul(q.T(), q)
	if !mat.EqualApprox(&qtq, eye(3), 1e-13) {
		t.Error("columns not orthonormal")
	}
	// Same span, and R = QᵀA upper triangular with a non-negative diagonal.
	var r mat.Dense
	r.Mul(q.T(), a)
	for i := 0; i < 3; i++ {
		if r.At(i, i) < 0 {
			t.Errorf("R[%d,%d] = %v < 0", i, i, r.At(i, i))
		}
		for j := 0; j < i; j++ {
			if math.Abs(r.At(i, j)) > 1e-12 {
				t.Errorf("R[%d,%d] = %v, want 0", i, j, r.At(i, j))
			}
		}
	}
	if d := ProjDist(q, orthonormalize(q)); d > 1e-14 {
		t.Errorf("orth(Q) moved: %v", d)
	}
}

// TestRiemannianGDHandStep checks one retracted step on Σ = diag(2, 1)
// from X = (1, 1)/√2: G = ΣX − X(XᵀΣX) = (0.5, −0.5)/√2, and with η = 1
// X + G = (1.5, 0.5)/√2, whose Q factor is (3, 1)/√10.
func TestRiemannianGDHandStep(t *testing.T) {
	op, _ := newFullObservation(2, 2)
	p := &Problem{Op: op, Y: mat.NewVecDense(4, []float64{2, 0, 0, 1})}
	x := Factors{L: mat.NewDense(2, 1, []float64{1 / math.Sqrt2, 1 / math.Sqrt2})}
	g := &ApproxGD{Eta: 1, Riemannian: true}
	st, err := g.Init(p, x)
	if err != nil {
		t.Fatal(err)
	}
	// Loss ½(tr Σ − tr(XᵀΣX)) = ½(3 − 1.5) = 0.75.
	if math.Abs(st.Loss-0.75) > 1e-15 || math.Abs(st.GradNorm-0.5) > 1e-15 {
		t.Errorf("measures at x₀ = %+v, want loss 0.75, gradient norm 0.5", st)
	}
	st, _ = g.Iterate(x)
	want := []float64{3 / math.Sqrt(10), 1 / math.Sqrt(10)}
	for i, w := range want {
		if math.Abs(x.L.At(i, 0)-w) > 1e-15 {
			t.Errorf("x₁[%d] = %v, want %v", i, x.L.At(i, 0), w)
		}
	}
	// ½·3 − ½·(2·9 + 1)/10 = 0.55.
	if math.Abs(st.Loss-0.55) > 1e-15 {
		t.Errorf("loss at x₁ = %v, want 0.55", st.Loss)
	}
}

func TestNewApproxSym(t *testing.T) {
	lambda := []float64{2, 1.5, 1, 0.5, 0.4, 0.3, 0.2, 0.1, 0, 0}
	p, err := newApproxSymProblem(lambda, 3, NewSource(1))
	if err != nil {
		t.Fatal(err)
	}
	sig, err := fullTarget(p)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(sig, sig.T(), 1e-14) {
		t.Fatal("Σ is not symmetric")
	}
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(10, mat.DenseCopyOf(sig).RawMatrix().Data), false) {
		t.Fatal("eigendecomposition failed")
	}
	got := es.Values(nil) // ascending
	for i, l := range lambda {
		if math.Abs(got[len(got)-1-i]-l) > 1e-13 {
			t.Errorf("eigenvalue %d = %v, want %v", i+1, got[len(got)-1-i], l)
		}
	}
	// ΣU = U·diag(λ₁…λ_r), U orthonormal, Truth.X = Σ_r.
	u := p.Truth.U
	var su, utu mat.Dense
	su.Mul(sig, u)
	for j := 0; j < 3; j++ {
		for i := 0; i < 10; i++ {
			if math.Abs(su.At(i, j)-lambda[j]*u.At(i, j)) > 1e-13 {
				t.Fatalf("ΣU ≠ UΛ at (%d, %d)", i, j)
			}
		}
	}
	utu.Mul(u.T(), u)
	if !mat.EqualApprox(&utu, eye(3), 1e-14) {
		t.Error("U is not orthonormal")
	}
	if d := math.Abs(p.Truth.Norm() - math.Sqrt(4+2.25+1)); d > 1e-13 {
		t.Errorf("‖Σ_r‖_F off by %v", d)
	}
	// Same seed, same problem.
	q, _ := newApproxSymProblem(lambda, 3, NewSource(1))
	if !mat.Equal(p.Y, q.Y) {
		t.Error("not reproducible from the seed")
	}
}

func TestNewApproxAsym(t *testing.T) {
	s := []float64{3, 2, 1, 0.5, 0.1, 0}
	p, err := newApproxAsymProblem(9, 6, s, 2, NewSource(2))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := fullTarget(p)
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDNone) {
		t.Fatal("SVD failed")
	}
	for i, v := range svd.Values(nil) {
		if math.Abs(v-s[i]) > 1e-13 {
			t.Errorf("σ_%d = %v, want %v", i+1, v, s[i])
		}
	}
	// A·V = U·diag(s₁, s₂).
	var av mat.Dense
	av.Mul(a, p.Truth.V)
	for j := 0; j < 2; j++ {
		for i := 0; i < 9; i++ {
			if math.Abs(av.At(i, j)-s[j]*p.Truth.U.At(i, j)) > 1e-13 {
				t.Fatalf("AV ≠ US at (%d, %d)", i, j)
			}
		}
	}
}

// TestApproxGDGappedFullRank runs GD on a full-rank gapped Σ and on an
// asymmetric A from a small initialization: XXᵀ → Σ_r, XYᵀ → A_r.
func TestApproxGDGappedFullRank(t *testing.T) {
	lambda := make([]float64, 40)
	for i := range lambda {
		if i < 3 {
			lambda[i] = 2 - 0.5*float64(i)
		} else {
			lambda[i] = 0.6 * float64(40-i) / 37
		}
	}
	p, err := newApproxSymProblem(lambda, 3, NewSource(3))
	if err != nil {
		t.Fatal(err)
	}
	x0 := Factors{L: RandomFactor(40, 3, 1e-3, StdAlphaOverSqrtRows, NewSource(4))}
	res, err := Solve(p, &ApproxGD{Eta: 0.25}, x0, &Settings{MaxIterations: 3000, RelErrTol: 1e-10}, nil)
	if err != nil || res.Status != Converged {
		t.Fatalf("symmetric: %v %v after %d", res.Status, err, res.Stats.Iterations)
	}
	if d := ProjDist(p.Truth.U, orthonormalize(res.X.L)); d > 1e-9 {
		t.Errorf("symmetric: subspace distance %v", d)
	}
	s := make([]float64, 30)
	for i := range s {
		if i < 2 {
			s[i] = 2 - 0.5*float64(i)
		} else {
			s[i] = 0.8 * float64(30-i) / 28
		}
	}
	q, err := newApproxAsymProblem(40, 30, s, 2, NewSource(5))
	if err != nil {
		t.Fatal(err)
	}
	y0 := Factors{L: RandomFactor(40, 2, 1e-3, StdAlphaOverSqrtRows, NewSource(6)), R: RandomFactor(30, 2, 1e-3, StdAlphaOverSqrtRows, NewSource(6))}
	res, err = Solve(q, &ApproxGD{Eta: 0.25}, y0, &Settings{MaxIterations: 5000, RelErrTol: 1e-10}, nil)
	if err != nil || res.Status != Converged {
		t.Fatalf("asymmetric: %v %v after %d", res.Status, err, res.Stats.Iterations)
	}
	if d := ProjDist(q.Truth.V, orthonormalize(res.X.R)); d > 1e-9 {
		t.Errorf("asymmetric: right subspace distance %v", d)
	}
}

func TestNewApproxBadParameters(t *testing.T) {
	src := NewSource(1)
	for name, err := range map[string]error{
		"r = 0":          func() error { _, e := newApproxSymProblem([]float64{2, 1}, 0, src); return e }(),
		"r > n":          func() error { _, e := newApproxSymProblem([]float64{2, 1}, 3, src); return e }(),
		"increasing":     func() error { _, e := newApproxSymProblem([]float64{1, 2, 0}, 1, src); return e }(),
		"no gap":         func() error { _, e := newApproxSymProblem([]float64{2, 1, 1}, 2, src); return e }(),
		"negative":       func() error { _, e := newApproxSymProblem([]float64{2, -1}, 1, src); return e }(),
		"NaN":            func() error { _, e := newApproxSymProblem([]float64{math.NaN(), 1}, 1, src); return e }(),
		"asym length":    func() error { _, e := newApproxAsymProblem(4, 3, []float64{3, 2}, 1, src); return e }(),
		"asym no gap":    func() error { _, e := newApproxAsymProblem(4, 3, []float64{3, 3, 1}, 1, src); return e }(),
		"asym bad sizes": func() error { _, e := newApproxAsymProblem(0, 3, nil, 1, src); return e }(),
	} {
		if !errors.Is(err, ErrBadParam) {
			t.Errorf("%s: %v, want ErrBadParam", name, err)
		}
	}
	// Identical top eigenvalues are fine when there is a gap after them.
	if _, err := newApproxSymProblem([]float64{2, 2, 2, 1}, 3, src); err != nil {
		t.Errorf("identical top: %v", err)
	}
}

func TestMulThin(t *testing.T) {
	rnd := rand.New(NewSource(11))
	for _, n1 := range []int{1, 5, 8, 13} {
		a := randDense(n1, 9, rnd)
		x := randDense(9, 3, rnd)
		var got, xt, want mat.Dense
		mulThin(&got, &xt, a, x)
		want.Mul(a, x)
		if !mat.EqualApprox(&got, &want, 1e-13) {
			t.Errorf("n1 = %d: mulThin differs from Mul", n1)
		}
	}
}

func BenchmarkMulThin(b *testing.B) {
	rnd := rand.New(NewSource(1))
	a := randDense(2000, 2000, rnd)
	x := randDense(2000, 5, rnd)
	var dst, xt mat.Dense
	b.Run("mulThin", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			mulThin(&dst, &xt, a, x)
		}
	})
	b.Run("Mul", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dst.Reset()
			dst.Mul(a, x)
		}
	})
}

func TestMulThinT(t *testing.T) {
	rnd := rand.New(NewSource(12))
	for _, n1 := range []int{1, 5, 8, 13} {
		a := randDense(n1, 9, rnd)
		x := randDense(n1, 3, rnd)
		var got, w, want mat.Dense
		mulThinT(&got, &w, a, x)
		mulThinT(&got, &w, a, x) // reuse
		want.Mul(a.T(), x)
		if !mat.EqualApprox(&got, &want, 1e-13) {
			t.Errorf("n1 = %d: mulThinT differs from Mul", n1)
		}
	}
}
func BenchmarkApproxSteps(b *testing.B) {
	lambda := make([]float64, 100)
	for i := range lambda {
		if i < 5 {
			lambda[i] = 2 - 0.25*float64(i)
		} else {
			lambda[i] = 0.5 * float64(99-i) / 94
		}
	}
	p, _ := newApproxSymProblem(lambda, 5, NewSource(1))
	x0 := Factors{L: RandomFactor(100, 5, 1, StdAlphaOverSqrtRows, NewSource(2))}
	b.Run("GD", func(b *testing.B) {
		x := x0.Clone()
		g := &ApproxGD{Eta: 1e-9}
		g.Init(p, x)
		for i := 0; i < b.N; i++ {
			g.Iterate(x)
		}
	})
	b.Run("RGD", func(b *testing.B) {
		x := Factors{L: orthonormalize(x0.L)}
		g := &ApproxGD{Eta: 1e-9, Riemannian: true}
		g.Init(p, x)
		for i := 0; i < b.N; i++ {
			g.Iterate(x)
		}
	})
}
