package lrsense

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestMulABtMatchesGemm checks that the fast path of mulTo for a·bᵀ gives
// the bits of gonum's Dgemm (the path it replaces), on shapes around its eight-column blocks and
// four-column lanes, strided operands and entries of mixed magnitudes.
func TestMulABtMatchesGemm(t *testing.T) {
	src := rand.New(NewSource(11))
	for _, m := range []int{1, 3, 8, 17, 100} {
		for _, n := range []int{1, 7, 8, 9, 16, 23, 100} {
			for _, k := range []int{0, 1, 2, 3, 4, 5, 7, 8, 10, 13, 64, 256} {
				a := mat.NewDense(m, k+2, nil)
				b := mat.NewDense(n, k+1, nil)
				for _, d := range []*mat.Dense{a, b} {
					raw := d.RawMatrix()
					for i := range raw.Data {
						raw.Data[i] = src.NormFloat64() * math.Pow(10, float64(src.IntN(9)-4))
					}
				}
				as := a.Slice(0, m, 1, k+1).(*mat.Dense)
				bs := b.Slice(0, n, 0, k).(*mat.Dense)
				var got mat.Dense
				mulTo(&got, as, false, bs, true)
				want := mat.NewDense(m, n, nil)
				gemmTiled(want.RawMatrix(), as.RawMatrix(), false, bs.RawMatrix(), true)
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						if g, w := got.At(i, j), want.At(i, j); !sameFloat(g, w) {
							t.Fatalf("%s: entry (%d,%d) = %v, Dgemm gives %v", fmt.Sprintf("m=%d n=%d k=%d", m, n, k), i, j, g, w)
						}
					}
				}
			}
		}
	}
}

// TestMulNarrowMatchesGemm checks that the fast path of mulTo for op(a)·b
// with at most 16 columns gives the bits of gonum's Dgemm, with zeros,
// infinities and NaNs (Dgemm skips zero entries of a).
func TestMulNarrowMatchesGemm(t *testing.T) {
	src := rand.New(NewSource(12))
	fill := func(d *mat.Dense) {
		raw := d.RawMatrix().Data
		for i := range raw {
			raw[i] = src.NormFloat64() * math.Pow(10, float64(src.IntN(9)-4))
		}
	}
	for _, ta := range []bool{false, true} {
		for _, m := range []int{1, 5, 64, 100, 130} {
			for _, n := range []int{1, 3, 4, 5, 10, 16} {
				for _, k := range []int{1, 2, 7, 100} {
					ar, ac := m, k
					if ta {
						ar, ac = k, m
					}
					a, b := mat.NewDense(ar, ac+2, nil), mat.NewDense(k, n+1, nil)
					fill(a)
					fill(b)
					raw := a.RawMatrix().Data
					for i := 0; i < len(raw)/7; i++ {
						raw[src.IntN(len(raw))] = 0
					}
					if bd := b.RawMatrix().Data; len(raw) > 7 && len(bd) > 5 {
						raw[3] = math.Inf(1)
						raw[7] = math.NaN()
						bd[5] = math.Inf(-1)
					}
					as := a.Slice(0, ar, 1, ac+1).(*mat.Dense)
					bs := b.Slice(0, k, 0, n).(*mat.Dense)
					var got mat.Dense
					mulTo(&got, as, ta, bs, false)
					want := mat.NewDense(m, n, nil)
					gemmTiled(want.RawMatrix(), as.RawMatrix(), ta, bs.RawMatrix(), false)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							if g, w := got.At(i, j), want.At(i, j); !sameFloat(g, w) {
								t.Fatalf("ta=%v m=%d n=%d k=%d: entry (%d,%d) = %v, Dgemm gives %v", ta, m, n, k, i, j, g, w)
							}
						}
					}
				}
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
