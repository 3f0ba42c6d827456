package lrsense

import (
	"context"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Method is an iterative factored solver, in the style of gonum/exp's
// linsolve: a synchronous state machine that Solve drives one step at a
// time. A new solver is one type with these two methods.
type Method interface {
	// Init prepares the method to solve p from the iterate x and returns
	// its measures at x. It returns an error wrapping ErrBadParam for bad
	// method parameters or an x the method cannot start from. Init must
	// not modify x.
	Init(p *Problem, x Factors) (Measures, error)

	// Iterate advances x by one step, in place, and returns the method's
	// measures at the new iterate.
	Iterate(x Factors) (Measures, error)
}

// Measures is what a method measured at an iterate: Init returns them at
// the starting point, Iterate at the iterate it has just moved to (so the
// measures of x_t come with x_t, the values a Trajectory records beside it).
type Measures struct {
	// Loss is the method's objective (NaN if the method does not compute
	// one).
	Loss float64
	// GradNorm is the Frobenius norm of the (sub)gradient, or NaN.
	GradNorm float64
}

// Status says why Solve stopped.
type Status int

const (
	// Running is the status of a run that has not stopped.
	Running Status = iota
	// Converged: a tolerance in Settings was met.
	Converged
	// IterLimit: Settings.MaxIterations steps were taken.
	IterLimit
	// Diverged: the loss or the relative error exceeded its limit.
	Diverged
	// NonFinite: the iterate, the loss or the gradient became NaN or ±Inf.
	NonFinite
	// Canceled: Settings.Context was canceled.
	Canceled
)

var statusNames = [...]string{"Running", "Converged", "IterLimit", "Diverged", "NonFinite", "Canceled"}

// String returns the status' name.
func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// Settings controls Solve. The zero value is usable: each zero field means
// the documented default.
type Settings struct {
	// MaxIterations is the number of steps allowed; 0 means 1000.
	MaxIterations int
	// RelErrTol stops with Converged once ‖X_t − X⋆‖_F/‖X⋆‖_F ≤ RelErrTol
	// (the problem must know its truth). 0 disables it; it must otherwise
	// be positive and finite (NaN, a negative value or +Inf is a bad
	// parameter: +Inf would report Converged before any step).
	RelErrTol float64
	// LossTol stops with Converged once the method's loss ≤ LossTol.
	// 0 disables it; like RelErrTol it must otherwise be positive and
	// finite, and the method must report a loss (a NaN Measures.Loss at
	// the start is a bad parameter). Every method of this package reports
	// a loss that is ≥ 0 (Riemannian ApproxGD's when Σ is PSD, as
	// ApproxSym builds it), so a LossTol holds only near a fit.
	LossTol float64
	// DivergeLimit stops with Diverged once the relative error (when the
	// truth is known) or the loss relative to its initial value exceeds
	// it. 0 means 1e6 and +Inf switches the rule off (a non-finite iterate
	// still ends NonFinite); NaN or a negative value is a bad parameter.
	DivergeLimit float64
	// Context, when not nil, interrupts the run (Status Canceled) once it
	// is done: a notebook cell can be stopped.
	Context context.Context
}

// Stats summarizes a run.
type Stats struct {
	// Iterations is the number of steps taken.
	Iterations int
	// Runtime is the wall time of the run, recording included.
	Runtime time.Duration
	// Loss and RelErr are measured at the final iterate (RelErr is NaN when
	// the truth is unknown).
	Loss, RelErr float64
	// Applies and Adjoints count the evaluations of 𝒜 and of 𝒜* the method
	// made, Init included. A fused pass that forms r = 𝒜(X) − y and 𝒜*(r)
	// together (one read of the operator's data) counts one of each. Each
	// method's documentation states its count.
	Applies, Adjoints int
}

// Result is what Solve returns.
type Result struct {
	// X is the final iterate.
	X      Factors
	Status Status
	Stats  Stats
}

// Solve runs method on p from x0 (which it does not modify) until a stopping
// rule of s holds (s may be nil). traj, if not nil, records the iterates
// on its Schedule and always the last one; a measurement of your own is a
// Metric (NewMetric).
//
// Solve returns an error only for bad input: a method's Init error, a
// trajectory that cannot record, or a bad setting (wrapping ErrBadParam). A
// run that diverges or becomes non-finite ends with that Status and a nil
// error, and the trajectory keeps everything up to that point. Solve panics with a
// message starting "lrsense:" if p or method is nil or x0 does not fit p.
//
// The method's Init gets a copy of p whose Op counts the passes for
// Stats.Applies and Stats.Adjoints; it forwards every call, fused passes
// included, so a method should use p.Op through the Operator interface and
// not assert its concrete type. The trajectory's metrics see p itself.
func Solve(p *Problem, method Method, x0 Factors, s *Settings, traj *Trajectory) (*Result, error) {
	checkNil("problem", p)
	checkNil("method", method)
	p.check()
	n1, n2 := p.Dims()
	checkFactors(x0, n1, n2)
	if s == nil {
		s = &Settings{}
	}
	maxIter := s.MaxIterations
	if maxIter == 0 {
		maxIter = 1000
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := finiteVec("measurement y", p.Y); err != nil {
		return nil, err
	}
	if s.RelErrTol > 0 && p.Truth == nil {
		return nil, badParam("RelErrTol needs a problem with a known truth")
	}
	limit := s.DivergeLimit
	if limit == 0 {
		limit = 1e6
	}
	ctx := s.Context
	if ctx == nil {
		ctx = context.Background()
	}

	x := x0.Clone()
	// The method sees p with its operator wrapped in a pass counter; the
	// trajectory sees p itself.
	op := &countingOp{Operator: p.Op}
	counted := *p
	counted.Op = op
	step, err := method.Init(&counted, x)
	if err != nil {
		return nil, err
	}
	if s.LossTol > 0 && math.IsNaN(step.Loss) {
		return nil, badParam("LossTol needs a method that reports a loss, %T reports NaN", method)
	}
	if traj != nil {
		if err := traj.init(p); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	state := State{Problem: p}
	res := &Result{Status: Running}
	loss0 := step.Loss
	var rel relErrWork
	t := 0
	for {
		relErr := p.relErr(&rel, x)
		res.Status = stopRule(s, step, relErr, p.Truth != nil, loss0, limit)
		if res.Status == Running {
			switch {
			case !finite(x):
				res.Status = NonFinite
			case ctx.Err() != nil:
				res.Status = Canceled
			case t == maxIter:
				res.Status = IterLimit
			}
		}
		if traj != nil && (res.Status != Running || traj.wants(t)) {
			state.set(t, x, step, time.Since(start), relErr)
			if err := traj.record(&state); err != nil {
				return nil, err
			}
		}
		if res.Status != Running {
			res.Stats.Loss, res.Stats.RelErr = step.Loss, relErr
			break
		}
		step, err = method.Iterate(x)
		if err != nil {
			return nil, err
		}
		t++
	}
	res.X = x
	res.Stats.Iterations = t
	res.Stats.Applies, res.Stats.Adjoints = op.applies, op.adjoints
	res.Stats.Runtime = time.Since(start)
	if traj != nil {
		if err := traj.done(res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// check returns an error wrapping ErrBadParam for a bad setting.
func (s *Settings) check() error {
	tol := func(name string, v float64) error {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return badParam("Settings.%s must be 0 (off) or positive and finite, got %v", name, v)
		}
		return nil
	}
	switch {
	case s.MaxIterations < 0:
		return badParam("Settings.MaxIterations must be ≥ 0 (0 means 1000), got %d", s.MaxIterations)
	case s.DivergeLimit < 0 || math.IsNaN(s.DivergeLimit):
		return badParam("Settings.DivergeLimit must be ≥ 0 (0 means 1e6, +Inf off), got %v", s.DivergeLimit)
	}
	if err := tol("RelErrTol", s.RelErrTol); err != nil {
		return err
	}
	return tol("LossTol", s.LossTol)
}

// stopRule applies the stopping rules to the measures of x_t.
func stopRule(s *Settings, step Measures, relErr float64, truth bool, loss0, limit float64) Status {
	switch {
	case isBad(step.Loss) && !math.IsNaN(loss0), math.IsInf(step.Loss, 0), truth && isBad(relErr):
		return NonFinite
	case s.RelErrTol > 0 && relErr <= s.RelErrTol:
		return Converged
	case s.LossTol > 0 && step.Loss <= s.LossTol:
		return Converged
	case relErr > limit:
		return Diverged
	case loss0 > 0 && step.Loss > limit*loss0:
		return Diverged
	}
	return Running
}

func isBad(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

func finite(x Factors) bool {
	for _, m := range []*mat.Dense{x.L, x.R} {
		if m == nil {
			continue
		}
		r, c := m.Dims()
		for i := 0; i < r; i++ {
			for _, v := range m.RawRowView(i)[:c] {
				if isBad(v) {
					return false
				}
			}
		}
	}
	return true
}

// countingOp counts the passes a run makes over its operator. It forwards
// the fused passes to the operator's own, so counting costs nothing.
type countingOp struct {
	Operator
	applies, adjoints int
}

func (c *countingOp) ApplyTo(dst *mat.VecDense, x mat.Matrix) {
	c.applies++
	c.Operator.ApplyTo(dst, x)
}

func (c *countingOp) AdjointTo(dst *mat.Dense, y mat.Vector) {
	c.adjoints++
	c.Operator.AdjointTo(dst, y)
}

func (c *countingOp) ResidualAdjointTo(g *mat.Dense, r *mat.VecDense, x mat.Matrix, y mat.Vector) {
	c.applies++
	c.adjoints++
	residualAdjointTo(c.Operator, g, r, x, y)
}

func (c *countingOp) ResidualMapAdjointTo(g *mat.Dense, r, s *mat.VecDense, x mat.Matrix, y mat.Vector, f func(float64) float64) {
	c.applies++
	c.adjoints++
	residualMapAdjointTo(c.Operator, g, r, s, x, y, f)
}

// baseOp returns the operator a countingOp wraps, or op itself.
func baseOp(op Operator) Operator {
	if c, ok := op.(*countingOp); ok {
		return c.Operator
	}
	return op
}
