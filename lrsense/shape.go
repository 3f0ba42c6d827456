package lrsense

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// ErrBadParam is wrapped by every error about a parameter value, so that a
// caller can test errors.Is(err, ErrBadParam).
var ErrBadParam = errors.New("lrsense: bad parameter")

func badParam(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadParam}, args...)...)
}

func errShape(what string, r, c, wantR, wantC int) string {
	return fmt.Sprintf("lrsense: %s is %d×%d, want %d×%d", what, r, c, wantR, wantC)
}

func errLen(what string, n, want int) string {
	return fmt.Sprintf("lrsense: %s has length %d, want %d", what, n, want)
}

// checkMatrix panics unless x is r×c.
func checkMatrix(what string, x mat.Matrix, r, c int) {
	if xr, xc := x.Dims(); xr != r || xc != c {
		panic(errShape(what, xr, xc, r, c))
	}
}

// prepVec resizes an empty dst to n and panics if a non-empty dst has
// another length.
func prepVec(dst *mat.VecDense, n int) {
	if dst.IsEmpty() {
		dst.ReuseAsVec(n)
		return
	}
	if dst.Len() != n {
		panic(errLen("dst", dst.Len(), n))
	}
}

// prepDense resizes an empty dst to r×c and panics if a non-empty dst has
// another shape.
func prepDense(dst *mat.Dense, r, c int) {
	if dst.IsEmpty() {
		dst.ReuseAs(r, c)
		return
	}
	checkMatrix("dst", dst, r, c)
}

// rowMajor returns the entries of x in row-major order, without copying
// when x is a contiguous *mat.Dense.
func rowMajor(x mat.Matrix, buf []float64) []float64 {
	r, c := x.Dims()
	if d, ok := x.(*mat.Dense); ok {
		raw := d.RawMatrix()
		if raw.Stride == c {
			return raw.Data[:r*c]
		}
	}
	buf = buf[:0]
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			buf = append(buf, x.At(i, j))
		}
	}
	return buf
}

// vecData returns the entries of v, without copying when v is a
// contiguous *mat.VecDense.
func vecData(v mat.Vector) []float64 {
	if d, ok := v.(*mat.VecDense); ok {
		raw := d.RawVector()
		if raw.Inc == 1 {
			return raw.Data[:d.Len()]
		}
	}
	out := make([]float64, v.Len())
	for i := range out {
		out[i] = v.AtVec(i)
	}
	return out
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
