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
	res := Result{Assignment: "preconditioning", Check: "scaledgd-step"}
	const n, k, eta = 8, 3, 0.3
	src := lrsense.NewSource(40)
	truth, err := lrsense.NewPSDTruth(n, []float64{1, 0.1}, src)
	if err != nil {
		res.Message = err.Error()
		return res
	}
	op, err := lrsense.NewSymGaussian(60, n, src)
	if err != nil {
		res.Message = err.Error()
		return res
	}
	p, err := lrsense.NewProblem(op, truth, nil, src)
	if err != nil {
		res.Message = err.Error()
		return res
	}
	// An ill-conditioned X, so that the preconditioner matters.
	x := randomFactor(n, k, 41)
	for i := 0; i < n; i++ {
		x.Set(i, 2, 0.05*x.At(i, 2))
	}
	for _, lambda := range []float64{0.5, 0.01} {
		want, err := referenceStep(p, &lrsense.ScaledGD{Eta: eta, Lambda: lambda}, x)
		if err != nil {
			res.Message = err.Error()
			return res
		}
		noDamp, _ := referenceStep(p, &lrsense.ScaledGD{Eta: eta, Lambda: 0}, x)
		gd, _ := referenceStep(p, &lrsense.GD{Eta: eta}, x)
		// X − η·∇f·(XᵀX + λI), the preconditioner not inverted.
		ls := lrsense.NewLeastSquares(p)
		grad := lrsense.Factors{L: &mat.Dense{}}
		ls.Eval(&grad, lrsense.Factors{L: x})
		var pre, notInv mat.Dense
		pre.Mul(x.T(), x)
		for i := 0; i < k; i++ {
			pre.Set(i, i, pre.At(i, i)+lambda)
		}
		notInv.Mul(grad.L, &pre)
		notInv.Scale(-eta, &notInv)
		notInv.Add(x, &notInv)

		var got *mat.Dense
		if msg := safely(func() { got = step(p, mat.DenseCopyOf(x), eta, lambda) }); msg != "" {
			res.Message = msg
			return res
		}
		if msg := shapeProblem("X⁺", got, n, k, "A step returns the new X."); msg != "" {
			res.Message = msg
			return res
		}
		if relDiff(got, x) == 0 {
			res.Message = "X⁺ = X: your step does not move. Subtract η·∇f(X)·(XᵀX + λI)⁻¹."
			return res
		}
		ok, msg := diagnose(fmt.Sprintf("X⁺ (λ = %g)", lambda), got, want, 1e-9, []candidate{
			{gd, "You took a plain GD step X − η∇f(X): multiply the gradient on the right by (XᵀX + λI)⁻¹."},
			{noDamp, "You dropped the damping: the preconditioner is (XᵀX + λI)⁻¹, with λI."},
			{&notInv, "You multiplied by (XᵀX + λI) instead of its inverse: solve the r′×r′ system instead (a Cholesky solve, not an explicit inverse)."},
		})
		if !ok {
			res.Message = msg
			return res
		}
	}
	res.Pass = true
	res.Message = "Your ScaledGD(λ) step matches lrsense.ScaledGD for λ = 0.5 and λ = 0.01."
	return res
}
