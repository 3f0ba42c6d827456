package experiment_test

import (
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/lrsense/lrsense/lrsense"
	"github.com/lrsense/lrsense/lrsense/experiment"
)

// A sweep over one parameter with 20 seeded trials a point: each trial
// "succeeds" with probability P. The results are stored (here in a
// temporary directory), so a second Run reads them back.
func ExampleSweep() {
	store, _ := os.MkdirTemp("", "sweeps")
	defer os.RemoveAll(store)

	type Coin struct{ P float64 }
	sw := experiment.Sweep[Coin]{
		Name:   "coins",
		Points: experiment.Grid(Coin{}, experiment.Vary("P", 0.1, 0.5, 0.9)),
		Trials: 20,
		Seed:   1,
		Trial: func(c Coin, seed uint64) (*lrsense.Trajectory, error) {
			heads := 0.0
			if rand.New(lrsense.NewSource(seed)).Float64() < c.P {
				heads = 1
			}
			return experiment.Scalars("heads", heads), nil
		},
		Store: store,
		Quiet: true,
	}
	res := sw.MustRun()
	for i, c := range res.Points {
		p := experiment.Success(res.Trajs(i), func(t *lrsense.Trajectory) bool { return t.Last("heads") == 1 })
		fmt.Printf("P = %.1f: %d/%d heads, Wilson 95%% interval [%.2f, %.2f]\n", c.P, p.K, p.N, p.Lo, p.Hi)
	}
	again := sw.MustRun()
	fmt.Printf("first run computed %d shards; the second read %d back\n", res.Computed, again.Loaded)
	// Output:
	// P = 0.1: 2/20 heads, Wilson 95% interval [0.03, 0.30]
	// P = 0.5: 12/20 heads, Wilson 95% interval [0.39, 0.78]
	// P = 0.9: 20/20 heads, Wilson 95% interval [0.84, 1.00]
	// first run computed 60 shards; the second read 60 back
}

// An α sweep whose points share each trial's problem, run in lock step:
// Share puts the three α in one group, and TrialGroup builds the trial's
// problem once and solves the three runs with lrsense.SolveAll, so every
// sweep over the operator serves all of them. The results are those of
// the same sweep with a Trial solving each point alone (bit for bit), and
// each run still stops by its own rule.
func ExampleSweep_trialGroup() {
	store, _ := os.MkdirTemp("", "sweeps")
	defer os.RemoveAll(store)

	type Point struct{ Alpha float64 }
	const n = 20
	// instance builds trial seed's problem and initialization direction.
	instance := func(seed uint64) (*lrsense.Problem, lrsense.Factors) {
		src := lrsense.NewSource(seed)
		sigma := lrsense.Linear.Spectrum(2, 2)
		truth, _ := lrsense.NewPSDTruth(n, sigma, src)
		op, _ := lrsense.NewSymGaussian(10*n, n, src)
		p, _ := lrsense.NewProblem(op, truth, nil, src)
		dir := lrsense.Factors{L: lrsense.RandomFactor(n, 4, 1, lrsense.StdAlphaOverSqrtRows, src)}
		return p, dir
	}
	sw := experiment.Sweep[Point]{
		Name:   "alpha lock step",
		Points: experiment.Grid(Point{}, experiment.Vary("Alpha", 1e-2, 1e-4, 1e-6)),
		Trials: 4,
		Seed:   1,
		Share:  func(Point) any { return "one instance" }, // every α on each trial's instance
		TrialGroup: func(group []Point, seed uint64) ([]*lrsense.Trajectory, error) {
			p, dir := instance(seed)
			runs := make([]lrsense.Run, len(group))
			trajs := make([]*lrsense.Trajectory, len(group))
			for i, c := range group {
				x0 := dir.Clone()
				x0.L.Scale(c.Alpha, x0.L)
				trajs[i] = lrsense.NewTrajectory(lrsense.Schedule{Every: 10})
				runs[i] = lrsense.Run{Problem: p, Method: &lrsense.GD{Eta: 0.25}, X0: x0,
					Settings: &lrsense.Settings{MaxIterations: 400, RelErrTol: 1e-3}, Trajectory: trajs[i]}
			}
			_, err := lrsense.SolveAll(runs)
			return trajs, err
		},
		Store: store,
		Quiet: true,
	}
	res := sw.MustRun()
	for i, c := range res.Points {
		ts := res.Trajs(i)
		conv := experiment.Success(ts, func(t *lrsense.Trajectory) bool { return t.Status == lrsense.Converged })
		var iters []float64
		for _, t := range ts {
			iters = append(iters, float64(t.Stats.Iterations))
		}
		fmt.Printf("α = %.0e: converged %d/%d, median %v iterations, relative error %.1e\n", c.Alpha, conv.K, conv.N,
			experiment.Median(iters), experiment.Median(experiment.Final(ts, lrsense.SeriesRelErr)))
	}
	// The larger α stalls above the tolerance (its error floor grows with
	// α); the smaller α converge, the smaller one after a longer plateau.

	// Output:
	// α = 1e-02: converged 0/4, median 400 iterations, relative error 2.1e-03
	// α = 1e-04: converged 4/4, median 155.5 iterations, relative error 9.7e-04
	// α = 1e-06: converged 4/4, median 191 iterations, relative error 9.8e-04
}
