package lrsense

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"
)

// State is what a Metric sees at iterate t. It is read-only, and s and its
// matrices are valid only during the call.
type State struct {
	// Iter is t.
	Iter int
	// X is the iterate.
	X Factors
	// Measures holds the method's loss and gradient norm at X.
	Measures Measures
	// RelErr is ‖X − X⋆‖_F/‖X⋆‖_F, NaN when the truth is unknown.
	RelErr float64
	// Elapsed is the wall time since the run started.
	Elapsed time.Duration
	// Problem is the problem being solved.
	Problem *Problem

	prod     mat.Dense
	prodOK   bool
	topLeft  mat.Dense
	topOK    int
	svals    []float64
	svalsOK  bool
	subspace subspaceWork
}

func (s *State) set(t int, x Factors, step Measures, el time.Duration, relErr float64) {
	s.Iter, s.X, s.Measures, s.Elapsed, s.RelErr = t, x, step, el, relErr
	s.prodOK, s.svalsOK, s.topOK = false, false, 0
}

// Product returns X = L·Rᵀ, computed once per state.
func (s *State) Product() *mat.Dense {
	if !s.prodOK {
		s.prod.Reset()
		s.X.ProductTo(&s.prod)
		s.prodOK = true
	}
	return &s.prod
}

// SingularValues returns the singular values of X in decreasing order (at
// most r′ of them), computed once per state.
func (s *State) SingularValues() []float64 {
	if !s.svalsOK {
		s.svals = s.subspace.factor(s.X, 0, nil)
		s.svalsOK = true
	}
	return s.svals
}

// TopLeft returns an n1×k matrix of the top-k left singular vectors of X,
// computed once per state and k.
func (s *State) TopLeft(k int) *mat.Dense {
	if s.topOK != k {
		s.subspace.factor(s.X, k, &s.topLeft)
		s.topOK = k
	}
	return &s.topLeft
}

// subspaceWork computes the SVD of X = L·Rᵀ through thin QR factors:
// L = Q₁R₁, R = Q₂R₂, R₁R₂ᵀ = P·S·Wᵀ, so X = (Q₁P)·S·(Q₂W)ᵀ.
type subspaceWork struct {
	qr1, qr2  mat.QR
	q, r1, r2 mat.Dense
	core      mat.Dense
	svd       mat.SVD
	p         mat.Dense
}

// factor returns the singular values of X and, if top is not nil, stores
// its top-k left singular vectors in top.
func (w *subspaceWork) factor(x Factors, k int, top *mat.Dense) []float64 {
	n1, rk := x.L.Dims()
	if rk > n1 {
		// Wide factors (r′ > n): fall back to the product.
		var prod mat.Dense
		x.ProductTo(&prod)
		return w.direct(&prod, k, top)
	}
	w.qr1.Factorize(x.L)
	w.r1.Reset()
	w.qr1.RTo(&w.r1)
	var r2 *mat.Dense = &w.r1
	if !x.Sym() {
		n2, _ := x.R.Dims()
		if rk > n2 {
			var prod mat.Dense
			x.ProductTo(&prod)
			return w.direct(&prod, k, top)
		}
		w.qr2.Factorize(x.R)
		w.r2.Reset()
		w.qr2.RTo(&w.r2)
		r2 = &w.r2
	}
	w.core.Reset()
	w.core.Mul(w.r1.Slice(0, rk, 0, rk), r2.Slice(0, rk, 0, rk).T())
	kind := mat.SVDNone
	if top != nil {
		kind = mat.SVDThinU
	}
	if !w.svd.Factorize(&w.core, kind) {
		return nanSlice(rk)
	}
	vals := w.svd.Values(nil)
	if top != nil {
		w.p.Reset()
		w.svd.UTo(&w.p)
		w.q.Reset()
		w.qr1.QTo(&w.q)
		top.Reset()
		top.Mul(w.q.Slice(0, n1, 0, rk), w.p.Slice(0, rk, 0, min(k, rk)))
	}
	return vals
}

func (w *subspaceWork) direct(prod *mat.Dense, k int, top *mat.Dense) []float64 {
	kind := mat.SVDNone
	if top != nil {
		kind = mat.SVDThinU
	}
	if !w.svd.Factorize(prod, kind) {
		r, _ := prod.Dims()
		return nanSlice(r)
	}
	vals := w.svd.Values(nil)
	if top != nil {
		w.p.Reset()
		w.svd.UTo(&w.p)
		r, _ := prod.Dims()
		top.Reset()
		top.CloneFrom(w.p.Slice(0, r, 0, k))
	}
	return vals
}

func nanSlice(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

// Schedule says which iterations a Trajectory records. The zero value
// records every iteration. The first and the last iterate are always
// recorded.
type Schedule struct {
	// Every records iterations 0, Every, 2·Every, …; 0 means 1.
	Every int
	// PerDecade, when > 0, records log-spaced iterations instead: about
	// PerDecade points per decade of t (every iteration while t is small).
	PerDecade int
}

// Wants reports whether iteration t is on the schedule.
func (s Schedule) Wants(t int) bool {
	if t == 0 {
		return true
	}
	if s.PerDecade > 0 {
		k := float64(s.PerDecade)
		return math.Floor(k*math.Log10(float64(t+1))) != math.Floor(k*math.Log10(float64(t)))
	}
	if s.Every <= 1 {
		return true
	}
	return t%s.Every == 0
}

// Trajectory keeps named metric series of a run by iteration.
// Its exported fields are plain data, so it is gob-encodable and can be
// cached between notebook cells; the metric functions are not kept by an
// encoding.
//
// A Trajectory that did not come from NewTrajectory (the zero value, or
// one decoded from gob) records the standard series SeriesRelErr,
// SeriesLoss and SeriesGradNorm when given to Solve. A decoded one
// that holds other series cannot record them again: its Init returns an
// error wrapping ErrBadParam instead of recording iterations without
// values.
type Trajectory struct {
	// Names are the series names, in the order of Values.
	Names []string
	// Iter holds the recorded iteration numbers, increasing.
	Iter []int
	// Values[k][j] is series Names[k] at iteration Iter[j].
	Values [][]float64
	// Status and Stats are those of the run, set when it ends.
	Status Status
	Stats  Stats
	// Schedule is the recording schedule.
	Schedule Schedule

	metrics []Metric
	buf     []float64
}

// NewTrajectory returns a Trajectory recording, on sched, SeriesRelErr,
// SeriesLoss and SeriesGradNorm (which every run computes anyway), then the
// series of the given metrics. It panics if two series share a name or a
// metric has a nil Eval.
func NewTrajectory(sched Schedule, metrics ...Metric) *Trajectory {
	metrics = append([]Metric{stdMetric}, metrics...)
	t := &Trajectory{Schedule: sched, metrics: metrics}
	seen := map[string]bool{}
	for i, m := range metrics {
		if m.Eval == nil {
			panic(fmt.Sprintf("lrsense: nil Eval in metric %d (series %s)", i, strings.Join(m.Names, ", ")))
		}
		for _, n := range m.Names {
			if seen[n] {
				panic("lrsense: two metrics record the series " + n)
			}
			seen[n] = true
			t.Names = append(t.Names, n)
		}
	}
	t.Values = make([][]float64, len(t.Names))
	return t
}

// stdMetric records the series every Trajectory has.
var stdMetric = Metric{
	Names: []string{SeriesRelErr, SeriesLoss, SeriesGradNorm},
	Eval: func(dst []float64, s *State) {
		dst[0], dst[1], dst[2] = s.RelErr, s.Measures.Loss, s.Measures.GradNorm
	},
}

// init resets the trajectory for a new run. A trajectory without metric
// functions (zero value, or decoded) is set up to record the standard
// series; if it names other series, Init returns an error wrapping
// ErrBadParam.
func (t *Trajectory) init(p *Problem) error {
	if t.metrics == nil {
		if len(t.Names) != 0 && !slices.Equal(t.Names, stdMetric.Names) {
			return badParam("Trajectory records %s, but a decoded or zero-value Trajectory can only record %s: use NewTrajectory with the metrics", strings.Join(t.Names, ", "), strings.Join(stdMetric.Names, ", "))
		}
		t.metrics = []Metric{stdMetric}
		t.Names = append([]string(nil), stdMetric.Names...)
	}
	if len(t.Values) != len(t.Names) {
		t.Values = make([][]float64, len(t.Names))
	}
	t.Iter = t.Iter[:0]
	for k := range t.Values {
		t.Values[k] = t.Values[k][:0]
	}
	t.Status = Running
	return nil
}

// wants reports whether t is on the schedule.
func (t *Trajectory) wants(it int) bool { return t.Schedule.Wants(it) }

// record evaluates every metric at s.
func (t *Trajectory) record(s *State) error {
	if n := len(t.Iter); n > 0 && t.Iter[n-1] == s.Iter {
		return nil
	}
	t.Iter = append(t.Iter, s.Iter)
	k := 0
	for _, m := range t.metrics {
		n := len(m.Names)
		if cap(t.buf) < n {
			t.buf = make([]float64, n)
		}
		dst := t.buf[:n]
		m.Eval(dst, s)
		for i, v := range dst {
			t.Values[k+i] = append(t.Values[k+i], v)
		}
		k += n
	}
	return nil
}

// done keeps the run's status and stats.
func (t *Trajectory) done(res *Result) error {
	t.Status, t.Stats = res.Status, res.Stats
	return nil
}

// Series returns the values of the named series; the caller must not
// modify them. A name the trajectory does not record is a programmer error
// (a typo would otherwise read as a missing curve): Series panics with
// "lrsense: no series …" listing the names it has. Use the Series…
// constants. On a nil Trajectory (a missing run in a reducer) it panics
// with "lrsense: nil Trajectory".
func (t *Trajectory) Series(name string) []float64 {
	if t == nil {
		panic("lrsense: nil Trajectory (reading series " + name + ")")
	}
	for k, n := range t.Names {
		if n == name {
			return t.Values[k]
		}
	}
	panic(fmt.Sprintf("lrsense: no series %q (have %s)", name, strings.Join(t.Names, ", ")))
}

// Last returns the last recorded value of the named series, or NaN if
// nothing was recorded. It panics as Series does on an unknown name.
func (t *Trajectory) Last(name string) float64 {
	s := t.Series(name)
	if len(s) == 0 {
		return math.NaN()
	}
	return s[len(s)-1]
}

// FirstBelow returns the first recorded iteration at which the named series
// is ≤ level, and false if it never is. It panics as Series does on an
// unknown name.
func (t *Trajectory) FirstBelow(name string, level float64) (int, bool) {
	for j, v := range t.Series(name) {
		if v <= level {
			return t.Iter[j], true
		}
	}
	return 0, false
}
