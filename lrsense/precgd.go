package lrsense

import "math"

// PrecGD is the preconditioned gradient descent of Zhang, Fattahi and Zhang,
// "Preconditioned Gradient Descent for Over-Parameterized Nonconvex Matrix
// Factorization", NeurIPS 2021, the baseline Xu, Shen, Chi and Ma (ICML
// 2023, Sec. 4) compare ScaledGD(λ) with: ScaledGD(λ) (see ScaledGD) with
// the damping recomputed at every step from the current fit,
//
//	X ← X − η·∇f(X)·(XᵀX + λ_t I)⁻¹,   λ_t = Scale·‖𝒜(X_tX_tᵀ) − y‖,
//
// and for asymmetric factors the simultaneous L and R steps of ScaledGD
// with λ_t = Scale·‖𝒜(L_tR_tᵀ) − y‖.
//
// Damping convention. Zhang et al. write the objective without the ¼,
// f_ZFZ(X) = ‖𝒜(XXᵀ) − y‖² with a RIP-normalized 𝒜 (this package's
// normalization, E[𝒜*𝒜] = I), and damp with λ_t = √f_ZFZ(X_t), which is
// ≈ ‖X_tX_tᵀ − X⋆‖_F in the noiseless case. In this package's ¼ (or ½)
// normalization that is the residual norm ‖𝒜(X_t) − y‖ = 2√f (symmetric)
// or √(2f) (asymmetric), which is what Scale = 1 gives. Scale = ½ gives
// λ_t = √f of the package's symmetric ¼-objective. With noise of standard
// deviation σ per measurement the residual, and hence λ_t, levels off near
// σ√m instead of going to zero.
//
// Measures.Loss is f and Measures.GradNorm the norm of the plain gradient at the
// new iterate. If λ_t = 0 and a factor lacks full column rank (only at an
// exact fit), Init returns an error wrapping ErrBadParam, or, during the
// run, Iterate leaves x unchanged and returns NaN measures (Solve stops with
// NonFinite).
//
// Decaying damping. With Decay = β ∈ (0, 1], λ_t is instead computed once,
// λ_0 = Lambda0 or Scale·‖𝒜(X_0) − y‖, and decays as λ_{t+1} = β·λ_t: the
// variant for noisy measurements of Zhang, Chiu & Zhang, "Fast and accurate
// estimation of low-rank matrices from noisy measurements via preconditioned
// non-convex gradient descent", AISTATS 2024 (arXiv 2305.17224; the decay
// is from its abstract), the baseline of APGD (Liu et al. 2025): the
// damping does not level off at the noise level (details in
// noisyprecgd.go). Its steps are those of ScaledGD(λ_t); when λ_t reaches 0
// and a factor loses column rank the run stops with NonFinite.
//
// Cost: one fused pass over the operator (one apply and one adjoint, see
// Stats) per step and one in Init, so a run of T steps makes T + 1 of each;
// with Decay and Lambda0 = 0, one more pass in Init (T + 2).
type PrecGD struct {
	// Eta is η; it must be positive and finite.
	Eta float64
	// Scale multiplies the residual norm in λ_t; it must be finite and
	// ≥ 0, and 0 means 1 (the convention of Zhang et al.).
	Scale float64
	// Decay is β ∈ (0, 1] of the decaying damping; 0 means λ_t from the
	// residual at every step.
	Decay float64
	// Lambda0 ≥ 0 is λ_0 of the decaying damping; 0 means
	// Scale·‖𝒜(X_0) − y‖. It must be 0 without Decay.
	Lambda0 float64

	pc    precond
	decay decay
}

func (g *PrecGD) scale() float64 {
	if g.Scale == 0 {
		return 1
	}
	return g.Scale
}

// Damping returns λ_t at the iterate last evaluated (by Init or Iterate),
// or with Decay the λ_t the next step will use.
func (g *PrecGD) Damping() float64 {
	if g.Decay != 0 {
		return g.decay.lambda
	}
	return g.scale() * g.pc.residualNorm()
}

// Init checks the parameters and that the preconditioner is positive
// definite at x, and evaluates f and its gradient at x.
func (g *PrecGD) Init(p *Problem, x Factors) (Measures, error) {
	if !(g.Eta > 0) || math.IsInf(g.Eta, 0) {
		return Measures{}, badParam("PrecGD step must be positive and finite, got %v", g.Eta)
	}
	if !(g.Scale >= 0) || math.IsInf(g.Scale, 0) {
		return Measures{}, badParam("PrecGD damping scale must be finite and ≥ 0, got %v", g.Scale)
	}
	if g.Decay != 0 {
		return g.initDecay(p, x)
	}
	if g.Lambda0 != 0 {
		return Measures{}, badParam("PrecGD λ₀ is for the decaying damping: set Decay, got λ₀ = %v without it", g.Lambda0)
	}
	st := g.pc.init(p, x)
	if !g.pc.factorize(x, g.Damping()) {
		return Measures{}, badParam("PrecGD: XᵀX + λ₀I is not positive definite at the starting point (λ₀ = %v)", g.Damping())
	}
	return st, nil
}

// Iterate takes one PrecGD step from x and evaluates the new iterate.
func (g *PrecGD) Iterate(x Factors) (Measures, error) {
	if g.Decay != 0 {
		return g.iterateDecay(x)
	}
	return g.pc.step(x, g.Eta, g.Damping()), nil
}
