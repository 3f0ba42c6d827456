package lrsense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// defaultAPGDCutoff is the relative singular-value cutoff APGD uses when its
// Cutoff field is 0.
const defaultAPGDCutoff = 1e-8

// APGD is alternating preconditioned gradient descent for asymmetric
// factors, from Liu, Han, Tang, Tang & Wang, "Efficient Over-parameterized
// Matrix Sensing from Noisy Measurements via Alternating Preconditioned
// Gradient Descent" (arXiv 2502.00463 v3, 2025), the paper's APGD update:
//
//	L_{t+1} = L_t − η·G(L_t, R_t)·R_t(R_tᵀR_t)^†,
//	R_{t+1} = R_t − η·G(L_{t+1}, R_t)ᵀ·L_{t+1}(L_{t+1}ᵀL_{t+1})^†,
//
// with G(L, R) = 𝒜*(𝒜(LRᵀ) − y), the gradient factor of the package's
// asymmetric loss ½‖𝒜(LRᵀ) − y‖² (∇_L = G·R, ∇_R = Gᵀ·L). The updates
// alternate: the R step uses the new L. There is no damping λ.
//
// With full observation (G = LRᵀ − Y) and η = 1 each
// half step is an exact least-squares solve, L ← Y·R(RᵀR)^†, so APGD is a
// damped form of alternating least squares. This is why it tolerates larger
// steps than the simultaneous ScaledGD(λ) step, whose two factor corrections
// add up on the product near the optimum (with Gaussian sensing, η up to 1
// against about 0.75: notebooks/apgd.ipynb, Figure 2).
//
// The paper writes the inverse (RᵀR)⁻¹. With r > r⋆ a factor becomes
// (nearly) rank deficient as LRᵀ approaches a rank-r⋆ matrix, so APGD uses
// the Moore–Penrose pseudo-inverse instead: with the thin SVD
// R = U·diag(s)·Vᵀ, R(RᵀR)^† = U·diag(1/s)·Vᵀ where the singular values
// s_i ≤ Cutoff·s_1 are treated as zero (their 1/s_i replaced by 0). Then
// the L step changes the product by exactly −η·G·P_R, P_R the orthogonal
// projector onto the kept left singular vectors of R, whatever the
// conditioning of R; likewise for the R step. The SVD of the n×r factor is
// used rather than an eigendecomposition of the r×r Gram matrix, whose
// small eigenvalues lose accuracy below ~1e-16·s_1² (a singular-value ratio
// of ~1e-8); so the default cutoff 1e-8 keeps every direction the Gram
// approach could still resolve, and directions in which a factor is 1e8
// times smaller than its largest are not updated by that factor's step.
//
// Cost: two fused passes over the operator per step (one apply and one
// adjoint each, see Stats): G at (L_{t+1}, R_t) for the R step, and G at the
// new iterate for the reported loss, which the next L step reuses as
// G(L_t, R_t); Init makes one. A run of T steps makes 2T + 1 of each.
// Measures.Loss is ½‖𝒜(L_tR_tᵀ) − y‖² and Measures.GradNorm is the Frobenius
// norm of the plain gradient (G·R, Gᵀ·L) at the new iterate.
type APGD struct {
	// Eta is η > 0 (η = 0.5 is the paper's default).
	Eta float64
	// Cutoff is the relative singular-value cutoff of the pseudo-inverses,
	// in [0, 1); 0 means 1e-8 (see above).
	Cutoff float64

	ls     *LeastSquares
	cutoff float64
	grad   Factors
	loss   float64
	svd    svdWork
	gu, d  mat.Dense
}

// Init checks the parameters and x (asymmetric factors only) and evaluates
// the loss and gradient at x.
func (a *APGD) Init(p *Problem, x Factors) (Measures, error) {
	if !(a.Eta > 0) || math.IsInf(a.Eta, 0) {
		return Measures{}, badParam("APGD step must be positive and finite, got %v", a.Eta)
	}
	if !(a.Cutoff >= 0 && a.Cutoff < 1) {
		return Measures{}, badParam("APGD cutoff must be in [0, 1), got %v", a.Cutoff)
	}
	if x.Sym() {
		return Measures{}, badParam("APGD needs asymmetric factors (R not nil)")
	}
	a.cutoff = a.Cutoff
	if a.cutoff == 0 {
		a.cutoff = defaultAPGDCutoff
	}
	a.ls = NewLeastSquares(p)
	a.grad = Factors{L: &mat.Dense{}, R: &mat.Dense{}}
	return a.eval(x), nil
}

func (a *APGD) eval(x Factors) Measures {
	a.loss = a.ls.Eval(&a.grad, x)
	return Measures{Loss: a.loss, GradNorm: a.grad.Norm()}
}

// Iterate takes one alternating step from x, in place, and evaluates the
// new iterate.
func (a *APGD) Iterate(x Factors) (Measures, error) {
	// L step with G(L_t, R_t), left in ls by the last Eval.
	a.precondStep(x.L, a.ls.Adjoint(), false, x.R)
	// R step with G(L_{t+1}, R_t).
	a.ls.Eval(nil, x)
	a.precondStep(x.R, a.ls.Adjoint(), true, x.L)
	return a.eval(x), nil
}

// precondStep does f ← f − η·op(G)·F(FᵀF)^†, op(G) = G or Gᵀ (trans), with
// the pseudo-inverse from the thin SVD of the other factor F.
func (a *APGD) precondStep(f *mat.Dense, g *mat.Dense, trans bool, other *mat.Dense) {
	// Fall back to a zero step if the SVD fails (it does not for finite
	// input; non-finite iterates are caught by Solve).
	if !a.svd.factorize(other, true) {
		return
	}
	s := a.svd.s
	a.gu.Reset()                            // L and R steps differ in shape when n1 ≠ n2
	mulTo(&a.gu, g, trans, &a.svd.U, false) // op(G)·U, rows × r
	rows, k := a.gu.Dims()
	tol := a.cutoff * s[0]
	raw := a.gu.RawMatrix()
	for j := 0; j < k; j++ {
		inv := 0.0
		if s[j] > tol {
			inv = a.Eta / s[j]
		}
		for i := 0; i < rows; i++ {
			raw.Data[i*raw.Stride+j] *= inv
		}
	}
	a.d.Reset()
	mulTo(&a.d, &a.gu, false, &a.svd.V, true)
	f.Sub(f, &a.d)
}
