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
	am, bm, dm := a.RawMatrix(), b.RawMatrix(), dst.RawMatrix()
	if !ta && tb && ac <= mulABtMaxK {
		mulABt(dm, am, bm)
		return
	}
	if !tb {
		mulNarrow(dm, am, ta, bm)
		return
	}
	gemmTiled(dm, am, ta, bm, tb)
}

// gemmTiled stores op(a)·op(b) in dst with gonum's Dgemm, in tiles of at
// most gemmTile×gemmTile of dst: Dgemm multiplies a product that small
// serially, where a larger one (X = L·Rᵀ at n ≥ 128) would start
// goroutines and allocate on every call. Each entry is still summed in the
// same order.
func gemmTiled(dm, am blas64.General, ta bool, bm blas64.General, tb bool) {
	ar := am.Rows
	if ta {
		ar = am.Cols
	}
	bc := bm.Cols
	if tb {
		bc = bm.Rows
	}
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

// mulABtMaxK is the largest inner dimension of the products a·bᵀ that
// mulABt makes (its transposed slice of b lives on the stack).
const mulABtMaxK = 256

// mulABt stores a·bᵀ in c (a m×k, b n×k, c m×n; k ≤ mulABtMaxK), each
// entry summed in the order of gonum's Dgemm, which sums it with
// f64.DotUnitary (SSE2, no FMA) and adds it to a cleared c: dotLanes4. So
// it is bit-identical to the Gemm call it replaces, where it is many times
// faster on the thin products of the iteration (X = L·Rᵀ at r′ = 10 calls
// DotUnitary once per entry). With the assembly kernels it sums eight
// columns of c at a time (mulABt8).
func mulABt(c, a, b blas64.General) {
	k, m := a.Cols, a.Rows
	if m == 0 || b.Rows == 0 {
		return
	}
	j := 0
	if fastKernels.asm && k > 0 {
		var bt [8 * mulABtMaxK]float64
		for ; j+8 <= b.Rows; j += 8 {
			for t := 0; t < 8; t++ {
				row := b.Data[(j+t)*b.Stride : (j+t)*b.Stride+k]
				for l, v := range row {
					bt[8*l+t] = v
				}
			}
			mulABt8(c, a, bt[:8*k], j)
		}
	}
	for ; j < b.Rows; j++ {
		bj := b.Data[j*b.Stride : j*b.Stride+k]
		for i := 0; i < m; i++ {
			c.Data[i*c.Stride+j] = 0 + dotLanes4(a.Data[i*a.Stride:i*a.Stride+k], bj)
		}
	}
}

// dotLanes4 is x·y summed as gonum's f64.DotUnitary sums it on amd64: four
// lanes by index mod 4 over the first len(x) &^ 3 entries, the rest into
// lane 0, then (s0+s2)+(s1+s3); each product rounded before it is added
// (the conversions keep the compiler from fusing them).
func dotLanes4(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += float64(x[i] * y[i])
		s1 += float64(x[i+1] * y[i+1])
		s2 += float64(x[i+2] * y[i+2])
		s3 += float64(x[i+3] * y[i+3])
	}
	for ; i < len(x); i++ {
		s0 += float64(x[i] * y[i])
	}
	return (s0 + s2) + (s1 + s3)
}

// mulNarrowMaxN is the most columns of b that the assembly kernel of
// mulNarrow takes at a time: a slab of b's columns.
const mulNarrowMaxN = 16

// mulNarrow stores op(a)·b in c (op(a) m×k, b k×n: the products of the
// iteration, as G·F or FᵀF), each entry summed in the order of gonum's
// Dgemm for these transposes: c_ij = Σ_l op(a)_il·b_lj in the order of l,
// skipping the l where op(a)_il is zero, each product rounded before it
// is added (f64.AxpyUnitary), from zero. So it is bit-identical to the
// Gemm call it replaces, without Dgemm's one call per entry of a. With the
// assembly kernels it takes the columns of b in slabs of mulNarrowMaxN and
// two rows of c at a time (full slabs) or one, keeping the rows' slab in
// registers over all l: each entry depends on its own row and column
// alone, so a slab gets the same bits as the whole product.
func mulNarrow(c, a blas64.General, ta bool, b blas64.General) {
	m, k := a.Rows, a.Cols
	if ta {
		m, k = k, m
	}
	n := b.Cols
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			clear(c.Data[i*c.Stride : i*c.Stride+n])
		}
		return
	}
	if fastKernels.asm {
		for j := 0; j < n; j += mulNarrowMaxN {
			w := min(mulNarrowMaxN, n-j)
			var masks [4][4]uint64
			for t := 0; t < w; t++ {
				masks[t/4][t%4] = ^uint64(0)
			}
			bs := blas64.General{Rows: k, Cols: w, Stride: b.Stride, Data: b.Data[j:]}
			cs := blas64.General{Rows: m, Cols: w, Stride: c.Stride, Data: c.Data[j:]}
			i := 0
			if w == mulNarrowMaxN {
				for ; i+2 <= m; i += 2 {
					mulNarrow2Row(cs, a, ta, bs, i)
				}
			}
			for ; i < m; i++ {
				mulNarrowRow(cs, a, ta, bs, i, &masks)
			}
		}
		return
	}
	for i := 0; i < m; i++ {
		ci := c.Data[i*c.Stride : i*c.Stride+n]
		clear(ci)
		for l := 0; l < k; l++ {
			var v float64
			if ta {
				v = a.Data[l*a.Stride+i]
			} else {
				v = a.Data[i*a.Stride+l]
			}
			if v == 0 {
				continue
			}
			bl := b.Data[l*b.Stride : l*b.Stride+n]
			for j := range ci {
				ci[j] += float64(v * bl[j])
			}
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

// Norm returns the Frobenius norm of the stacked factors, √(‖L‖² + ‖R‖²)
// (√‖L‖² alone for symmetric factors).
func (x Factors) Norm() float64 {
	n := mat.Norm(x.L, 2)
	if x.R == nil {
		return n
	}
	return math.Hypot(n, mat.Norm(x.R, 2))
}
