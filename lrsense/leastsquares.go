package lrsense

import "gonum.org/v1/gonum/mat"

// LeastSquares evaluates the package's least-squares objectives and their
// gradients,
//
//	symmetric:  f(U)   = ¼‖𝒜(UUᵀ) − y‖²,   ∇f(U) = sym(G)·U,
//	asymmetric: f(L,R) = ½‖𝒜(LRᵀ) − y‖²,   ∇_L f = G·R,  ∇_R f = Gᵀ·L,
//
// where G = 𝒜*(𝒜(X) − y) and sym(G) = (G + Gᵀ)/2. The ¼ in the symmetric
// loss makes its gradient free of a factor 2, the convention of Stöger &
// Soltanolkotabi (2021) and Xu et al. (2023). It keeps its
// workspace between calls, so an iteration allocates nothing. The zero
// value is not usable: use NewLeastSquares.
type LeastSquares struct {
	p        *Problem
	x, g, gt mat.Dense
	r        mat.VecDense
}

// NewLeastSquares returns an evaluator for p.
func NewLeastSquares(p *Problem) *LeastSquares {
	checkNil("problem", p)
	p.check()
	return &LeastSquares{p: p}
}

// Problem returns the problem the objective is built on.
func (ls *LeastSquares) Problem() *Problem { return ls.p }

// Eval returns the objective at x. If grad is not nil, it stores the
// gradient in grad (which must have the shape of x, or empty matrices that
// are resized). After Eval, Adjoint returns G = 𝒜*(𝒜(X) − y) at x.
func (ls *LeastSquares) Eval(grad *Factors, x Factors) float64 {
	n1, n2 := ls.p.Dims()
	checkFactors(x, n1, n2)
	x.ProductTo(&ls.x)
	residualAdjointTo(ls.p.Op, &ls.g, &ls.r, &ls.x, ls.p.Y)
	rr := mat.Dot(&ls.r, &ls.r)
	if grad != nil {
		ls.gradFromAdjoint(grad, x)
	}
	if x.Sym() {
		return rr / 4
	}
	return rr / 2
}

// gradFromAdjoint forms the gradient from G = ls.g.
func (ls *LeastSquares) gradFromAdjoint(grad *Factors, x Factors) {
	if grad.L == nil {
		grad.L = &mat.Dense{}
	}
	n1, k := x.L.Dims()
	prepDense(grad.L, n1, k)
	if x.Sym() {
		ls.symAdjointMul(grad.L, x.L)
		return
	}
	if grad.R == nil {
		grad.R = &mat.Dense{}
	}
	n2, _ := x.R.Dims()
	prepDense(grad.R, n2, k)
	mulTo(grad.L, &ls.g, false, x.R, false)
	mulTo(grad.R, &ls.g, true, x.L, false)
}

// residual returns r = 𝒜(X) − y from the last Eval. The caller must not
// modify it.
func (ls *LeastSquares) residual() *mat.VecDense { return &ls.r }

// Adjoint returns G = 𝒜*(𝒜(X) − y) from the last Eval. The caller must not
// modify it.
func (ls *LeastSquares) Adjoint() *mat.Dense { return &ls.g }

// symAdjointMul stores sym(G)·F in dst, using G from the last Eval.
func (ls *LeastSquares) symAdjointMul(dst *mat.Dense, f mat.Matrix) {
	r, c := f.Dims()
	prepDense(dst, r, c)
	if fd, ok := f.(*mat.Dense); ok {
		prepDense(&ls.gt, r, c)
		mulTo(&ls.gt, &ls.g, true, fd, false)
		mulTo(dst, &ls.g, false, fd, false)
	} else {
		ls.gt.Reset()
		ls.gt.Mul(ls.g.T(), f)
		dst.Mul(&ls.g, f)
	}
	dst.Add(dst, &ls.gt)
	scaleInPlace(dst, 0.5)
}
