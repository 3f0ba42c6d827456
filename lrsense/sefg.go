package lrsense

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// SEFG records the signal–residual decomposition of a symmetric iterate used
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
//	"sigma-ss" ‖Σ − S_tS_tᵀ‖,  "se" ‖S_tE_tᵀ‖,  "ee" ‖E_tE_tᵀ‖,
//	"ff" ‖F_tF_tᵀ‖,            "gg" ‖G_tG_tᵀ‖,
//
// and the eigenvalues of S_tS_tᵀ in decreasing order as "lambda1" …
// "lambdar". Since F_tG_tᵀ = 0, E_tE_tᵀ = F_tF_tᵀ + G_tG_tᵀ. SEFG panics
// if truth is not PSD (truth.Sym() false); the metric panics on an
// asymmetric iterate or one with n rows other than the truth's.
func SEFG(truth *Truth) Metric {
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
	names := []string{"sigma-ss", "se", "ee", "ff", "gg"}
	for i := 1; i <= r; i++ {
		names = append(names, fmt.Sprintf("lambda%d", i))
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

// FrobErr records "err", the absolute error ‖X_t − X⋆‖_F, the error Ma &
// Fattahi (2023) plot (the problem must know its truth).
func FrobErr() Metric {
	return Func("err", func(s *State) float64 { return s.RelErr * s.Problem.Truth.Norm() })
}
