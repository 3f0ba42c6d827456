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
						if g, w := got.At(i, j), want.At(i, j); math.Float64bits(g) != math.Float64bits(w) {
							t.Fatalf("%s: entry (%d,%d) = %v, Dgemm gives %v", fmt.Sprintf("m=%d n=%d k=%d", m, n, k), i, j, g, w)
						}
					}
				}
			}
		}
	}
}
