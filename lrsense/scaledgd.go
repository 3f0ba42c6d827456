package lrsense

import (
	"math"
)

// ScaledGD is damped scaled gradient descent, ScaledGD(λ), of Xu, Shen, Chi
// and Ma, "The Power of Preconditioning in Overparameterized Low-Rank Matrix
// Sensing", ICML 2023 (arXiv 2302.01186), eq. (5): for symmetric factors
//
//	X ← X − η·∇f(X)·(XᵀX + λI)⁻¹,   ∇f(X) = sym(𝒜*(𝒜(XXᵀ) − y))·X,
//
// on the package's f(X) = ¼‖𝒜(XXᵀ) − y‖², which is the paper's objective
// and gradient (its A_i are symmetric). For asymmetric factors it is the
// simultaneous update
//
//	L ← L − η·∇_L f·(RᵀR + λI)⁻¹,   R ← R − η·∇_R f·(LᵀL + λI)⁻¹
//
// on f(L, R) = ½‖𝒜(LRᵀ) − y‖², both preconditioners formed from the factors
// the step starts from. λ = 0 is the ScaledGD of Tong, Ma and Chi,
// "Accelerating ill-conditioned low-rank matrix estimation via scaled
// gradient descent", JMLR 2021.
//
// The r′×r′ systems are solved with a Cholesky factorization and two
// triangular solves (no explicit inverse); once initialized, an iteration
// allocates nothing beyond what the operator's pass allocates.
//
// Measures.Loss is f and Measures.GradNorm is the norm of the plain (unscaled)
// gradient, both at the new iterate.
//
// With λ = 0 the preconditioner is singular when a factor loses column rank.
// Init returns an error wrapping ErrBadParam if that is so at the starting
// point; if it happens during the run, Iterate leaves x unchanged and
// returns NaN measures, so that Solve stops with status NonFinite.
//
// Cost: one fused pass over the operator (one apply and one adjoint, see
// Stats) per step and one in Init, so a run of T steps makes T + 1 of each.
type ScaledGD struct {
	// Eta is η; it must be positive and finite.
	Eta float64
	// Lambda is the damping λ ≥ 0 (finite). Xu et al. take λ a small
	// constant times σ_min(X⋆); λ = 0 is undamped ScaledGD. Their theory
	// needs m to grow with κ: at m = 10·n·r⋆ and κ = 100, λ ≤ σ_min lets
	// the surplus columns of an over-parameterized X grow and the error
	// stalls near 1e-5, while λ = 5σ_min converges (notebook
	// scaledgd-lambda, Fig. 4).
	Lambda float64

	pc precond
}

// Init checks the parameters and that the preconditioner is positive
// definite at x, and evaluates f and its gradient at x.
func (s *ScaledGD) Init(p *Problem, x Factors) (Measures, error) {
	if !(s.Eta > 0) || math.IsInf(s.Eta, 0) {
		return Measures{}, badParam("ScaledGD step must be positive and finite, got %v", s.Eta)
	}
	if !(s.Lambda >= 0) || math.IsInf(s.Lambda, 0) {
		return Measures{}, badParam("ScaledGD damping λ must be finite and ≥ 0, got %v", s.Lambda)
	}
	st := s.pc.init(p, x)
	if !s.pc.factorize(x, s.Lambda) {
		return Measures{}, badParam("ScaledGD: XᵀX + λI is not positive definite at the starting point (λ = %v): a factor lacks full column rank", s.Lambda)
	}
	return st, nil
}

// Iterate takes one ScaledGD(λ) step from x and evaluates the new iterate.
func (s *ScaledGD) Iterate(x Factors) (Measures, error) {
	return s.pc.step(x, s.Eta, s.Lambda), nil
}
