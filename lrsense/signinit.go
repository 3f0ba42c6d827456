package lrsense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// SignSpectral returns the sign-spectral initialization of Ma & Fattahi
// (2023, JMLR 24(96), Alg. 2) for symmetric factors with r columns:
//
//	C = (1/m)·Σ_i Sign(y_i)·(A_i + A_iᵀ)/2 = Λ·D·Λᵀ,
//	U₀ = α·Λ_r·D₊^{1/2},
//
// where Λ_r holds the eigenvectors of the r largest eigenvalues and D₊ those
// eigenvalues with negative ones clipped to 0 (their columns of U₀ are zero
// and, under SubGM, stay zero). Sign(0) = 0. In the package normalization
// C = sym(𝒜*(Sign(y)))/√m, which for a Gaussian operator is the paper's C
// exactly (Sign(y) does not see the 1/√m). For Gaussian measurements
// E[C] = √(2/π)·X⋆/‖X⋆‖_F without noise, so U₀U₀ᵀ ≈ α²·C is of size α².
//
// It returns an error wrapping ErrBadParam if the problem is not square,
// r is not in 1…n, α is negative or not finite, or the eigendecomposition
// fails. It panics if p is nil.
func SignSpectral(p *Problem, r int, alpha float64) (Factors, error) {
	checkNil("problem", p)
	p.check()
	n1, n2 := p.Dims()
	if n1 != n2 {
		return Factors{}, badParam("sign-spectral initialization needs a square problem, got %d×%d", n1, n2)
	}
	n := n1
	if r < 1 || r > n {
		return Factors{}, badParam("sign-spectral initialization needs 1 ≤ r′ ≤ %d, got %d", n, r)
	}
	if !(alpha >= 0) || math.IsInf(alpha, 0) {
		return Factors{}, badParam("initialization scale α must be finite and ≥ 0, got %v", alpha)
	}
	m, _, _ := p.Op.Dims()
	sign := mat.NewVecDense(m, nil)
	for i := 0; i < m; i++ {
		switch v := p.Y.AtVec(i); {
		case v > 0:
			sign.SetVec(i, 1)
		case v < 0:
			sign.SetVec(i, -1)
		}
	}
	var g mat.Dense
	p.Op.AdjointTo(&g, sign)
	c := mat.NewSymDense(n, nil)
	s := 1 / math.Sqrt(float64(m))
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			c.SetSym(i, j, s*(g.At(i, j)+g.At(j, i))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(c, true) {
		return Factors{}, badParam("eigendecomposition of the sign matrix C failed")
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	u := mat.NewDense(n, r, nil)
	for j := 0; j < r; j++ {
		k := n - 1 - j
		w := alpha * math.Sqrt(math.Max(vals[k], 0))
		for i := 0; i < n; i++ {
			u.Set(i, j, w*vecs.At(i, k))
		}
	}
	return Factors{L: u}, nil
}
