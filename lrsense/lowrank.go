package lrsense

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// fullTarget returns the fully observed matrix of a low-rank approximation
// problem (Identity operator) as an n1×n2 view of p.Y, or an error.
func fullTarget(p *Problem) (*mat.Dense, error) {
	if _, ok := p.Op.(*Identity); !ok {
		return nil, badParam("low-rank approximation needs the Identity operator, got %T", p.Op)
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
// v1): with Σ the observed matrix (the Identity operator's y),
//
//	symmetric:  X ← X − η(XXᵀ − Σ)X                       (f = ¼‖XXᵀ − Σ‖_F²),
//	asymmetric: X ← X − η(XYᵀ − A)Y,  Y ← Y − η(XYᵀ − A)ᵀX  (f = ½‖XYᵀ − A‖_F²).
//
// The iterates are those of GD on the Identity operator (for symmetric Σ),
// but a step makes one product with Σ (O(n1·n2·r)) instead of forming
// XYᵀ, the residual and two products with it: the gradient is formed as
// X(YᵀY) − AY and the loss from traces. This is the retraction-free
// eigenspace computation timed against RiemannianGD. For a symmetric
// problem Σ must be symmetric.
type ApproxGD struct {
	// Step is η; it must be positive.
	Step float64

	a       *mat.Dense // Σ or A (a view of p.Y)
	aNorm2  float64
	ay, atx mat.Dense // A·Y (A·X), Aᵀ·X
	gx, gy  mat.Dense // gradients
	gram    mat.Dense
	gramY   mat.Dense
	work    mat.Dense
}

// Init checks the step and the problem and evaluates x.
func (g *ApproxGD) Init(p *Problem, x Factors) (Step, error) {
	if !(g.Step > 0) || math.IsInf(g.Step, 0) {
		return Step{}, badParam("ApproxGD step must be positive and finite, got %v", g.Step)
	}
	a, err := fullTarget(p)
	if err != nil {
		return Step{}, err
	}
	g.a = a
	g.aNorm2 = frobDot(a, a)
	return g.eval(x), nil
}

// eval computes the loss and the gradient at x.
func (g *ApproxGD) eval(x Factors) Step {
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
		return Step{Loss: res2 / 4, GradNorm: gn}
	}
	// ∇_R = R(LᵀL) − AᵀL.
	mulThinT(&g.atx, &g.work, g.a, x.L)
	g.gy.Reset()
	g.gy.Mul(x.R, &g.gram)
	g.gy.Sub(&g.gy, &g.atx)
	return Step{Loss: res2 / 2, GradNorm: math.Hypot(gn, math.Sqrt(frobDot(&g.gy, &g.gy)))}
}

// Iterate takes one simultaneous step and evaluates the new iterate.
func (g *ApproxGD) Iterate(x Factors) (Step, error) {
	axpyDense(x.L, -g.Step, &g.gx)
	if !x.Sym() {
		axpyDense(x.R, -g.Step, &g.gy)
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

// RiemannianGD is Riemannian gradient ascent for the top-r eigenspace of a
// symmetric Σ on the Stiefel manifold with the QR retraction, the baseline
// of Chen et al. (2023):
//
//	G = ΣX − X(XᵀΣX),   X ← qf(X + ηG),
//
// qf the Q factor of a thin QR decomposition with a positive diagonal R.
// Its Loss is −½tr(XᵀΣX) (it decreases as X approaches the top
// eigenspace). The problem must use the Identity operator; x must be
// symmetric factors with orthonormal columns (see Orthonormalize).
type RiemannianGD struct {
	// Step is η; it must be positive.
	Step float64

	a         *mat.Dense
	ax, xtax  mat.Dense
	grad      mat.Dense
	xt        mat.Dense
	tau, work []float64
	signs     []float64
}

// Init checks the step, the problem and the orthonormality of x.
func (g *RiemannianGD) Init(p *Problem, x Factors) (Step, error) {
	if !(g.Step > 0) || math.IsInf(g.Step, 0) {
		return Step{}, badParam("RiemannianGD step must be positive and finite, got %v", g.Step)
	}
	if !x.Sym() {
		return Step{}, badParam("RiemannianGD needs symmetric factors")
	}
	a, err := fullTarget(p)
	if err != nil {
		return Step{}, err
	}
	_, k := x.L.Dims()
	var gram mat.Dense
	gram.Mul(x.L.T(), x.L)
	for i := 0; i < k; i++ {
		gram.Set(i, i, gram.At(i, i)-1)
	}
	if d := mat.Norm(&gram, 2); d > 1e-8 {
		return Step{}, badParam("RiemannianGD needs orthonormal columns, ‖XᵀX − I‖ = %.3g", d)
	}
	g.a = a
	return g.eval(x), nil
}

func (g *RiemannianGD) eval(x Factors) Step {
	mulThin(&g.ax, &g.xt, g.a, x.L)
	g.xtax.Reset()
	mulTo(&g.xtax, x.L, true, &g.ax, false)
	g.grad.Reset()
	g.grad.Mul(x.L, &g.xtax)
	g.grad.Sub(&g.ax, &g.grad)
	return Step{Loss: -mat.Trace(&g.xtax) / 2, GradNorm: math.Sqrt(frobDot(&g.grad, &g.grad))}
}

// Iterate takes the retracted step and evaluates the new iterate.
func (g *RiemannianGD) Iterate(x Factors) (Step, error) {
	axpyDense(x.L, g.Step, &g.grad)
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

// Orthonormalize returns the Q factor of the thin QR decomposition of a
// (n×k, n ≥ k) with a non-negative diagonal R: the retraction-free
// eigenspace estimate orth(X_T) of Chen et al. (2023). It panics if a has
// more columns than rows.
func Orthonormalize(a mat.Matrix) *mat.Dense {
	n, k := a.Dims()
	if k > n {
		panic(errShape("Orthonormalize a", n, k, n, n))
	}
	q := mat.DenseCopyOf(a)
	thinQInPlace(q, nil, nil, nil)
	return q
}

// SubspaceDist returns ‖P_A − P_B‖_F for the column spaces of a and b,
// which must have orthonormal columns, the same number of rows and the
// same number of columns: √2·‖(I − AAᵀ)B‖_F, computed in O(nk²).
func SubspaceDist(a, b mat.Matrix) float64 {
	ra, ca := a.Dims()
	rb, cb := b.Dims()
	if ra != rb || ca != cb {
		panic(errShape("SubspaceDist b", rb, cb, ra, ca))
	}
	var c, d mat.Dense
	c.Mul(a.T(), b)
	d.Mul(a, &c)
	d.Sub(b, &d)
	return math.Sqrt2 * mat.Norm(&d, 2)
}

// Subspace records under name the distance ‖P_X − UUᵀ‖_F between the
// column space of X_t's left factor (orthonormalized) and the span of ref's
// orthonormal columns (same column count as the factor).
func Subspace(name string, ref *mat.Dense) Metric {
	return Func(name, func(s *State) float64 {
		return SubspaceDist(ref, Orthonormalize(s.X.L))
	})
}

// NewApproxSym returns the symmetric low-rank approximation problem of Chen,
// Chen, Elmasri & Sun (2023, arXiv 2305.19206 v1), min_X ¼‖XXᵀ − Σ‖_F²,
// with the fully observed n×n matrix Σ = Q·diag(lambda)·Qᵀ (n = len(lambda))
// on the Identity operator. Its truth is the best rank-r approximation
// Σ_r = Σ_{i≤r} λ_i q_iq_iᵀ (Truth.U the top-r eigenvectors q_1…q_r), so that
// Problem.RelErr is ‖XXᵀ − Σ_r‖_F/‖Σ_r‖_F, the paper's error.
//
// Q is a random orthogonal matrix, the product of min(n, r+8) Householder
// reflectors with Gaussian directions drawn from src, so that Σ costs
// O(n²r) to form instead of the O(n³) of a Haar Q. GD and Riemannian GD
// from a Gaussian initialization are equivariant under X ↦ QX, so the
// distribution of every rotation-invariant measure of a run (errors,
// subspace distances, iteration counts) does not depend on Q.
//
// lambda must be non-increasing, finite and ≥ 0, with 1 ≤ r ≤ n and a gap
// λ_r > λ_{r+1} (when r < n) so that the top-r eigenspace is unique;
// otherwise NewApproxSym returns an error wrapping ErrBadParam.
func NewApproxSym(lambda []float64, r int, src rand.Source) (*Problem, error) {
	n := len(lambda)
	if err := checkApproxSpectrum(lambda, r); err != nil {
		return nil, err
	}
	rnd := rand.New(src)
	sig := mat.NewDense(n, n, nil)
	for i, l := range lambda {
		sig.Set(i, i, l)
	}
	refl := randomReflectors(n, min(n, r+8), rnd)
	w := make([]float64, n)
	for _, v := range refl {
		// Σ ← HΣH with H = I − 2vvᵀ: Σ − 2v·wᵀ − 2w·vᵀ + 4(vᵀw)·vvᵀ, w = Σv.
		blas64.Gemv(blas.NoTrans, 1, sig.RawMatrix(), blas64.Vector{N: n, Inc: 1, Data: v}, 0, blas64.Vector{N: n, Inc: 1, Data: w})
		c := 4 * blas64.Dot(blas64.Vector{N: n, Inc: 1, Data: v}, blas64.Vector{N: n, Inc: 1, Data: w})
		raw := sig.RawMatrix()
		for i := 0; i < n; i++ {
			row := raw.Data[i*raw.Stride : i*raw.Stride+n]
			vi, wi := v[i], w[i]
			a, b := -2*wi+c*vi, -2*vi
			for j := range row {
				row[j] += a*v[j] + b*w[j]
			}
		}
	}
	// Symmetrize away rounding.
	sd := sig.RawMatrix().Data
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			m := (sd[i*n+j] + sd[j*n+i]) / 2
			sd[i*n+j], sd[j*n+i] = m, m
		}
	}
	u := applyReflectors(refl, n, r)
	truth := &Truth{U: u, V: u, Sigma: append([]float64(nil), lambda[:r]...)}
	truth.X = lowRankProduct(u, u, truth.Sigma)
	op, err := NewIdentity(n, n)
	if err != nil {
		return nil, err
	}
	return FromMeasurements(op, mat.NewVecDense(n*n, sig.RawMatrix().Data), truth)
}

// NewApproxAsym returns the asymmetric low-rank approximation problem of
// Chen et al. (2023), min ½‖XYᵀ − A‖_F², with the fully observed n1×n2
// matrix A = P·diag(s)·Qᵀ (len(s) = min(n1, n2)) on the Identity operator.
// P and Q are independent random orthogonal matrices built as in
// NewApproxSym (P first). Its truth is the best rank-r approximation A_r,
// with Truth.U and Truth.V the top-r left and right singular vectors.
//
// s must be non-increasing, finite and ≥ 0, with 1 ≤ r ≤ len(s) and
// s_r > s_{r+1} (when r < len(s)); otherwise NewApproxAsym returns an error
// wrapping ErrBadParam, as it does for non-positive sizes or
// len(s) ≠ min(n1, n2).
func NewApproxAsym(n1, n2 int, s []float64, r int, src rand.Source) (*Problem, error) {
	if n1 < 1 || n2 < 1 || len(s) != min(n1, n2) {
		return nil, badParam("NewApproxAsym needs n1, n2 ≥ 1 and min(n1, n2) = %d singular values, got %d×%d", min(n1, n2), n1, n2)
	}
	if err := checkApproxSpectrum(s, r); err != nil {
		return nil, err
	}
	rnd := rand.New(src)
	a := mat.NewDense(n1, n2, nil)
	for i, v := range s {
		a.Set(i, i, v)
	}
	left := randomReflectors(n1, min(n1, r+8), rnd)
	right := randomReflectors(n2, min(n2, r+8), rnd)
	raw := a.RawMatrix()
	w := make([]float64, max(n1, n2))
	for _, v := range left {
		// A ← (I − 2vvᵀ)A = A − 2v·(Aᵀv)ᵀ.
		wv := w[:n2]
		blas64.Gemv(blas.Trans, 1, raw, blas64.Vector{N: n1, Inc: 1, Data: v}, 0, blas64.Vector{N: n2, Inc: 1, Data: wv})
		for i := 0; i < n1; i++ {
			row := raw.Data[i*raw.Stride : i*raw.Stride+n2]
			c := -2 * v[i]
			for j := range row {
				row[j] += c * wv[j]
			}
		}
	}
	for _, v := range right {
		// A ← A(I − 2vvᵀ) = A − 2(Av)·vᵀ.
		wv := w[:n1]
		blas64.Gemv(blas.NoTrans, 1, raw, blas64.Vector{N: n2, Inc: 1, Data: v}, 0, blas64.Vector{N: n1, Inc: 1, Data: wv})
		for i := 0; i < n1; i++ {
			row := raw.Data[i*raw.Stride : i*raw.Stride+n2]
			c := -2 * wv[i]
			for j := range row {
				row[j] += c * v[j]
			}
		}
	}
	u := applyReflectors(left, n1, r)
	vv := applyReflectors(right, n2, r)
	truth := &Truth{U: u, V: vv, Sigma: append([]float64(nil), s[:r]...)}
	truth.X = lowRankProduct(u, vv, truth.Sigma)
	op, err := NewIdentity(n1, n2)
	if err != nil {
		return nil, err
	}
	return FromMeasurements(op, mat.NewVecDense(n1*n2, raw.Data), truth)
}

// checkApproxSpectrum checks a spectrum for NewApproxSym / NewApproxAsym.
func checkApproxSpectrum(lambda []float64, r int) error {
	n := len(lambda)
	if n < 1 || r < 1 || r > n {
		return badParam("need 1 ≤ r ≤ %d values, got r = %d", n, r)
	}
	for i, l := range lambda {
		if !(l >= 0) || math.IsInf(l, 0) {
			return badParam("spectrum values must be finite and ≥ 0, got λ_%d = %v", i+1, l)
		}
		if i > 0 && l > lambda[i-1] {
			return badParam("spectrum must be non-increasing, got λ_%d = %v > λ_%d = %v", i+1, l, i, lambda[i-1])
		}
	}
	if r < n && !(lambda[r-1] > lambda[r]) {
		return badParam("no gap after the top %d: λ_r = λ_{r+1} = %v, the top-r subspace is not unique", r, lambda[r])
	}
	return nil
}

// randomReflectors returns k unit vectors of length n with uniformly random
// directions.
func randomReflectors(n, k int, rnd *rand.Rand) [][]float64 {
	out := make([][]float64, k)
	for j := range out {
		v := make([]float64, n)
		nrm := 0.0
		for nrm == 0 {
			for i := range v {
				v[i] = rnd.NormFloat64()
			}
			nrm = math.Sqrt(blas64.Dot(blas64.Vector{N: n, Inc: 1, Data: v}, blas64.Vector{N: n, Inc: 1, Data: v}))
		}
		for i := range v {
			v[i] /= nrm
		}
		out[j] = v
	}
	return out
}

// applyReflectors returns the first r columns of H_k⋯H_1 (H_j = I − 2v_jv_jᵀ,
// v_j = refl[j−1]): the matrix Q of NewApproxSym restricted to e_1…e_r.
func applyReflectors(refl [][]float64, n, r int) *mat.Dense {
	q := mat.NewDense(n, r, nil)
	for j := 0; j < r; j++ {
		q.Set(j, j, 1)
	}
	col := make([]float64, n)
	for j := 0; j < r; j++ {
		for i := range col {
			col[i] = q.At(i, j)
		}
		for _, v := range refl {
			c := 0.0
			for i, vi := range v {
				c += vi * col[i]
			}
			for i, vi := range v {
				col[i] -= 2 * c * vi
			}
		}
		for i, c := range col {
			q.Set(i, j, c)
		}
	}
	return q
}

// mulThin stores a·x in dst (n1×k) for a dense n1×n2 a with contiguous rows
// and a thin n2×k x: a is read once, four rows at a time, each block
// multiplied with all k columns of x while it is in cache (the product with
// Σ dominates a step of ApproxGD and RiemannianGD alike). xt is workspace
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
			kern.dot4(&out, blk, xr.Data[j*xr.Stride:j*xr.Stride+n2])
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

// sizeAs makes d an r×c matrix, reusing its memory when it already has that
// shape (its values are then stale).
func sizeAs(d *mat.Dense, r, c int) {
	if !d.IsEmpty() {
		if dr, dc := d.Dims(); dr == r && dc == c {
			return
		}
		d.Reset()
	}
	d.ReuseAs(r, c)
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
			kern.axpy4(wr.Data[j*wr.Stride:j*wr.Stride+n2], blk, &c)
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
