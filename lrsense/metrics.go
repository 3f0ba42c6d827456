package lrsense

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// This file holds every measure of an iterate: the series a Trajectory
// records, the Metric constructors, and the subspace measures they use.

// Series names. A Trajectory always records SeriesRelErr, SeriesLoss and
// SeriesGradNorm; the metric constructors name the series they add.
const (
	// SeriesRelErr is ‖X_t − X⋆‖_F/‖X⋆‖_F (NaN when the truth is unknown).
	SeriesRelErr = "relerr"
	// SeriesLoss is the method's objective (Measures.Loss).
	SeriesLoss = "loss"
	// SeriesGradNorm is the norm of the method's (sub)gradient
	// (Measures.GradNorm).
	SeriesGradNorm = "gradnorm"
	// SeriesTime names the wall time since the run started, which a
	// NewMetric can record from State.Elapsed.
	SeriesTime = "time"
	// SeriesErr names the absolute error ‖X_t − X⋆‖_F that Ma & Fattahi
	// (2023) plot: NewMetric(SeriesErr, func(s *State) float64 { return
	// s.RelErr * s.Problem.Truth.Norm() }).
	SeriesErr = "err"
	// SeriesSigma prefixes the singular values of X_t: "sigma1", "sigma2",
	// … (SingularValuesMetric).
	SeriesSigma = "sigma"
	// SeriesSignalMin, SeriesNoiseNorm and SeriesSignalSinTheta are the
	// signal/noise measures of SignalNoiseMetric.
	SeriesSignalMin      = "signal_min"
	SeriesNoiseNorm      = "noise_norm"
	SeriesSignalSinTheta = "alignment"
	// SeriesSigmaSS, SeriesSE, SeriesEE, SeriesFF and SeriesGG are the
	// norms ‖Σ − SSᵀ‖, ‖SEᵀ‖, ‖EEᵀ‖, ‖FFᵀ‖ and ‖GGᵀ‖ of SEFGMetric, and
	// SeriesLambda prefixes its eigenvalues of SSᵀ: "lambda1", ….
	SeriesSigmaSS = "sigmass"
	SeriesSE      = "se"
	SeriesEE      = "ee"
	SeriesFF      = "ff"
	SeriesGG      = "gg"
	SeriesLambda  = "lambda"
)

// Metric is a named measurement of a State that a Trajectory records. A
// metric may produce several series (singular values); Eval fills dst,
// which has len(Names) entries.
type Metric struct {
	Names []string
	Eval  func(dst []float64, s *State)
}

// NewMetric makes a one-series metric from a function of the state.
func NewMetric(name string, f func(s *State) float64) Metric {
	checkNil("metric function", f)
	return Metric{Names: []string{name}, Eval: func(dst []float64, s *State) { dst[0] = f(s) }}
}

// SingularValuesMetric records the k largest singular values of X_t as
// "sigma1" … "sigmak" (SeriesSigma and the index; NaN where X has fewer).
func SingularValuesMetric(k int) Metric {
	if k < 0 || k > 1<<20 {
		panic(fmt.Sprintf("lrsense: SingularValuesMetric needs 0 ≤ k ≤ 2²⁰, got %d", k))
	}
	names := make([]string, k)
	for i := range names {
		names[i] = fmt.Sprint(SeriesSigma, i+1)
	}
	return Metric{Names: names, Eval: func(dst []float64, s *State) {
		sv := s.SingularValues()
		for i := range dst {
			dst[i] = math.NaN()
			if i < len(sv) {
				dst[i] = sv[i]
			}
		}
	}}
}

// SinTheta returns the sine of the largest principal angle between the
// column spaces of a and b: ‖(I − QₐQₐᵀ)·Q_b‖₂, Qₐ and Q_b orthonormal
// bases (the thin QR factors of a and b, so any basis of full column rank
// will do, e.g. a factor L). It panics if the row counts differ or a
// matrix has more columns than rows.
func SinTheta(a, b mat.Matrix) float64 {
	ra, _ := a.Dims()
	rb, _ := b.Dims()
	if ra != rb {
		panic(errShape("SinTheta b", rb, 0, ra, 0))
	}
	return sinTheta(orthonormalize(a), orthonormalize(b))
}

// sinTheta is SinTheta for a and b with orthonormal columns.
func sinTheta(a, b mat.Matrix) float64 {
	var c, d mat.Dense
	c.Mul(a.T(), b)
	d.Mul(a, &c)
	d.Sub(b, &d)
	return spectralNorm(&d)
}

// ProjDist returns ‖P_A − P_B‖_F, P_A and P_B the orthogonal projections
// on the column spaces of a and b (same shape, full column rank; any basis
// will do, e.g. a factor L): √2·‖(I − QₐQₐᵀ)Q_b‖_F with Qₐ and Q_b their
// thin QR factors, computed in O(nk²). It panics if the shapes differ or a
// has more columns than rows.
func ProjDist(a, b mat.Matrix) float64 {
	ra, ca := a.Dims()
	rb, cb := b.Dims()
	if ra != rb || ca != cb {
		panic(errShape("ProjDist b", rb, cb, ra, ca))
	}
	a, b = orthonormalize(a), orthonormalize(b)
	var c, d mat.Dense
	c.Mul(a.T(), b)
	d.Mul(a, &c)
	d.Sub(b, &d)
	return math.Sqrt2 * mat.Norm(&d, 2)
}

// orthonormalize returns the Q factor of the thin QR decomposition of a
// (n×k, n ≥ k) with a non-negative diagonal R: the retraction-free
// eigenspace estimate orth(X_T) of Chen et al. (2023), and the retraction
// of Riemannian ApproxGD. It panics if a has more columns than rows.
func orthonormalize(a mat.Matrix) *mat.Dense {
	n, k := a.Dims()
	if k > n {
		panic(errShape("orthonormal basis of a", n, k, n, n))
	}
	q := mat.DenseCopyOf(a)
	thinQInPlace(q, nil, nil, nil)
	return q
}

// spectralNorm returns the largest singular value of a.
func spectralNorm(a mat.Matrix) float64 {
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDNone) {
		return math.NaN()
	}
	return svd.Values(nil)[0]
}

// orthonormalBasis returns Q with orthonormal columns spanning the columns
// of a (a must have full column rank).
func orthonormalBasis(a mat.Matrix) *mat.Dense {
	r, c := a.Dims()
	var qr mat.QR
	qr.Factorize(a)
	var q mat.Dense
	qr.QTo(&q)
	out := mat.NewDense(r, c, nil)
	out.Copy(&q)
	return out
}

// signalNoise is the signal/noise decomposition of a symmetric factor
// U (n×r′) relative to the column space of the truth, as defined by Stöger
// & Soltanolkotabi (2021, Sec. 3): with V_X (n×r) an orthonormal basis of
// the truth's column space and the SVD V_Xᵀ·U = V·Σ·Wᵀ, W (r′×r) spans the
// directions of U that carry the truth's column space and W_⊥ (r′×(r′−r))
// is its orthonormal complement, so that U = U·W·Wᵀ + U·W_⊥·W_⊥ᵀ. The
// signal term U·W has the same column space as the projection of U's
// columns that sees X; the noise term U·W_⊥ satisfies V_Xᵀ·U·W_⊥ = 0.
//
// When r′ < r, W has only r′ columns and there is no noise term.
type signalNoise struct {
	// W and WPerp are the r′×k and r′×(r′−k) matrices W_t and W_{t,⊥},
	// k = min(r, r′). WPerp is nil when r′ ≤ r.
	W, WPerp *mat.Dense
	// Signal = U·W (n×k) and Noise = U·W_⊥ (n×(r′−k), nil when r′ ≤ r).
	Signal, Noise *mat.Dense
	// SignalMin is σ_min(U·W), the smallest singular value of the signal
	// term (σ_k).
	SignalMin float64
	// NoiseNorm is ‖U·W_⊥‖, the spectral norm of the noise term (0 when
	// r′ ≤ r).
	NoiseNorm float64
	// SinTheta is ‖V_{X⊥}ᵀ·V_{UW}‖, the sine of the largest principal
	// angle between the column spaces of U·W and X⋆: 0 when the signal
	// term lies in the truth's column space. It is NaN when U·W does not
	// have full column rank (for instance U = 0).
	SinTheta float64
}

// newSignalNoise computes the signal/noise decomposition of u with
// respect to the orthonormal basis vx (n×r) of the truth's column space
// (Stöger & Soltanolkotabi 2021; see SignalNoise). vx must have
// orthonormal columns (for a PSD truth, Truth.U). It panics if vx and u
// have different numbers of rows. A failed SVD gives NaN values.
func newSignalNoise(vx, u mat.Matrix) *signalNoise {
	n, r := vx.Dims()
	nu, rp := u.Dims()
	if nu != n {
		panic(errShape("signal/noise u", nu, rp, n, rp))
	}
	k := min(r, rp)
	out := &signalNoise{SignalMin: math.NaN(), NoiseNorm: math.NaN(), SinTheta: math.NaN()}

	// V_Xᵀ·U = V·Σ·Wᵀ: the right singular vectors, all r′ of them, give
	// W (the first k) and W_⊥ (the rest).
	var b mat.Dense
	b.Mul(vx.T(), u)
	var svd mat.SVD
	if !svd.Factorize(&b, mat.SVDFullV) {
		return out
	}
	var w mat.Dense
	svd.VTo(&w)
	out.W = mat.DenseCopyOf(w.Slice(0, rp, 0, k))
	out.Signal = &mat.Dense{}
	out.Signal.Mul(u, out.W)
	out.NoiseNorm = 0
	if rp > k {
		out.WPerp = mat.DenseCopyOf(w.Slice(0, rp, k, rp))
		out.Noise = &mat.Dense{}
		out.Noise.Mul(u, out.WPerp)
		out.NoiseNorm = spectralNorm(out.Noise)
	}

	// One thin SVD of the signal term gives σ_min and its column space.
	var ssvd mat.SVD
	if !ssvd.Factorize(out.Signal, mat.SVDThinU) {
		return out
	}
	vals := ssvd.Values(nil)
	out.SignalMin = vals[k-1]
	if vals[k-1] > 0 && vals[k-1] > vals[0]*1e-14 {
		var q mat.Dense
		ssvd.UTo(&q)
		out.SinTheta = sinTheta(vx, &q) // both orthonormal
	}
	return out
}

// SignalNoiseMetric records the signal/noise decomposition of the iterate's
// (left) factor U_t relative to the column space of vx (n×r, the truth's
// column space; its columns need not be orthonormal but must be linearly
// independent), as defined by Stöger & Soltanolkotabi (2021): with the SVD
// V_Xᵀ·U_t = V_t·Σ_t·W_tᵀ it records
//
//   - "signal_min": σ_min(U_t·W_t), the signal term's smallest singular value;
//   - "noise_norm": ‖U_t·W_{t,⊥}‖, the spectral norm of the noise term;
//   - "alignment": ‖V_{X⊥}ᵀ·V_{U_tW_t}‖, the sine of the largest principal
//     angle between the column spaces of U_t·W_t and X⋆.
//
// For asymmetric factors it decomposes L.
func SignalNoiseMetric(vx mat.Matrix) Metric {
	q := orthonormalBasis(vx)
	return Metric{
		Names: []string{SeriesSignalMin, SeriesNoiseNorm, SeriesSignalSinTheta},
		Eval: func(dst []float64, s *State) {
			sp := newSignalNoise(q, s.X.L)
			dst[0], dst[1], dst[2] = sp.SignalMin, sp.NoiseNorm, sp.SinTheta
		},
	}
}

// SEFGMetric records the signal–residual decomposition of a symmetric iterate used
// by Ma & Fattahi (2023, JMLR 24(96), Sec. 4 and Figs. 5–7). With the PSD
// truth X⋆ = V·Σ·Vᵀ (V n×r), V⊥ an orthonormal basis of its complement and
// U_t the n×r′ factor,
//
//	S_t = Vᵀ·U_t (signal, r×r′),   E_t = V⊥ᵀ·U_t (residual, (n−r)×r′),
//	F_t = E_t·P_{S_t},             G_t = E_t·P⊥_{S_t},
//
// where P_{S_t} projects onto the row space of S_t, taken as the span of
// its top min(r, r′) right singular vectors (those with a nonzero singular
// value). It records the spectral norms
//
//	"sigmass" ‖Σ − S_tS_tᵀ‖,  "se" ‖S_tE_tᵀ‖,  "ee" ‖E_tE_tᵀ‖,
//	"ff" ‖F_tF_tᵀ‖,            "gg" ‖G_tG_tᵀ‖,
//
// and the eigenvalues of S_tS_tᵀ in decreasing order as "lambda1" …
// "lambdar". Since F_tG_tᵀ = 0, E_tE_tᵀ = F_tF_tᵀ + G_tG_tᵀ. SEFGMetric panics
// if truth is not PSD (truth.Sym() false); the metric panics on an
// asymmetric iterate or one with n rows other than the truth's.
func SEFGMetric(truth *Truth) Metric {
	checkNil("truth", truth)
	if !truth.Sym() {
		panic("lrsense: SEFG needs a PSD truth (U == V)")
	}
	n, r := truth.U.Dims()
	v := mat.DenseCopyOf(truth.U)
	var qr mat.QR
	qr.Factorize(v)
	var q mat.Dense
	qr.QTo(&q) // n×n; the last n−r columns span the complement of V
	vperp := mat.DenseCopyOf(q.Slice(0, n, r, n))
	sigma := mat.NewDiagDense(r, append([]float64(nil), truth.Sigma...))
	names := []string{SeriesSigmaSS, SeriesSE, SeriesEE, SeriesFF, SeriesGG}
	for i := 1; i <= r; i++ {
		names = append(names, fmt.Sprint(SeriesLambda, i))
	}
	var w sefgWork
	return Metric{Names: names, Eval: func(dst []float64, s *State) {
		if !s.X.Sym() {
			panic("lrsense: SEFG needs symmetric factors")
		}
		w.eval(dst, s.X.L, v, vperp, sigma)
	}}
}

type sefgWork struct {
	s, e, ss, se, ee, ew, g mat.Dense
	svd                     mat.SVD
	wv                      mat.Dense
}

func (w *sefgWork) eval(dst []float64, u, v, vperp *mat.Dense, sigma *mat.DiagDense) {
	n, _ := v.Dims()
	if ur, _ := u.Dims(); ur != n {
		panic(errShape("SEFG factor", ur, 0, n, 0))
	}
	r := sigma.SymmetricDim()
	w.s.Reset()
	w.s.Mul(v.T(), u)
	w.e.Reset()
	w.e.Mul(vperp.T(), u)
	w.ss.Reset()
	w.ss.Mul(&w.s, w.s.T())
	w.ss.Sub(sigma, &w.ss)
	dst[0] = spectralNorm(&w.ss)
	w.se.Reset()
	w.se.Mul(&w.s, w.e.T())
	dst[1] = spectralNorm(&w.se)
	enorm := spectralNorm(&w.e)
	dst[2] = enorm * enorm
	// Row space of S from its SVD S = P·diag·Wᵀ.
	_, rp := u.Dims()
	k := min(r, rp)
	for i := range r {
		dst[5+i] = 0
	}
	if !w.svd.Factorize(&w.s, mat.SVDThinV) {
		for i := 1; i < len(dst); i++ {
			dst[i] = math.NaN()
		}
		return
	}
	vals := w.svd.Values(nil)
	for i := 0; i < len(vals) && i < r; i++ {
		dst[5+i] = vals[i] * vals[i]
	}
	rank := 0
	for rank < k && vals[rank] > 0 {
		rank++
	}
	w.wv.Reset()
	w.svd.VTo(&w.wv)
	wk := w.wv.Slice(0, rp, 0, rank)
	// F = E·W·Wᵀ has ‖FFᵀ‖ = ‖E·W‖²; G = E − F.
	if rank == 0 {
		dst[3], dst[4] = 0, dst[2]
		return
	}
	w.ew.Reset()
	w.ew.Mul(&w.e, wk)
	fnorm := spectralNorm(&w.ew)
	dst[3] = fnorm * fnorm
	w.g.Reset()
	w.g.Mul(&w.ew, wk.T())
	w.g.Sub(&w.e, &w.g)
	gnorm := spectralNorm(&w.g)
	dst[4] = gnorm * gnorm
}
