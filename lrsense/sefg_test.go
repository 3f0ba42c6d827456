package lrsense

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func sefgEval(t *testing.T, truth *Truth, u *mat.Dense) map[string]float64 {
	t.Helper()
	m := SEFGMetric(truth)
	dst := make([]float64, len(m.Names))
	m.Eval(dst, &State{X: Factors{L: u}})
	out := map[string]float64{}
	for i, n := range m.Names {
		out[n] = dst[i]
	}
	return out
}

func TestSEFGAtTruth(t *testing.T) {
	truth, err := NewPSDTruth(6, []float64{4, 2, 1}, NewSource(1))
	if err != nil {
		t.Fatal(err)
	}
	// U = [V·Σ^{1/2}, 0]: S S ᵀ = Σ, E = 0.
	u := mat.NewDense(6, 5, nil)
	u.Slice(0, 6, 0, 3).(*mat.Dense).Copy(truth.Factor())
	got := sefgEval(t, truth, u)
	for _, n := range []string{SeriesSigmaSS, "se", "ee", "ff", "gg"} {
		if math.Abs(got[n]) > 1e-12 {
			t.Errorf("%s = %v at the truth, want 0", n, got[n])
		}
	}
	for i, want := range []float64{4, 2, 1} {
		if n := "lambda" + string(rune('1'+i)); math.Abs(got[n]-want) > 1e-12 {
			t.Errorf("%s = %v, want %v", n, got[n], want)
		}
	}
}

func TestSEFGAgainstDirect(t *testing.T) {
	rnd := rand.New(NewSource(3))
	truth, _ := NewPSDTruth(7, []float64{3, 1}, NewSource(2))
	u := sgRand(7, 4, rnd)
	got := sefgEval(t, truth, u)
	// Direct: V⊥ from the eigenvectors of I − VVᵀ.
	var pp mat.Dense
	pp.Mul(truth.U, truth.U.T())
	pp.Sub(eyeN(7), &pp)
	var eig mat.EigenSym
	eig.Factorize(mat.NewSymDense(7, pp.RawMatrix().Data), true)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	vperp := vecs.Slice(0, 7, 2, 7) // eigenvalue 1 block
	var s, e mat.Dense
	s.Mul(truth.U.T(), u)
	e.Mul(vperp.T(), u)
	// P_S = Sᵀ(SSᵀ)⁻¹S.
	var sst, inv, ps, tmp mat.Dense
	sst.Mul(&s, s.T())
	if err := inv.Inverse(&sst); err != nil {
		t.Fatal(err)
	}
	tmp.Mul(s.T(), &inv)
	ps.Mul(&tmp, &s)
	var f, g mat.Dense
	f.Mul(&e, &ps)
	g.Sub(&e, &f)
	norm2 := func(a mat.Matrix) float64 {
		var aat mat.Dense
		aat.Mul(a, a.T())
		return spectralNorm(&aat)
	}
	var sig, se mat.Dense
	sig.Sub(mat.NewDiagDense(2, []float64{3, 1}), &sst)
	se.Mul(&s, e.T())
	want := map[string]float64{
		SeriesSigmaSS: spectralNorm(&sig), "se": spectralNorm(&se),
		"ee": norm2(&e), "ff": norm2(&f), "gg": norm2(&g),
	}
	var es mat.EigenSym
	es.Factorize(mat.NewSymDense(2, []float64{sst.At(0, 0), sst.At(0, 1), sst.At(1, 0), sst.At(1, 1)}), false)
	ev := es.Values(nil)
	want["lambda1"], want["lambda2"] = ev[1], ev[0]
	for n, w := range want {
		if math.Abs(got[n]-w) > 1e-10*math.Max(1, w) {
			t.Errorf("%s = %v, direct %v", n, got[n], w)
		}
	}
	// E Eᵀ = F Fᵀ + G Gᵀ with F Gᵀ = 0.
	if !(got["ee"] <= got["ff"]+got["gg"]+1e-12 && got["ee"] >= math.Max(got["ff"], got["gg"])-1e-12) {
		t.Errorf("ee %v, ff %v, gg %v inconsistent", got["ee"], got["ff"], got["gg"])
	}
}

// errMetric records SeriesErr as the SeriesErr doc says.
var errMetric = NewMetric(SeriesErr, func(s *State) float64 { return s.RelErr * s.Problem.Truth.Norm() })

func TestSEFGInTrajectory(t *testing.T) {
	p := subgmProblem(t, 4, 6, 150, []float64{2, 1}, 0)
	x0, _ := SignSpectral(p, 6, 1e-4)
	traj := NewTrajectory(Schedule{Every: 10}, errMetric, SEFGMetric(p.Truth))
	if _, err := Solve(p, &SubGM{PolyakStep: true, Eta: 0.5}, x0, &Settings{MaxIterations: 800}, traj); err != nil {
		t.Fatal(err)
	}
	if e := traj.Last("err"); !(e < 1e-6) {
		t.Fatalf("final error %v", e)
	}
	if l1, l2 := traj.Last("lambda1"), traj.Last("lambda2"); math.Abs(l1-2) > 1e-5 || math.Abs(l2-1) > 1e-5 {
		t.Errorf("λ(SSᵀ) = %v, %v, want 2, 1", l1, l2)
	}
	if s := traj.Series(SeriesSigmaSS); !(s[0] > 1.9 && traj.Last(SeriesSigmaSS) < 1e-5) {
		t.Errorf("‖Σ − SSᵀ‖ from %v to %v", s[0], traj.Last(SeriesSigmaSS))
	}
}

func eyeN(n int) *mat.Dense {
	d := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		d.Set(i, i, 1)
	}
	return d
}
