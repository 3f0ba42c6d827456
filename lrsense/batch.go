package lrsense

import (
	"errors"
	"fmt"
	"iter"

	"gonum.org/v1/gonum/mat"
)

// Run is one solver run of SolveAll: the arguments of Solve.
type Run struct {
	// Problem is the problem to solve. Runs whose problems share one
	// operator (the same pointer) share its passes; Y and Truth may
	// differ between them.
	Problem *Problem
	// Method solves it from X0 (not modified).
	Method Method
	X0     Factors
	// Settings and Trajectory are as in Solve; both may be nil.
	Settings   *Settings
	Trajectory *Trajectory
}

// SolveAll makes the runs of Solve in lock step and returns their results
// in the order of runs. Runs whose problems share an operator of
// NewGaussian or NewSymGaussian make their operator passes together: one sweep over
// the stored measurements serves up to 16 runs. The pass is limited by
// memory bandwidth and a batched one by arithmetic, so a batch costs much
// less than its runs' passes one by one (at n = 100, m = 2500 eight runs
// cost two to three single passes: BenchmarkBatchPass, and the BATCH lines
// of lrsense/internal/benchcmp). α, step-size, λ or method comparisons on
// one problem are the intended use. Each run keeps its own stopping rule,
// Status and trajectory, and leaves the group when it stops.
//
// The results are bit-identical to those of Solve run by run. The runs
// take turns (coroutines, one at a time) between passes, so a trajectory is
// never called concurrently with another run's, and a run's
// Stats.Runtime and State.Elapsed include the time spent on the other
// runs. The methods and trajectories see a copy of the run's Problem whose
// operator collects the passes (same Y and Truth); a method must not
// modify another run's data between two passes.
//
// The error joins the errors of the runs that failed (as Solve would
// return them, prefixed with the run's index); their results are nil. A
// panic in a run (bad shapes) stops all runs and is raised again.
//
// For an experiment whose sweep points share an operator, build the
// problem once per trial and pass one Run per point.
func SolveAll(runs []Run) ([]*Result, error) {
	states := make([]*lockRun, len(runs))
	defer func() {
		for _, s := range states {
			if s != nil && s.stop != nil {
				s.stop()
			}
		}
	}()
	live := make([]*lockRun, 0, len(runs))
	for i := range runs {
		s := newLockRun(&runs[i])
		states[i] = s
		if s.advance() {
			live = append(live, s)
		}
	}
	var groups []*passGroup
	for len(live) > 0 {
		// Group the pending passes by operator and make them.
		for _, g := range groups {
			g.reqs = g.reqs[:0]
		}
		for _, s := range live {
			g := findGroup(&groups, s.proxy.op)
			g.reqs = append(g.reqs, s.req)
		}
		for _, g := range groups {
			for lo := 0; lo < len(g.reqs); lo += passBatchMax {
				batchPass(g.op, fastKernels, g.reqs[lo:min(len(g.reqs), lo+passBatchMax)], &g.work)
			}
		}
		// Let every run go on to its next pass; the finished ones leave.
		n := 0
		for _, s := range live {
			if s.advance() {
				live[n] = s
				n++
			}
		}
		live = live[:n]
	}
	results := make([]*Result, len(runs))
	var errs []error
	for i, s := range states {
		results[i] = s.res
		if s.err != nil {
			errs = append(errs, fmt.Errorf("run %d: %w", i, s.err))
		}
	}
	return results, errors.Join(errs...)
}

// lockRun is one run of SolveAll, a coroutine that stops at each pass.
type lockRun struct {
	proxy *batchingOp // nil when the operator makes no batched passes
	next  func() (*passRequest, bool)
	stop  func()
	req   *passRequest // the pass the run waits for
	res   *Result
	err   error
}

// errLockStopped unwinds a run whose SolveAll stopped early.
var errLockStopped = errors.New("lrsense: SolveAll stopped")

func newLockRun(r *Run) *lockRun {
	s := &lockRun{}
	op, ok := r.Problem.Op.(batchOp)
	if !ok {
		s.res, s.err = Solve(r.Problem, r.Method, r.X0, r.Settings, r.Trajectory)
		return s
	}
	s.proxy = &batchingOp{op: op}
	p := *r.Problem
	p.Op = s.proxy
	s.next, s.stop = iter.Pull(func(yield func(*passRequest) bool) {
		defer func() {
			if v := recover(); v != nil && v != errLockStopped { //nolint:errorlint // sentinel identity
				panic(v)
			}
		}()
		s.proxy.yield = yield
		s.res, s.err = Solve(&p, r.Method, r.X0, r.Settings, r.Trajectory)
	})
	return s
}

// advance resumes the run until its next pass and reports whether it is
// still running.
func (s *lockRun) advance() bool {
	if s.next == nil {
		return false
	}
	req, ok := s.next()
	s.req = req
	return ok
}

// batchingOp is the operator the runs of SolveAll see: fused and mapped
// passes wait for SolveAll to make them with the other runs' passes; the
// rest goes to the operator directly.
type batchingOp struct {
	op    batchOp
	yield func(*passRequest) bool
	req   passRequest
}

func (b *batchingOp) Dims() (m, n1, n2 int)                   { return b.op.Dims() }
func (b *batchingOp) ApplyTo(dst *mat.VecDense, x mat.Matrix) { b.op.ApplyTo(dst, x) }
func (b *batchingOp) AdjointTo(dst *mat.Dense, y mat.Vector)  { b.op.AdjointTo(dst, y) }
func (b *batchingOp) Bytes() int                              { return b.op.Bytes() }

func (b *batchingOp) ResidualAdjointTo(g *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector) {
	b.wait(passRequest{g: g, r: r, x: x, y: y})
}

func (b *batchingOp) ResidualMapAdjointTo(g *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64) {
	b.wait(passRequest{g: g, r: r, s: s, x: x, y: y, f: f})
}

// wait hands the pass to SolveAll and returns once it is made.
func (b *batchingOp) wait(req passRequest) {
	b.req = req
	if !b.yield(&b.req) {
		panic(errLockStopped)
	}
	b.req = passRequest{}
}

// passGroup is the pending passes on one operator.
type passGroup struct {
	op   batchOp
	reqs []*passRequest
	work batchWork
}

func findGroup(groups *[]*passGroup, op batchOp) *passGroup {
	for _, g := range *groups {
		if g.op == op {
			return g
		}
	}
	g := &passGroup{op: op}
	*groups = append(*groups, g)
	return g
}

// passRequest is a fused pass (f nil: r = 𝒜(x) − y, g = 𝒜*(r)) or a mapped
// one (s = f(r), g = 𝒜*(s)), with the arguments of ResidualAdjointTo or
// ResidualMapAdjointTo.
type passRequest struct {
	g    *mat.Dense
	r, s *mat.VecDense
	x    mat.Matrix
	y    mat.Vector
	f    func(float64) float64
}

// batchOp is implemented by the operators that make batched passes: a
// rowMatrix and the maps between matrices and its row vectors.
type batchOp interface {
	Operator
	sizer
	rowMat() *rowMatrix
	// packX stores the row-vector form of x (length rm.c) in dst.
	packX(dst []float64, x mat.Matrix)
	// unpackG stores the adjoint held in row-vector form in dst.
	unpackG(dst *mat.Dense, g []float64)
}

// batchPassHook, when not nil, sees the size of every batched pass (tests).
var batchPassHook func(k int)

// batchWork is the workspace of the batched passes on one operator.
type batchWork struct {
	slots [passBatchMax]batchSlot
	items [passBatchMax]batchItem
	vecs  []float64 // the items' x, g and chunk sums (see carve)
	parts [passBatchMax][][]float64
}

// carve lays out the x, g and chunk sums of nb items in w.vecs so that the
// vectors the batched pass reads side by side do not fall on the same sets
// of the L1 cache: vector v of item b starts at (v·nb+b)·S elements, with S
// ≥ c and S·8 ≡ 512 (mod 4096) bytes, so the tiles of eight items at the
// same columns spread over the cache's sets instead of all going to the
// same few (as page-aligned separate allocations do).
func (w *batchWork) carve(rm *rowMatrix, nb int, parts bool) {
	S := (rm.c+511)&^511 + 64
	nv := 1 + rm.nchunk // x, g, then the nchunk−1 chunk sums
	if !parts {
		nv = 2 // the lane path keeps its own chunk sums
	}
	if need := nv * nb * S; len(w.vecs) < need {
		w.vecs = alignedFloats(need)
	}
	vec := func(v, b int) []float64 {
		lo := (v*nb + b) * S
		return w.vecs[lo : lo+rm.c : lo+rm.c]
	}
	for b := 0; b < nb; b++ {
		it := &w.items[b]
		it.x, it.g = vec(0, b), vec(1, b)
		if !parts {
			it.parts = nil
			continue
		}
		if len(w.parts[b]) != rm.nchunk-1 {
			w.parts[b] = make([][]float64, rm.nchunk-1)
		}
		for q := range w.parts[b] {
			w.parts[b][q] = vec(2+q, b)
		}
		it.parts = w.parts[b]
	}
}

// batchSlot is the scratch of one iterate of a batched pass.
type batchSlot struct {
	y, r, s []float64
}

// batchPass makes the passes reqs (at most passBatchMax) on op in one
// batched pass with kernels k. It checks shapes and sizes destinations as
// the operator's own methods do.
func batchPass(op batchOp, k kernels, reqs []*passRequest, w *batchWork) {
	if batchPassHook != nil {
		batchPassHook(len(reqs))
	}
	m, n1, n2 := op.Dims()
	rm := op.rowMat()
	nb := len(reqs)
	if k.wide && nb%2 == 1 && nb > 1 {
		// The AVX-512 kernels take iterates four or two at a time; an odd
		// one out would go through the slower AVX2 kernels, so a copy of
		// the first iterate makes the pass for it (its results are
		// dropped).
		nb++
	}
	items := w.items[:nb]
	w.carve(rm, nb, !usesLanes(k, nb))
	for i, q := range reqs {
		checkMatrix("x", q.x, n1, n2)
		if q.y.Len() != m {
			panic(errLen("y", q.y.Len(), m))
		}
		prepVec(q.r, m)
		if q.s != nil {
			prepVec(q.s, m)
		}
		prepDense(q.g, n1, n2)
		sl := &w.slots[i]
		it := batchItem{f: q.f, parts: items[i].parts, x: items[i].x, g: items[i].g}
		op.packX(it.x, q.x)
		it.y, _ = vecCopy(&sl.y, q.y)
		it.r = vecDest(&sl.r, q.r, false)
		if q.s != nil {
			it.s = vecDest(&sl.s, q.s, false)
		}
		items[i] = it
	}
	if nb > len(reqs) {
		pad := &items[len(reqs)]
		sl := &w.slots[len(reqs)]
		if cap(sl.r) < m {
			sl.r = make([]float64, m)
		}
		copy(pad.x, items[0].x)
		pad.y, pad.r = items[0].y, sl.r[:m]
	}
	pw := rm.getWork()
	rm.passBatch(pw, k, items)
	rm.putWork(pw)
	for i, q := range reqs {
		it := &items[i]
		op.unpackG(q.g, it.g)
		vecStore(q.r, it.r)
		if q.s != nil {
			vecStore(q.s, it.s)
		}
	}
	for i := range items {
		items[i] = batchItem{} // carve lays out x, g and parts again
	}
}

func (g *gaussianOp) rowMat() *rowMatrix { return g.rows }

func (o *symGaussianOp) rowMat() *rowMatrix { return o.rows }
