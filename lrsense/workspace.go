package lrsense

// Dense-algebra helpers for iterations that must not allocate.

import (
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// svdWork computes singular value decompositions in memory it keeps, for
// the iterations that need one per step (APGD's pseudo-inverses, SubGM's
// ‖Q‖₂). It makes the LAPACK call mat.SVD makes (Dgesvd, with the
// workspace size Dgesvd asks for), so the results are mat.SVD's, without
// its allocations. The zero value is ready to use.
type svdWork struct {
	// s holds the singular values of the last factorize.
	s       []float64
	a, work []float64
	u, vt   []float64
	// U (m×k) and V = (Vᵀ)ᵀ (n×k), k = min(m, n), of the last
	// factorization with vectors.
	U, V mat.Dense
	key  [3]int // m, n, vectors of lwork
}

// factorize computes the singular values of a (into s, decreasing) and,
// if vectors is set, the thin U and V. It reports whether Dgesvd
// converged. a is not modified.
func (w *svdWork) factorize(a *mat.Dense, vectors bool) bool {
	m, n := a.Dims()
	k := min(m, n)
	jobU, jobVT := lapack.SVDNone, lapack.SVDNone
	var u, vt blas64.General
	if vectors {
		jobU, jobVT = lapack.SVDStore, lapack.SVDStore
		u = blas64.General{Rows: m, Cols: k, Stride: k, Data: grow(&w.u, m*k)}
		vt = blas64.General{Rows: k, Cols: n, Stride: n, Data: grow(&w.vt, k*n)}
	}
	ac := blas64.General{Rows: m, Cols: n, Stride: n, Data: grow(&w.a, m*n)}
	raw := a.RawMatrix()
	for i := 0; i < m; i++ {
		copy(ac.Data[i*n:(i+1)*n], raw.Data[i*raw.Stride:])
	}
	s := grow(&w.s, k)
	vec := 0
	if vectors {
		vec = 1
	}
	if key := [3]int{m, n, vec}; key != w.key || w.work == nil {
		var q [1]float64
		lapack64.Gesvd(jobU, jobVT, ac, u, vt, s, q[:], -1)
		w.work = make([]float64, int(q[0]))
		w.key = key
	}
	if !lapack64.Gesvd(jobU, jobVT, ac, u, vt, s, w.work, len(w.work)) {
		return false
	}
	w.s = s
	if vectors {
		w.U.SetRawMatrix(u)
		if r, c := w.V.Dims(); r != n || c != k {
			w.V.Reset()
			w.V.ReuseAs(n, k)
		}
		vr := w.V.RawMatrix()
		for i := 0; i < k; i++ {
			for j := 0; j < n; j++ {
				vr.Data[j*vr.Stride+i] = vt.Data[i*vt.Stride+j]
			}
		}
	}
	return true
}

// spectralNorm returns ‖a‖₂, the largest singular value of a (m ≥ n, not
// modified), or NaN if a has a non-finite entry. It reduces a copy of a to
// upper bidiagonal form B (Householder, LAPACK's Dgebrd) and finds the
// largest eigenvalue of the Golub–Kahan matrix [0 B; Bᵀ 0], whose
// eigenvalues are ±σ_i, by bisection on Sturm counts, to a relative
// accuracy of a few units in the last place. Unlike mat.SVD it allocates
// nothing once sized (Dgesvd without vectors sorts through sort.Reverse,
// two allocations a call).
func (w *svdWork) spectralNorm(a *mat.Dense) float64 {
	m, n := a.Dims()
	if m < n {
		panic("lrsense: spectralNorm of a wide matrix")
	}
	raw := a.RawMatrix()
	ac := grow(&w.a, m*n)
	for i := 0; i < m; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+n]
		for _, v := range row {
			if isBad(v) {
				return math.NaN()
			}
		}
		copy(ac[i*n:(i+1)*n], row)
	}
	// d, e, tauQ, tauP, then the Golub–Kahan off-diagonal, in w.s.
	s := grow(&w.s, 4*n+2*n)
	d, e, tq, tp, b := s[:n], s[n:2*n], s[2*n:3*n], s[3*n:4*n], s[4*n:6*n]
	impl := gonum.Implementation{}
	if key := [3]int{m, n, 2}; key != w.key || w.work == nil {
		var q [1]float64
		impl.Dgebrd(m, n, ac, n, d, e, tq, tp, q[:], -1)
		w.work = make([]float64, max(int(q[0]), 1))
		w.key = key
	}
	impl.Dgebrd(m, n, ac, n, d, e, tq, tp, w.work, len(w.work))
	// Off-diagonal of the 2n×2n Golub–Kahan matrix: d1, e1, d2, …, dn.
	b = b[:2*n-1]
	hi := 0.0
	for i := 0; i < n; i++ {
		b[2*i] = d[i]
		if i < n-1 {
			b[2*i+1] = e[i]
		}
	}
	for i := range b {
		r := math.Abs(b[i])
		if i > 0 {
			r += math.Abs(b[i-1])
		}
		if i < len(b)-1 {
			r += math.Abs(b[i+1])
		}
		hi = max(hi, r) // Gershgorin bound
	}
	if hi == 0 {
		return 0
	}
	lo := 0.0
	// The largest eigenvalue is in (lo, hi]; bisect until the interval is
	// a few ulps wide.
	for hi-lo > 4*dlamchE*hi {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if sturmBelow(b, mid) == 2*n {
			hi = mid // all eigenvalues are below mid
		} else {
			lo = mid
		}
	}
	return hi
}

// dlamchE is the unit roundoff of float64.
const dlamchE = 1.0 / (1 << 53)

// sturmBelow returns the number of eigenvalues below x of the symmetric
// tridiagonal matrix with zero diagonal and off-diagonal b.
func sturmBelow(b []float64, x float64) int {
	const tiny = 1e-300
	count := 0
	q := -x
	if q < 0 {
		count++
	}
	for _, v := range b {
		if q == 0 {
			q = tiny
		}
		q = -x - v*v/q
		if q < 0 {
			count++
		}
	}
	return count
}

// transposeTo stores xᵀ in dst, which must have its shape. Unlike
// dst.Copy(x.T()), it boxes no mat.Transpose on the heap.
func transposeTo(dst *mat.Dense, x mat.Matrix) {
	r, c := x.Dims()
	checkMatrix("dst", dst, c, r)
	d := dst.RawMatrix()
	if xd, ok := x.(*mat.Dense); ok {
		xr := xd.RawMatrix()
		for i := 0; i < r; i++ {
			for j, v := range xr.Data[i*xr.Stride : i*xr.Stride+c] {
				d.Data[j*d.Stride+i] = v
			}
		}
		return
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			d.Data[j*d.Stride+i] = x.At(i, j)
		}
	}
}
