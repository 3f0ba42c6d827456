package lrsense_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	. "github.com/lrsense/lrsense/lrsense"
)

// The bad-input table of issue 18: every row is one input through the
// public API and the exact class of outcome it must have.

// outcome is the class of result a row expects.
type outcome int

const (
	// badParam: an error wrapping ErrBadParam.
	badParam outcome = iota
	// lrPanic: a panic whose message starts "lrsense:" and contains the
	// row's arg (the argument it names).
	lrPanic
	// finite: no error, no panic; a Result (if any) passes checkResult
	// and has the row's status.
	finite
)

func (o outcome) String() string {
	return [...]string{"ErrBadParam", "lrsense: panic", "finite result"}[o]
}

// run is what a row's function returns: an error, and for a solve the
// problem, settings and result to check.
type run struct {
	err  error
	p    *Problem
	s    *Settings
	res  *Result
	traj *Trajectory
	// check, if not nil, is a row-specific assertion on a finite run.
	check func(t *testing.T, r run)
}

type row struct {
	name   string
	want   outcome
	arg    string // in the panic or error message
	status Status // for finite solves
	f      func() run
}

// small standard instances (cheap: n ≤ 8).
func psd() (*Problem, Factors) {
	return Instance{Kind: PSDSensing, N: 6, Rank: 1, M: 60, Alpha: 1e-2}.Build(NewSource(1))
}

func asym() (*Problem, Factors) {
	return Instance{Kind: AsymSensing, N: 6, N2: 5, Rank: 1, M: 80, Alpha: 1e-2}.Build(NewSource(2))
}

func approx() (*Problem, Factors) {
	p, x := Instance{Kind: ApproxSym, N: 8, Rank: 2, Kappa: 2, Alpha: 1}.Build(NewSource(3))
	return p, Factors{L: orthonormal(x.L)}
}

// orthonormal returns an orthonormal basis of a's columns (a's thin Q).
func orthonormal(a *mat.Dense) *mat.Dense {
	var qr mat.QR
	qr.Factorize(a)
	var q mat.Dense
	qr.QTo(&q)
	r, c := a.Dims()
	return mat.DenseCopyOf(q.Slice(0, r, 0, c))
}

// solve runs m on a problem from mk with settings s and a Trajectory.
func solve(mk func() (*Problem, Factors), m Method, s *Settings) func() run {
	return func() run {
		p, x := mk()
		traj := NewTrajectory(Schedule{})
		res, err := Solve(p, m, x, s, traj)
		return run{err: err, p: p, s: s, res: res, traj: traj}
	}
}

// solveX is solve from a given (modified) x0.
func solveX(mk func() (*Problem, Factors), edit func(Factors) Factors, m Method, s *Settings) func() run {
	return func() run {
		p, x := mk()
		x = edit(x)
		res, err := Solve(p, m, x, s, nil)
		return run{err: err, p: p, s: s, res: res}
	}
}

func errOnly(err error) run { return run{err: err} }

// solveLiteral solves &Problem{Op: op, Y: y, Truth: tr} (4×4 factors).
func solveLiteral(op Operator, y *mat.VecDense, tr *Truth) func() run {
	return func() run {
		_, err := Solve(&Problem{Op: op, Y: y, Truth: tr}, &GD{Eta: 0.1}, Factors{L: mat.NewDense(4, 1, nil)}, nil, nil)
		return errOnly(err)
	}
}

func src() rand.Source { return NewSource(7) }

func truth(n int) *Truth {
	t, err := NewPSDTruth(n, []float64{1}, src())
	if err != nil {
		panic(err)
	}
	return t
}

func gauss(m, n int) Operator {
	op, err := NewSymGaussian(m, n, src())
	if err != nil {
		panic(err)
	}
	return op
}

func problemWithNoise(n *Noise) func() run {
	return func() run {
		_, err := NewProblem(gauss(30, 4), truth(4), n, src())
		return errOnly(err)
	}
}

func inst(s Instance) func() run {
	return func() run {
		s.Build(src())
		return run{}
	}
}

func nan() float64 { return math.NaN() }

var inf = math.Inf(1)

func rows() []row {
	gd := func() Method { return &GD{Eta: 0.2} }
	set := func(s Settings) func() run { return solve(psd, gd(), &s) }
	zero := func(x Factors) Factors { x.L.Zero(); return x }
	var canceled = func() context.Context {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx
	}()
	trajRound := func(metrics ...Metric) func() run {
		return func() run {
			p, x := psd()
			tr := NewTrajectory(Schedule{}, metrics...)
			if _, err := Solve(p, gd(), x, &Settings{MaxIterations: 3}, tr); err != nil {
				return errOnly(err)
			}
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(tr); err != nil {
				panic(err)
			}
			var back Trajectory
			if err := gob.NewDecoder(&buf).Decode(&back); err != nil {
				panic(err)
			}
			s := &Settings{MaxIterations: 5}
			res, err := Solve(p, gd(), x, s, &back)
			return run{err: err, p: p, s: s, res: res, traj: &back}
		}
	}
	return []row{
		// Settings.
		{"Settings.MaxIterations<0", badParam, "MaxIterations", 0, set(Settings{MaxIterations: -1})},
		{"Settings.RelErrTol<0", badParam, "RelErrTol", 0, set(Settings{RelErrTol: -1})},
		{"Settings.RelErrTol=NaN", badParam, "RelErrTol", 0, set(Settings{RelErrTol: nan()})},
		{"Settings.RelErrTol=+Inf", badParam, "RelErrTol", 0, set(Settings{RelErrTol: inf})},
		{"Settings.RelErrTol=-Inf", badParam, "RelErrTol", 0, set(Settings{RelErrTol: -inf})},
		{"Settings.LossTol<0", badParam, "LossTol", 0, set(Settings{LossTol: -1})},
		{"Settings.LossTol=NaN", badParam, "LossTol", 0, set(Settings{LossTol: nan()})},
		{"Settings.LossTol=+Inf", badParam, "LossTol", 0, set(Settings{LossTol: inf})},
		{"Settings.DivergeLimit<0", badParam, "DivergeLimit", 0, set(Settings{DivergeLimit: -1})},
		{"Settings.DivergeLimit=NaN", badParam, "DivergeLimit", 0, set(Settings{DivergeLimit: nan()})},
		{"Settings.RelErrTol without truth", badParam, "truth", 0, func() run {
			p, x := psd()
			q := &Problem{Op: p.Op, Y: p.Y}
			_, err := Solve(q, gd(), x, &Settings{RelErrTol: 1e-3}, nil)
			return errOnly(err)
		}},
		{"Settings.DivergeLimit=+Inf: rule off, blow-up ends NonFinite", finite, "", NonFinite,
			solve(psd, &GD{Eta: 1e3}, &Settings{DivergeLimit: inf, MaxIterations: 200})},
		{"Settings.DivergeLimit tiny: Diverged at t=0", finite, "", Diverged, set(Settings{DivergeLimit: 1e-3})},
		{"RiemannianGD LossTol=1e-8: converges for real", finite, "", Converged, func() run {
			r := solve(approx, &ApproxGD{Eta: 0.5, Riemannian: true}, &Settings{LossTol: 1e-8, MaxIterations: 2000})()
			r.check = func(t *testing.T, r run) {
				// RelErr compares the projector XXᵀ with Σ_r, so the
				// subspace distance is what must be small.
				if d := ProjDist(r.p.Truth.U, r.res.X.L); r.res.Stats.Iterations == 0 || d > 1e-3 {
					t.Errorf("Converged after %d steps at subspace distance %v", r.res.Stats.Iterations, d)
				}
			}
			return r
		}},
		{"RiemannianGD loss ≥ 0 at start", finite, "", IterLimit, func() run {
			r := solve(approx, &ApproxGD{Eta: 0.5, Riemannian: true}, &Settings{MaxIterations: 1})()
			r.check = func(t *testing.T, r run) {
				if l := r.traj.Series(SeriesLoss)[0]; !(l > 0) {
					t.Errorf("initial loss %v, want > 0", l)
				}
			}
			return r
		}},
		{"Settings.Context canceled: Canceled at t=0, recorded", finite, "", Canceled, func() run {
			r := set(Settings{Context: canceled})()
			r.check = func(t *testing.T, r run) {
				if r.res.Stats.Iterations != 0 || len(r.traj.Iter) != 1 {
					t.Errorf("canceled run: %d steps, %d recorded", r.res.Stats.Iterations, len(r.traj.Iter))
				}
			}
			return r
		}},
		{"Settings.Context canceled mid-run: Canceled, recorded", finite, "", Canceled, func() run {
			p, x := psd()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stop := NewMetric("stop", func(st *State) float64 {
				if st.Iter == 3 {
					cancel()
				}
				return 0
			})
			tr := NewTrajectory(Schedule{}, stop)
			s := &Settings{Context: ctx, MaxIterations: 100}
			res, err := Solve(p, gd(), x, s, tr)
			r := run{err: err, p: p, s: s, res: res, traj: tr}
			r.check = func(t *testing.T, r run) {
				if it := r.res.Stats.Iterations; it != 4 || len(tr.Iter) != 5 {
					t.Errorf("canceled at t=3: stopped after %d steps, %d recorded", it, len(tr.Iter))
				}
			}
			return r
		}},
		{"GD huge step: diverges, trajectory kept", finite, "", Diverged, func() run {
			r := solve(psd, &GD{Eta: 1e3}, &Settings{MaxIterations: 200})()
			r.check = func(t *testing.T, r run) {
				if n := len(r.traj.Iter); n < 2 || r.traj.Iter[n-1] != r.res.Stats.Iterations {
					t.Errorf("trajectory %v for %d steps", r.traj.Iter, r.res.Stats.Iterations)
				}
			}
			return r
		}},
		{"x0 with NaN: NonFinite at t=0", finite, "", NonFinite, solveX(psd, func(x Factors) Factors { x.L.Set(0, 0, nan()); return x }, gd(), nil)},
		{"GD converges: RelErrTol holds", finite, "", Converged, set(Settings{RelErrTol: 1e-6, MaxIterations: 5000})},
		{"GD converges: LossTol holds", finite, "", Converged, set(Settings{LossTol: 1e-12, MaxIterations: 5000})},
		{"GD IterLimit", finite, "", IterLimit, set(Settings{MaxIterations: 3})},
		{"ScaledGD λ=0 runs", finite, "", IterLimit, solve(psd, &ScaledGD{Eta: 0.5}, &Settings{MaxIterations: 5})},
		{"APGD runs", finite, "", IterLimit, solve(asym, &APGD{Eta: 0.5}, &Settings{MaxIterations: 5})},

		// Method parameters.
		{"GD.Eta=0", badParam, "step", 0, solve(psd, &GD{}, nil)},
		{"GD.Eta<0", badParam, "step", 0, solve(psd, &GD{Eta: -1}, nil)},
		{"GD.Eta=NaN", badParam, "step", 0, solve(psd, &GD{Eta: nan()}, nil)},
		{"GD.Eta=+Inf", badParam, "step", 0, solve(psd, &GD{Eta: inf}, nil)},
		{"ScaledGD.Eta=NaN", badParam, "step", 0, solve(psd, &ScaledGD{Eta: nan()}, nil)},
		{"ScaledGD.Lambda<0", badParam, "λ", 0, solve(psd, &ScaledGD{Eta: 0.1, Lambda: -1}, nil)},
		{"ScaledGD.Lambda=NaN", badParam, "λ", 0, solve(psd, &ScaledGD{Eta: 0.1, Lambda: nan()}, nil)},
		{"ScaledGD λ=0 from zero x0", badParam, "positive definite", 0, solveX(psd, zero, &ScaledGD{Eta: 0.1}, nil)},
		{"PrecGD.Eta=0", badParam, "step", 0, solve(psd, &PrecGD{}, nil)},
		{"PrecGD.Scale<0", badParam, "scale", 0, solve(psd, &PrecGD{Eta: 0.1, Scale: -1}, nil)},
		{"PrecGD.Scale=+Inf", badParam, "scale", 0, solve(psd, &PrecGD{Eta: 0.1, Scale: inf}, nil)},
		{"PrecGD.Lambda0 without Decay", badParam, "λ₀", 0, solve(psd, &PrecGD{Eta: 0.1, Lambda0: 1}, nil)},
		{"PrecGD.Decay<0", badParam, "β", 0, solve(psd, &PrecGD{Eta: 0.1, Decay: -0.5}, nil)},
		{"PrecGD.Decay>1", badParam, "β", 0, solve(psd, &PrecGD{Eta: 0.1, Decay: 1.5}, nil)},
		{"PrecGD.Decay=NaN", badParam, "β", 0, solve(psd, &PrecGD{Eta: 0.1, Decay: nan()}, nil)},
		{"PrecGD.Decay Lambda0<0", badParam, "λ₀", 0, solve(psd, &PrecGD{Eta: 0.1, Decay: 0.9, Lambda0: -1}, nil)},
		{"PrecGD.Decay Eta=0", badParam, "step", 0, solve(psd, &PrecGD{Decay: 0.9}, nil)},
		{"APGD.Eta=0", badParam, "step", 0, solve(asym, &APGD{}, nil)},
		{"APGD.Cutoff=1", badParam, "cutoff", 0, solve(asym, &APGD{Eta: 0.5, Cutoff: 1}, nil)},
		{"APGD.Cutoff=NaN", badParam, "cutoff", 0, solve(asym, &APGD{Eta: 0.5, Cutoff: nan()}, nil)},
		{"APGD symmetric factors", badParam, "asymmetric", 0, solve(psd, &APGD{Eta: 0.5}, nil)},
		{"SubGM asymmetric factors", badParam, "symmetric", 0, solve(asym, &SubGM{Eta: 1, Rho: 0.9}, nil)},
		{"SubGM.Eta=0", badParam, "η", 0, solve(psd, &SubGM{Rho: 0.9}, nil)},
		{"SubGM.Rho=0", badParam, "ρ", 0, solve(psd, &SubGM{Eta: 1}, nil)},
		{"SubGM.Rho>1", badParam, "ρ", 0, solve(psd, &SubGM{Eta: 1, Rho: 1.5}, nil)},
		{"SubGM two rules", badParam, "at most one", 0, solve(psd, &SubGM{Eta: 1, PolyakStep: true, ErrorStep: true}, nil)},
		{"SubGM ErrorStep without truth", badParam, "truth", 0, func() run {
			p, x := psd()
			q := &Problem{Op: p.Op, Y: p.Y}
			_, err := Solve(q, &SubGM{Eta: 1, ErrorStep: true}, x, nil, nil)
			return errOnly(err)
		}},
		{"SubGM Expected.P=1", badParam, "P", 0, solve(psd, &SubGM{Eta: 1, PolyakStep: true, Expected: &ExpectedL1{P: 1}}, nil)},
		{"SubGM Expected.Std=NaN", badParam, "Std", 0, solve(psd, &SubGM{Eta: 1, PolyakStep: true, Expected: &ExpectedL1{Std: nan()}}, nil)},
		{"OneStep symmetric factors", badParam, "asymmetric", 0, solve(psd, &OneStep{Eta: 0.1, LossThreshold: 1e-3}, nil)},
		{"OneStep.LossThreshold=0", badParam, "threshold", 0, solve(asym, &OneStep{Eta: 0.1}, nil)},
		{"OneStep.Beta<0", badParam, "β", 0, solve(asym, &OneStep{Eta: 0.1, LossThreshold: 1e-3, Beta: -1}, nil)},
		{"OneStep.RankTol=1", badParam, "RankTol", 0, solve(asym, &OneStep{Eta: 0.1, LossThreshold: 1e-3, RankTol: 1}, nil)},
		{"OneStep.EigTol=NaN", badParam, "EigTol", 0, solve(asym, &OneStep{Eta: 0.1, LossThreshold: 1e-3, EigTol: nan()}, nil)},
		{"OneStep.Eta=0", badParam, "step", 0, solve(asym, &OneStep{LossThreshold: 1e-3}, nil)},
		{"ApproxGD.Eta=0", badParam, "step", 0, solve(approx, &ApproxGD{}, nil)},
		{"ApproxGD on a Gaussian operator", badParam, "approximation", 0, solve(psd, &ApproxGD{Eta: 0.1}, nil)},
		{"RiemannianGD.Eta=0", badParam, "step", 0, solve(approx, &ApproxGD{Riemannian: true}, nil)},
		{"RiemannianGD non-orthonormal x0: starts from qf(x0)", finite, "", IterLimit, func() run {
			r := solve(func() (*Problem, Factors) {
				p, x := approx()
				x.L.Scale(2, x.L)
				return p, x
			}, &ApproxGD{Eta: 0.1, Riemannian: true}, &Settings{MaxIterations: 1})()
			r.check = func(t *testing.T, r run) {
				var g mat.Dense
				g.Mul(r.res.X.L.T(), r.res.X.L)
				if !mat.EqualApprox(&g, mat.NewDiagDense(2, []float64{1, 1}), 1e-12) {
					t.Errorf("XᵀX = %v, want I", mat.Formatted(&g))
				}
			}
			return r
		}},
		{"RiemannianGD r′ > n", badParam, "r′ ≤ n", 0, func() run {
			p, _ := approx()
			_, err := Solve(p, &ApproxGD{Eta: 0.1, Riemannian: true}, Factors{L: mat.NewDense(8, 9, nil)}, nil, nil)
			return errOnly(err)
		}},
		{"RiemannianGD on a Gaussian operator", badParam, "approximation", 0, solve(psd, &ApproxGD{Eta: 0.1, Riemannian: true}, nil)},

		// Operators.
		{"NewGaussian m=0", badParam, "m, n1, n2", 0, func() run { _, err := NewGaussian(0, 3, 3, src()); return errOnly(err) }},
		{"NewGaussian n1<0", badParam, "m, n1, n2", 0, func() run { _, err := NewGaussian(3, -1, 3, src()); return errOnly(err) }},
		{"NewGaussian n2=0", badParam, "m, n1, n2", 0, func() run { _, err := NewGaussian(3, 3, 0, src()); return errOnly(err) }},
		{"NewGaussian m·n1·n2 overflows", badParam, "memory", 0, func() run { _, err := NewGaussian(1<<40, 1<<20, 1<<20, src()); return errOnly(err) }},
		{"NewGaussian bytes overflow", badParam, "memory", 0, func() run { _, err := NewGaussian(1<<31, 1<<15, 1<<15, src()); return errOnly(err) }},
		{"NewGaussian above 2^48 bytes", badParam, "memory", 0, func() run { _, err := NewGaussian(1<<26, 1<<10, 1<<10, src()); return errOnly(err) }},
		{"NewGaussian nil source", lrPanic, "nil source", 0, func() run { NewGaussian(3, 3, 3, nil); return run{} }},
		{"NewSymGaussian m=0", badParam, "m, n", 0, func() run { _, err := NewSymGaussian(0, 3, src()); return errOnly(err) }},
		{"NewSymGaussian n=0", badParam, "m, n", 0, func() run { _, err := NewSymGaussian(3, 0, src()); return errOnly(err) }},
		{"NewSymGaussian overflows", badParam, "memory", 0, func() run { _, err := NewSymGaussian(1<<40, 1<<20, src()); return errOnly(err) }},
		{"NewSymGaussian nil source", lrPanic, "nil source", 0, func() run { NewSymGaussian(3, 3, nil); return run{} }},
		{"NewEntrySampling m=0", badParam, "m ≤ n1·n2", 0, func() run { _, err := NewEntrySampling(0, 3, 3, src()); return errOnly(err) }},
		{"NewEntrySampling m>n1·n2", badParam, "m ≤ n1·n2", 0, func() run { _, err := NewEntrySampling(10, 3, 3, src()); return errOnly(err) }},
		{"NewEntrySampling n1=0", badParam, "m ≤ n1·n2", 0, func() run { _, err := NewEntrySampling(1, 0, 3, src()); return errOnly(err) }},
		{"NewEntrySampling n1·n2 overflows", badParam, "memory", 0, func() run { _, err := NewEntrySampling(1, 1<<40, 1<<40, src()); return errOnly(err) }},
		{"NewEntrySampling nil source", lrPanic, "nil source", 0, func() run { NewEntrySampling(1, 3, 3, nil); return run{} }},

		// Truths and spectra.
		{"NewPSDTruth n=0", badParam, "n1, n2", 0, func() run { _, err := NewPSDTruth(0, []float64{1}, src()); return errOnly(err) }},
		{"NewPSDTruth empty σ", badParam, "rank", 0, func() run { _, err := NewPSDTruth(3, nil, src()); return errOnly(err) }},
		{"NewPSDTruth rank>n", badParam, "rank", 0, func() run { _, err := NewPSDTruth(2, []float64{1, 1, 1}, src()); return errOnly(err) }},
		{"NewPSDTruth all-zero σ", badParam, "positive", 0, func() run { _, err := NewPSDTruth(3, []float64{0, 0}, src()); return errOnly(err) }},
		{"NewPSDTruth one zero σ", badParam, "positive", 0, func() run { _, err := NewPSDTruth(3, []float64{1, 0}, src()); return errOnly(err) }},
		{"NewPSDTruth negative σ", badParam, "positive", 0, func() run { _, err := NewPSDTruth(3, []float64{-1}, src()); return errOnly(err) }},
		{"NewPSDTruth NaN σ", badParam, "positive", 0, func() run { _, err := NewPSDTruth(3, []float64{nan()}, src()); return errOnly(err) }},
		{"NewPSDTruth +Inf σ", badParam, "positive", 0, func() run { _, err := NewPSDTruth(3, []float64{inf}, src()); return errOnly(err) }},
		{"NewPSDTruth n×n overflows", badParam, "memory", 0, func() run { _, err := NewPSDTruth(1<<40, []float64{1}, src()); return errOnly(err) }},
		{"NewPSDTruth nil source", lrPanic, "nil source", 0, func() run { NewPSDTruth(3, []float64{1}, nil); return run{} }},
		{"NewLowRankTruth n2=0", badParam, "n1, n2", 0, func() run { _, err := NewLowRankTruth(3, 0, []float64{1}, src()); return errOnly(err) }},
		{"NewLowRankTruth all-zero σ", badParam, "positive", 0, func() run { _, err := NewLowRankTruth(3, 4, []float64{0}, src()); return errOnly(err) }},
		{"Spacing.Spectrum r=0", lrPanic, "r ≥ 1", 0, func() run { Linear.Spectrum(0, 2); return run{} }},
		{"Spacing.Spectrum κ<1", lrPanic, "κ", 0, func() run { Linear.Spectrum(3, 0.5); return run{} }},
		{"Spacing.Spectrum κ=NaN", lrPanic, "κ", 0, func() run { Geometric.Spectrum(3, nan()); return run{} }},
		{"Spacing.Spectrum κ=+Inf", lrPanic, "κ", 0, func() run { Geometric.Spectrum(3, inf); return run{} }},
		{"Spacing.Spectrum unknown spacing", lrPanic, "Spacing", 0, func() run { Spacing(9).Spectrum(3, 2); return run{} }},
		{"Spacing.Spectrum unknown spacing, r=1", lrPanic, "Spacing", 0, func() run { Spacing(9).Spectrum(1, 2); return run{} }},

		// Problems and noise.
		{"NewProblem nil operator", lrPanic, "nil operator", 0, func() run { NewProblem(nil, truth(4), nil, src()); return run{} }},
		{"NewProblem typed nil operator", lrPanic, "nil operator", 0, func() run { var g *wrappedOp; NewProblem(g, truth(4), nil, src()); return run{} }},
		{"NewProblem nil truth", lrPanic, "nil truth", 0, func() run { NewProblem(gauss(10, 4), nil, nil, src()); return run{} }},
		{"NewProblem Truth without X", lrPanic, "Truth has no X", 0, func() run { NewProblem(gauss(10, 4), &Truth{}, nil, src()); return run{} }},
		{"NewProblem truth shape mismatch", badParam, "truth is", 0, func() run { _, err := NewProblem(gauss(10, 4), truth(5), nil, src()); return errOnly(err) }},
		{"NewProblem noise with nil source", lrPanic, "nil source", 0, func() run { NewProblem(gauss(10, 4), truth(4), &Noise{Std: 1}, nil); return run{} }},
		{"Noise.Outliers=NaN", badParam, "Noise.Outliers", 0, problemWithNoise(&Noise{Outliers: nan()})},
		{"Noise.Outliers<0", badParam, "Noise.Outliers", 0, problemWithNoise(&Noise{Outliers: -0.1})},
		{"Noise.Outliers=1", badParam, "Noise.Outliers", 0, problemWithNoise(&Noise{Outliers: 1})},
		{"Noise.Outliers>1", badParam, "Noise.Outliers", 0, problemWithNoise(&Noise{Outliers: 1.5})},
		{"Noise.OutlierStd=NaN", badParam, "Noise.OutlierStd", 0, problemWithNoise(&Noise{Outliers: 0.1, OutlierStd: nan()})},
		{"Noise.OutlierStd<0", badParam, "Noise.OutlierStd", 0, problemWithNoise(&Noise{Outliers: 0.1, OutlierStd: -1})},
		{"Noise.OutlierStd=+Inf", badParam, "Noise.OutlierStd", 0, problemWithNoise(&Noise{Outliers: 0.1, OutlierStd: inf})},
		{"Noise.Std<0", badParam, "Noise.Std", 0, problemWithNoise(&Noise{Std: -1})},
		{"Noise.Std=NaN", badParam, "Noise.Std", 0, problemWithNoise(&Noise{Std: nan()})},
		{"Noise.Std=+Inf", badParam, "Noise.Std", 0, problemWithNoise(&Noise{Std: inf})},
		{"Noise.Outliers=0.5 is fine", finite, "", 0, problemWithNoise(&Noise{Outliers: 0.5})},
		{"Noise.AddTo with Outliers=NaN", lrPanic, "Noise.Outliers", 0, func() run {
			Noise{Outliers: nan()}.AddTo(mat.NewVecDense(3, nil), src())
			return run{}
		}},
		{"Noise.AddTo nil source", lrPanic, "nil source", 0, func() run {
			Noise{Std: 1}.AddTo(mat.NewVecDense(3, nil), nil)
			return run{}
		}},
		{"Problem literal y wrong length", lrPanic, "Problem.Y has length 9", 0, solveLiteral(gauss(10, 4), mat.NewVecDense(9, nil), nil)},
		{"Problem literal y NaN", badParam, "not finite", 0, func() run {
			y := mat.NewVecDense(10, nil)
			y.SetVec(3, nan())
			return solveLiteral(gauss(10, 4), y, nil)()
		}},
		{"Problem literal y +Inf", badParam, "not finite", 0, func() run {
			y := mat.NewVecDense(10, nil)
			y.SetVec(9, inf)
			return solveLiteral(gauss(10, 4), y, nil)()
		}},
		{"Problem literal truth shape mismatch", lrPanic, "Truth is 5×5", 0, solveLiteral(gauss(10, 4), mat.NewVecDense(10, nil), truth(5))},
		{"Problem literal nil y", lrPanic, "nil Problem.Y", 0, solveLiteral(gauss(10, 4), nil, nil)},
		{"Problem literal nil operator", lrPanic, "nil Problem.Op", 0, solveLiteral(nil, mat.NewVecDense(3, nil), nil)},
		{"Solve y made NaN after the fact", badParam, "not finite", 0, func() run {
			p, x := psd()
			p.Y.SetVec(0, nan())
			_, err := Solve(p, gd(), x, nil, nil)
			return errOnly(err)
		}},
		{"ApproxSym Spectrum increasing λ", lrPanic, "non-increasing", 0, inst(Instance{Kind: ApproxSym, N: 3, Rank: 1, Spectrum: []float64{1, 2, 0}})},
		{"ApproxSym Spectrum no gap", lrPanic, "gap", 0, inst(Instance{Kind: ApproxSym, N: 3, Rank: 2, Spectrum: []float64{2, 1, 1}})},
		{"ApproxSym Spectrum all-zero λ", lrPanic, "zero", 0, inst(Instance{Kind: ApproxSym, N: 3, Rank: 3, Spectrum: []float64{0, 0, 0}})},
		{"ApproxSym Rank=0", lrPanic, "Rank", 0, inst(Instance{Kind: ApproxSym, N: 2, Spectrum: []float64{2, 1}})},
		{"ApproxSym Rank>N", lrPanic, "Rank", 0, inst(Instance{Kind: ApproxSym, N: 2, Rank: 3, Spectrum: []float64{2, 1}})},
		{"ApproxSym Spectrum NaN λ", lrPanic, "finite", 0, inst(Instance{Kind: ApproxSym, N: 2, Rank: 1, Spectrum: []float64{2, nan()}})},
		{"ApproxSym Spectrum with Kappa", lrPanic, "leave them zero", 0, inst(Instance{Kind: ApproxSym, N: 2, Rank: 1, Kappa: 2, Spectrum: []float64{2, 1}})},
		{"ApproxSym nil source", lrPanic, "nil source", 0, func() run {
			Instance{Kind: ApproxSym, N: 2, Rank: 1, Spectrum: []float64{2, 1}}.Build(nil)
			return run{}
		}},
		{"ApproxAsym len(Spectrum)≠min(N,N2)", lrPanic, "Spectrum needs 3 values", 0, inst(Instance{Kind: ApproxAsym, N: 3, N2: 4, Rank: 1, Spectrum: []float64{2, 1}})},
		{"ApproxAsym N=0", lrPanic, "N ≥ 1", 0, inst(Instance{Kind: ApproxAsym, N2: 4, Rank: 1})},
		{"ApproxAsym N·N2 too big", lrPanic, "memory", 0, inst(Instance{Kind: ApproxAsym, N: 1 << 46, N2: 1, Rank: 1, Spectrum: []float64{1}})},

		// Instance.
		{"Instance N=0", lrPanic, "N ≥ 1", 0, inst(Instance{Rank: 1, M: 5})},
		{"Instance Rank>N", lrPanic, "Rank", 0, inst(Instance{N: 3, Rank: 4, M: 5})},
		{"Instance M=0", lrPanic, "M ≥ 1", 0, inst(Instance{N: 3, Rank: 1})},
		{"Instance κ<1", lrPanic, "κ", 0, inst(Instance{N: 3, Rank: 1, M: 5, Kappa: 0.5})},
		{"Instance Tail=1", lrPanic, "Tail", 0, inst(Instance{Kind: ApproxSym, N: 3, Rank: 1, Tail: 1})},
		{"Instance Outliers=1", lrPanic, "outlier", 0, inst(Instance{N: 3, Rank: 1, M: 5, Outliers: 1})},
		{"Instance Outliers=NaN", lrPanic, "outlier", 0, inst(Instance{N: 3, Rank: 1, M: 5, Outliers: nan()})},
		{"Instance Alpha<0", lrPanic, "Alpha", 0, inst(Instance{N: 3, Rank: 1, M: 5, Alpha: -1})},
		{"Instance Noise=NaN", lrPanic, "Noise", 0, inst(Instance{N: 3, Rank: 1, M: 5, Noise: nan()})},
		{"Instance Kind unknown", lrPanic, "Kind", 0, inst(Instance{Kind: 9, N: 3, Rank: 1, M: 5})},
		{"Instance RPrime<0", lrPanic, "RPrime", 0, inst(Instance{N: 3, Rank: 1, M: 5, RPrime: -1})},
		{"Instance completion M>N·N2", lrPanic, "M ≤ N·N2", 0, inst(Instance{Kind: Completion, N: 3, N2: 2, Rank: 1, M: 7})},
		{"Instance sensing too big", lrPanic, "memory", 0, inst(Instance{Kind: AsymSensing, N: 1 << 33, N2: 1, Rank: 1, M: 1 << 40})},
		{"Instance nil source", lrPanic, "nil source", 0, func() run { Instance{N: 3, Rank: 1, M: 5}.Build(nil); return run{} }},

		// Initializations.
		{"RandomFactor n=0", lrPanic, "n ≥ 1", 0, func() run { RandomFactor(0, 1, 1, StdAlpha, src()); return run{} }},
		{"RandomFactor r=0", lrPanic, "r′ ≥ 1", 0, func() run { RandomFactor(3, 0, 1, StdAlpha, src()); return run{} }},
		{"RandomFactor α<0", lrPanic, "α", 0, func() run { RandomFactor(3, 1, -1, StdAlpha, src()); return run{} }},
		{"RandomFactor α=NaN", lrPanic, "α", 0, func() run { RandomFactor(3, 1, nan(), StdAlpha, src()); return run{} }},
		{"RandomFactor α=+Inf", lrPanic, "α", 0, func() run { RandomFactor(3, 1, inf, StdAlpha, src()); return run{} }},
		{"RandomFactor scale unknown", lrPanic, "InitScale", 0, func() run { RandomFactor(3, 1, 1, 9, src()); return run{} }},
		{"RandomFactor n·r overflows", lrPanic, "memory", 0, func() run { RandomFactor(1<<40, 1<<40, 1, StdAlpha, src()); return run{} }},
		{"RandomFactor nil source", lrPanic, "nil source", 0, func() run { RandomFactor(3, 1, 1, StdAlpha, nil); return run{} }},
		{"Spectral r=0", badParam, "r", 0, func() run { p, _ := psd(); _, err := Spectral(p, 0, true); return errOnly(err) }},
		{"Spectral r>n", badParam, "r", 0, func() run { p, _ := psd(); _, err := Spectral(p, 7, true); return errOnly(err) }},
		{"Spectral sym on non-square", badParam, "square", 0, func() run { p, _ := asym(); _, err := Spectral(p, 1, true); return errOnly(err) }},
		{"Spectral nil problem", lrPanic, "nil problem", 0, func() run { Spectral(nil, 1, true); return run{} }},
		{"SignSpectral non-square", badParam, "square", 0, func() run { p, _ := asym(); _, err := SignSpectral(p, 1, 1); return errOnly(err) }},
		{"SignSpectral r=0", badParam, "r′", 0, func() run { p, _ := psd(); _, err := SignSpectral(p, 0, 1); return errOnly(err) }},
		{"SignSpectral α=NaN", badParam, "α", 0, func() run { p, _ := psd(); _, err := SignSpectral(p, 1, nan()); return errOnly(err) }},
		{"SignSpectral nil problem", lrPanic, "nil problem", 0, func() run { SignSpectral(nil, 1, 1); return run{} }},

		// Solve: nil arguments and shapes.
		{"Solve nil problem", lrPanic, "nil problem", 0, func() run { _, x := psd(); Solve(nil, gd(), x, nil, nil); return run{} }},
		{"Solve nil method", lrPanic, "nil method", 0, func() run { p, x := psd(); Solve(p, nil, x, nil, nil); return run{} }},
		{"Solve typed nil method", lrPanic, "nil method", 0, func() run { p, x := psd(); var g *GD; Solve(p, g, x, nil, nil); return run{} }},
		{"Solve zero Problem", lrPanic, "nil Problem.Op", 0, func() run { _, x := psd(); Solve(&Problem{}, gd(), x, nil, nil); return run{} }},
		{"Solve Problem without Y", lrPanic, "nil Problem.Y", 0, func() run { p, x := psd(); p.Y = nil; Solve(p, gd(), x, nil, nil); return run{} }},
		{"Solve Factors without L", lrPanic, "no L", 0, func() run { p, _ := psd(); Solve(p, gd(), Factors{}, nil, nil); return run{} }},
		{"Solve L with wrong rows", lrPanic, "Factors.L has 5 rows", 0, func() run {
			p, _ := psd()
			Solve(p, gd(), Factors{L: mat.NewDense(5, 1, nil)}, nil, nil)
			return run{}
		}},
		{"Solve R with wrong rows", lrPanic, "Factors.R has 6 rows", 0, func() run {
			p, x := asym()
			x.R = mat.NewDense(6, 1, nil)
			Solve(p, gd(), x, nil, nil)
			return run{}
		}},
		{"Solve factor ranks differ", lrPanic, "Factors.R has rank 2", 0, func() run {
			p, x := asym()
			x.R = mat.NewDense(5, 2, nil)
			Solve(p, gd(), x, nil, nil)
			return run{}
		}},
		{"Solve symmetric factors, non-square problem", lrPanic, "non-square", 0, func() run {
			p, x := asym()
			x.R = nil
			Solve(p, gd(), x, nil, nil)
			return run{}
		}},

		// Recorders, metrics and reducers.
		{"zero-value Trajectory records the standard series", finite, "", IterLimit, func() run {
			p, x := psd()
			var tr Trajectory
			s := &Settings{MaxIterations: 4}
			res, err := Solve(p, gd(), x, s, &tr)
			r := run{err: err, p: p, s: s, res: res, traj: &tr}
			r.check = func(t *testing.T, r run) {
				for _, name := range []string{SeriesRelErr, SeriesLoss, SeriesGradNorm} {
					if len(tr.Series(name)) != len(tr.Iter) || len(tr.Iter) != 5 {
						t.Errorf("%s: %d values for %d iterations", name, len(tr.Series(name)), len(tr.Iter))
					}
				}
			}
			return r
		}},
		{"gob round trip of a standard Trajectory records again", finite, "", IterLimit, func() run {
			r := trajRound()()
			r.check = func(t *testing.T, r run) {
				if n := len(r.traj.Iter); n != 6 || len(r.traj.Series(SeriesLoss)) != n {
					t.Errorf("decoded trajectory recorded %d iterations, %d losses", n, len(r.traj.Series(SeriesLoss)))
				}
			}
			return r
		}},
		{"gob round trip with a metric: Init fails", badParam, "NewTrajectory", 0, trajRound(SingularValuesMetric(2))},
		{"Metric with nil Eval", lrPanic, "nil Eval", 0, func() run { NewTrajectory(Schedule{}, Metric{Names: []string{"x"}}); return run{} }},
		{"NewMetric nil function", lrPanic, "nil metric function", 0, func() run { NewMetric("x", nil); return run{} }},
		{"SingularValuesMetric k<0", lrPanic, "0 ≤ k", 0, func() run { SingularValuesMetric(-1); return run{} }},
		{"SEFGMetric nil truth", lrPanic, "nil truth", 0, func() run { SEFGMetric(nil); return run{} }},
		{"Aggregate nil trajectory", lrPanic, "nil trajectory ts[1]", 0, func() run {
			Aggregate([]*Trajectory{NewTrajectory(Schedule{}), nil}, SeriesLoss, 0.25, 0.75)
			return run{}
		}},
		{"Aggregate qlo>qhi", lrPanic, "qlo", 0, func() run { Aggregate(nil, SeriesLoss, 0.9, 0.1); return run{} }},
		{"Aggregate unknown series", lrPanic, "no series", 0, func() run { Aggregate([]*Trajectory{NewTrajectory(Schedule{})}, "nope", 0, 1); return run{} }},
		{"Last on a nil Trajectory (a reducer's missing run)", lrPanic, "nil Trajectory", 0, func() run { var tr *Trajectory; tr.Last(SeriesLoss); return run{} }},
		{"FirstBelow on a nil Trajectory", lrPanic, "nil Trajectory", 0, func() run { var tr *Trajectory; tr.FirstBelow(SeriesLoss, 1); return run{} }},
		{"Series unknown name", lrPanic, "no series", 0, func() run { NewTrajectory(Schedule{}).Series("nope"); return run{} }},
		{"RunTrials nil trial", lrPanic, "nil trial", 0, func() run { RunTrials[int](1, 1, 0, nil); return run{} }},
		{"RunTrials n<0", badParam, "trials", 0, func() run {
			_, err := RunTrials(-1, 1, 0, func(int, rand.Source) (int, error) { return 0, nil })
			return errOnly(err)
		}},
	}
}

// TestBadInputTable runs every row and checks its class of outcome.
func TestBadInputTable(t *testing.T) {
	rs := rows()
	counts := map[outcome]int{}
	seen := map[string]bool{}
	for _, r := range rs {
		if seen[r.name] {
			t.Fatalf("two rows named %q", r.name)
		}
		seen[r.name] = true
		counts[r.want]++
		t.Run(r.name, func(t *testing.T) {
			got, msg, pv := call(r.f)
			switch r.want {
			case lrPanic:
				if pv == nil {
					t.Fatalf("no panic (err %v), want an lrsense: panic naming %q", got.err, r.arg)
				}
				if !strings.HasPrefix(msg, "lrsense:") || !strings.Contains(msg, r.arg) {
					t.Fatalf("panic %q, want one starting \"lrsense:\" and naming %q", msg, r.arg)
				}
			case badParam:
				if pv != nil {
					t.Fatalf("panic %q, want an error wrapping ErrBadParam", msg)
				}
				if !errors.Is(got.err, ErrBadParam) {
					t.Fatalf("error %v, want one wrapping ErrBadParam", got.err)
				}
				if !strings.Contains(got.err.Error(), r.arg) {
					t.Errorf("error %q does not name %q", got.err, r.arg)
				}
			case finite:
				if pv != nil {
					t.Fatalf("panic %q, want a finite result", msg)
				}
				if got.err != nil {
					t.Fatalf("error %v, want a finite result", got.err)
				}
				if got.res != nil {
					if got.res.Status != r.status {
						t.Errorf("status %v after %d steps, want %v", got.res.Status, got.res.Stats.Iterations, r.status)
					}
					if err := checkResult(got.p, got.s, got.res, got.traj); err != nil {
						t.Error(err)
					}
				}
				if got.check != nil {
					got.check(t, got)
				}
			}
		})
	}
	t.Logf("%d rows: %d ErrBadParam, %d lrsense: panics, %d finite results", len(rs), counts[badParam], counts[lrPanic], counts[finite])
	if len(rs) < 100 {
		t.Errorf("only %d rows", len(rs))
	}
}

// call runs f and returns its run, or the message and value of its panic.
func call(f func() run) (r run, msg string, pv any) {
	defer func() {
		if v := recover(); v != nil {
			pv, msg = v, fmt.Sprint(v)
		}
	}()
	return f(), "", nil
}

// checkResult returns an error unless res is a truthful outcome of Solve
// on p with settings s (nil for defaults): Converged only when a
// tolerance holds at the returned iterate, IterLimit only at the limit,
// NonFinite only with something non-finite, Diverged only past the limit
// (when the trajectory traj, if given, shows the initial loss), a finite
// iterate unless NonFinite, and Stats that match the iterate.
func checkResult(p *Problem, s *Settings, res *Result, traj *Trajectory) error {
	if s == nil {
		s = &Settings{}
	}
	maxIter := s.MaxIterations
	if maxIter == 0 {
		maxIter = 1000
	}
	limit := s.DivergeLimit
	if limit == 0 {
		limit = 1e6
	}
	if res == nil {
		return errors.New("nil Result without an error")
	}
	it := res.Stats.Iterations
	if it < 0 || it > maxIter {
		return fmt.Errorf("%d iterations, limit %d", it, maxIter)
	}
	fin := finiteFactors(res.X)
	relErr := math.NaN()
	if p.Truth != nil && fin {
		relErr = p.RelErr(res.X)
		same := relErr == res.Stats.RelErr || math.IsNaN(relErr) && math.IsNaN(res.Stats.RelErr)
		if d := math.Abs(relErr - res.Stats.RelErr); !same && !(d <= 1e-12*math.Max(1, relErr)) {
			return fmt.Errorf("Stats.RelErr %v, the iterate's relative error is %v", res.Stats.RelErr, relErr)
		}
	}
	loss := res.Stats.Loss
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	if traj != nil && len(traj.Iter) > 0 && traj.Iter[len(traj.Iter)-1] != it {
		return fmt.Errorf("trajectory ends at %d, the run at %d", traj.Iter[len(traj.Iter)-1], it)
	}
	switch res.Status {
	case Converged:
		okRel := s.RelErrTol > 0 && relErr <= s.RelErrTol
		okLoss := s.LossTol > 0 && loss <= s.LossTol
		if !okRel && !okLoss || !fin {
			return fmt.Errorf("Converged at relerr %v, loss %v with RelErrTol %v, LossTol %v", relErr, loss, s.RelErrTol, s.LossTol)
		}
	case IterLimit:
		if it != maxIter || !fin {
			return fmt.Errorf("IterLimit after %d of %d iterations (finite %v)", it, maxIter, fin)
		}
	case NonFinite:
		if fin && !bad(loss) && !(p.Truth != nil && bad(relErr)) {
			return fmt.Errorf("NonFinite with a finite iterate, loss %v, relerr %v", loss, relErr)
		}
	case Diverged:
		over := relErr > limit
		if traj != nil {
			l0 := traj.Series(SeriesLoss)[0]
			over = over || l0 > 0 && loss > limit*l0
		} else {
			over = over || p.Truth == nil
		}
		if !over || !fin {
			return fmt.Errorf("Diverged at relerr %v, loss %v, limit %v", relErr, loss, limit)
		}
	case Canceled:
		if s.Context == nil || s.Context.Err() == nil {
			return errors.New("Canceled without a canceled context")
		}
	default:
		return fmt.Errorf("status %v", res.Status)
	}
	return nil
}

func finiteFactors(x Factors) bool {
	for _, m := range []*mat.Dense{x.L, x.R} {
		if m == nil {
			continue
		}
		r, c := m.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
					return false
				}
			}
		}
	}
	return true
}

// wrappedOp is an Operator of the test's own type, for typed-nil inputs.
type wrappedOp struct{ Operator }
