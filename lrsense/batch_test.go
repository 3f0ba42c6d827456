package lrsense

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// withKernels runs f with the operators' fast kernels set to k.
func withKernels(k kernels, f func()) {
	old := fastKernels
	fastKernels = k
	defer func() { fastKernels = old }()
	f()
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func denseBits(a, b *mat.Dense) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar != br || ac != bc {
		return false
	}
	for i := 0; i < ar; i++ {
		if !sameBits(a.RawRowView(i)[:ac], b.RawRowView(i)[:bc]) {
			return false
		}
	}
	return true
}

// TestBatchPassBitIdentical compares each iterate of batched passes, fused
// and mapped, mixed in one batch and with their own y, with the single pass
// made for it alone, bit for bit, for every kernel set, on operators cut
// into many chunks, with 1 and 3 workers.
func TestBatchPassBitIdentical(t *testing.T) {
	rnd := rand.New(NewSource(11))
	ops := passOps(3)
	src := NewSource(12)
	withChunkElems(64, func() {
		// Row lengths with every remainder mod 8 of interest: 12, 15, 64, 66.
		ops["Gaussian 4×3 m=50"] = mustDense(NewGaussian(50, 4, 3, src))
		ops["Gaussian 5×3 m=29"] = mustDense(NewGaussian(29, 5, 3, src))
		ops["Gaussian 8×8 m=45"] = mustDense(NewGaussian(45, 8, 8, src))
		ops["SymGaussian 11 m=47"] = mustDense(NewSymGaussian(47, 11, src))
	})
	// Rows too long for blocksTiled to prefetch (four iterates then go
	// through quadPiped), in chunks of eight rows.
	ops["Gaussian 100×128 m=24"] = mustDense(NewGaussian(24, 100, 128, src))
	for name, op := range ops {
		bop := op.(batchOp)
		m, n1, n2 := op.Dims()
		for _, k := range allKernels() {
			for _, nb := range []int{1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, passBatchMax} {
				// workers, tile width (of blocksTiled and of the lane
				// path), blocks of four rows at a time
				for _, tw := range [][3]int{{1, 512, 1}, {3, 256, 2}, {1, 8, 1}, {1, 8, 2}, {3, 16, 3}, {2, 24, 4}, {1, 40, 2}} {
					workers := tw[0]
					oldTile, oldQuads, oldLane := passBatchTile, passBatchQuads, passLaneTile
					passBatchTile, passBatchQuads, passLaneTile = tw[1], tw[2], tw[1]
					reqs := make([]*passRequest, nb)
					for i := range reqs {
						q := &passRequest{g: &mat.Dense{}, r: &mat.VecDense{}, x: mat.NewDense(n1, n2, randSlice(n1*n2, rnd)), y: randVec(m, rnd)}
						if i%3 == 1 {
							q.s, q.f = &mat.VecDense{}, signOf
						}
						reqs[i] = q
					}
					var w batchWork
					withWorkers(workers, func() { batchPass(bop, k, reqs, &w) })
					for i, q := range reqs {
						var g mat.Dense
						var r, s mat.VecDense
						var sp *mat.VecDense
						mode := modeFused
						if q.f != nil {
							mode, sp = modeMapped, &s
							r.ReuseAsVec(m)
							s.ReuseAsVec(m)
						} else {
							r.ReuseAsVec(m)
						}
						g.ReuseAs(n1, n2)
						withWorkers(workers, func() {
							switch o := op.(type) {
							case *gaussianOp:
								o.passMap(k, mode, &g, &r, sp, q.x, q.y, q.f)
							case *symGaussianOp:
								o.passMap(k, mode, &g, &r, sp, q.x, q.y, q.f)
							}
						})
						what := fmt.Sprintf("%s %s k=%d item %d workers=%d tile=%d quads=%d", name, k.name, nb, i, workers, passBatchTile, passBatchQuads)
						if !denseBits(q.g, &g) {
							t.Errorf("%s: g differs from the single pass", what)
						}
						if !sameBits(q.r.RawVector().Data, r.RawVector().Data) {
							t.Errorf("%s: r differs from the single pass", what)
						}
						if q.f != nil && !sameBits(q.s.RawVector().Data, s.RawVector().Data) {
							t.Errorf("%s: s differs from the single pass", what)
						}
					}
					passBatchTile, passBatchQuads, passLaneTile = oldTile, oldQuads, oldLane
				}
			}
		}
	}
}

// lockCase is a group of runs on one problem for TestSolveAllBitIdentical.
type lockCase struct {
	name  string
	sym   bool
	runs  func(p *Problem, src rand.Source) []Run
	iters int
}

func lockProblem(t *testing.T, sym bool, seed uint64) *Problem {
	src := NewSource(seed)
	sigma := Geometric.Spectrum(2, 3)
	var truth *Truth
	var op Operator
	var err error
	if sym {
		truth, err = NewPSDTruth(12, sigma, src)
		if err == nil {
			op, err = NewSymGaussian(400, 12, src)
		}
	} else {
		truth, err = NewLowRankTruth(12, 10, sigma, src)
		if err == nil {
			op, err = NewGaussian(500, 12, 10, src)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProblem(op, truth, &Noise{Std: 1e-3}, src)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func symStart(t *testing.T, alpha float64, src rand.Source) Factors {
	x := Factors{L: RandomFactor(12, 4, alpha, StdAlphaOverSqrtCols, src)}
	return x
}

func asymStart(t *testing.T, alpha float64, src rand.Source) Factors {
	x := Factors{L: RandomFactor(12, 4, alpha, StdAlphaOverSqrtCols, src), R: RandomFactor(10, 4, alpha, StdAlphaOverSqrtCols, src)}
	return x
}

// TestSolveAllBitIdentical runs groups of GD, ScaledGD(λ), APGD and SubGM
// runs (different α, steps and methods on one problem, stopping at
// different iterations) with SolveAll and one at a time with Solve, with
// every kernel set, and compares the recorded trajectories, final iterates,
// statuses and iteration counts bit for bit.
func TestSolveAllBitIdentical(t *testing.T) {
	var mk []func(t *testing.T) (string, []Run)
	// group builds a group of runs on the symmetric (or asymmetric) test
	// problem, one per method, with varied α and iteration limits.
	group := func(name string, symmetric bool, methods func() []Method) func(t *testing.T) (string, []Run) {
		return func(t *testing.T) (string, []Run) {
			seed, src, start := uint64(22), NewSource(5), asymStart
			if symmetric {
				seed, src, start = 21, NewSource(4), symStart
			}
			p := lockProblem(t, symmetric, seed)
			var runs []Run
			for i, m := range methods() {
				runs = append(runs, Run{Problem: p, Method: m, X0: start(t, []float64{1e-3, 1e-2, 0.1}[i%3], src),
					Settings: &Settings{MaxIterations: 60 + 25*i, RelErrTol: 1e-2}})
			}
			return name, runs
		}
	}
	sym := func(name string, methods func() []Method) func(t *testing.T) (string, []Run) {
		return group(name, true, methods)
	}
	asym := func(name string, methods func() []Method) func(t *testing.T) (string, []Run) {
		return group(name, false, methods)
	}
	mk = append(mk,
		sym("sym GD", func() []Method { return []Method{&GD{Eta: 0.2}, &GD{Eta: 0.3}, &GD{Eta: 0.25}, &GD{Eta: 0.1}} }),
		sym("sym ScaledGD", func() []Method {
			return []Method{&ScaledGD{Eta: 0.3, Lambda: 1e-2}, &ScaledGD{Eta: 0.5, Lambda: 0.1}, &ScaledGD{Eta: 0.2, Lambda: 1e-3}}
		}),
		sym("sym mixed", func() []Method {
			return []Method{&GD{Eta: 0.2}, &ScaledGD{Eta: 0.3, Lambda: 1e-2}, &SubGM{Eta: 0.05, Rho: 0.98}, &SubGM{PolyakStep: true, Eta: 0.5}}
		}),
		asym("asym GD", func() []Method { return []Method{&GD{Eta: 0.2}, &GD{Eta: 0.3}} }),
		asym("asym ScaledGD", func() []Method { return []Method{&ScaledGD{Eta: 0.3, Lambda: 1e-2}, &ScaledGD{Eta: 0.5, Lambda: 0}} }),
		asym("asym APGD+ScaledGD", func() []Method {
			return []Method{&APGD{Eta: 0.5}, &APGD{Eta: 0.8}, &ScaledGD{Eta: 0.3, Lambda: 1e-2}, &GD{Eta: 0.2}}
		}),
	)
	// 20 runs: more than one batch.
	mk = append(mk, func(t *testing.T) (string, []Run) {
		p := lockProblem(t, true, 23)
		src := NewSource(6)
		var runs []Run
		for i := 0; i < 20; i++ {
			runs = append(runs, Run{Problem: p, Method: &GD{Eta: 0.05 + 0.01*float64(i)}, X0: symStart(t, 1e-2, src),
				Settings: &Settings{MaxIterations: 30 + i}})
		}
		return "20 GD runs", runs
	})
	for _, k := range allKernels() {
		withKernels(k, func() {
			for _, f := range mk {
				name, runs := f(t)
				single := make([]*Trajectory, len(runs))
				want := make([]*Result, len(runs))
				for i, r := range runs {
					single[i] = NewTrajectory(Schedule{})
					res, err := Solve(r.Problem, r.Method, r.X0, r.Settings, single[i])
					if err != nil {
						t.Fatalf("%s %s run %d: %v", k.name, name, i, err)
					}
					want[i] = res
				}
				// Fresh methods: rebuild the runs.
				_, runs = f(t)
				batched := make([]*Trajectory, len(runs))
				for i := range runs {
					batched[i] = NewTrajectory(Schedule{})
					runs[i].Trajectory = batched[i]
				}
				got, err := SolveAll(runs)
				if err != nil {
					t.Fatalf("%s %s: %v", k.name, name, err)
				}
				for i := range runs {
					what := fmt.Sprintf("%s %s run %d", k.name, name, i)
					g, w := got[i], want[i]
					if g.Status != w.Status || g.Stats.Iterations != w.Stats.Iterations {
						t.Errorf("%s: %v after %d iterations, alone %v after %d", what, g.Status, g.Stats.Iterations, w.Status, w.Stats.Iterations)
					}
					if !denseBits(g.X.L, w.X.L) || (w.X.R != nil && !denseBits(g.X.R, w.X.R)) {
						t.Errorf("%s: final iterate differs", what)
					}
					for _, s := range []string{SeriesRelErr, SeriesLoss, SeriesGradNorm} {
						if !sameBits(batched[i].Series(s), single[i].Series(s)) {
							t.Errorf("%s: %s series differs", what, s)
						}
					}
				}
			}
		})
	}
}

// TestSolveAllMixedOperators checks that runs on different operators, and
// on an operator without batched passes, are solved as by Solve, and that
// a failing run reports its error without stopping the others.
func TestSolveAllMixedOperators(t *testing.T) {
	p1 := lockProblem(t, true, 31)
	p2 := lockProblem(t, true, 32)
	src := NewSource(7)
	truth := p1.Truth
	id, _ := newFullObservation(12, 12)
	p3, err := NewProblem(id, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	mkRuns := func() []Run {
		src := NewSource(8)
		return []Run{
			{Problem: p1, Method: &GD{Eta: 0.2}, X0: symStart(t, 1e-2, src), Settings: &Settings{MaxIterations: 40}},
			{Problem: p2, Method: &GD{Eta: 0.2}, X0: symStart(t, 1e-2, src), Settings: &Settings{MaxIterations: 50}},
			{Problem: p3, Method: &GD{Eta: 0.2}, X0: symStart(t, 1e-2, src), Settings: &Settings{MaxIterations: 30}},
			{Problem: p1, Method: &GD{Eta: -1}, X0: symStart(t, 1e-2, src)},
			{Problem: p2, Method: &ScaledGD{Eta: 0.3, Lambda: 0.01}, X0: symStart(t, 1e-2, src), Settings: &Settings{MaxIterations: 20}},
		}
	}
	runs := mkRuns()
	got, err := SolveAll(runs)
	if err == nil || got[3] != nil {
		t.Errorf("run 3 has a bad step: got error %v and result %v", err, got[3])
	}
	for i, r := range mkRuns() {
		if i == 3 {
			continue
		}
		w, err := Solve(r.Problem, r.Method, r.X0, r.Settings, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got[i] == nil || !denseBits(got[i].X.L, w.X.L) || got[i].Stats.Iterations != w.Stats.Iterations {
			t.Errorf("run %d differs from Solve", i)
		}
	}
}

// TestSolveAllPanic checks that a panic in one run reaches the caller.
func TestSolveAllPanic(t *testing.T) {
	p := lockProblem(t, true, 41)
	src := NewSource(9)
	bad := Factors{L: RandomFactor(5, 2, 0.1, StdAlphaOverSqrtCols, src)} // wrong size
	defer func() {
		if recover() == nil {
			t.Error("no panic for a starting point of the wrong size")
		}
	}()
	SolveAll([]Run{
		{Problem: p, Method: &GD{Eta: 0.2}, X0: symStart(t, 1e-2, src)},
		{Problem: p, Method: &GD{Eta: 0.2}, X0: bad},
	})
}

// TestSolveAllBatches checks that the runs of SolveAll on one operator
// share their passes: five GD runs stopping after 3, 5, 5, 8 and 8
// iterations make 9 batched passes (Init and 8 steps), of 5, 5, 5, 5, 4,
// 4, 2, 2 and 2 iterates.
func TestSolveAllBatches(t *testing.T) {
	p := lockProblem(t, true, 61)
	src := NewSource(10)
	var runs []Run
	for _, it := range []int{3, 5, 5, 8, 8} {
		runs = append(runs, Run{Problem: p, Method: &GD{Eta: 0.1}, X0: symStart(t, 1e-2, src), Settings: &Settings{MaxIterations: it}})
	}
	var sizes []int
	batchPassHook = func(k int) { sizes = append(sizes, k) }
	defer func() { batchPassHook = nil }()
	if _, err := SolveAll(runs); err != nil {
		t.Fatal(err)
	}
	if want := []int{5, 5, 5, 5, 4, 4, 2, 2, 2}; fmt.Sprint(sizes) != fmt.Sprint(want) {
		t.Errorf("batched passes of %v iterates, want %v", sizes, want)
	}
}
