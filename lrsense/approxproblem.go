package lrsense

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// newApproxSymProblem returns the symmetric low-rank approximation problem of Chen,
// Chen, Elmasri & Sun (2023, arXiv 2305.19206 v1), min_X ¼‖XXᵀ − Σ‖_F²,
// with the fully observed n×n matrix Σ = Q·diag(lambda)·Qᵀ (n = len(lambda))
// on the full-observation operator. Its truth is the best rank-r approximation
// Σ_r = Σ_{i≤r} λ_i q_iq_iᵀ (Truth.U the top-r eigenvectors q_1…q_r), so that
// Problem.RelErr is ‖XXᵀ − Σ_r‖_F/‖Σ_r‖_F, the paper's error.
//
// Q is a random orthogonal matrix, the product of min(n, r+8) Householder
// reflectors with Gaussian directions drawn from src, so that Σ costs
// O(n²r) to form instead of the O(n³) of a Haar Q. GD and Riemannian GD
// from a Gaussian initialization are equivariant under X ↦ QX, so the
// distribution of every rotation-invariant measure of a run (errors,
// subspace distances, iteration counts) does not depend on Q.
//
// lambda must be non-increasing, finite and ≥ 0, with 1 ≤ r ≤ n and a gap
// λ_r > λ_{r+1} (when r < n) so that the top-r eigenspace is unique;
// otherwise newApproxSymProblem returns an error wrapping ErrBadParam. λ_r
// must be positive (Σ_r = 0 has no relative error). It panics if src is
// nil.
func newApproxSymProblem(lambda []float64, r int, src rand.Source) (*Problem, error) {
	checkNil("source", src)
	n := len(lambda)
	if err := checkApproxSpectrum(lambda, r); err != nil {
		return nil, err
	}
	if err := checkAlloc("Σ", 8, n, n); err != nil {
		return nil, err
	}
	rnd := rand.New(src)
	sig := mat.NewDense(n, n, nil)
	for i, l := range lambda {
		sig.Set(i, i, l)
	}
	refl := randomReflectors(n, min(n, r+8), rnd)
	w := make([]float64, n)
	for _, v := range refl {
		// Σ ← HΣH with H = I − 2vvᵀ: Σ − 2v·wᵀ − 2w·vᵀ + 4(vᵀw)·vvᵀ, w = Σv.
		blas64.Gemv(blas.NoTrans, 1, sig.RawMatrix(), blas64.Vector{N: n, Inc: 1, Data: v}, 0, blas64.Vector{N: n, Inc: 1, Data: w})
		c := 4 * blas64.Dot(blas64.Vector{N: n, Inc: 1, Data: v}, blas64.Vector{N: n, Inc: 1, Data: w})
		raw := sig.RawMatrix()
		for i := 0; i < n; i++ {
			row := raw.Data[i*raw.Stride : i*raw.Stride+n]
			vi, wi := v[i], w[i]
			a, b := -2*wi+c*vi, -2*vi
			for j := range row {
				row[j] += a*v[j] + b*w[j]
			}
		}
	}
	// Symmetrize away rounding.
	sd := sig.RawMatrix().Data
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			m := (sd[i*n+j] + sd[j*n+i]) / 2
			sd[i*n+j], sd[j*n+i] = m, m
		}
	}
	u := applyReflectors(refl, n, r)
	truth := &Truth{U: u, V: u, Sigma: append([]float64(nil), lambda[:r]...)}
	truth.X = lowRankProduct(u, u, truth.Sigma)
	op, err := newFullObservation(n, n)
	if err != nil {
		return nil, err
	}
	return &Problem{Op: op, Y: mat.NewVecDense(n*n, sig.RawMatrix().Data), Truth: truth}, nil
}

// newApproxAsymProblem returns the asymmetric low-rank approximation problem of
// Chen et al. (2023), min ½‖XYᵀ − A‖_F², with the fully observed n1×n2
// matrix A = P·diag(s)·Qᵀ (len(s) = min(n1, n2)) on the full-observation operator.
// P and Q are independent random orthogonal matrices built as in
// newApproxSymProblem (P first). Its truth is the best rank-r approximation A_r,
// with Truth.U and Truth.V the top-r left and right singular vectors.
//
// s must be non-increasing, finite and ≥ 0, with 1 ≤ r ≤ len(s) and
// s_r > s_{r+1} (when r < len(s)); otherwise newApproxAsymProblem returns an error
// wrapping ErrBadParam, as it does for non-positive sizes or
// len(s) ≠ min(n1, n2), s_r = 0, or an n1×n2 matrix that does not fit in
// memory. It panics if src is nil.
func newApproxAsymProblem(n1, n2 int, s []float64, r int, src rand.Source) (*Problem, error) {
	checkNil("source", src)
	if n1 < 1 || n2 < 1 || len(s) != min(n1, n2) {
		return nil, badParam("newApproxAsymProblem needs n1, n2 ≥ 1 and min(n1, n2) = %d singular values, got %d×%d", min(n1, n2), n1, n2)
	}
	if err := checkAlloc("A", 8, n1, n2); err != nil {
		return nil, err
	}
	if err := checkApproxSpectrum(s, r); err != nil {
		return nil, err
	}
	rnd := rand.New(src)
	a := mat.NewDense(n1, n2, nil)
	for i, v := range s {
		a.Set(i, i, v)
	}
	left := randomReflectors(n1, min(n1, r+8), rnd)
	right := randomReflectors(n2, min(n2, r+8), rnd)
	raw := a.RawMatrix()
	w := make([]float64, max(n1, n2))
	for _, v := range left {
		// A ← (I − 2vvᵀ)A = A − 2v·(Aᵀv)ᵀ.
		wv := w[:n2]
		blas64.Gemv(blas.Trans, 1, raw, blas64.Vector{N: n1, Inc: 1, Data: v}, 0, blas64.Vector{N: n2, Inc: 1, Data: wv})
		for i := 0; i < n1; i++ {
			row := raw.Data[i*raw.Stride : i*raw.Stride+n2]
			c := -2 * v[i]
			for j := range row {
				row[j] += c * wv[j]
			}
		}
	}
	for _, v := range right {
		// A ← A(I − 2vvᵀ) = A − 2(Av)·vᵀ.
		wv := w[:n1]
		blas64.Gemv(blas.NoTrans, 1, raw, blas64.Vector{N: n2, Inc: 1, Data: v}, 0, blas64.Vector{N: n1, Inc: 1, Data: wv})
		for i := 0; i < n1; i++ {
			row := raw.Data[i*raw.Stride : i*raw.Stride+n2]
			c := -2 * wv[i]
			for j := range row {
				row[j] += c * v[j]
			}
		}
	}
	u := applyReflectors(left, n1, r)
	vv := applyReflectors(right, n2, r)
	truth := &Truth{U: u, V: vv, Sigma: append([]float64(nil), s[:r]...)}
	truth.X = lowRankProduct(u, vv, truth.Sigma)
	op, err := newFullObservation(n1, n2)
	if err != nil {
		return nil, err
	}
	return &Problem{Op: op, Y: mat.NewVecDense(n1*n2, raw.Data), Truth: truth}, nil
}

// checkApproxSpectrum checks a spectrum for newApproxSymProblem / newApproxAsymProblem.
func checkApproxSpectrum(lambda []float64, r int) error {
	n := len(lambda)
	if n < 1 || r < 1 || r > n {
		return badParam("need 1 ≤ r ≤ %d values, got r = %d", n, r)
	}
	for i, l := range lambda {
		if !(l >= 0) || math.IsInf(l, 0) {
			return badParam("spectrum values must be finite and ≥ 0, got λ_%d = %v", i+1, l)
		}
		if i > 0 && l > lambda[i-1] {
			return badParam("spectrum must be non-increasing, got λ_%d = %v > λ_%d = %v", i+1, l, i, lambda[i-1])
		}
	}
	if !(lambda[r-1] > 0) {
		return badParam("λ_r = %v: the rank-%d truth Σ_r must not be zero", lambda[r-1], r)
	}
	if r < n && !(lambda[r-1] > lambda[r]) {
		return badParam("no gap after the top %d: λ_r = λ_{r+1} = %v, the top-r subspace is not unique", r, lambda[r])
	}
	return nil
}

// randomReflectors returns k unit vectors of length n with uniformly random
// directions.
func randomReflectors(n, k int, rnd *rand.Rand) [][]float64 {
	out := make([][]float64, k)
	for j := range out {
		v := make([]float64, n)
		nrm := 0.0
		for nrm == 0 {
			for i := range v {
				v[i] = rnd.NormFloat64()
			}
			nrm = math.Sqrt(blas64.Dot(blas64.Vector{N: n, Inc: 1, Data: v}, blas64.Vector{N: n, Inc: 1, Data: v}))
		}
		for i := range v {
			v[i] /= nrm
		}
		out[j] = v
	}
	return out
}

// applyReflectors returns the first r columns of H_k⋯H_1 (H_j = I − 2v_jv_jᵀ,
// v_j = refl[j−1]): the matrix Q of newApproxSymProblem restricted to e_1…e_r.
func applyReflectors(refl [][]float64, n, r int) *mat.Dense {
	q := mat.NewDense(n, r, nil)
	for j := 0; j < r; j++ {
		q.Set(j, j, 1)
	}
	col := make([]float64, n)
	for j := 0; j < r; j++ {
		for i := range col {
			col[i] = q.At(i, j)
		}
		for _, v := range refl {
			c := 0.0
			for i, vi := range v {
				c += vi * col[i]
			}
			for i, vi := range v {
				col[i] -= 2 * c * vi
			}
		}
		for i, c := range col {
			q.Set(i, j, c)
		}
	}
	return q
}
