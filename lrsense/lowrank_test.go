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
		truth, err = NewPSD(n1, sigma, src)
	} else {
		truth, err = NewLowRank(n1, n2, sigma, src)
	}
	if err != nil {
		t.Fatal(err)
	}
	op, _ := NewIdentity(n1, n2)
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApproxGDHandStep(t *testing.T) {
	op, _ := NewIdentity(1, 1)
	p, _ := FromMeasurements(op, mat.NewVecDense(1, []float64{2}), nil)
	x := Factors{L: mat.NewDense(1, 1, []float64{1})}
	g := &ApproxGD{Step: 0.1}
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
		var fast ApproxGD = ApproxGD{Step: 0.1}
		slow := GD{Step: 0.1}
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
	x0, _ := RandomSym(30, 3, 1e-3, RowDim, src)
	res, err := Solve(p, &ApproxGD{Step: 0.2}, x0, &Settings{MaxIterations: 2000, RelErrTol: 1e-10}, nil)
	if err != nil || res.Status != Converged {
		t.Fatalf("ApproxGD: %v %v after %d", res.Status, err, res.Stats.Iterations)
	}
	if d := SubspaceDist(p.Truth.U, Orthonormalize(res.X.L)); d > 1e-8 {
		t.Errorf("retraction-free eigenspace at distance %v", d)
	}
	q0 := Factors{L: Orthonormalize(x0.L)}
	traj := NewTrajectory(Schedule{}, Loss(), Subspace("dist", p.Truth.U))
	res, err = Solve(p, &RiemannianGD{Step: 0.3}, q0, &Settings{MaxIterations: 300}, traj)
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
	if l := traj.Last("loss"); math.Abs(l+(2+1.8+1.5)/2) > 1e-10 {
		t.Errorf("final −½tr(XᵀΣX) = %v, want %v", l, -(2+1.8+1.5)/2)
	}
}

func TestLowRankBadParameters(t *testing.T) {
	p := approxProblem(t, 6, 6, []float64{1}, 1)
	x, _ := RandomSym(6, 2, 1, RowDim, NewSource(2))
	gauss := recoveryProblem(t, 1, true)
	xg, _ := RandomSym(20, 2, 1, RowDim, NewSource(2))
	for name, err := range map[string]error{
		"ApproxGD step":         solveErr(p, &ApproxGD{}, x, nil),
		"ApproxGD operator":     solveErr(gauss, &ApproxGD{Step: 0.1}, xg, nil),
		"RiemannianGD step":     solveErr(p, &RiemannianGD{Step: -1}, Factors{L: Orthonormalize(x.L)}, nil),
		"RiemannianGD not orth": solveErr(p, &RiemannianGD{Step: 0.1}, x, nil),
		"RiemannianGD operator": solveErr(gauss, &RiemannianGD{Step: 0.1}, Factors{L: Orthonormalize(xg.L)}, nil),
	} {
		if !errors.Is(err, ErrBadParam) {
			t.Errorf("%s: %v, want ErrBadParam", name, err)
		}
	}
}

func TestOrthonormalize(t *testing.T) {
	rnd := rand.New(NewSource(9))
	a := randDense(7, 3, rnd)
	q := Orthonormalize(a)
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
	if d := SubspaceDist(q, Orthonormalize(q)); d > 1e-14 {
		t.Errorf("orth(Q) moved: %v", d)
	}
}
