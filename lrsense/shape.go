package lrsense

// This file holds the shape checks, destination sizing and error helpers
// that every other file uses.

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"reflect"

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

// checkFactors panics unless x fits a problem of shape n1×n2, with a
// message that names the factor whose shape is wrong.
func checkFactors(x Factors, n1, n2 int) {
	if x.L == nil {
		panic("lrsense: Factors has no L")
	}
	r, c := x.L.Dims()
	if x.R == nil {
		if n1 != n2 {
			panic(fmt.Sprintf("lrsense: symmetric Factors (R nil) cannot fit a non-square %d×%d problem", n1, n2))
		}
		if r != n1 {
			panic(fmt.Sprintf("lrsense: Factors.L has %d rows, the problem is %d×%d", r, n1, n2))
		}
		return
	}
	rr, rc := x.R.Dims()
	switch {
	case r != n1:
		panic(fmt.Sprintf("lrsense: Factors.L has %d rows, the problem is %d×%d (want %d)", r, n1, n2, n1))
	case rr != n2:
		panic(fmt.Sprintf("lrsense: Factors.R has %d rows, the problem is %d×%d (want %d)", rr, n1, n2, n2))
	case rc != c:
		panic(fmt.Sprintf("lrsense: Factors.L has rank %d (%d×%d) but Factors.R has rank %d (%d×%d): the column counts must agree", c, r, c, rc, rr, rc))
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

// checkNil panics with "lrsense: nil <what>" if v is nil: an untyped nil,
// or a nil pointer, map, slice, function or channel inside an interface (a
// typed nil *Gaussian passed as an Operator would otherwise fail later as a
// bare nil-pointer dereference).
func checkNil(what string, v any) {
	if isNil(v) {
		panic("lrsense: nil " + what)
	}
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// maxAllocBytes is the largest allocation a constructor attempts: the Go
// runtime's limit for one allocation on 64-bit platforms (2⁴⁸ bytes). A
// request above it is refused with an error instead of a runtime panic.
const maxAllocBytes = 1 << 48

// checkAlloc returns an error wrapping ErrBadParam if a slice of the
// product of dims elements of elemBytes bytes each overflows int or
// exceeds maxAllocBytes. The dims must be ≥ 1.
func checkAlloc(what string, elemBytes int, dims ...int) error {
	total := uint64(elemBytes)
	for _, d := range dims {
		hi, lo := bits.Mul64(total, uint64(d))
		if hi != 0 || lo > maxAllocBytes || lo > math.MaxInt {
			return badParam("%s of %v elements of %d bytes does not fit in memory (limit %d bytes)", what, dims, elemBytes, maxAllocBytes)
		}
		total = lo
	}
	return nil
}
