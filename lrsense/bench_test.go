package lrsense

import (
	"fmt"
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
		sigma, err := Spectrum(3, 2, Geometric)
		if err != nil {
			b.Fatal(err)
		}
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
		x, err = RandomSym(c.n, c.r, 0.1, StdAlphaOverSqrtCols, src)
	} else {
		x, err = RandomAsym(c.n, c.n, c.r, 0.1, 0.1, StdAlphaOverSqrtCols, src)
	}
	if err != nil {
		b.Fatal(err)
	}
	return p, x
}

// passWith runs the fused pass of op with kernels k.
func passWith(op Operator, k kernels, g *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector) {
	switch o := op.(type) {
	case *Gaussian:
		o.pass(k, modeFused, g, r, x, y)
	case *SymGaussian:
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
		}
		if c.sym {
			methods = append(methods, struct {
				name string
				make func() Method
			}{"SubGM", func() Method { return &SubGM{Rule: GeometricStep, Eta: 0.01, Rho: 0.999} }})
		} else {
			methods = append(methods, struct {
				name string
				make func() Method
			}{"APGD", func() Method { return &APGD{Eta: 0.5} }})
		}
		for _, meth := range methods {
			b.Run(c.name+"/"+meth.name, func(b *testing.B) {
				p, x := benchProblem(b, c)
				m := meth.make()
				if _, err := m.Init(p, x); err != nil {
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
