package main

import "testing"

// TestSumFast checks the AVX2 sum against sum8 on lengths around its
// 16-element step.
func TestSumFast(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 33, 1000} {
		a := make([]float64, n)
		for i := range a {
			a[i] = float64(i%7) - 2.5
		}
		if got, want := sumFast(a), sum8(a); got != want {
			t.Errorf("n = %d: sumFast %v, sum8 %v", n, got, want)
		}
	}
}
