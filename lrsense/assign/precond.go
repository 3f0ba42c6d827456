package assign

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
)

// ScaledStepFunc is a student's ScaledGD(λ) step on the symmetric loss:
// it returns X − η·∇f(X)·(XᵀX + λI)⁻¹ for X (n×r′). It must not modify x.
type ScaledStepFunc func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense

// referenceStep takes one step of the library's method from x.
func referenceStep(p *lrsense.Problem, m lrsense.Method, x *mat.Dense) (*mat.Dense, error) {
	f := lrsense.Factors{L: mat.DenseCopyOf(x)}
	if _, err := m.Init(p, f); err != nil {
		return nil, err
	}
	if _, err := m.Iterate(f); err != nil {
		return nil, err
	}
	return f.L, nil
}

// CheckScaledGDStep compares one step of the student's ScaledGD(λ) with the
// library's lrsense.ScaledGD on a small ill-conditioned problem, for two
// values of λ.
func CheckScaledGDStep(step ScaledStepFunc) Result {
	res := Result{Assignment: "preconditioning", Check: "scaledgd-step", What: "one ScaledGD(λ) step against lrsense.ScaledGD, λ = 0.5 and 0.01"}
	const n, k, eta = 8, 3, 0.3
	src := lrsense.NewSource(40)
	truth, err := lrsense.NewPSDTruth(n, []float64{1, 0.1}, src)
	if err != nil {
		return res.fail("%v", err)
	}
	op, err := lrsense.NewSymGaussian(60, n, src)
	if err != nil {
		return res.fail("%v", err)
	}
	p, err := lrsense.NewProblem(op, truth, nil, src)
	if err != nil {
		return res.fail("%v", err)
	}
	// An ill-conditioned X, so that the preconditioner matters.
	x := randomFactor(n, k, 41)
	for i := 0; i < n; i++ {
		x.Set(i, 2, 0.05*x.At(i, 2))
	}
	ls := lrsense.NewLeastSquares(p)
	grad := lrsense.Factors{L: &mat.Dense{}}
	ls.Eval(&grad, lrsense.Factors{L: x})
	var xtx, xxt mat.Dense
	xtx.Mul(x.T(), x)
	xxt.Mul(x, x.T())
	// step returns X − s·∇f·right (right r′×r′), or X − s·left·∇f when
	// left is not nil.
	other := func(s float64, left, right mat.Matrix) *mat.Dense {
		var d mat.Dense
		if left != nil {
			d.Mul(left, grad.L)
		} else {
			d.Mul(grad.L, right)
		}
		d.Scale(-s, &d)
		d.Add(x, &d)
		return &d
	}
	plusLambda := func(a *mat.Dense, lambda float64) *mat.Dense {
		b := mat.DenseCopyOf(a)
		r, _ := b.Dims()
		for i := 0; i < r; i++ {
			b.Set(i, i, b.At(i, i)+lambda)
		}
		return b
	}
	inverse := func(a *mat.Dense) *mat.Dense {
		var inv mat.Dense
		if err := inv.Inverse(a); err != nil {
			return &mat.Dense{}
		}
		return &inv
	}
	shapes := fmt.Sprintf("Shapes: X and ∇f(X) are %d×%d (n×r′), P = XᵀX + λI is %d×%d (r′×r′): X⁺ = X − η·∇f(X)·P⁻¹ has P⁻¹ on the right; P⁻¹·∇f(X) does not fit.", n, k, k, k)
	for _, lambda := range []float64{0.5, 0.01} {
		want, err := referenceStep(p, &lrsense.ScaledGD{Eta: eta, Lambda: lambda}, x)
		if err != nil {
			return res.fail("%v", err)
		}
		pinv := inverse(plusLambda(&xtx, lambda))
		var update mat.Dense
		update.Sub(want, x)
		var minusUpdate mat.Dense
		minusUpdate.Sub(x, &update)
		var addAfter mat.Dense
		addAfter.Add(inverse(&xtx), plusLambda(mat.NewDense(k, k, nil), lambda))

		var got *mat.Dense
		if e := safely(func() { got = step(p, mat.DenseCopyOf(x), eta, lambda) }); e != nil {
			return res.panicked(e, shapes)
		}
		if msg := shapeProblem("X⁺", got, n, k, "n×r′, the shape of X", map[[2]int]string{
			{k, k}: "did you return the preconditioner? A step returns the new X",
			{n, n}: "did you compute X·Xᵀ? The preconditioner XᵀX + λI is r′×r′",
		}, "a step returns the new X"); msg != "" {
			return res.fail("%s", msg)
		}
		if relDiff(got, x) == 0 {
			return res.fail("X⁺ = X: your step does not move. Subtract η·∇f(X)·(XᵀX + λI)⁻¹.")
		}
		ok, msg := diagnose(fmt.Sprintf("X⁺ (λ = %g)", lambda), got, want, 1e-9, []candidate{
			{other(eta, nil, plusLambda(mat.NewDense(k, k, nil), 1)), "You took a plain GD step X − η∇f(X): multiply the gradient on the right by (XᵀX + λI)⁻¹."},
			{other(eta, nil, inverse(&xtx)), "You dropped the damping λ: the preconditioner is (XᵀX + λI)⁻¹, with λI."},
			{other(eta, nil, plusLambda(&xtx, lambda)), "You multiplied by (XᵀX + λI) instead of its inverse: solve the r′×r′ system instead (a Cholesky solve, not an explicit inverse)."},
			{other(eta, inverse(plusLambda(&xxt, lambda)), nil), "You preconditioned on the left with (XXᵀ + λI)⁻¹ (n×n): ScaledGD's preconditioner (XᵀX + λI)⁻¹ is r′×r′ and multiplies ∇f(X) on the right."},
			{other(eta, nil, &addAfter), "You added λI after inverting: the preconditioner is (XᵀX + λI)⁻¹, not (XᵀX)⁻¹ + λI."},
			{other(eta, nil, inverse(plusLambda(&xtx, lambda*lambda))), "You used λ² where λ belongs: the preconditioner is (XᵀX + λI)⁻¹."},
			{&minusUpdate, "Your step goes the wrong way: X⁺ = X − η·∇f(X)·(XᵀX + λI)⁻¹ (a minus sign)."},
			{other(2*eta, nil, pinv), "Your step is twice the reference: is your gradient twice sym(G)·X, or η doubled?"},
			{other(eta/2, nil, pinv), "Your step is half the reference: a factor ½ too many (∇f(X) = sym(G)·X)."},
			{scaledCopy(1, &update), "You returned the update −η·∇f(X)·(XᵀX + λI)⁻¹ only: a step returns the new X, X plus the update."},
		})
		if !ok {
			return res.fail("%s", msg)
		}
	}
	res.Pass = true
	res.Message = "Your ScaledGD(λ) step matches lrsense.ScaledGD for λ = 0.5 and λ = 0.01."
	return res
}
