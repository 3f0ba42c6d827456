package lrsense

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
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
// Step.Loss is f and Step.GradNorm is the norm of the plain (unscaled)
// gradient, both at the new iterate.
//
// With λ = 0 the preconditioner is singular when a factor loses column rank.
// Init returns an error wrapping ErrBadParam if that is so at the starting
// point; if it happens during the run, Iterate leaves x unchanged and
// returns NaN measures, so that Solve stops with status NonFinite.
type ScaledGD struct {
	// Step is η; it must be positive and finite.
	Step float64
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
func (s *ScaledGD) Init(p *Problem, x Factors) (Step, error) {
	if !(s.Step > 0) || math.IsInf(s.Step, 0) {
		return Step{}, badParam("ScaledGD step must be positive and finite, got %v", s.Step)
	}
	if !(s.Lambda >= 0) || math.IsInf(s.Lambda, 0) {
		return Step{}, badParam("ScaledGD damping λ must be finite and ≥ 0, got %v", s.Lambda)
	}
	st := s.pc.init(p, x)
	if !s.pc.factorize(x, s.Lambda) {
		return Step{}, badParam("ScaledGD: XᵀX + λI is not positive definite at the starting point (λ = %v): a factor lacks full column rank", s.Lambda)
	}
	return st, nil
}

// Iterate takes one ScaledGD(λ) step from x and evaluates the new iterate.
func (s *ScaledGD) Iterate(x Factors) (Step, error) {
	return s.pc.step(x, s.Step, s.Lambda), nil
}

// precond is the workspace shared by ScaledGD and PrecGD: the gradient and
// the r′×r′ Gram matrices, factored in place.
type precond struct {
	ls     *LeastSquares
	grad   Factors
	gl, gr mat.Dense // preconditioners, then their Cholesky factors
}

// init sets up the workspace for p and x and evaluates f at x.
func (pc *precond) init(p *Problem, x Factors) Step {
	pc.ls = NewLeastSquares(p)
	pc.grad = Factors{L: &mat.Dense{}}
	if !x.Sym() {
		pc.grad.R = &mat.Dense{}
	}
	k := x.Rank()
	pc.gl.ReuseAs(k, k)
	if !x.Sym() {
		pc.gr.ReuseAs(k, k)
	}
	return pc.eval(x)
}

func (pc *precond) eval(x Factors) Step {
	loss := pc.ls.Eval(&pc.grad, x)
	return Step{Loss: loss, GradNorm: pc.grad.Norm()}
}

// residualNorm returns ‖𝒜(X) − y‖ from the last evaluation.
func (pc *precond) residualNorm() float64 {
	return mat.Norm(pc.ls.Residual(), 2)
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
func (pc *precond) step(x Factors, eta, lambda float64) Step {
	if !pc.factorize(x, lambda) {
		return Step{Loss: math.NaN(), GradNorm: math.NaN()}
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
