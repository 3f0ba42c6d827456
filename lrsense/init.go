package lrsense

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// InitScale is the variance convention of a small random initialization
// U₀ = α·G: papers differ in what "scale α" means.
type InitScale int

const (
	// StdAlpha: entries of U₀ are i.i.d. N(0, α²) (Xiong et al. 2024).
	StdAlpha InitScale = iota
	// StdAlphaOverSqrtRows: entries are α·N(0, 1/n), n the number of rows (Xu et al.
	// 2023; Chen et al. 2023).
	StdAlphaOverSqrtRows
	// StdAlphaOverSqrtCols: entries are α·N(0, 1/r′), r′ the number of columns
	// (Stöger & Soltanolkotabi 2021).
	StdAlphaOverSqrtCols
)

// smallRandom returns an n×r matrix α·G with i.i.d. Gaussian G scaled as
// scale says, drawn row by row from src. It returns an error wrapping
// ErrBadParam if n < 1, r < 1, an n×r matrix does not fit in memory, or α
// is negative or not finite. It panics if src is nil.
func smallRandom(n, r int, alpha float64, scale InitScale, src rand.Source) (*mat.Dense, error) {
	checkNil("source", src)
	if n < 1 || r < 1 {
		return nil, badParam("initialization needs n ≥ 1 and r′ ≥ 1, got n=%d r′=%d", n, r)
	}
	if err := checkAlloc("initial factor", 8, n, r); err != nil {
		return nil, err
	}
	if !(alpha >= 0) || math.IsInf(alpha, 0) {
		return nil, badParam("initialization scale α must be finite and ≥ 0, got %v", alpha)
	}
	std := alpha
	switch scale {
	case StdAlpha:
	case StdAlphaOverSqrtRows:
		std /= math.Sqrt(float64(n))
	case StdAlphaOverSqrtCols:
		std /= math.Sqrt(float64(r))
	default:
		return nil, badParam("unknown InitScale %d", scale)
	}
	rnd := rand.New(src)
	data := make([]float64, n*r)
	for i := range data {
		data[i] = std * rnd.NormFloat64()
	}
	return mat.NewDense(n, r, data), nil
}

// RandomFactor returns an n×r factor α·G, G with i.i.d. N(0, 1) entries
// scaled as scale says, drawn row by row from src: the small random
// initialization. Symmetric factors are Factors{L: RandomFactor(n, r, …)};
// asymmetric ones Factors{L: RandomFactor(n1, r, …), R: RandomFactor(n2, r,
// …)}, L drawn first (Go evaluates a composite literal left to right), with
// the same or different scales α.
//
// Every argument is the caller's choice, so a bad one is a programmer
// error: RandomFactor panics with a message starting "lrsense:" if n < 1,
// r < 1, an n×r matrix does not fit in memory, α is negative or not finite,
// scale is unknown, or src is nil.
func RandomFactor(n, r int, alpha float64, scale InitScale, src rand.Source) *mat.Dense {
	f, err := smallRandom(n, r, alpha, scale, src)
	if err != nil {
		panic(err.Error())
	}
	return f
}

// Spectral returns the spectral initialization from the top r eigen- or
// singular pairs of 𝒜*(y). Symmetric (sym true, square problems): the
// eigen-decomposition of sym(𝒜*(y)), negative eigenvalues clipped to 0,
// U₀ = V·diag(√λ₊). Asymmetric: the SVD 𝒜*(y) ≈ P·S·Qᵀ, L₀ = P·√S,
// R₀ = Q·√S. It returns an error wrapping ErrBadParam if r < 1 or r exceeds
// the matrix size, or if the decomposition fails. It panics if p is nil.
func Spectral(p *Problem, r int, sym bool) (Factors, error) {
	checkNil("problem", p)
	p.check()
	n1, n2 := p.Dims()
	if r < 1 || r > min(n1, n2) {
		return Factors{}, badParam("spectral initialization needs 1 ≤ r ≤ %d, got %d", min(n1, n2), r)
	}
	var g mat.Dense
	p.Op.AdjointTo(&g, p.Y)
	if sym {
		if n1 != n2 {
			return Factors{}, badParam("symmetric spectral initialization needs a square problem, got %d×%d", n1, n2)
		}
		s := mat.NewSymDense(n1, nil)
		for i := 0; i < n1; i++ {
			for j := i; j < n1; j++ {
				s.SetSym(i, j, (g.At(i, j)+g.At(j, i))/2)
			}
		}
		var eig mat.EigenSym
		if !eig.Factorize(s, true) {
			return Factors{}, badParam("eigendecomposition of 𝒜*(y) failed")
		}
		vals := eig.Values(nil) // ascending
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		u := mat.NewDense(n1, r, nil)
		for j := 0; j < r; j++ {
			k := n1 - 1 - j
			s := math.Sqrt(math.Max(vals[k], 0))
			for i := 0; i < n1; i++ {
				u.Set(i, j, s*vecs.At(i, k))
			}
		}
		return Factors{L: u}, nil
	}
	var svd mat.SVD
	if !svd.Factorize(&g, mat.SVDThin) {
		return Factors{}, badParam("SVD of 𝒜*(y) failed")
	}
	vals := svd.Values(nil)
	var pu, qv mat.Dense
	svd.UTo(&pu)
	svd.VTo(&qv)
	l := mat.NewDense(n1, r, nil)
	rr := mat.NewDense(n2, r, nil)
	for j := 0; j < r; j++ {
		s := math.Sqrt(vals[j])
		for i := 0; i < n1; i++ {
			l.Set(i, j, s*pu.At(i, j))
		}
		for i := 0; i < n2; i++ {
			rr.Set(i, j, s*qv.At(i, j))
		}
	}
	return Factors{L: l, R: rr}, nil
}
