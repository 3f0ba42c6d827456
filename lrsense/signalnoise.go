package lrsense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// SignalNoiseSplit is the signal/noise decomposition of a symmetric factor
// U (n×r′) relative to the column space of the truth, as defined by Stöger
// & Soltanolkotabi (2021, Sec. 3): with V_X (n×r) an orthonormal basis of
// the truth's column space and the SVD V_Xᵀ·U = V·Σ·Wᵀ, W (r′×r) spans the
// directions of U that carry the truth's column space and W_⊥ (r′×(r′−r))
// is its orthonormal complement, so that U = U·W·Wᵀ + U·W_⊥·W_⊥ᵀ. The
// signal term U·W has the same column space as the projection of U's
// columns that sees X; the noise term U·W_⊥ satisfies V_Xᵀ·U·W_⊥ = 0.
//
// When r′ < r, W has only r′ columns and there is no noise term.
type SignalNoiseSplit struct {
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
	// Alignment is ‖V_{X⊥}ᵀ·V_{UW}‖, the sine of the largest principal
	// angle between the column spaces of U·W and X⋆: 0 when the signal
	// term lies in the truth's column space. It is NaN when U·W does not
	// have full column rank (for instance U = 0).
	Alignment float64
}

// SplitSignalNoise computes the signal/noise decomposition of u with
// respect to the orthonormal basis vx (n×r) of the truth's column space
// (Stöger & Soltanolkotabi 2021; see SignalNoiseSplit). vx must have
// orthonormal columns (for a PSD truth, Truth.U). It panics if vx and u
// have different numbers of rows. A failed SVD gives NaN values.
func SplitSignalNoise(vx, u mat.Matrix) *SignalNoiseSplit {
	n, r := vx.Dims()
	nu, rp := u.Dims()
	if nu != n {
		panic(errShape("SplitSignalNoise u", nu, rp, n, rp))
	}
	k := min(r, rp)
	out := &SignalNoiseSplit{SignalMin: math.NaN(), NoiseNorm: math.NaN(), Alignment: math.NaN()}

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
		out.Alignment = SinTheta(vx, &q)
	}
	return out
}

// SignalNoise records the signal/noise decomposition of the iterate's
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
// See SplitSignalNoise. For asymmetric factors it decomposes L.
func SignalNoise(vx mat.Matrix) Metric {
	q := orthonormalBasis(vx)
	return Metric{
		Names: []string{"signal_min", "noise_norm", "alignment"},
		Eval: func(dst []float64, s *State) {
			sp := SplitSignalNoise(q, s.X.L)
			dst[0], dst[1], dst[2] = sp.SignalMin, sp.NoiseNorm, sp.Alignment
		},
	}
}
