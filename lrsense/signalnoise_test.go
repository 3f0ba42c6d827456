package lrsense

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestSplitSignalNoiseHandChecked(t *testing.T) {
	e1 := mat.NewDense(3, 1, []float64{1, 0, 0})
	cases := []struct {
		name                    string
		u                       *mat.Dense
		signal, noise, sinAngle float64
	}{
		// V_Xᵀ·U = [3 0]: W = e₁, U·W = (3,0,0), U·W_⊥ = ±(0,2,−1).
		{"axis", mat.NewDense(3, 2, []float64{3, 0, 0, 2, 0, -1}), 3, math.Sqrt(5), 0},
		// V_Xᵀ·U = [1 1]: W = (1,1)/√2, U·W = (√2,0,0), U·W_⊥ = ±(0,√2,0).
		{"rotated", mat.NewDense(3, 2, []float64{1, 1, 1, -1, 0, 0}), math.Sqrt2, math.Sqrt2, 0},
		// r′ = r = 1: the signal is U itself, at 45° from e₁; no noise term.
		{"tilted", mat.NewDense(3, 1, []float64{1, 1, 0}), math.Sqrt2, 0, math.Sqrt(0.5)},
	}
	for _, c := range cases {
		sp := newSignalNoise(e1, c.u)
		if math.Abs(sp.SignalMin-c.signal) > 1e-12 || math.Abs(sp.NoiseNorm-c.noise) > 1e-12 ||
			math.Abs(sp.SinTheta-c.sinAngle) > 1e-12 {
			t.Errorf("%s: got signal %v noise %v alignment %v, want %v %v %v",
				c.name, sp.SignalMin, sp.NoiseNorm, sp.SinTheta, c.signal, c.noise, c.sinAngle)
		}
		if _, rp := c.u.Dims(); rp == 1 && (sp.WPerp != nil || sp.Noise != nil) {
			t.Errorf("%s: r′ = r must have no noise term", c.name)
		}
	}
}

func TestSplitSignalNoiseProperties(t *testing.T) {
	rnd := rand.New(NewSource(3))
	n, r := 9, 2
	vx := haar(n, r, NewSource(4))
	for _, rp := range []int{1, 2, 5, n, n + 3} {
		u := randDense(n, rp, rnd)
		sp := newSignalNoise(vx, u)
		k := min(r, rp)
		// U = U·W·Wᵀ + U·W_⊥·W_⊥ᵀ.
		var rec mat.Dense
		rec.Mul(sp.Signal, sp.W.T())
		if sp.Noise != nil {
			var nz mat.Dense
			nz.Mul(sp.Noise, sp.WPerp.T())
			rec.Add(&rec, &nz)
			// The noise term is invisible to V_X.
			var vn mat.Dense
			vn.Mul(vx.T(), sp.Noise)
			if mat.Norm(&vn, 2) > 1e-12*mat.Norm(u, 2) {
				t.Errorf("r′=%d: ‖V_Xᵀ·U·W_⊥‖ = %v, want 0", rp, mat.Norm(&vn, 2))
			}
		} else if rp > r {
			t.Fatalf("r′=%d: missing noise term", rp)
		}
		if !mat.EqualApprox(&rec, u, 1e-12) {
			t.Errorf("r′=%d: signal + noise do not reconstruct U", rp)
		}
		// Against direct computations: σ_k(U·W), ‖U·W_⊥‖ and SinTheta.
		var s mat.SVD
		s.Factorize(sp.Signal, mat.SVDThinU)
		if v := s.Values(nil)[k-1]; math.Abs(v-sp.SignalMin) > 1e-12 {
			t.Errorf("r′=%d: SignalMin %v, direct %v", rp, sp.SignalMin, v)
		}
		var q mat.Dense
		s.UTo(&q)
		if a := SinTheta(vx, &q); math.Abs(a-sp.SinTheta) > 1e-12 || !(a >= 0 && a <= 1+1e-12) {
			t.Errorf("r′=%d: SinTheta %v, direct %v", rp, sp.SinTheta, a)
		}
		// Over-parameterized U with independent entries is not aligned.
		if sp.SinTheta < 0.05 {
			t.Errorf("r′=%d: random U has alignment %v, implausibly small", rp, sp.SinTheta)
		}
	}
}

// A factor whose signal term lies in span(V_X) plus a small orthogonal
// noise term: the metric reads back σ_min, the noise size and alignment 0.
func TestSignalNoiseMetricInSolve(t *testing.T) {
	n, r, rp := 6, 2, 4
	src := NewSource(11)
	truth, err := NewPSDTruth(n, []float64{1, 0.5}, src)
	if err != nil {
		t.Fatal(err)
	}
	op := mustOp(NewSymGaussian(60, n, src))
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	// U = V_X·[diag(3, 2) 0] + ε·V_⊥·[0 0 1 0; 0 0 0 1] built from a full basis.
	full := haar(n, n, NewSource(12))
	var vx, vperp mat.Dense
	vx.CloneFrom(full.Slice(0, n, 0, r))
	vperp.CloneFrom(full.Slice(0, n, r, r+2))
	u := mat.NewDense(n, rp, nil)
	for i := 0; i < n; i++ {
		u.Set(i, 0, 3*vx.At(i, 0))
		u.Set(i, 1, 2*vx.At(i, 1))
		u.Set(i, 2, 1e-3*vperp.At(i, 0))
		u.Set(i, 3, 5e-4*vperp.At(i, 1))
	}
	// Use a basis of the truth's column space that is not orthonormal:
	// SignalNoise orthonormalizes it.
	ref := mat.NewDense(n, r, nil)
	ref.Mul(&vx, mat.NewDense(r, r, []float64{2, 1, 0, 1}))
	traj := NewTrajectory(Schedule{}, SignalNoiseMetric(ref))
	if _, err := Solve(p, &GD{Eta: 1e-9}, Factors{L: u}, &Settings{MaxIterations: 1}, traj); err != nil {
		t.Fatal(err)
	}
	got := []float64{traj.Series(SeriesSignalMin)[0], traj.Series(SeriesNoiseNorm)[0], traj.Series(SeriesSignalSinTheta)[0]}
	want := []float64{2, 1e-3, 0}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Errorf("series %d at t=0: got %v, want %v", i, got[i], want[i])
		}
	}
}

func TestSplitSignalNoiseDegenerateAndShape(t *testing.T) {
	vx := mat.NewDense(3, 1, []float64{1, 0, 0})
	sp := newSignalNoise(vx, mat.NewDense(3, 2, nil))
	if sp.SignalMin != 0 || sp.NoiseNorm != 0 || !math.IsNaN(sp.SinTheta) {
		t.Errorf("U = 0: got %+v, want σ_min 0, noise 0, alignment NaN", sp)
	}
	defer func() {
		if recover() == nil {
			t.Error("row mismatch did not panic")
		}
	}()
	newSignalNoise(vx, mat.NewDense(4, 2, nil))
}

// The three phases of Stöger & Soltanolkotabi (2021) seen through the
// SignalNoise and PrincipalAngle recorders on a small seeded problem with
// many measurements: GD from U₀ = α·G (r′ = n) first turns towards the
// spectral estimate (top-r eigenvectors of 𝒜*(y)) while σ_min(U·W) grows
// geometrically at ≈ 1 + μσ_r and the noise ‖U·W_⊥‖ stays near its start;
// at the end the iterate is aligned with X⋆ and the error is small.
func TestSignalNoiseSmallInitPhases(t *testing.T) {
	n, r, m := 10, 2, 1500
	src := NewSource(21)
	truth, err := NewPSDTruth(n, []float64{1, 1}, src)
	if err != nil {
		t.Fatal(err)
	}
	op := mustOp(NewSymGaussian(m, n, src))
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := Spectral(p, r, true)
	if err != nil {
		t.Fatal(err)
	}
	specQ := orthonormalize(spec.L)
	specSin := SinTheta(truth.U, specQ)
	alpha, mu := 1e-4, 0.25
	x0 := Factors{L: RandomFactor(n, n, alpha, StdAlphaOverSqrtCols, src)}
	traj := NewTrajectory(Schedule{}, SignalNoiseMetric(truth.U), NewMetric("spectral", func(s *State) float64 {
		return SinTheta(specQ, s.TopLeft(r))
	}))
	if _, err := Solve(p, &GD{Eta: mu}, x0, &Settings{MaxIterations: 200}, traj); err != nil {
		t.Fatal(err)
	}
	rel, sig, noise := traj.Series("relerr"), traj.Series(SeriesSignalMin), traj.Series(SeriesNoiseNorm)
	align, sp := traj.Series(SeriesSignalSinTheta), traj.Series("spectral")
	// End of phase I: the first iterate with relative error ≤ 0.95.
	tI := -1
	for i, v := range rel {
		if v <= 0.95 {
			tI = i
			break
		}
	}
	if tI < 10 {
		t.Fatalf("phase I ended at t = %d, want a plateau of ≥ 10 steps from α = %g", tI, alpha)
	}
	if sp[tI] > 0.1 {
		t.Errorf("sin∠(U_t, spectral) at t_I = %d is %v, want ≤ 0.1", tI, sp[tI])
	}
	if align[tI] > specSin+0.05 {
		t.Errorf("alignment at t_I %v, spectral estimate's %v", align[tI], specSin)
	}
	// Geometric growth between t = 5 and t_I − 5: per-step factor near 1 + μσ_r.
	g := math.Pow(sig[tI-5]/sig[5], 1/float64(tI-10))
	if g < 1+0.75*mu || g > 1+1.5*mu {
		t.Errorf("σ_min(U·W) grows by %v per step, want ≈ %v", g, 1+mu)
	}
	for i := range noise {
		if noise[i] > 3*noise[0] {
			t.Fatalf("noise ‖U·W_⊥‖ = %v at t = %d, more than 3× its start %v", noise[i], i, noise[0])
		}
	}
	t.Logf("t_I = %d, sin∠(U, spectral) %.3g, alignment %.3g (spectral %.3g), growth %.4f, max noise/start %.3g",
		tI, sp[tI], align[tI], specSin, g, snMaxOf(noise)/noise[0])
	if last := len(rel) - 1; rel[last] > 1e-3 || align[last] > 1e-3 {
		t.Errorf("at T: relative error %v, alignment %v, want both ≤ 1e-3", rel[last], align[last])
	}
}

func snMaxOf(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}
