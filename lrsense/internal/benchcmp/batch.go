package main

import (
	"fmt"
	"log"
	"math"
	"sync"
	"time"

	"github.com/lrsense/lrsense/lrsense"
)

// batchKs are the batch sizes timed.
var batchKs = []int{2, 4, 8, 16}

// batchRun times, for one case, the single fused pass, the read sweep of
// the operator's bytes, batched passes through SolveAll and batched GD.
type batchRun struct {
	p     *lrsense.Problem // no truth: Solve then computes no error
	gdP   *lrsense.Problem
	x0    []lrsense.Factors // 16 starting points
	sweep []float64         // as many bytes as the operator
	// Medians per round, in seconds.
	pass, read, gd []float64
	batch          map[int][]float64 // k → per-iterate pass time, median over the lock-step passes
	batchCall      map[int][]float64 // k → per-iterate time of the whole SolveAll call
	batchGD        []float64         // per-run GD iteration time in SolveAll, k = 8
	nround         int
}

func newBatchRun(c benchCase) (*batchRun, error) {
	src := lrsense.NewSource(uint64(1000*c.n + c.m + 7))
	sigma := lrsense.Geometric.Spectrum(3, 2)
	var err error
	var op lrsense.Operator
	var truth *lrsense.Truth
	if c.sym {
		if truth, err = lrsense.NewPSDTruth(c.n, sigma, src); err == nil {
			op, err = lrsense.NewSymGaussian(c.m, c.n, src)
		}
	} else {
		if truth, err = lrsense.NewLowRankTruth(c.n, c.n, sigma, src); err == nil {
			op, err = lrsense.NewGaussian(c.m, c.n, c.n, src)
		}
	}
	if err != nil {
		return nil, err
	}
	gdP, err := lrsense.NewProblem(op, truth, nil, src)
	if err != nil {
		return nil, err
	}
	p := &lrsense.Problem{Op: op, Y: gdP.Y}
	b := &batchRun{p: p, gdP: gdP, batch: map[int][]float64{}, batchCall: map[int][]float64{}}
	for i := 0; i < 16; i++ {
		var x lrsense.Factors
		if c.sym {
			x = lrsense.Factors{L: lrsense.RandomFactor(c.n, c.r, 0.1, lrsense.StdAlphaOverSqrtCols, src)}
		} else {
			x = lrsense.Factors{L: lrsense.RandomFactor(c.n, c.r, 0.1, lrsense.StdAlphaOverSqrtCols, src), R: lrsense.RandomFactor(c.n, c.r, 0.1, lrsense.StdAlphaOverSqrtCols, src)}
		}
		if err != nil {
			return nil, err
		}
		b.x0 = append(b.x0, x)
	}
	b.sweep = make([]float64, op.(interface{ Bytes() int }).Bytes()/8)
	for i := range b.sweep {
		b.sweep[i] = 1
	}
	return b, nil
}

// passOnly is a Method whose iteration is one evaluation of the loss at a
// fixed iterate: X = L·Rᵀ (a small product) and one fused pass. If stamps
// is not nil, each evaluation first appends the time to it: in SolveAll,
// the stamps of one run are one lock-step pass apart.
type passOnly struct {
	ls     *lrsense.LeastSquares
	x      lrsense.Factors
	stamps *[]time.Time
}

func (m *passOnly) Init(p *lrsense.Problem, _ lrsense.Factors) (lrsense.Measures, error) {
	m.ls = lrsense.NewLeastSquares(p)
	return m.Iterate(lrsense.Factors{})
}

func (m *passOnly) Iterate(lrsense.Factors) (lrsense.Measures, error) {
	if m.stamps != nil {
		*m.stamps = append(*m.stamps, time.Now())
	}
	m.ls.Eval(nil, m.x)
	return lrsense.Measures{Loss: 1, GradNorm: 1}, nil
}

// round times iters of each measurement and appends their medians.
func (b *batchRun) round(iters int) {
	ls := lrsense.NewLeastSquares(b.p)
	t := make([]float64, iters)
	for i := range t {
		t0 := time.Now()
		ls.Eval(nil, b.x0[0])
		t[i] = time.Since(t0).Seconds()
	}
	b.pass = append(b.pass, median(t))
	for i := range t {
		t0 := time.Now()
		sweep2(b.sweep)
		t[i] = time.Since(t0).Seconds()
	}
	b.read = append(b.read, median(t))
	// The sizes take turns at going first: the first timing after the
	// numpy side can meet OpenBLAS threads still spinning.
	b.nround++
	// A batched pass is timed as the single one is, by the median over
	// passes: the time between two lock-step passes (one batched pass and
	// the runs' own steps between passes). The time of the whole SolveAll
	// call per pass (setup and every pass in) is kept beside it.
	stamps := make([]time.Time, 0, iters+1)
	for j := range batchKs {
		k := batchKs[(j+b.nround)%len(batchKs)]
		runs := make([]lrsense.Run, k)
		stamps = stamps[:0]
		for i := range runs {
			m := &passOnly{x: b.x0[i]}
			if i == 0 {
				m.stamps = &stamps
			}
			runs[i] = lrsense.Run{Problem: b.p, Method: m, X0: b.x0[i],
				Settings: &lrsense.Settings{MaxIterations: iters}}
		}
		t0 := time.Now()
		if _, err := lrsense.SolveAll(runs); err != nil {
			log.Fatal(err)
		}
		// iters + 1 passes per run (Init makes one).
		b.batchCall[k] = append(b.batchCall[k], time.Since(t0).Seconds()/float64((iters+1)*k))
		for i := range t {
			t[i] = stamps[i+1].Sub(stamps[i]).Seconds() / float64(k)
		}
		b.batch[k] = append(b.batch[k], median(t))
	}
	// GD: one run alone, then 8 in SolveAll, per iteration.
	gd := func(k int) float64 {
		runs := make([]lrsense.Run, k)
		for i := range runs {
			runs[i] = lrsense.Run{Problem: b.gdP, Method: &lrsense.GD{Eta: 0.1}, X0: b.x0[i],
				Settings: &lrsense.Settings{MaxIterations: iters}}
		}
		t0 := time.Now()
		if _, err := lrsense.SolveAll(runs); err != nil {
			log.Fatal(err)
		}
		return time.Since(t0).Seconds() / float64((iters+1)*k)
	}
	b.gd = append(b.gd, gd(1))
	b.batchGD = append(b.batchGD, gd(8))
}

// report prints the LIMIT, RATIO and BATCH lines of the case.
func (b *batchRun) report(name string) {
	pass, read := median(b.pass), median(b.read)
	mb := float64(8*len(b.sweep)) / 1e6
	fmt.Printf("# %s: pass %.3f ms (%.1f GB/s), two-thread read sweep %.3f ms (%.1f GB/s) of %.1f MB\n",
		name, 1e3*pass, mb/1e3/pass, 1e3*read, mb/1e3/read, mb)
	fmt.Printf("LIMIT\t%s\t%.3f\n", name, pass/read)
	for _, k := range batchKs {
		v, call := median(b.batch[k]), median(b.batchCall[k])
		fmt.Printf("BATCH\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\n", name, k, 1e3*v, v/pass, 1e3*call, call/pass)
	}
	fmt.Printf("RATIO\tbatch8/%s\t%.3f\n", name, median(b.batch[8])/pass)
	fmt.Printf("RATIO\tbatch8-gd/%s\t%.3f\n", name, median(b.batchGD)/median(b.gd))
}

// sweep2 sums a on two goroutines, one half each, with AVX2 (sumFast): a
// pure read of the bytes a pass reads, with one vector addition per 32
// bytes. (A scalar loop would be limited by instructions when the bytes
// come from a large L3 cache.)
func sweep2(a []float64) float64 {
	h := len(a) / 2
	var s [2]float64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		s[1] = sumFast(a[h:])
		wg.Done()
	}()
	s[0] = sumFast(a[:h])
	wg.Wait()
	if math.IsNaN(s[0] + s[1]) {
		log.Print("NaN in the sweep")
	}
	return s[0] + s[1]
}

// sum8 sums a with eight independent accumulators, so that the loop is
// limited by loads, not by the latency of additions.
func sum8(a []float64) float64 {
	var s0, s1, s2, s3, s4, s5, s6, s7 float64
	i := 0
	for ; i+8 <= len(a); i += 8 {
		v := a[i : i+8 : i+8]
		s0 += v[0]
		s1 += v[1]
		s2 += v[2]
		s3 += v[3]
		s4 += v[4]
		s5 += v[5]
		s6 += v[6]
		s7 += v[7]
	}
	for ; i < len(a); i++ {
		s0 += a[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}
