package lrsense

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestMulABtMatchesGemm checks that the fast path of mulTo for a·bᵀ gives
// the bits of gonum's Dgemm (the path it replaces), on shapes around its
// eight-column blocks and four-column lanes, strided operands and entries
// of mixed magnitudes.
func TestMulABtMatchesGemm(t *testing.T) {
	src := rand.New(NewSource(11))
	for _, m := range []int{1, 3, 8, 17, 100} {
		for _, n := range []int{1, 7, 8, 9, 16, 23, 100} {
			for _, k := range []int{0, 1, 2, 3, 4, 5, 7, 8, 10, 13, 64, 256} {
				a, b := mat.NewDense(m, k+2, nil), mat.NewDense(n, k+1, nil)
				fillMixed(src, a)
				fillMixed(src, b)
				checkMulTo(t, fmt.Sprintf("m=%d n=%d k=%d", m, n, k), a.Slice(0, m, 1, k+1).(*mat.Dense), false, b.Slice(0, n, 0, k).(*mat.Dense), true)
			}
		}
	}
}

// TestMulNarrowMatchesGemm checks that the fast path of mulTo for op(a)·b,
// narrow or in slabs of 16 columns, gives the bits of gonum's Dgemm, with
// zeros, infinities and NaNs (Dgemm skips zero entries of a).
func TestMulNarrowMatchesGemm(t *testing.T) {
	src := rand.New(NewSource(12))
	for _, ta := range []bool{false, true} {
		for _, m := range []int{1, 5, 64, 100, 130} {
			for _, n := range []int{1, 3, 4, 5, 10, 16, 17, 31, 32, 65, 100} {
				for _, k := range []int{1, 2, 7, 100} {
					ar, ac := m, k
					if ta {
						ar, ac = k, m
					}
					a, b := mat.NewDense(ar, ac+2, nil), mat.NewDense(k, n+1, nil)
					fillMixed(src, a)
					fillMixed(src, b)
					raw := a.RawMatrix().Data
					for i := 0; i < len(raw)/7; i++ {
						raw[src.IntN(len(raw))] = 0
					}
					if bd := b.RawMatrix().Data; len(raw) > 7 && len(bd) > 5 {
						raw[3] = math.Inf(1)
						raw[7] = math.NaN()
						bd[5] = math.Inf(-1)
					}
					checkMulTo(t, fmt.Sprintf("ta=%v m=%d n=%d k=%d", ta, m, n, k), a.Slice(0, ar, 1, ac+1).(*mat.Dense), ta, b.Slice(0, k, 0, n).(*mat.Dense), false)
				}
			}
		}
	}
}

// fillMixed fills d with normal entries scaled by 10⁻⁴…10⁴.
func fillMixed(src *rand.Rand, d *mat.Dense) {
	raw := d.RawMatrix().Data
	for i := range raw {
		raw[i] = src.NormFloat64() * math.Pow(10, float64(src.IntN(9)-4))
	}
}

// checkMulTo compares mulTo with gemmTiled, the Dgemm path, bit for bit.
func checkMulTo(t *testing.T, name string, a *mat.Dense, ta bool, b *mat.Dense, tb bool) {
	t.Helper()
	var got mat.Dense
	mulTo(&got, a, ta, b, tb)
	r, c := got.Dims()
	want := mat.NewDense(r, c, nil)
	gemmTiled(want.RawMatrix(), a.RawMatrix(), ta, b.RawMatrix(), tb)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if g, w := got.At(i, j), want.At(i, j); !sameFloat(g, w) {
				t.Fatalf("%s: entry (%d,%d) = %v, Dgemm gives %v", name, i, j, g, w)
			}
		}
	}
}

// sameFloat reports whether x and y have the same bits, or are both NaN: Go
// does not keep a NaN's payload through arithmetic, so the pure-Go paths
// cannot promise it.
func sameFloat(x, y float64) bool {
	return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
}
