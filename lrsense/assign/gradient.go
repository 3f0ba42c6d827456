package assign

import (
	"fmt"

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
	res := Result{Assignment: "gradient", Check: "symmetric", What: "∇f(U) against finite differences, symmetric and non-symmetric A_i"}
	const n, k = 6, 3
	ops := []lrsense.Operator{}
	if op, err := lrsense.NewSymGaussian(40, n, lrsense.NewSource(1)); err == nil {
		ops = append(ops, op)
	}
	if op, err := lrsense.NewGaussian(40, n, n, lrsense.NewSource(2)); err == nil {
		ops = append(ops, op)
	}
	shapes := fmt.Sprintf("Shapes: U is %d×%d (n×r′) and G = 𝒜*(r) is %d×%d (n×n), so ∇f(U) = sym(G)·U is (n×n)·(n×r′), G on the left.", n, k, n, n)
	wrongShape := map[[2]int]string{
		{n, n}: "did you forget to multiply sym(G) by U?",
		{k, k}: "did you compute Uᵀ·G·U? The gradient is sym(G)·U",
		{k, n}: "did you compute Uᵀ·G (the transpose of the answer)?",
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
		if e := safely(func() { got = f(p, mat.DenseCopyOf(u)) }); e != nil {
			return res.panicked(e, shapes)
		}
		if msg := shapeProblem("∇f(U)", got, n, k, "n×r′, the shape of U", wrongShape, ""); msg != "" {
			return res.fail("%s", msg)
		}
		ok, msg := diagnose("∇f(U)", got, want, gradTol, []candidate{
			{scaledCopy(2, want), "Your gradient is twice the true one: with the ¼ in f(U) = ¼‖𝒜(UUᵀ) − y‖², the 2 from differentiating UUᵀ and the 2 of the square cancel the ¼: ∇f(U) = sym(G)·U, and sym(G) = (G + Gᵀ)/2, not G + Gᵀ."},
			{scaledCopy(4, want), "Your gradient is 4 times the true one: the ¼ in front of the loss is missing."},
			{scaledCopy(0.5, want), "Your gradient is half the true one: a factor 2 is missing (∇f(U) = sym(G)·U, and sym(G)·U = (G·U + Gᵀ·U)/2, not half of it)."},
			{scaledCopy(-1, want), "Your gradient has the wrong sign: use the residual 𝒜(UUᵀ) − y, not y − 𝒜(UUᵀ)."},
			{scaledCopy(-2, want), "Your gradient has the wrong sign and is twice the true one: residual 𝒜(UUᵀ) − y, and no 2."},
			{&gu, "You used G·U without symmetrizing. When the A_i are not symmetric, G = 𝒜*(r) is not symmetric either and the gradient is sym(G)·U = (G + Gᵀ)/2·U."},
			{&gtu, "You used Gᵀ·U (a transpose). The gradient is sym(G)·U = (G + Gᵀ)/2·U."},
			{scaledCopy(2, &gu), "You used 2·G·U: drop the 2 (the ¼ loss) and symmetrize G: sym(G)·U."},
		})
		if !ok {
			return res.fail("%s", msg)
		}
	}
	res.Pass = true
	res.Message = "∇f(U) matches the finite-difference gradient on a symmetric and a non-symmetric operator."
	return res
}

// CheckAsymGrad checks a student's asymmetric gradient against a
// finite-difference gradient on a rectangular problem (n1 ≠ n2, so a wrong
// transpose shows as a wrong shape).
func CheckAsymGrad(f AsymGradFunc) Result {
	res := Result{Assignment: "gradient", Check: "asymmetric", What: "∇_L f and ∇_R f against finite differences, n1 ≠ n2"}
	const n1, n2, k = 6, 4, 3
	op, err := lrsense.NewGaussian(40, n1, n2, lrsense.NewSource(3))
	if err != nil {
		return res.fail("%v", err)
	}
	p := testProblem(op, 30)
	l, r := randomFactor(n1, k, 31), randomFactor(n2, k, 32)
	x := lrsense.Factors{L: l, R: r}
	ls := lrsense.NewLeastSquares(p)
	wantL, wantR := fdGrad(ls, x, l), fdGrad(ls, x, r)
	var gl, gr *mat.Dense
	if e := safely(func() { gl, gr = f(p, mat.DenseCopyOf(l), mat.DenseCopyOf(r)) }); e != nil {
		return res.panicked(e, fmt.Sprintf("Shapes: L is %d×%d (n1×r′), R is %d×%d (n2×r′), G = 𝒜*(r) is %d×%d (n1×n2): ∇_L f = G·R is (n1×n2)·(n2×r′) and ∇_R f = Gᵀ·L is (n2×n1)·(n1×r′); G·L and Gᵀ·R do not fit.", n1, k, n2, k, n1, n2))
	}
	if gl != nil && gr != nil && !gl.IsEmpty() && !gr.IsEmpty() {
		if r1, _ := gl.Dims(); r1 == n2 {
			if r2, _ := gr.Dims(); r2 == n1 {
				return res.fail("Your ∇_L f is %s and your ∇_R f is %s; they should be %d×%d (n1×r′) and %d×%d (n2×r′) — did you swap the two returns (return ∇_L f first)?", formatShape(gl), formatShape(gr), n1, k, n2, k)
			}
		}
	}
	if msg := shapeProblem("∇_L f", gl, n1, k, "n1×r′, the shape of L", map[[2]int]string{
		{n2, k}:  "did you multiply by Gᵀ? ∇_L f = G·R",
		{n1, n2}: "did you forget to multiply G by R?",
	}, "∇_L f = G·R"); msg != "" {
		return res.fail("%s", msg)
	}
	if msg := shapeProblem("∇_R f", gr, n2, k, "n2×r′, the shape of R", map[[2]int]string{
		{n1, k}:  "did you use G instead of Gᵀ? ∇_R f = Gᵀ·L",
		{n1, n2}: "did you forget to multiply Gᵀ by L?",
		{n2, n1}: "did you forget to multiply Gᵀ by L?",
	}, "∇_R f = Gᵀ·L"); msg != "" {
		return res.fail("%s", msg)
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
			{scaledCopy(0.5, c.want), c.what + " is half the true one: " + c.what + " = " + c.formula + ", with no ½ (the symmetric loss's sym(G) has no analogue here)."},
			{scaledCopy(-1, c.want), c.what + " has the wrong sign: use the residual 𝒜(LRᵀ) − y."},
		})
		if !ok {
			return res.fail("%s", msg)
		}
	}
	res.Pass = true
	res.Message = "∇_L f and ∇_R f match the finite-difference gradient."
	return res
}
