package lrsense

import (
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// riemannianGD is ApproxGD with Riemannian set: Riemannian gradient ascent
// for the top-r eigenspace of a symmetric Σ on the Stiefel manifold with the
// QR retraction, the baseline of Chen et al. (2023):
//
//	G = ΣX − X(XᵀΣX),   X ← qf(X + ηG),
//
// qf the Q factor of a thin QR decomposition with a positive diagonal R.
// Its Loss is ½(tr Σ − tr(XᵀΣX)) = ½tr((I − XXᵀ)Σ), the objective −½tr(XᵀΣX)
// shifted by the constant ½tr Σ (same gradient and iterates) so that it is
// ≥ 0 for PSD Σ and a LossTol means what it says: at the top eigenspace it
// is ½Σ_{i>r}λ_i, 0 when Σ has rank r. It decreases as X approaches the top
// eigenspace. The problem must use the full-observation operator; x must be
// symmetric factors; Init replaces X by qf(X) unless ‖XᵀX − I‖ ≤ 1e-8.
//
// Cost: no operator passes (Stats counts 0): it reads Σ directly; a step
// makes one product Σ·X.
type riemannianGD struct {
	a         *mat.Dense
	halfTrace float64 // ½tr Σ
	ax, xtax  mat.Dense
	grad      mat.Dense
	xt        mat.Dense
	tau, work []float64
	signs     []float64
}

// init checks the problem, replaces x by its Q factor unless its columns
// are orthonormal already (the caller checked the step), and evaluates x.
func (g *riemannianGD) init(p *Problem, x Factors) (Measures, error) {
	if !x.Sym() {
		return Measures{}, badParam("Riemannian ApproxGD needs symmetric factors")
	}
	a, err := fullTarget(p)
	if err != nil {
		return Measures{}, err
	}
	n, k := x.L.Dims()
	if k > n {
		return Measures{}, badParam("Riemannian ApproxGD needs r′ ≤ n orthonormal columns, got %d×%d", n, k)
	}
	var gram mat.Dense
	gram.Mul(x.L.T(), x.L)
	for i := 0; i < k; i++ {
		gram.Set(i, i, gram.At(i, i)-1)
	}
	if mat.Norm(&gram, 2) > 1e-8 {
		// Start on the manifold: X ← qf(X), as orthonormalize does.
		g.tau, g.work, g.signs = thinQInPlace(x.L, g.tau, g.work, g.signs)
	}
	g.a = a
	g.halfTrace = mat.Trace(a) / 2
	return g.eval(x), nil
}

func (g *riemannianGD) eval(x Factors) Measures {
	mulThin(&g.ax, &g.xt, g.a, x.L)
	g.xtax.Reset()
	mulTo(&g.xtax, x.L, true, &g.ax, false)
	g.grad.Reset()
	g.grad.Mul(x.L, &g.xtax)
	g.grad.Sub(&g.ax, &g.grad)
	return Measures{Loss: g.halfTrace - mat.Trace(&g.xtax)/2, GradNorm: math.Sqrt(frobDot(&g.grad, &g.grad))}
}

// iterate takes the retracted step of size eta and evaluates the new
// iterate.
func (g *riemannianGD) iterate(x Factors, eta float64) (Measures, error) {
	axpyDense(x.L, eta, &g.grad)
	g.tau, g.work, g.signs = thinQInPlace(x.L, g.tau, g.work, g.signs)
	return g.eval(x), nil
}

// thinQInPlace overwrites the n×k matrix a (n ≥ k) with the Q factor of its
// thin Householder QR, signs chosen so that R has a non-negative diagonal.
// It returns the work slices for reuse.
func thinQInPlace(a *mat.Dense, tau, work, signs []float64) ([]float64, []float64, []float64) {
	raw := a.RawMatrix()
	n, k := raw.Rows, raw.Cols
	if cap(tau) < k {
		tau = make([]float64, k)
	}
	tau = tau[:k]
	g := blas64.General{Rows: n, Cols: k, Stride: raw.Stride, Data: raw.Data}
	if len(work) < 1 {
		work = make([]float64, 1)
	}
	lapack64.Geqrf(g, tau, work, -1)
	if need := int(work[0]); len(work) < need {
		work = make([]float64, need)
	}
	lapack64.Geqrf(g, tau, work, len(work))
	// Remember the signs of R's diagonal before Orgqr overwrites it.
	if cap(signs) < k {
		signs = make([]float64, k)
	}
	signs = signs[:k]
	for j := 0; j < k; j++ {
		signs[j] = 1
		if raw.Data[j*raw.Stride+j] < 0 {
			signs[j] = -1
		}
	}
	lapack64.Orgqr(g, tau, work, -1)
	if need := int(work[0]); len(work) < need {
		work = make([]float64, need)
	}
	lapack64.Orgqr(g, tau, work, len(work))
	for i := 0; i < n; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+k]
		for j := range row {
			row[j] *= signs[j]
		}
	}
	return tau, work, signs
}
