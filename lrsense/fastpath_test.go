package lrsense

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"
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
	if hasAVX512 {
		ks = append(ks, kernels{name: "asm+avx512", asm: true, wide: true})
	}
	return ks
}

// TestKernelsMatchReference compares dot4 and axpy4 with plain loops, for
// every kernel set the machine can run, on blocks with contiguous rows and
// with rows padded to a longer stride.
func TestKernelsMatchReference(t *testing.T) {
	rnd := rand.New(NewSource(5))
	for _, k := range allKernels() {
		for _, sz := range kernelSizes {
			for _, pad := range []int{0, 5} {
				n, stride := sz, sz+pad
				a := randSlice(3*stride+n, rnd)
				x := randSlice(n, rnd)
				var out [4]float64
				out[2] = 7 // must be overwritten
				k.dot4(&out, a, stride, x)
				for j := 0; j < 4; j++ {
					var want, scale float64
					for l := 0; l < n; l++ {
						want += a[j*stride+l] * x[l]
						scale += math.Abs(a[j*stride+l] * x[l])
					}
					if !close12(out[j], want, scale) {
						t.Errorf("%s dot4 n=%d stride=%d row %d: %v, want %v", k.name, n, stride, j, out[j], want)
					}
				}
				g := randSlice(n, rnd)
				g0 := append([]float64(nil), g...)
				r := [4]float64{rnd.NormFloat64(), rnd.NormFloat64(), rnd.NormFloat64(), rnd.NormFloat64()}
				// A guard after g must not be written.
				buf := append(append([]float64(nil), g...), 42)
				g = buf[:n]
				k.axpy4(g, a, stride, &r)
				if buf[n] != 42 {
					t.Errorf("%s axpy4 n=%d wrote past the end", k.name, n)
				}
				for l := 0; l < n; l++ {
					want, scale := g0[l], math.Abs(g0[l])
					for j := 0; j < 4; j++ {
						want += r[j] * a[j*stride+l]
						scale += math.Abs(r[j] * a[j*stride+l])
					}
					if !close12(g[l], want, scale) {
						t.Errorf("%s axpy4 n=%d stride=%d entry %d: %v, want %v", k.name, n, stride, l, g[l], want)
					}
				}
			}
		}
	}
}

// denseOp is what the pass tests need of Gaussian and SymGaussian.
type denseOp interface {
	Operator
	sizer
	Measurement(i int) *mat.Dense
	pass(k kernels, mode passMode, dst *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector)
}

// mustDense is mustOp for the dense Gaussian operators.
func mustDense(op Operator, err error) denseOp { return mustOp(op, err).(denseOp) }

// withChunkElems runs f with passChunkElems set to n, so that small
// operators are cut into many chunks. Operators must be built inside f.
func withChunkElems(n int, f func()) {
	old := passChunkElems
	passChunkElems = n
	defer func() { passChunkElems = old }()
	f()
}

// withWorkers runs f with passWorkers set to n.
func withWorkers(n int, f func()) {
	old := passWorkers.Load()
	passWorkers.Store(int64(n))
	defer passWorkers.Store(old)
	f()
}

// passOps returns operators of odd sizes, with many chunks.
func passOps(seed uint64) map[string]denseOp {
	src := NewSource(seed)
	ops := map[string]denseOp{}
	withChunkElems(64, func() {
		ops["Gaussian 7×5 m=37"] = mustDense(NewGaussian(37, 7, 5, src))
		ops["Gaussian 9×13 m=103"] = mustDense(NewGaussian(103, 9, 13, src))
		ops["Gaussian 1×1 m=3"] = mustDense(NewGaussian(3, 1, 1, src))
		ops["SymGaussian 6 m=41"] = mustDense(NewSymGaussian(41, 6, src))
		ops["SymGaussian 13 m=101"] = mustDense(NewSymGaussian(101, 13, src))
		ops["SymGaussian 1 m=2"] = mustDense(NewSymGaussian(2, 1, src))
	})
	// Chunks of 44 and 52 rows, for the blocks of eight rows of the
	// AVX-512 single pass (chunkPiped8) and the four-row blocks and single
	// rows after them.
	withChunkElems(4096, func() {
		ops["Gaussian 9×13 m=203"] = mustDense(NewGaussian(203, 9, 13, src))
		ops["SymGaussian 14 m=150"] = mustDense(NewSymGaussian(150, 14, src))
	})
	return ops
}

// refPass computes r = 𝒜(x) − y and 𝒜*(r) from the measurements, with
// plain loops, and the scales Σ|terms| of each entry.
func refPass(op denseOp, x *mat.Dense, y *mat.VecDense) (r, rScale []float64, g, gScale *mat.Dense) {
	m, n1, n2 := op.Dims()
	s := 1 / math.Sqrt(float64(m))
	as := make([]*mat.Dense, m)
	r, rScale = make([]float64, m), make([]float64, m)
	for i := range as {
		as[i] = op.Measurement(i)
		for j := 0; j < n1; j++ {
			for k := 0; k < n2; k++ {
				v := s * as[i].At(j, k) * x.At(j, k)
				r[i] += v
				rScale[i] += math.Abs(v)
			}
		}
		r[i] -= y.AtVec(i)
		rScale[i] += math.Abs(y.AtVec(i))
	}
	g, gScale = mat.NewDense(n1, n2, nil), mat.NewDense(n1, n2, nil)
	for i := range as {
		for j := 0; j < n1; j++ {
			for k := 0; k < n2; k++ {
				v := s * as[i].At(j, k) * r[i]
				g.Set(j, k, g.At(j, k)+v)
				gScale.Set(j, k, gScale.At(j, k)+math.Abs(v))
			}
		}
	}
	return r, rScale, g, gScale
}

func randVec(n int, rnd *rand.Rand) *mat.VecDense { return mat.NewVecDense(n, randSlice(n, rnd)) }

// TestPassMatchesReference checks every pass (fused, apply, adjoint) with
// every kernel set against plain loops over the measurements, on odd sizes
// with many chunks, and that ApplyTo, AdjointTo and ResidualAdjointTo use
// the fast kernels.
func TestPassMatchesReference(t *testing.T) {
	rnd := rand.New(NewSource(9))
	for name, op := range passOps(1) {
		m, n1, n2 := op.Dims()
		x := randDense(n1, n2, rnd)
		y := randVec(m, rnd)
		r, rs, g, gs := refPass(op, x, y)
		check := func(what string, gotR []float64, gotG *mat.Dense) {
			t.Helper()
			for i := range gotR {
				if !close12(gotR[i], r[i], rs[i]) {
					t.Errorf("%s %s: r[%d] = %v, want %v", name, what, i, gotR[i], r[i])
				}
			}
			if gotG == nil {
				return
			}
			for j := 0; j < n1; j++ {
				for k := 0; k < n2; k++ {
					if !close12(gotG.At(j, k), g.At(j, k), gs.At(j, k)) {
						t.Errorf("%s %s: g[%d,%d] = %v, want %v", name, what, j, k, gotG.At(j, k), g.At(j, k))
					}
				}
			}
		}
		for _, k := range allKernels() {
			gotG, gotR := mat.NewDense(n1, n2, nil), mat.NewVecDense(m, nil)
			op.pass(k, modeFused, gotG, gotR, x, y)
			check(k.name+" fused", gotR.RawVector().Data, gotG)
			ax := mat.NewVecDense(m, nil)
			op.pass(k, modeApply, nil, ax, x, nil)
			ax.SubVec(ax, y)
			check(k.name+" apply", ax.RawVector().Data, nil)
			aty := mat.NewDense(n1, n2, nil)
			op.pass(k, modeAdjoint, aty, nil, nil, mat.NewVecDense(m, r))
			check(k.name+" adjoint", r, aty)
			// The fused pass (software-pipelined with the assembly kernels)
			// gives the bits of an apply pass and an adjoint pass.
			if !sameBits(gotR.RawVector().Data, ax.RawVector().Data) {
				t.Errorf("%s %s: fused r differs bitwise from apply − y", name, k.name)
			}
			op.pass(k, modeAdjoint, aty, nil, nil, gotR)
			if !denseBits(gotG, aty) {
				t.Errorf("%s %s: fused g differs bitwise from the adjoint of its r", name, k.name)
			}
		}
		// The exported methods run the fast kernels.
		var g2 mat.Dense
		var r2 mat.VecDense
		g1, r1 := mat.NewDense(n1, n2, nil), mat.NewVecDense(m, nil)
		op.pass(fastKernels, modeFused, g1, r1, x, y)
		residualAdjointTo(op, &g2, &r2, x, y)
		if !mat.Equal(g1, &g2) || !mat.Equal(r1, &r2) {
			t.Errorf("%s: ResidualAdjointTo does not use the fast kernels", name)
		}
	}
}

// TestPassViewsAndAliasing checks non-contiguous arguments, an x that is
// not a *mat.Dense, a residual written over y, and dst sharing x's storage.
func TestPassViewsAndAliasing(t *testing.T) {
	rnd := rand.New(NewSource(10))
	for name, op := range passOps(2) {
		m, n1, n2 := op.Dims()
		x := randDense(n1, n2, rnd)
		y := randVec(m, rnd)
		var wantG mat.Dense
		var wantR mat.VecDense
		residualAdjointTo(op, &wantG, &wantR, x, y)

		// Views with strides, and x as a transpose of a transpose.
		big := randDense(n1+2, n2+3, rnd)
		xv := big.Slice(1, 1+n1, 2, 2+n2).(*mat.Dense)
		xv.Copy(x)
		gBig := mat.NewDense(n1+1, n2+2, nil)
		gv := gBig.Slice(1, 1+n1, 1, 1+n2).(*mat.Dense)
		// Column views of an m×2 matrix are vectors with increment 2.
		rs := mat.NewDense(m, 2, nil).ColView(1).(*mat.VecDense)
		ys := mat.NewDense(m, 2, nil).ColView(0).(*mat.VecDense)
		ys.CopyVec(y)
		residualAdjointTo(op, gv, rs, xv.T().T(), ys)
		if !mat.Equal(gv, &wantG) || !mat.Equal(rs, &wantR) {
			t.Errorf("%s: strided views give other results", name)
		}
		// r over y.
		yc := mat.VecDenseCopyOf(y)
		var g mat.Dense
		residualAdjointTo(op, &g, yc, x, yc)
		if !mat.Equal(&g, &wantG) || !mat.Equal(yc, &wantR) {
			t.Errorf("%s: r aliasing y gives other results", name)
		}
		// dst over x (square operators).
		if n1 == n2 {
			xc := mat.DenseCopyOf(x)
			var r mat.VecDense
			residualAdjointTo(op, xc, &r, xc, y)
			if !mat.Equal(xc, &wantG) || !mat.Equal(&r, &wantR) {
				t.Errorf("%s: dst aliasing x gives other results", name)
			}
		}
	}
}

// TestPassWorkersBitIdentical checks that the results do not depend on
// the number of goroutines a pass uses.
func TestPassWorkersBitIdentical(t *testing.T) {
	rnd := rand.New(NewSource(11))
	for name, op := range passOps(3) {
		m, n1, n2 := op.Dims()
		x := randDense(n1, n2, rnd)
		y := randVec(m, rnd)
		var g0 mat.Dense
		var r0 mat.VecDense
		withWorkers(1, func() { residualAdjointTo(op, &g0, &r0, x, y) })
		for _, w := range []int{2, 3, 7} {
			withWorkers(w, func() {
				for rep := 0; rep < 5; rep++ {
					var g mat.Dense
					var r mat.VecDense
					residualAdjointTo(op, &g, &r, x, y)
					if !mat.Equal(&g, &g0) || !mat.Equal(&r, &r0) {
						t.Errorf("%s: %d workers differ from 1", name, w)
					}
					var a mat.Dense
					op.AdjointTo(&a, y)
					var a0 mat.Dense
					withWorkers(1, func() { op.AdjointTo(&a0, y) })
					if !mat.Equal(&a, &a0) {
						t.Errorf("%s: adjoint with %d workers differs from 1", name, w)
					}
				}
			})
		}
	}
}

// TestOperatorDrawOrder checks the documented order in which the operators
// draw from their source.
func TestOperatorDrawOrder(t *testing.T) {
	const m, n1, n2 = 5, 3, 4
	g := mustDense(NewGaussian(m, n1, n2, NewSource(4)))
	rnd := rand.New(NewSource(4))
	for i := 0; i < m; i++ {
		a := g.Measurement(i)
		for j := 0; j < n1; j++ {
			for k := 0; k < n2; k++ {
				if v := rnd.NormFloat64(); math.Abs(a.At(j, k)-v) > 1e-14*math.Abs(v) {
					t.Fatalf("Gaussian A_%d[%d,%d] = %v, want %v", i, j, k, a.At(j, k), v)
				}
			}
		}
	}
	const n = 4
	s := mustDense(NewSymGaussian(m, n, NewSource(4)))
	rnd = rand.New(NewSource(4))
	for i := 0; i < m; i++ {
		gi := randDense(n, n, rnd)
		a := s.Measurement(i)
		for j := 0; j < n; j++ {
			for k := 0; k < n; k++ {
				want := (gi.At(j, k) + gi.At(k, j)) / 2
				if math.Abs(a.At(j, k)-want) > 1e-14*(1+math.Abs(want)) {
					t.Fatalf("SymGaussian A_%d[%d,%d] = %v, want %v", i, j, k, a.At(j, k), want)
				}
			}
		}
	}
}

// TestOperatorBytes checks the reported sizes: m·n1·n2 float64 for
// Gaussian, the packed triangle for SymGaussian, at most 0.55 of the dense
// size from n = 10 on.
func TestOperatorBytes(t *testing.T) {
	g := mustDense(NewGaussian(7, 5, 3, NewSource(1)))
	if got := g.Bytes(); got != 8*7*5*3 {
		t.Errorf("Gaussian Bytes = %d, want %d", got, 8*7*5*3)
	}
	for _, n := range []int{10, 50, 100} {
		s := mustDense(NewSymGaussian(3, n, NewSource(1)))
		dense := 8 * 3 * n * n
		if got := s.Bytes(); got != 8*3*n*(n+1)/2 || float64(got) > 0.55*float64(dense) {
			t.Errorf("SymGaussian n=%d Bytes = %d (%.3f of dense)", n, got, float64(got)/float64(dense))
		}
	}
}

// TestPassAllocs checks that the passes allocate nothing once warm, with
// several chunks and workers.
func TestPassAllocs(t *testing.T) {
	rnd := rand.New(NewSource(12))
	withWorkers(2, func() {
		for name, op := range passOps(4) {
			m, n1, n2 := op.Dims()
			x := randDense(n1, n2, rnd)
			y := randVec(m, rnd)
			var g mat.Dense
			var r mat.VecDense
			residualAdjointTo(op, &g, &r, x, y)
			if a := testing.AllocsPerRun(20, func() { residualAdjointTo(op, &g, &r, x, y) }); a != 0 {
				t.Errorf("%s: ResidualAdjointTo makes %v allocations", name, a)
			}
			if a := testing.AllocsPerRun(20, func() { op.ApplyTo(&r, x) }); a != 0 {
				t.Errorf("%s: ApplyTo makes %v allocations", name, a)
			}
			if a := testing.AllocsPerRun(20, func() { op.AdjointTo(&g, y) }); a != 0 {
				t.Errorf("%s: AdjointTo makes %v allocations", name, a)
			}
		}
	})
}

// TestFastKernelsSelected checks that the operators run the assembly
// kernels when the CPU has them, unless LRSENSE_NOASM asks for the pure-Go
// ones.
func TestFastKernelsSelected(t *testing.T) {
	want := hasAsmKernels && os.Getenv("LRSENSE_NOASM") == ""
	if fastKernels.asm != want {
		t.Errorf("fast kernels %q (asm %v), want asm %v", fastKernels.name, fastKernels.asm, want)
	}
	t.Logf("operators use the %s kernels", fastKernels.name)
}

func signOf(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// plainOp hides the fused methods of an operator.
type plainOp struct{ Operator }

// TestResidualMapAdjoint checks the mapped pass (s = Sign(r), g = 𝒜*(s))
// against plain loops for every kernel set, against the two-pass fallback,
// with s aliasing r, across worker counts, and without allocations.
func TestResidualMapAdjoint(t *testing.T) {
	rnd := rand.New(NewSource(14))
	for name, op := range passOps(5) {
		m, n1, n2 := op.Dims()
		x := randDense(n1, n2, rnd)
		y := randVec(m, rnd)
		r, rs, _, _ := refPass(op, x, y)
		sc := 1 / math.Sqrt(float64(m))
		g, gs := mat.NewDense(n1, n2, nil), mat.NewDense(n1, n2, nil)
		for i := 0; i < m; i++ {
			a := op.Measurement(i)
			for j := 0; j < n1; j++ {
				for k := 0; k < n2; k++ {
					v := sc * a.At(j, k) * signOf(r[i])
					g.Set(j, k, g.At(j, k)+v)
					gs.Set(j, k, gs.At(j, k)+math.Abs(v))
				}
			}
		}
		type mapper interface {
			passMap(k kernels, mode passMode, dst *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64)
		}
		for _, k := range allKernels() {
			gotG, gotR, gotS := mat.NewDense(n1, n2, nil), mat.NewVecDense(m, nil), mat.NewVecDense(m, nil)
			op.(mapper).passMap(k, modeMapped, gotG, gotR, gotS, x, y, signOf)
			for i := 0; i < m; i++ {
				if !close12(gotR.AtVec(i), r[i], rs[i]) || gotS.AtVec(i) != signOf(gotR.AtVec(i)) {
					t.Errorf("%s %s: r[%d], s[%d] = %v, %v, want %v, %v", name, k.name, i, i, gotR.AtVec(i), gotS.AtVec(i), r[i], signOf(r[i]))
				}
			}
			for j := 0; j < n1; j++ {
				for l := 0; l < n2; l++ {
					if !close12(gotG.At(j, l), g.At(j, l), gs.At(j, l)) {
						t.Errorf("%s %s: g[%d,%d] = %v, want %v", name, k.name, j, l, gotG.At(j, l), g.At(j, l))
					}
				}
			}
		}
		var g1, g2, g3 mat.Dense
		var r1, s1, r2, s2, r3 mat.VecDense
		residualMapAdjointTo(op, &g1, &r1, &s1, x, y, signOf)
		residualMapAdjointTo(plainOp{op}, &g2, &r2, &s2, x, y, signOf)
		if !mat.EqualApprox(&g1, &g2, 1e-12) || !mat.EqualApprox(&r1, &r2, 1e-12) || !mat.Equal(&s1, &s2) {
			t.Errorf("%s: fused and two-pass ResidualMapAdjointTo differ", name)
		}
		residualMapAdjointTo(op, &g3, &r3, &r3, x, y, signOf)
		if !mat.Equal(&g3, &g1) || !mat.Equal(&r3, &s1) {
			t.Errorf("%s: s aliasing r gives other results", name)
		}
		for _, w := range []int{1, 3} {
			withWorkers(w, func() {
				var gw mat.Dense
				var rw, sw mat.VecDense
				residualMapAdjointTo(op, &gw, &rw, &sw, x, y, signOf)
				if !mat.Equal(&gw, &g1) || !mat.Equal(&rw, &r1) {
					t.Errorf("%s: %d workers differ", name, w)
				}
				if a := testing.AllocsPerRun(10, func() { residualMapAdjointTo(op, &gw, &rw, &sw, x, y, signOf) }); a != 0 {
					t.Errorf("%s: ResidualMapAdjointTo makes %v allocations", name, a)
				}
			})
		}
	}
}
