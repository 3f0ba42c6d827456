package lrsense

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestSignSpectralByHand(t *testing.T) {
	p := subgmProblem(t, 21, 5, 40, []float64{3, 1}, 0.1)
	op := p.Op.(*gaussianOp)
	m, n, _ := op.Dims()
	c := mat.NewSymDense(n, nil)
	for i := 0; i < m; i++ {
		s := math.Copysign(1, p.Y.AtVec(i))
		a := op.Measurement(i)
		for j := 0; j < n; j++ {
			for k := j; k < n; k++ {
				c.SetSym(j, k, c.At(j, k)+s*(a.At(j, k)+a.At(k, j))/2/float64(m))
			}
		}
	}
	var eig mat.EigenSym
	eig.Factorize(c, true)
	vals := eig.Values(nil)
	neg := 0
	for _, v := range vals {
		if v < 0 {
			neg++
		}
	}
	if neg == 0 {
		t.Fatal("test needs a C with negative eigenvalues")
	}
	const alpha = 0.7
	x, err := SignSpectral(p, n, alpha)
	if err != nil {
		t.Fatal(err)
	}
	// U₀U₀ᵀ = α²·C₊ (C with negative eigenvalues clipped).
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	plus := make([]float64, n)
	for i, v := range vals {
		plus[i] = alpha * alpha * math.Max(v, 0)
	}
	var want, tmp mat.Dense
	tmp.Mul(&vecs, mat.NewDiagDense(n, plus))
	want.Mul(&tmp, vecs.T())
	var got mat.Dense
	x.ProductTo(&got)
	if !mat.EqualApprox(&got, &want, 1e-12) {
		t.Errorf("U₀U₀ᵀ ≠ α²·C₊")
	}
	// Columns are in decreasing eigenvalue order; clipped ones are zero.
	for j := 0; j < n; j++ {
		nc := mat.Norm(x.L.ColView(j), 2)
		want := alpha * math.Sqrt(math.Max(vals[n-1-j], 0))
		if math.Abs(nc-want) > 1e-12 {
			t.Errorf("column %d has norm %v, want %v", j, nc, want)
		}
	}
}

func TestSignSpectralAlignsWithTruth(t *testing.T) {
	// E[C] = √(2/π)·X⋆/‖X⋆‖_F: the top eigenvectors of C span X⋆'s.
	p := subgmProblem(t, 22, 10, 2000, []float64{3, 2}, 0.1)
	x, err := SignSpectral(p, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	q := orthonormalBasis(x.L)
	if s := SinTheta(p.Truth.U, q); s > 0.3 {
		t.Errorf("sin θ(top-2 of C, X⋆) = %v", s)
	}
	var prod mat.Dense
	x.ProductTo(&prod)
	want := math.Sqrt(2/math.Pi) * 3 / math.Hypot(3, 2)
	if got := spectralNorm(&prod); math.Abs(got-want) > 0.15 {
		t.Errorf("‖U₀U₀ᵀ‖ = %v, E[C] has %v", got, want)
	}
}

func TestSignSpectralBadParameters(t *testing.T) {
	p := subgmProblem(t, 1, 4, 20, []float64{1}, 0)
	src := NewSource(2)
	rect, _ := NewGaussian(20, 4, 3, src)
	lr, _ := NewLowRankTruth(4, 3, []float64{1}, src)
	pr, _ := NewProblem(rect, lr, nil, src)
	for name, f := range map[string]func() error{
		"r 0":         func() error { _, err := SignSpectral(p, 0, 1); return err },
		"r > n":       func() error { _, err := SignSpectral(p, 5, 1); return err },
		"alpha < 0":   func() error { _, err := SignSpectral(p, 2, -1); return err },
		"alpha Inf":   func() error { _, err := SignSpectral(p, 2, math.Inf(1)); return err },
		"rectangular": func() error { _, err := SignSpectral(pr, 2, 1); return err },
	} {
		if err := f(); !errors.Is(err, ErrBadParam) {
			t.Errorf("%s: got %v, want ErrBadParam", name, err)
		}
	}
}
