package lrsense

import (
	"math"
	"math/rand/v2"
	"testing"
)

// kernelSizes are row lengths around the vector widths (4 and 8) and the
// packed lengths of the benchmark sizes.
var kernelSizes = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 15, 16, 17, 31, 33, 100, 101, 1275, 1277}

func randSlice(n int, rnd *rand.Rand) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rnd.NormFloat64()
	}
	return s
}

// close12 reports whether got equals want to 1e-12 relative to scale, the
// sum of the absolute values of the terms.
func close12(got, want, scale float64) bool {
	return math.Abs(got-want) <= 1e-12*math.Max(scale, math.SmallestNonzeroFloat64)
}

func allKernels() []kernels {
	ks := []kernels{goKernels}
	if hasAsmKernels {
		ks = append(ks, kernels{name: "asm", asm: true})
	}
	return ks
}

// TestKernelsMatchReference compares dot4 and axpy4 with plain loops, for
// every kernel set the machine can run.
func TestKernelsMatchReference(t *testing.T) {
	rnd := rand.New(NewSource(5))
	for _, k := range allKernels() {
		for _, n := range kernelSizes {
			a := randSlice(4*n, rnd)
			x := randSlice(n, rnd)
			var out [4]float64
			out[2] = 7 // must be overwritten
			k.dot4(&out, a, x)
			for j := 0; j < 4; j++ {
				var want, scale float64
				for l := 0; l < n; l++ {
					want += a[j*n+l] * x[l]
					scale += math.Abs(a[j*n+l] * x[l])
				}
				if !close12(out[j], want, scale) {
					t.Errorf("%s dot4 n=%d row %d: %v, want %v", k.name, n, j, out[j], want)
				}
			}
			g := randSlice(n, rnd)
			g0 := append([]float64(nil), g...)
			r := [4]float64{rnd.NormFloat64(), rnd.NormFloat64(), rnd.NormFloat64(), rnd.NormFloat64()}
			// A guard after g must not be written.
			buf := append(append([]float64(nil), g...), 42)
			g = buf[:n]
			k.axpy4(g, a, &r)
			if buf[n] != 42 {
				t.Errorf("%s axpy4 n=%d wrote past the end", k.name, n)
			}
			for l := 0; l < n; l++ {
				want, scale := g0[l], math.Abs(g0[l])
				for j := 0; j < 4; j++ {
					want += r[j] * a[j*n+l]
					scale += math.Abs(r[j] * a[j*n+l])
				}
				if !close12(g[l], want, scale) {
					t.Errorf("%s axpy4 n=%d entry %d: %v, want %v", k.name, n, l, g[l], want)
				}
			}
		}
	}
}
