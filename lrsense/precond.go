package lrsense

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// precond is the workspace shared by ScaledGD and PrecGD: the gradient and
// the r′×r′ Gram matrices, factored in place.
type precond struct {
	ls     *LeastSquares
	grad   Factors
	gl, gr mat.Dense // preconditioners, then their Cholesky factors
}

// init sets up the workspace for p and x and evaluates f at x. A method
// can be initialized again, for another run.
func (pc *precond) init(p *Problem, x Factors) Measures {
	pc.ls = NewLeastSquares(p)
	pc.grad = Factors{L: &mat.Dense{}}
	if !x.Sym() {
		pc.grad.R = &mat.Dense{}
	}
	k := x.Rank()
	sizeAs(&pc.gl, k, k)
	if !x.Sym() {
		sizeAs(&pc.gr, k, k)
	}
	return pc.eval(x)
}

func (pc *precond) eval(x Factors) Measures {
	loss := pc.ls.Eval(&pc.grad, x)
	return Measures{Loss: loss, GradNorm: pc.grad.Norm()}
}

// residualNorm returns ‖𝒜(X) − y‖ from the last evaluation.
func (pc *precond) residualNorm() float64 {
	return mat.Norm(pc.ls.residual(), 2)
}

// factorize forms and factors the preconditioners at x with damping lambda:
// LᵀL + λI (symmetric), or RᵀR + λI for the L step and LᵀL + λI for the R
// step. It reports whether they are positive definite.
func (pc *precond) factorize(x Factors, lambda float64) bool {
	ok := gramChol(&pc.gl, x.Right(), lambda)
	if ok && !x.Sym() {
		ok = gramChol(&pc.gr, x.L, lambda)
	}
	return ok
}

// gramChol stores FᵀF + λI in g and overwrites its upper triangle with the
// Cholesky factor U, FᵀF + λI = UᵀU. It reports whether the matrix is
// positive definite.
func gramChol(g *mat.Dense, f *mat.Dense, lambda float64) bool {
	mulTo(g, f, true, f, false)
	raw := g.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		raw.Data[i*raw.Stride+i] += lambda
	}
	_, ok := lapack64.Potrf(blas64.Symmetric{N: raw.Rows, Stride: raw.Stride, Data: raw.Data, Uplo: blas.Upper})
	return ok
}

// step moves x by −η·∇f·P⁻¹ with damping lambda, using the gradient of the
// last evaluation, and evaluates the new iterate. If a preconditioner is
// not positive definite it leaves x alone and returns NaN measures.
func (pc *precond) step(x Factors, eta, lambda float64) Measures {
	if !pc.factorize(x, lambda) {
		return Measures{Loss: math.NaN(), GradNorm: math.NaN()}
	}
	// The L step is preconditioned by the right factor's Gram matrix.
	rightSolve(pc.grad.L, &pc.gl, eta)
	if !x.Sym() {
		rightSolve(pc.grad.R, &pc.gr, eta)
		x.R.Sub(x.R, pc.grad.R)
	}
	x.L.Sub(x.L, pc.grad.L)
	return pc.eval(x)
}

// rightSolve overwrites d with α·d·P⁻¹, where P = UᵀU has its Cholesky
// factor U in the upper triangle of u: two triangular solves, d·U⁻¹ then
// ·U⁻ᵀ.
func rightSolve(d, u *mat.Dense, alpha float64) {
	raw := u.RawMatrix()
	t := blas64.Triangular{N: raw.Rows, Stride: raw.Stride, Data: raw.Data, Uplo: blas.Upper, Diag: blas.NonUnit}
	b := d.RawMatrix()
	blas64.Trsm(blas.Right, blas.NoTrans, alpha, t, b)
	blas64.Trsm(blas.Right, blas.Trans, 1, t, b)
}
