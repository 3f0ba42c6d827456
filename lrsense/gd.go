package lrsense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// GD is factored gradient descent on the package's least-squares objective
// (Burer–Monteiro): for symmetric factors
//
//	U ← U − η·sym(𝒜*(𝒜(UUᵀ) − y))·U,
//
// the update of Stöger & Soltanolkotabi (2021) and Xiong et al. (2024, with
// the factor 2 of ½‖·‖² absorbed in η); for asymmetric factors the
// simultaneous update
//
//	L ← L − η·G·R,   R ← R − η·Gᵀ·L,   G = 𝒜*(𝒜(LRᵀ) − y).
//
// Cost: one fused pass over the operator (one apply and one adjoint, see
// Stats) per step and one in Init, so a run of T steps makes T + 1 of each.
type GD struct {
	// Eta is η; it must be positive.
	Eta float64

	ls   *LeastSquares
	grad Factors
}

// Init checks the step and evaluates the gradient at x.
func (g *GD) Init(p *Problem, x Factors) (Measures, error) {
	if !(g.Eta > 0) || math.IsInf(g.Eta, 0) {
		return Measures{}, badParam("GD step must be positive and finite, got %v", g.Eta)
	}
	g.ls = NewLeastSquares(p)
	g.grad = Factors{L: &mat.Dense{}}
	if !x.Sym() {
		g.grad.R = &mat.Dense{}
	}
	return g.eval(x), nil
}

func (g *GD) eval(x Factors) Measures {
	loss := g.ls.Eval(&g.grad, x)
	return Measures{Loss: loss, GradNorm: g.grad.Norm()}
}

// Iterate takes one step with the gradient evaluated at x and evaluates the
// new iterate.
func (g *GD) Iterate(x Factors) (Measures, error) {
	x.L.Sub(x.L, scaled(&g.grad.L, g.Eta))
	if !x.Sym() {
		x.R.Sub(x.R, scaled(&g.grad.R, g.Eta))
	}
	return g.eval(x), nil
}

// scaled scales *m in place by s and returns it.
func scaled(m **mat.Dense, s float64) *mat.Dense {
	scaleInPlace(*m, s)
	return *m
}
