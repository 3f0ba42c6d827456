package lrsense

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSpectralNorm compares svdWork.spectralNorm with mat.SVD's largest
// singular value (to 64 units of roundoff: both reduce a by Householder reflections, with backward errors of order n·ε·‖a‖), on random, rank-one, zero and non-finite
// matrices, and checks that it allocates nothing once sized.
func TestSpectralNorm(t *testing.T) {
	rnd := rand.New(NewSource(17))
	var w svdWork
	check := func(name string, a *mat.Dense) {
		var svd mat.SVD
		if !svd.Factorize(a, mat.SVDNone) {
			t.Fatalf("%s: mat.SVD failed", name)
		}
		want := svd.Values(nil)[0]
		got := w.spectralNorm(a)
		if math.Abs(got-want) > 64*dlamchE*want {
			t.Errorf("%s: ‖a‖₂ = %v, mat.SVD gives %v", name, got, want)
		}
		if n := testing.AllocsPerRun(3, func() { w.spectralNorm(a) }); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
	for _, n := range []int{1, 2, 3, 7, 50, 100} {
		for _, m := range []int{n, n + 3} {
			check("random", mat.NewDense(m, n, randSlice(m*n, rnd)))
		}
		u, v := randSlice(n, rnd), randSlice(n, rnd)
		var r1 mat.Dense
		r1.Outer(1, mat.NewVecDense(n, u), mat.NewVecDense(n, v))
		check("rank one", &r1)
	}
	if got := w.spectralNorm(mat.NewDense(4, 4, nil)); got != 0 {
		t.Errorf("‖0‖₂ = %v", got)
	}
	a := mat.NewDense(3, 3, randSlice(9, rnd))
	a.Set(1, 2, math.Inf(1))
	if got := w.spectralNorm(a); !math.IsNaN(got) {
		t.Errorf("‖a‖₂ with an infinite entry = %v, want NaN", got)
	}
}

// TestSVDWorkMatchesMat checks that svdWork.factorize gives mat.SVD's thin
// factors bit for bit, so that APGD's iterates did not change when it
// moved to svdWork.
func TestSVDWorkMatchesMat(t *testing.T) {
	rnd := rand.New(NewSource(18))
	var w svdWork
	for _, sh := range [][2]int{{12, 4}, {10, 4}, {100, 10}, {5, 5}, {12, 4}} {
		a := mat.NewDense(sh[0], sh[1], randSlice(sh[0]*sh[1], rnd))
		var svd mat.SVD
		svd.Factorize(a, mat.SVDThin)
		var u, v mat.Dense
		svd.UTo(&u)
		svd.VTo(&v)
		if !w.factorize(a, true) {
			t.Fatal("factorize failed")
		}
		if !sameBits(w.s, svd.Values(nil)) || !denseBits(&w.U, &u) || !denseBits(&w.V, &v) {
			t.Errorf("%d×%d: factors differ from mat.SVD: s %v U %v V %v", sh[0], sh[1], sameBits(w.s, svd.Values(nil)), denseBits(&w.U, &u), denseBits(&w.V, &v))
		}
	}
}
