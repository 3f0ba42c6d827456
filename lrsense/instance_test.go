package lrsense

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestInstanceIsTheLongPath checks that Build draws exactly what the
// documented sequence of constructors draws from the same source.
func TestInstanceIsTheLongPath(t *testing.T) {
	in := Instance{N: 12, Rank: 2, RPrime: 4, M: 200, Kappa: 5, Noise: 1e-3, Alpha: 1e-2, Scale: StdAlphaOverSqrtRows}
	p, x := in.Build(NewSource(7))

	src := NewSource(7)
	sigma := Linear.Spectrum(2, 5)
	truth, _ := NewPSDTruth(12, sigma, src)
	op, _ := NewSymGaussian(200, 12, src)
	q, _ := NewProblem(op, truth, &Noise{Std: 1e-3}, src)
	x0 := Factors{L: RandomFactor(12, 4, 1e-2, StdAlphaOverSqrtRows, src)}

	if !mat.Equal(p.Y, q.Y) || !mat.Equal(p.Truth.X, q.Truth.X) || !mat.Equal(x.L, x0.L) || x.R != nil {
		t.Error("Build differs from the long path with the same source")
	}
}

// TestInstanceSpectrum checks that an explicit Spectrum gives what the
// constructors give with those values, for sensing and both
// approximations, and that asymmetric factors draw L before R.
func TestInstanceSpectrum(t *testing.T) {
	sigma := []float64{3, 2, 2}
	p, x := Instance{Kind: AsymSensing, N: 9, N2: 7, Rank: 3, RPrime: 4, M: 150, Alpha: 0.1, Spectrum: sigma}.Build(NewSource(3))
	src := NewSource(3)
	truth, _ := NewLowRankTruth(9, 7, sigma, src)
	op, _ := NewGaussian(150, 9, 7, src)
	q, _ := NewProblem(op, truth, nil, src)
	x0 := Factors{L: RandomFactor(9, 4, 0.1, StdAlpha, src), R: RandomFactor(7, 4, 0.1, StdAlpha, src)}
	if !mat.Equal(p.Y, q.Y) || !mat.Equal(x.L, x0.L) || !mat.Equal(x.R, x0.R) {
		t.Error("AsymSensing with Spectrum differs from the long path")
	}

	lambda := []float64{4, 3, 1, 0.5, 0}
	p, _ = Instance{Kind: ApproxSym, N: 5, Rank: 2, Spectrum: lambda}.Build(NewSource(4))
	q, _ = newApproxSymProblem(lambda, 2, NewSource(4))
	if !mat.Equal(p.Y, q.Y) || !mat.Equal(p.Truth.X, q.Truth.X) {
		t.Error("ApproxSym with Spectrum differs from newApproxSymProblem")
	}
	s := []float64{2, 1, 0.5}
	p, _ = Instance{Kind: ApproxAsym, N: 6, N2: 3, Rank: 1, Spectrum: s}.Build(NewSource(5))
	q, _ = newApproxAsymProblem(6, 3, s, 1, NewSource(5))
	if !mat.Equal(p.Y, q.Y) || !mat.Equal(p.Truth.X, q.Truth.X) {
		t.Error("ApproxAsym with Spectrum differs from newApproxAsymProblem")
	}
}

func TestInstanceKinds(t *testing.T) {
	for _, c := range []struct {
		in     Instance
		n1, n2 int
		sym    bool
		op     string
	}{
		{Instance{N: 10, Rank: 2, M: 100, Alpha: 1}, 10, 10, true, "*lrsense.symGaussianOp"},
		{Instance{Kind: AsymSensing, N: 10, N2: 7, Rank: 2, RPrime: 3, M: 100, Alpha: 1}, 10, 7, false, "*lrsense.gaussianOp"},
		{Instance{Kind: Completion, N: 10, Rank: 2, M: 60, Alpha: 1}, 10, 10, false, "*lrsense.entrySampling"},
		{Instance{Kind: ApproxSym, N: 10, Rank: 2, Tail: 0.5, Alpha: 1}, 10, 10, true, "*lrsense.fullObservation"},
		{Instance{Kind: ApproxAsym, N: 10, N2: 6, Rank: 2, Alpha: 1}, 10, 6, false, "*lrsense.fullObservation"},
		{Instance{N: 10, Rank: 2, M: 100, Outliers: 0.2, Alpha: 1}, 10, 10, true, "*lrsense.symGaussianOp"},
	} {
		p, x := c.in.Build(NewSource(1))
		n1, n2 := p.Dims()
		if n1 != c.n1 || n2 != c.n2 || x.Sym() != c.sym || typeName(p.Op) != c.op {
			t.Errorf("%+v: %d×%d, sym %v, %s", c.in, n1, n2, x.Sym(), typeName(p.Op))
		}
		if fn1, fn2 := x.Dims(); fn1 != n1 || fn2 != n2 {
			t.Errorf("%+v: factors of %d×%d", c.in, fn1, fn2)
		}
		if want := max(c.in.RPrime, c.in.Rank); x.Rank() != want || p.Truth.Rank() != c.in.Rank {
			t.Errorf("%+v: r′ %d, truth rank %d", c.in, x.Rank(), p.Truth.Rank())
		}
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }

func TestInstanceApproxSpectrum(t *testing.T) {
	p, _ := Instance{Kind: ApproxSym, N: 8, Rank: 3, Kappa: 4, Tail: 0.5}.Build(NewSource(2))
	sig := mat.NewSymDense(8, append([]float64(nil), p.Y.RawVector().Data...))
	var eig mat.EigenSym
	if !eig.Factorize(sig, false) {
		t.Fatal("eigendecomposition failed")
	}
	ev := eig.Values(nil) // ascending
	// Top 3: 1, 0.625, 0.25 (linear from 1 to 1/κ); then 5 values falling
	// linearly from 0.5·0.25 to 0: 0.125, 0.1, 0.075, 0.05, 0.025.
	want := []float64{0.025, 0.05, 0.075, 0.1, 0.125, 0.25, 0.625, 1}
	for i, w := range want {
		if math.Abs(ev[i]-w) > 1e-12 {
			t.Fatalf("eigenvalues %v, want %v", ev, want)
		}
	}
}

func TestInstanceOutliers(t *testing.T) {
	clean, _ := Instance{N: 10, Rank: 1, M: 4000}.Build(NewSource(3))
	dirty, _ := Instance{N: 10, Rank: 1, M: 4000, Outliers: 0.1}.Build(NewSource(3))
	n := 0
	for i := 0; i < 4000; i++ {
		if clean.Y.AtVec(i) != dirty.Y.AtVec(i) {
			n++
		}
	}
	// Binomial(4000, 0.1): mean 400, sd 19.
	if n < 300 || n > 500 {
		t.Errorf("%d of 4000 measurements corrupted, want about 400", n)
	}
}

func TestInstancePanicsOnImpossibleParameters(t *testing.T) {
	for _, in := range []Instance{
		{N: 0, Rank: 1, M: 10},
		{N: 5, Rank: 6, M: 10},
		{N: 5, Rank: 0, M: 10},
		{N: 5, Rank: 2},
		{Kind: Completion, N: 3, Rank: 1, M: 10},
		{N: 5, Rank: 2, M: 10, RPrime: -1},
		{N: 5, Rank: 2, M: 10, Kappa: 0.5},
		{N: 5, Rank: 2, M: 10, Noise: -1},
		{N: 5, Rank: 2, M: 10, Alpha: math.Inf(1)},
		{N: 5, Rank: 2, M: 10, Outliers: 1.5},
		{Kind: ApproxSym, N: 5, Rank: 2, Tail: 1},
		{Kind: ApproxSym, N: 5, Rank: 2, Noise: 0.1},
		{Kind: Kind(9), N: 5, Rank: 2, M: 10},
		{N: 5, Rank: 2, M: 10, Scale: InitScale(7)},
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "lrsense: ") {
					t.Errorf("%+v: panic %q, want an lrsense: message", in, msg)
				}
			}()
			in.Build(NewSource(1))
		}()
	}
}
