package lrsense

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Factors is a factored iterate. With R nil it is symmetric, X = L·Lᵀ
// (L is the U of the papers, n×r′); otherwise X = L·Rᵀ with L n1×r and
// R n2×r. Methods update the matrices in place.
type Factors struct {
	L, R *mat.Dense
}

// Sym reports whether x is symmetric (R is nil).
func (x Factors) Sym() bool { return x.R == nil }

// Right returns R, or L for a symmetric iterate.
func (x Factors) Right() *mat.Dense {
	if x.R == nil {
		return x.L
	}
	return x.R
}

// Rank returns the number of columns r′ of the factors.
func (x Factors) Rank() int {
	_, c := x.L.Dims()
	return c
}

// Dims returns the shape of X.
func (x Factors) Dims() (n1, n2 int) {
	n1, _ = x.L.Dims()
	n2, _ = x.Right().Dims()
	return n1, n2
}

// ProductTo stores X = L·Rᵀ (or L·Lᵀ) in dst.
func (x Factors) ProductTo(dst *mat.Dense) {
	n1, n2 := x.Dims()
	prepDense(dst, n1, n2)
	mulTo(dst, x.L, false, x.Right(), true)
}

// mulTo stores op(a)·op(b) in dst, where op transposes when the flag is
// set. It is Dense.Mul for the products of the iteration's hot path:
// passing b.T() to Dense.Mul boxes a mat.Transpose on the heap on every
// call, mulTo calls the same BLAS routine without allocating. dst must be
// empty or of the product's shape, and must not share memory with a or b.
func mulTo(dst, a *mat.Dense, ta bool, b *mat.Dense, tb bool) {
	ar, ac := a.Dims()
	if ta {
		ar, ac = ac, ar
	}
	br, bc := b.Dims()
	if tb {
		br, bc = bc, br
	}
	if ac != br {
		panic(mat.ErrShape)
	}
	if dst == a || dst == b {
		panic("lrsense: product destination is an operand")
	}
	prepDense(dst, ar, bc)
	// Tiles of at most gemmTile×gemmTile of dst: gonum's Dgemm multiplies a
	// product that small serially, where a larger one (X = L·Rᵀ at n ≥ 128)
	// would start goroutines and allocate on every call. Each entry is still
	// summed in the same order.
	am, bm, dm := a.RawMatrix(), b.RawMatrix(), dst.RawMatrix()
	for i := 0; i < ar; i += gemmTile {
		h := min(gemmTile, ar-i)
		as := rowsOf(am, ta, i, h)
		for j := 0; j < bc; j += gemmTile {
			w := min(gemmTile, bc-j)
			bs := colsOf(bm, tb, j, w)
			ds := blas64.General{Rows: h, Cols: w, Stride: dm.Stride, Data: dm.Data[i*dm.Stride+j:]}
			blas64.Gemm(transFlag(ta), transFlag(tb), 1, as, bs, 0, ds)
		}
	}
}

// gemmTile is gonum's Dgemm block size.
const gemmTile = 64

// rowsOf returns rows i…i+h−1 of op(a) (of a, or of aᵀ when t) as the
// matrix to pass to Gemm with transpose flag t.
func rowsOf(a blas64.General, t bool, i, h int) blas64.General {
	if t {
		return blas64.General{Rows: a.Rows, Cols: h, Stride: a.Stride, Data: a.Data[i:]}
	}
	return blas64.General{Rows: h, Cols: a.Cols, Stride: a.Stride, Data: a.Data[i*a.Stride:]}
}

// colsOf returns columns j…j+w−1 of op(b) as the matrix to pass to Gemm
// with transpose flag t.
func colsOf(b blas64.General, t bool, j, w int) blas64.General {
	if t {
		return blas64.General{Rows: w, Cols: b.Cols, Stride: b.Stride, Data: b.Data[j*b.Stride:]}
	}
	return blas64.General{Rows: b.Rows, Cols: w, Stride: b.Stride, Data: b.Data[j:]}
}

func transFlag(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// scaleInPlace multiplies m by s. (m.Scale(s, m) copies m through a
// freshly allocated workspace because receiver and argument alias.)
func scaleInPlace(m *mat.Dense, s float64) {
	raw := m.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
		for j := range row {
			row[j] *= s
		}
	}
}

// Clone returns a deep copy of x.
func (x Factors) Clone() Factors {
	var out Factors
	out.L = mat.DenseCopyOf(x.L)
	if x.R != nil {
		out.R = mat.DenseCopyOf(x.R)
	}
	return out
}

// CopyFrom copies the values of src into x. It panics if the shapes differ.
func (x Factors) CopyFrom(src Factors) {
	r, c := x.L.Dims()
	checkMatrix("L", src.L, r, c)
	x.L.Copy(src.L)
	if x.Sym() != src.Sym() {
		panic("lrsense: copying between symmetric and asymmetric factors")
	}
	if x.R != nil {
		r, c := x.R.Dims()
		checkMatrix("R", src.R, r, c)
		x.R.Copy(src.R)
	}
}

// Norm returns the Frobenius norm of the stacked factors, √(‖L‖² + ‖R‖²)
// (√‖L‖² alone for symmetric factors).
func (x Factors) Norm() float64 {
	n := mat.Norm(x.L, 2)
	if x.R == nil {
		return n
	}
	return math.Hypot(n, mat.Norm(x.R, 2))
}

// checkFactors panics unless x fits a problem of shape n1×n2.
func checkFactors(x Factors, n1, n2 int) {
	if x.L == nil {
		panic("lrsense: Factors has no L")
	}
	r, c := x.L.Dims()
	if x.R == nil {
		if n1 != n2 {
			panic(errShape("symmetric factor L·Lᵀ", r, r, n1, n2))
		}
		if r != n1 {
			panic(errShape("L", r, c, n1, c))
		}
		return
	}
	rr, rc := x.R.Dims()
	if r != n1 || rr != n2 || rc != c {
		panic(errShape("L·Rᵀ", r, rr, n1, n2))
	}
}

// LeastSquares evaluates the package's least-squares objective and its
// gradient (see the package documentation): ¼‖𝒜(UUᵀ) − y‖² for
// symmetric factors, ½‖𝒜(LRᵀ) − y‖² for asymmetric ones. It keeps its
// workspace between calls, so an iteration allocates nothing. The zero
// value is not usable: use NewLeastSquares.
type LeastSquares struct {
	p        *Problem
	x, g, gt mat.Dense
	r        mat.VecDense
}

// NewLeastSquares returns an evaluator for p.
func NewLeastSquares(p *Problem) *LeastSquares { return &LeastSquares{p: p} }

// Problem returns the problem the objective is built on.
func (ls *LeastSquares) Problem() *Problem { return ls.p }

// Eval returns the objective at x. If grad is not nil, it stores the
// gradient in grad (which must have the shape of x, or empty matrices that
// are resized). After Eval, Residual and Adjoint return r = 𝒜(X) − y and
// G = 𝒜*(r) at x.
func (ls *LeastSquares) Eval(grad *Factors, x Factors) float64 {
	n1, n2 := ls.p.Dims()
	checkFactors(x, n1, n2)
	x.ProductTo(&ls.x)
	ResidualAdjointTo(ls.p.Op, &ls.g, &ls.r, &ls.x, ls.p.Y)
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
		ls.SymAdjointMul(grad.L, x.L)
		return
	}
	if grad.R == nil {
		grad.R = &mat.Dense{}
	}
	n2, _ := x.R.Dims()
	prepDense(grad.R, n2, k)
	grad.L.Mul(&ls.g, x.R)
	mulTo(grad.R, &ls.g, true, x.L, false)
}

// Residual returns r = 𝒜(X) − y from the last Eval. The caller must not
// modify it.
func (ls *LeastSquares) Residual() *mat.VecDense { return &ls.r }

// Adjoint returns G = 𝒜*(𝒜(X) − y) from the last Eval. The caller must not
// modify it.
func (ls *LeastSquares) Adjoint() *mat.Dense { return &ls.g }

// SymAdjointMul stores sym(G)·F in dst, using G from the last Eval.
func (ls *LeastSquares) SymAdjointMul(dst *mat.Dense, f mat.Matrix) {
	r, c := f.Dims()
	prepDense(dst, r, c)
	if fd, ok := f.(*mat.Dense); ok {
		prepDense(&ls.gt, r, c)
		mulTo(&ls.gt, &ls.g, true, fd, false)
	} else {
		ls.gt.Reset()
		ls.gt.Mul(ls.g.T(), f)
	}
	dst.Mul(&ls.g, f)
	dst.Add(dst, &ls.gt)
	scaleInPlace(dst, 0.5)
}
