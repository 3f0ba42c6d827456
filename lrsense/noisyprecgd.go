package lrsense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// NoisyPrecGD is preconditioned gradient descent with a geometrically
// decaying damping, the variant of PrecGD for noisy measurements that Liu,
// Han, Tang, Tang & Wang (APGD, arXiv 2502.00463, 2025) compare against
// (G. Zhang, H.-M. Chiu & R. Y. Zhang, "Fast and accurate estimation of
// low-rank matrices from noisy measurements via preconditioned non-convex
// gradient descent", AISTATS 2024, arXiv 2305.17224): ScaledGD(λ) steps (see
// ScaledGD; simultaneous L and R steps for asymmetric factors)
//
//	X ← X − η·∇f(X)·(XᵀX + λ_t I)⁻¹,   λ_{t+1} = β·λ_t,
//
// so that, unlike PrecGD's λ_t = ‖𝒜(X_t) − y‖, the damping does not level
// off at the noise level. The geometric decay of the damping is that paper's
// (its abstract: a "geometrically decaying regularization parameter"); the
// start λ_0 = ‖𝒜(X_0) − y‖ (PrecGD's λ_0, Lambda0 = 0) and any value of β are
// this package's choices, not constants taken from the paper.
//
// Measures.Loss and Measures.GradNorm are those of ScaledGD. When λ_t decays to 0
// and a factor loses column rank, Iterate returns NaN measures (Solve stops
// with NonFinite), as ScaledGD with λ = 0 does.
//
// Cost: that of ScaledGD, plus one pass in Init when λ_0 is taken from the
// residual (Lambda0 = 0): T + 2 fused passes for T steps.
type NoisyPrecGD struct {
	// Eta is η; it must be positive and finite.
	Eta float64
	// Beta is the decay β ∈ (0, 1] of the damping.
	Beta float64
	// Lambda0 is λ_0 ≥ 0; 0 means the residual norm ‖𝒜(X_0) − y‖ at the
	// starting point.
	Lambda0 float64

	sgd    ScaledGD
	lambda float64
}

// Damping returns the λ_t the next step will use.
func (g *NoisyPrecGD) Damping() float64 { return g.lambda }

// Init checks the parameters, sets λ_0 and evaluates f at x.
func (g *NoisyPrecGD) Init(p *Problem, x Factors) (Measures, error) {
	if !(g.Beta > 0 && g.Beta <= 1) {
		return Measures{}, badParam("NoisyPrecGD decay β must be in (0, 1], got %v", g.Beta)
	}
	if !(g.Lambda0 >= 0) || math.IsInf(g.Lambda0, 0) {
		return Measures{}, badParam("NoisyPrecGD λ₀ must be finite and ≥ 0, got %v", g.Lambda0)
	}
	g.lambda = g.Lambda0
	if g.lambda == 0 {
		ls := NewLeastSquares(p)
		n1, n2 := p.Dims()
		checkFactors(x, n1, n2)
		ls.Eval(nil, x)
		g.lambda = mat.Norm(ls.residual(), 2)
	}
	g.sgd = ScaledGD{Eta: g.Eta, Lambda: g.lambda}
	return g.sgd.Init(p, x)
}

// Iterate takes one step with damping λ_t and sets λ_{t+1} = β·λ_t.
func (g *NoisyPrecGD) Iterate(x Factors) (Measures, error) {
	g.sgd.Lambda = g.lambda
	st, err := g.sgd.Iterate(x)
	g.lambda *= g.Beta
	return st, err
}
