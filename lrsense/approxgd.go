package lrsense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// fullTarget returns the fully observed matrix of a low-rank approximation
// problem (full-observation operator) as an n1×n2 view of p.Y, or an error.
func fullTarget(p *Problem) (*mat.Dense, error) {
	if _, ok := baseOp(p.Op).(*fullObservation); !ok {
		return nil, badParam("low-rank approximation needs the full-observation operator, got %T", baseOp(p.Op))
	}
	n1, n2 := p.Dims()
	raw := p.Y.RawVector()
	if raw.Inc != 1 {
		return mat.NewDense(n1, n2, vecData(p.Y)), nil
	}
	return mat.NewDense(n1, n2, raw.Data[:n1*n2]), nil
}

// ApproxGD is factored gradient descent for low-rank matrix approximation
// under full observation (Chen, Chen, Elmasri & Sun 2023, arXiv 2305.19206
// v1): with Σ the observed matrix (the full-observation operator's y),
//
//	symmetric:  X ← X − η(XXᵀ − Σ)X                       (f = ¼‖XXᵀ − Σ‖_F²),
//	asymmetric: X ← X − η(XYᵀ − A)Y,  Y ← Y − η(XYᵀ − A)ᵀX  (f = ½‖XYᵀ − A‖_F²).
//
// The iterates are those of GD on the full-observation operator (for symmetric Σ),
// but a step makes one product with Σ (O(n1·n2·r)) instead of forming
// XYᵀ, the residual and two products with it: the gradient is formed as
// X(YᵀY) − AY and the loss from traces. This is the retraction-free
// eigenspace computation the paper times against Riemannian GD. For a
// symmetric problem Σ must be symmetric.
//
// With Riemannian set, ApproxGD is instead the paper's baseline, Riemannian
// gradient ascent for the top-r eigenspace of a symmetric Σ on the Stiefel
// manifold with the QR retraction:
//
//	G = ΣX − X(XᵀΣX),   X ← qf(X + ηG),
//
// qf the Q factor of a thin QR decomposition with a positive diagonal R.
// Its Loss is ½(tr Σ − tr(XᵀΣX)) = ½tr((I − XXᵀ)Σ), the objective
// −½tr(XᵀΣX) shifted by the constant ½tr Σ so that it is ≥ 0 for PSD Σ (at
// the top eigenspace it is ½Σ_{i>r}λ_i). x must be symmetric factors; Init
// starts from qf(X) unless X already has orthonormal columns (‖XᵀX − I‖ ≤
// 1e-8), so a small random X₀ can be given as it is.
//
// Cost: no operator passes (Stats counts 0): ApproxGD reads Σ, the
// full-observation operator's y, directly; a step makes one product with Σ
// (symmetric or Riemannian) or two (A·Y and Aᵀ·X).
type ApproxGD struct {
	// Eta is η; it must be positive.
	Eta float64
	// Riemannian selects Riemannian gradient ascent (riemanniangd.go).
	Riemannian bool

	rgd riemannianGD

	a       *mat.Dense // Σ or A (a view of p.Y)
	aNorm2  float64
	ay, atx mat.Dense // A·Y (A·X), Aᵀ·X
	gx, gy  mat.Dense // gradients
	gram    mat.Dense
	gramY   mat.Dense
	work    mat.Dense
}

// Init checks the step and the problem and evaluates x.
func (g *ApproxGD) Init(p *Problem, x Factors) (Measures, error) {
	if !(g.Eta > 0) || math.IsInf(g.Eta, 0) {
		return Measures{}, badParam("ApproxGD step must be positive and finite, got %v", g.Eta)
	}
	if g.Riemannian {
		return g.rgd.init(p, x)
	}
	a, err := fullTarget(p)
	if err != nil {
		return Measures{}, err
	}
	g.a = a
	g.aNorm2 = frobDot(a, a)
	return g.eval(x), nil
}

// eval computes the loss and the gradient at x.
func (g *ApproxGD) eval(x Factors) Measures {
	r := x.Right()
	// A·R (Σ·X for symmetric).
	mulThin(&g.ay, &g.work, g.a, r)
	// Gram matrices.
	g.gramY.Reset()
	mulTo(&g.gramY, r, true, r, false)
	// ∇_L = L(RᵀR) − A·R.
	g.gx.Reset()
	g.gx.Mul(x.L, &g.gramY)
	g.gx.Sub(&g.gx, &g.ay)
	// ‖LRᵀ − A‖² = tr((LᵀL)(RᵀR)) − 2⟨L, AR⟩ + ‖A‖².
	gramL := &g.gramY
	if !x.Sym() {
		g.gram.Reset()
		mulTo(&g.gram, x.L, true, x.L, false)
		gramL = &g.gram
	}
	res2 := frobDot(gramL, &g.gramY) - 2*frobDot(x.L, &g.ay) + g.aNorm2
	res2 = math.Max(res2, 0)
	gn := math.Sqrt(frobDot(&g.gx, &g.gx))
	if x.Sym() {
		return Measures{Loss: res2 / 4, GradNorm: gn}
	}
	// ∇_R = R(LᵀL) − AᵀL.
	mulThinT(&g.atx, &g.work, g.a, x.L)
	g.gy.Reset()
	g.gy.Mul(x.R, &g.gram)
	g.gy.Sub(&g.gy, &g.atx)
	return Measures{Loss: res2 / 2, GradNorm: math.Hypot(gn, math.Sqrt(frobDot(&g.gy, &g.gy)))}
}

// Iterate takes one simultaneous step and evaluates the new iterate.
func (g *ApproxGD) Iterate(x Factors) (Measures, error) {
	if g.Riemannian {
		return g.rgd.iterate(x, g.Eta)
	}
	axpyDense(x.L, -g.Eta, &g.gx)
	if !x.Sym() {
		axpyDense(x.R, -g.Eta, &g.gy)
	}
	return g.eval(x), nil
}

// axpyDense adds s·a to dst (same shapes).
func axpyDense(dst *mat.Dense, s float64, a *mat.Dense) {
	r, c := dst.Dims()
	for i := 0; i < r; i++ {
		rd, ra := dst.RawRowView(i)[:c], a.RawRowView(i)[:c]
		for j, v := range ra {
			rd[j] += s * v
		}
	}
}

// frobDot returns ⟨a, b⟩ = Σ a_ij b_ij.
func frobDot(a, b *mat.Dense) float64 {
	r, c := a.Dims()
	s := 0.0
	for i := 0; i < r; i++ {
		ra, rb := a.RawRowView(i)[:c], b.RawRowView(i)[:c]
		for j, v := range ra {
			s += v * rb[j]
		}
	}
	return s
}

// mulThin stores a·x in dst (n1×k) for a dense n1×n2 a with contiguous rows
// and a thin n2×k x: a is read once, four rows at a time, each block
// multiplied with all k columns of x while it is in cache (the product with
// Σ dominates a step of ApproxGD, Riemannian or not). xt is workspace
// for xᵀ.
func mulThin(dst, xt, a *mat.Dense, x mat.Matrix) {
	raw := a.RawMatrix()
	n1, n2 := raw.Rows, raw.Cols
	_, k := x.Dims()
	if raw.Stride != n2 {
		dst.Reset()
		dst.Mul(a, x)
		return
	}
	sizeAs(xt, k, n2)
	transposeTo(xt, x)
	sizeAs(dst, n1, k)
	xr := xt.RawMatrix()
	dr := dst.RawMatrix()
	kern := fastKernels
	var out [4]float64
	i := 0
	for ; i+4 <= n1; i += 4 {
		blk := raw.Data[i*n2 : (i+4)*n2]
		for j := 0; j < k; j++ {
			kern.dot4(&out, blk, n2, xr.Data[j*xr.Stride:j*xr.Stride+n2])
			for b := 0; b < 4; b++ {
				dr.Data[(i+b)*dr.Stride+j] = out[b]
			}
		}
	}
	for ; i < n1; i++ {
		row := raw.Data[i*n2 : (i+1)*n2]
		for j := 0; j < k; j++ {
			dr.Data[i*dr.Stride+j] = dot1(row, xr.Data[j*xr.Stride:j*xr.Stride+n2])
		}
	}
}

// mulThinT stores aᵀ·x in dst (n2×k) for a dense n1×n2 a with contiguous
// rows and a thin n1×k x, reading a once, four rows at a time; w is
// workspace for (xᵀa).
func mulThinT(dst, w, a *mat.Dense, x mat.Matrix) {
	raw := a.RawMatrix()
	n1, n2 := raw.Rows, raw.Cols
	_, k := x.Dims()
	if raw.Stride != n2 {
		dst.Reset()
		dst.Mul(a.T(), x)
		return
	}
	sizeAs(w, k, n2)
	w.Zero()
	wr := w.RawMatrix()
	kern := fastKernels
	var c [4]float64
	i := 0
	for ; i+4 <= n1; i += 4 {
		blk := raw.Data[i*n2 : (i+4)*n2]
		for j := 0; j < k; j++ {
			for b := 0; b < 4; b++ {
				c[b] = x.At(i+b, j)
			}
			kern.axpy4(wr.Data[j*wr.Stride:j*wr.Stride+n2], blk, n2, &c)
		}
	}
	for ; i < n1; i++ {
		row := raw.Data[i*n2 : (i+1)*n2]
		for j := 0; j < k; j++ {
			axpy1(wr.Data[j*wr.Stride:j*wr.Stride+n2], row, x.At(i, j))
		}
	}
	sizeAs(dst, n2, k)
	dst.Copy(w.T())
}
