package assign

import (
	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
)

// SymGradFunc is a student's gradient of the symmetric loss
// f(U) = ¼‖𝒜(UUᵀ) − y‖² at U (n×r′). It must not modify u.
type SymGradFunc func(p *lrsense.Problem, u *mat.Dense) *mat.Dense

// AsymGradFunc is a student's gradient of the asymmetric loss
// f(L, R) = ½‖𝒜(LRᵀ) − y‖²: it returns ∇_L f (n1×r′) and ∇_R f (n2×r′).
type AsymGradFunc func(p *lrsense.Problem, l, r *mat.Dense) (gl, gr *mat.Dense)

// fdGrad returns the central finite-difference gradient of the package's
// least-squares objective with respect to f, a factor of x.
func fdGrad(ls *lrsense.LeastSquares, x lrsense.Factors, f *mat.Dense) *mat.Dense {
	const h = 1e-6
	r, c := f.Dims()
	g := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := f.At(i, j)
			f.Set(i, j, v+h)
			fp := ls.Eval(nil, x)
			f.Set(i, j, v-h)
			fm := ls.Eval(nil, x)
			f.Set(i, j, v)
			g.Set(i, j, (fp-fm)/(2*h))
		}
	}
	return g
}

// gradTol is the relative tolerance against a finite-difference gradient.
const gradTol = 1e-5

// CheckSymGrad checks a student's symmetric gradient against a
// finite-difference gradient, on a symmetric Gaussian problem and on one
// whose A_i are not symmetric (where sym(G) = (G + Gᵀ)/2 matters).
func CheckSymGrad(f SymGradFunc) Result {
	res := Result{Assignment: "gradient", Check: "symmetric"}
	const n, k = 6, 3
	ops := []lrsense.Operator{}
	if op, err := lrsense.NewSymGaussian(40, n, lrsense.NewSource(1)); err == nil {
		ops = append(ops, op)
	}
	if op, err := lrsense.NewGaussian(40, n, n, lrsense.NewSource(2)); err == nil {
		ops = append(ops, op)
	}
	for i, op := range ops {
		p := testProblem(op, uint64(10+i))
		u := randomFactor(n, k, uint64(20+i))
		x := lrsense.Factors{L: u}
		ls := lrsense.NewLeastSquares(p)
		want := fdGrad(ls, x, u)
		ls.Eval(nil, x)
		g := ls.Adjoint()
		var gu, gtu mat.Dense
		gu.Mul(g, u)
		gtu.Mul(g.T(), u)
		var got *mat.Dense
		if msg := safely(func() { got = f(p, mat.DenseCopyOf(u)) }); msg != "" {
			res.Message = msg
			return res
		}
		if msg := shapeProblem("∇f(U)", got, n, k, "The gradient has the shape of U."); msg != "" {
			res.Message = msg
			return res
		}
		ok, msg := diagnose("∇f(U)", got, want, gradTol, []candidate{
			{scaledCopy(2, want), "Your gradient is twice the true one: with the ¼ in f(U) = ¼‖𝒜(UUᵀ) − y‖², the 2 from differentiating UUᵀ and the 2 of the square cancel the ¼: ∇f(U) = sym(G)·U."},
			{scaledCopy(0.5, want), "Your gradient is half the true one: a factor 2 is missing (∇f(U) = sym(G)·U, and sym(G)·U = (G·U + Gᵀ·U)/2, not half of it)."},
			{scaledCopy(-1, want), "Your gradient has the wrong sign: use the residual 𝒜(UUᵀ) − y, not y − 𝒜(UUᵀ)."},
			{&gu, "You used G·U. When the A_i are not symmetric, G = 𝒜*(r) is not symmetric either and the gradient is sym(G)·U = (G + Gᵀ)/2·U."},
			{&gtu, "You used Gᵀ·U (a transpose). The gradient is sym(G)·U = (G + Gᵀ)/2·U."},
			{scaledCopy(2, &gu), "You used 2·G·U: drop the 2 (the ¼ loss) and symmetrize G: sym(G)·U."},
		})
		if !ok {
			res.Message = msg
			return res
		}
		res.Message = msg
	}
	res.Pass = true
	res.Message = "∇f(U) matches the finite-difference gradient on a symmetric and a non-symmetric operator."
	return res
}

// CheckAsymGrad checks a student's asymmetric gradient against a
// finite-difference gradient on a rectangular problem (n1 ≠ n2, so a wrong
// transpose shows as a wrong shape).
func CheckAsymGrad(f AsymGradFunc) Result {
	res := Result{Assignment: "gradient", Check: "asymmetric"}
	const n1, n2, k = 6, 4, 3
	op, err := lrsense.NewGaussian(40, n1, n2, lrsense.NewSource(3))
	if err != nil {
		res.Message = err.Error()
		return res
	}
	p := testProblem(op, 30)
	l, r := randomFactor(n1, k, 31), randomFactor(n2, k, 32)
	x := lrsense.Factors{L: l, R: r}
	ls := lrsense.NewLeastSquares(p)
	wantL, wantR := fdGrad(ls, x, l), fdGrad(ls, x, r)
	var gl, gr *mat.Dense
	if msg := safely(func() { gl, gr = f(p, mat.DenseCopyOf(l), mat.DenseCopyOf(r)) }); msg != "" {
		res.Message = msg
		return res
	}
	if msg := shapeProblem("∇_L f", gl, n1, k, "∇_L f = G·R with G = 𝒜*(𝒜(LRᵀ) − y) (n1×n2): did you use Gᵀ?"); msg != "" {
		res.Message = msg
		return res
	}
	if msg := shapeProblem("∇_R f", gr, n2, k, "∇_R f = Gᵀ·L: the transpose is needed on this side."); msg != "" {
		res.Message = msg
		return res
	}
	for _, c := range []struct {
		what      string
		got, want *mat.Dense
		formula   string
	}{
		{"∇_L f", gl, wantL, "G·R"},
		{"∇_R f", gr, wantR, "Gᵀ·L"},
	} {
		ok, msg := diagnose(c.what, c.got, c.want, gradTol, []candidate{
			{scaledCopy(2, c.want), c.what + " is twice the true one: for f = ½‖𝒜(LRᵀ) − y‖² the ½ cancels the 2 of the square: " + c.what + " = " + c.formula + "."},
			{scaledCopy(0.5, c.want), c.what + " is half the true one: " + c.what + " = " + c.formula + ", with no ½."},
			{scaledCopy(-1, c.want), c.what + " has the wrong sign: use the residual 𝒜(LRᵀ) − y."},
		})
		if !ok {
			res.Message = msg
			return res
		}
	}
	res.Pass = true
	res.Message = "∇_L f and ∇_R f match the finite-difference gradient."
	return res
}
