package lrsense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// This file holds PrecGD's decaying damping (PrecGD.Decay > 0): the variant
// of PrecGD for noisy measurements of G. Zhang, H.-M. Chiu & R. Y. Zhang,
// "Fast and accurate estimation of low-rank matrices from noisy
// measurements via preconditioned non-convex gradient descent", AISTATS
// 2024 (arXiv 2305.17224), which Liu, Han, Tang, Tang & Wang (APGD, arXiv
// 2502.00463, 2025) compare against: ScaledGD(λ) steps (see ScaledGD;
// simultaneous L and R steps for asymmetric factors)
//
//	X ← X − η·∇f(X)·(XᵀX + λ_t I)⁻¹,   λ_{t+1} = β·λ_t,
//
// so that, unlike PrecGD's λ_t = ‖𝒜(X_t) − y‖, the damping does not level
// off at the noise level. The geometric decay of the damping is that paper's
// (its abstract: a "geometrically decaying regularization parameter"); the
// start λ_0 = Scale·‖𝒜(X_0) − y‖ (PrecGD's λ_0, Lambda0 = 0) and any value
// of β are this package's choices, not constants taken from the paper.
//
// Measures.Loss and Measures.GradNorm are those of ScaledGD. When λ_t decays
// to 0 and a factor loses column rank, Iterate returns NaN measures (Solve
// stops with NonFinite), as ScaledGD with λ = 0 does.
//
// Cost: that of ScaledGD, plus one pass in Init when λ_0 is taken from the
// residual (Lambda0 = 0): T + 2 fused passes for T steps.

// decay is the state of PrecGD with a decaying damping.
type decay struct {
	sgd    ScaledGD
	lambda float64 // the λ_t the next step uses
}

// initDecay checks the decay parameters, sets λ_0 and evaluates f at x.
func (g *PrecGD) initDecay(p *Problem, x Factors) (Measures, error) {
	if !(g.Decay > 0 && g.Decay <= 1) {
		return Measures{}, badParam("PrecGD decay β must be in (0, 1], got %v", g.Decay)
	}
	if !(g.Lambda0 >= 0) || math.IsInf(g.Lambda0, 0) {
		return Measures{}, badParam("PrecGD λ₀ must be finite and ≥ 0, got %v", g.Lambda0)
	}
	d := &g.decay
	d.lambda = g.Lambda0
	if d.lambda == 0 {
		ls := NewLeastSquares(p)
		n1, n2 := p.Dims()
		checkFactors(x, n1, n2)
		ls.Eval(nil, x)
		d.lambda = g.scale() * mat.Norm(ls.residual(), 2)
	}
	d.sgd = ScaledGD{Eta: g.Eta, Lambda: d.lambda}
	return d.sgd.Init(p, x)
}

// iterateDecay takes one step with damping λ_t and sets λ_{t+1} = β·λ_t.
func (g *PrecGD) iterateDecay(x Factors) (Measures, error) {
	d := &g.decay
	d.sgd.Lambda = d.lambda
	st, err := d.sgd.Iterate(x)
	d.lambda *= g.Decay
	return st, err
}
