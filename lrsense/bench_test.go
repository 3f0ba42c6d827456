package lrsense

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The benchmark sizes of issue 10: one iteration on symmetric Gaussian
// sensing at n = 50, m = 1000 (r′ = 5) and n = 100, m = 2500 (r′ = 10), and
// on asymmetric Gaussian sensing at n1 = n2 = 100, m = 2500 (r′ = 10). The
// truth has rank 3 and condition number 2.
type benchCase struct {
	name    string
	sym     bool
	n, r, m int
}

var benchCases = []benchCase{
	{"sym/n=50/m=1000", true, 50, 5, 1000},
	{"sym/n=100/m=2500", true, 100, 10, 2500},
	{"asym/n=100/m=2500", false, 100, 10, 2500},
}

var benchProblems sync.Map // benchCase → *Problem

// benchProblem builds (once) the problem of case c and returns it with a
// fresh small initial iterate.
func benchProblem(b *testing.B, c benchCase) (*Problem, Factors) {
	src := NewSource(uint64(c.n*1000 + c.m))
	var p *Problem
	if v, ok := benchProblems.Load(c); ok {
		p = v.(*Problem)
	} else {
		sigma := Geometric.Spectrum(3, 2)
		var err error
		var truth *Truth
		var op Operator
		if c.sym {
			truth, err = NewPSDTruth(c.n, sigma, src)
			if err == nil {
				op, err = NewSymGaussian(c.m, c.n, src)
			}
		} else {
			truth, err = NewLowRankTruth(c.n, c.n, sigma, src)
			if err == nil {
				op, err = NewGaussian(c.m, c.n, c.n, src)
			}
		}
		if err == nil {
			p, err = NewProblem(op, truth, nil, src)
		}
		if err != nil {
			b.Fatal(err)
		}
		benchProblems.Store(c, p)
	}
	var x Factors
	var err error
	if c.sym {
		x = Factors{L: RandomFactor(c.n, c.r, 0.1, StdAlphaOverSqrtCols, src)}
	} else {
		x = Factors{L: RandomFactor(c.n, c.r, 0.1, StdAlphaOverSqrtCols, src), R: RandomFactor(c.n, c.r, 0.1, StdAlphaOverSqrtCols, src)}
	}
	if err != nil {
		b.Fatal(err)
	}
	return p, x
}

// passWith runs the fused pass of op with kernels k.
func passWith(op Operator, k kernels, g *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector) {
	switch o := op.(type) {
	case *gaussianOp:
		o.pass(k, modeFused, g, r, x, y)
	case *symGaussianOp:
		o.pass(k, modeFused, g, r, x, y)
	default:
		panic("lrsense: no pass for " + fmt.Sprintf("%T", op))
	}
}

// BenchmarkOperatorPass times r = 𝒜(X) − y and G = 𝒜*(r): fused with the
// fast and the pure-Go kernels, mapped (G = 𝒜*(Sign(r)), SubGM's pass), and
// as two separate passes.
func BenchmarkOperatorPass(b *testing.B) {
	for _, c := range benchCases {
		p, x0 := benchProblem(b, c)
		var x mat.Dense
		x0.ProductTo(&x)
		var g mat.Dense
		var r mat.VecDense
		b.Run(c.name+"/fused/"+fastKernels.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(p.Op.(sizer).Bytes()))
			for b.Loop() {
				residualAdjointTo(p.Op, &g, &r, &x, p.Y)
			}
		})
		if fastKernels.name != goKernels.name {
			b.Run(c.name+"/fused/go", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(p.Op.(sizer).Bytes()))
				for b.Loop() {
					passWith(p.Op, goKernels, &g, &r, &x, p.Y)
				}
			})
		}
		var sg mat.VecDense
		b.Run(c.name+"/mapped/"+fastKernels.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(p.Op.(sizer).Bytes()))
			for b.Loop() {
				residualMapAdjointTo(p.Op, &g, &r, &sg, &x, p.Y, signOf)
			}
		})
		b.Run(c.name+"/apply+adjoint/"+fastKernels.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(p.Op.(sizer).Bytes()))
			for b.Loop() {
				p.Op.ApplyTo(&r, &x)
				r.SubVec(&r, p.Y)
				p.Op.AdjointTo(&g, &r)
			}
		})
	}
}

// BenchmarkIteration times one iteration of each solver family (Iterate,
// which evaluates the new iterate: one operator pass plus the O(n²r′)
// factor algebra).
func BenchmarkIteration(b *testing.B) {
	for _, c := range benchCases {
		methods := []struct {
			name string
			make func() Method
		}{
			{"GD", func() Method { return &GD{Eta: 0.1} }},
			{"ScaledGD", func() Method { return &ScaledGD{Eta: 0.1, Lambda: 0.01} }},
			{"PrecGD", func() Method { return &PrecGD{Eta: 0.1} }},
			{"PrecGD decaying", func() Method { return &PrecGD{Eta: 0.1, Decay: 0.99} }},
		}
		if c.sym {
			methods = append(methods, struct {
				name string
				make func() Method
			}{"SubGM", func() Method { return &SubGM{Eta: 0.01, Rho: 0.999} }})
		} else {
			methods = append(methods, struct {
				name string
				make func() Method
			}{"APGD", func() Method { return &APGD{Eta: 0.5} }})
			methods = append(methods, struct {
				name string
				make func() Method
			}{"OneStep", func() Method { return &OneStep{Eta: 0.1, LossThreshold: 1e-12} }})
		}
		for _, meth := range methods {
			b.Run(c.name+"/"+meth.name, func(b *testing.B) {
				p, x := benchProblem(b, c)
				m := meth.make()
				if _, err := m.Init(p, x); err != nil {
					b.Fatal(err)
				}
				// The first iteration sizes the workspaces some methods
				// make lazily (APGD); b.Loop counts from its first call.
				if _, err := m.Iterate(x); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := m.Iterate(x); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkBatchPass times one batched fused pass for k iterates (k = 1 is
// the batched code path with one iterate); ns/op is the whole pass, so the
// per-iterate cost is ns/op / k. Where the CPU has AVX-512 it also times
// the AVX2-only batched kernels.
func BenchmarkBatchPass(b *testing.B) {
	for _, c := range benchCases {
		p, _ := benchProblem(b, c)
		op := p.Op.(batchOp)
		for _, k := range []int{1, 2, 3, 4, 6, 8, 16} {
			reqs := make([]*passRequest, k)
			for i := range reqs {
				_, x0 := benchProblem(b, c)
				var x mat.Dense
				x0.ProductTo(&x)
				reqs[i] = &passRequest{g: &mat.Dense{}, r: &mat.VecDense{}, x: &x, y: p.Y}
			}
			ks := []kernels{fastKernels}
			if fastKernels.wide {
				ks = append(ks, kernels{name: "avx2", asm: true})
			}
			for _, kern := range ks {
				var w batchWork
				batchPass(op, kern, reqs, &w) // sizes the workspaces
				b.Run(fmt.Sprintf("%s/k=%d/%s", c.name, k, kern.name), func(b *testing.B) {
					b.ReportAllocs()
					b.SetBytes(int64(op.Bytes()))
					for b.Loop() {
						batchPass(op, kern, reqs, &w)
					}
				})
			}
		}
	}
}

// BenchmarkFactorProducts times the products of an iteration at n = 100,
// r′ = 10 and r′ = n (X = L·Lᵀ, G·L and Gᵀ·L) with mulTo's kernels and
// through gonum's Dgemm, which gives the same bits.
func BenchmarkFactorProducts(b *testing.B) {
	src := NewSource(3)
	g := mat.NewDense(100, 100, randSlice(100*100, rand.New(src)))
	for _, rp := range []int{10, 100} {
		l := RandomFactor(100, rp, 1, StdAlphaOverSqrtRows, src)
		for _, c := range []struct {
			name   string
			a      *mat.Dense
			ta, tb bool
		}{
			{"L·Lᵀ", l, false, true},
			{"G·L", g, false, false},
			{"Gᵀ·L", g, true, false},
		} {
			var dst mat.Dense
			mulTo(&dst, c.a, c.ta, l, c.tb)
			name := fmt.Sprintf("r'=%d/%s", rp, c.name)
			b.Run(name+"/mulTo", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					mulTo(&dst, c.a, c.ta, l, c.tb)
				}
			})
			b.Run(name+"/Dgemm", func(b *testing.B) {
				for b.Loop() {
					gemmTiled(dst.RawMatrix(), c.a.RawMatrix(), c.ta, l.RawMatrix(), c.tb)
				}
			})
		}
	}
}

// BenchmarkLowRankIteration times one iteration of the low-rank
// approximation methods (Identity operator) at d = 100, r = 5.
func BenchmarkLowRankIteration(b *testing.B) {
	lambda := make([]float64, 100)
	for i := range lambda {
		lambda[i] = 1 / float64(i+1)
	}
	p, err := newApproxSymProblem(lambda, 5, NewSource(1))
	if err != nil {
		b.Fatal(err)
	}
	x0 := Factors{L: RandomFactor(100, 5, 1, StdAlphaOverSqrtRows, NewSource(2))}
	for _, c := range []struct {
		name string
		m    Method
		x    Factors
	}{
		{"ApproxGD", &ApproxGD{Eta: 1e-3}, x0.Clone()},
		{"RiemannianGD", &ApproxGD{Eta: 1e-3, Riemannian: true}, Factors{L: orthonormalize(x0.L)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			if _, err := c.m.Init(p, c.x); err != nil {
				b.Fatal(err)
			}
			if _, err := c.m.Iterate(c.x); err != nil { // sizes the workspaces
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.m.Iterate(c.x); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// paperSize is a problem size from the paper notes (/work/shared/papers):
// symmetric Gaussian sensing of a rank-r⋆ PSD matrix with r′ columns.
type paperSize struct {
	name         string
	n, rs, rp, m int
	method       func(i int) Method
	k            int // runs of the paper's sweep on one problem
}

var paperSizes = []paperSize{
	// Stöger & Soltanolkotabi (2021): n = 100, r = 3, m = 5nr, GD, five α.
	{"stoger/n=100/r=3/r'=3/m=1500", 100, 3, 3, 1500, func(int) Method { return &GD{Eta: 0.25} }, 5},
	{"stoger/n=100/r=3/r'=100/m=1500", 100, 3, 100, 1500, func(int) Method { return &GD{Eta: 0.25} }, 5},
	// Xiong et al. (2024): 50×50, rank 3, k ∈ {3, …, 6}, m = 2000, GD.
	{"xiong/n=50/r=3/r'=4/m=2000", 50, 3, 4, 2000, func(int) Method { return &GD{Eta: 0.25} }, 4},
	// Tong et al. / Xu et al. (ScaledGD): n = 100, r = 10, m = 5nr, a
	// sweep of the damping λ.
	{"scaledgd/n=100/r=10/r'=10/m=5000", 100, 10, 10, 5000, func(i int) Method {
		return &ScaledGD{Eta: 0.3, Lambda: 1e-2 * float64(i+1)}
	}, 4},
}

// BenchmarkPaperSizes times one iteration per run at the papers' sizes:
// a run alone (Solve), and each of the k runs of the paper's sweep in
// lock step (SolveAll, batched passes); ns/op is per run and iteration in
// both.
func BenchmarkPaperSizes(b *testing.B) {
	for _, ps := range paperSizes {
		src := NewSource(uint64(ps.n + ps.m))
		sigma := Geometric.Spectrum(ps.rs, 2)
		truth, err := NewPSDTruth(ps.n, sigma, src)
		if err != nil {
			b.Fatal(err)
		}
		op, err := NewSymGaussian(ps.m, ps.n, src)
		if err != nil {
			b.Fatal(err)
		}
		p, err := NewProblem(op, truth, nil, src)
		if err != nil {
			b.Fatal(err)
		}
		runs := func(k, iters int) []Run {
			out := make([]Run, k)
			for i := range out {
				x := Factors{L: RandomFactor(ps.n, ps.rp, 1e-3, StdAlphaOverSqrtCols, NewSource(uint64(i)))}
				out[i] = Run{Problem: p, Method: ps.method(i), X0: x, Settings: &Settings{MaxIterations: iters}}
			}
			return out
		}
		for _, k := range []int{1, ps.k} {
			name := ps.name + "/alone"
			if k > 1 {
				name = fmt.Sprintf("%s/lockstep-%d", ps.name, k)
			}
			b.Run(name, func(b *testing.B) {
				rs := runs(k, b.N)
				b.ResetTimer()
				var err error
				if k == 1 {
					_, err = Solve(rs[0].Problem, rs[0].Method, rs[0].X0, rs[0].Settings, nil)
				} else {
					_, err = SolveAll(rs)
				}
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*k), "ns/run-iter")
				b.ReportMetric(float64(op.(sizer).Bytes())/1e6, "op-MB")
			})
		}
	}
}

// BenchmarkBatchGroup splits the cost of the batched pass at n = 100 into
// the work on rows already in cache and the reading of rows from memory:
// one goroutine runs the assembly pass's group loop (quadsTiled) over
// every row of the operator in turn ("stream", what a pass does) and over
// the same rows again and again ("cached": the rows, and each iterate's
// x and g, stay in the caches, so only the kernels' work is left). Both
// report GFMA/s on one core; stream/cached is what reading the rows from
// memory costs on top of the arithmetic.
func BenchmarkBatchGroup(b *testing.B) {
	if !fastKernels.asm {
		b.Skip("no assembly kernels")
	}
	for _, c := range benchCases[1:] {
		p, _ := benchProblem(b, c)
		op := p.Op.(batchOp)
		rm := op.rowMat()
		for _, k := range []int{4, 8} {
			var w batchWork
			w.carve(rm, k, true)
			y := mat.Col(nil, 0, p.Y)
			for t := range k {
				_, x0 := benchProblem(b, c)
				var x mat.Dense
				x0.ProductTo(&x)
				it := &w.items[t]
				op.packX(it.x, &x)
				it.y, it.r = y, make([]float64, rm.m)
			}
			j := &passJob{rm: rm, k: fastKernels, mode: modeFused, batch: w.items[:k]}
			var dsts [passBatchMax][]float64
			for t := range k {
				dsts[t] = w.items[t].g[:rm.c]
			}
			quads := batchQuads()
			rows := 4 * quads
			var acc batchAccs
			for _, mode := range []string{"stream", "cached"} {
				b.Run(fmt.Sprintf("%s/k=%d/%s", c.name, k, mode), func(b *testing.B) {
					i := 0
					for b.Loop() {
						var pf prefetcher
						j.quadsTiled(&acc, &pf, i, quads, &dsts)
						if mode == "stream" {
							if i += rows; i+rows > rm.m {
								i = 0
							}
						}
					}
					fmas := 2 * float64(k*rows*rm.c) * float64(b.N)
					b.ReportMetric(fmas/b.Elapsed().Seconds()/1e9, "GFMA/s")
				})
			}
		}
	}
}
