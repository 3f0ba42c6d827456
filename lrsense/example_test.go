package lrsense_test

import (
	"fmt"

	"github.com/lrsense/lrsense/lrsense"
)

// The main path: build a problem, solve it from a small random
// initialization, read the trajectory.
func Example() {
	src := lrsense.NewSource(1)

	// A rank-2 PSD truth with condition number 2, measured by m = 200
	// symmetric Gaussian measurements.
	sigma, _ := lrsense.Spectrum(2, 2, lrsense.Linear)
	truth, _ := lrsense.NewPSDTruth(20, sigma, src)
	op, _ := lrsense.NewSymGaussian(200, 20, src)
	p, _ := lrsense.NewProblem(op, truth, nil, src)

	// Over-parameterized: r′ = 4 > r = 2, small initialization.
	x0, _ := lrsense.RandomSym(20, 4, 1e-3, lrsense.StdAlphaOverSqrtRows, src)

	traj := lrsense.NewTrajectory(lrsense.Schedule{Every: 50})
	res, err := lrsense.Solve(p, &lrsense.GD{Eta: 0.25}, x0,
		&lrsense.Settings{MaxIterations: 3000, RelErrTol: 1e-3}, traj)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("status:", res.Status)
	fmt.Println("relative error below 1e-3:", res.Stats.RelErr <= 1e-3)
	first, _ := traj.FirstBelow(lrsense.SeriesRelErr, 1e-2)
	fmt.Println("below 1e-2 before iteration 1000:", first < 1000)
	fmt.Println("recorded series:", traj.Names)
	// Output:
	// status: Converged
	// relative error below 1e-3: true
	// below 1e-2 before iteration 1000: true
	// recorded series: [relerr loss gradnorm]
}

// Bad parameters from a notebook come back as errors, not panics.
func ExampleSolve_badStep() {
	src := lrsense.NewSource(1)
	truth, _ := lrsense.NewPSDTruth(5, []float64{1}, src)
	op, _ := lrsense.NewSymGaussian(30, 5, src)
	p, _ := lrsense.NewProblem(op, truth, nil, src)
	x0, _ := lrsense.RandomSym(5, 1, 0.1, lrsense.StdAlphaOverSqrtRows, src)
	_, err := lrsense.Solve(p, &lrsense.GD{Eta: -0.1}, x0, nil, nil)
	fmt.Println(err)
	// Output:
	// lrsense: bad parameter: GD step must be positive and finite, got -0.1
}

// Trials run in parallel with per-trial seeds; the aggregate is a median
// and a quantile band per recorded iteration.
func ExampleRunTrials() {
	trajs, err := lrsense.RunTrials(4, 0, 7, func(i int, src lrsense.Source) (*lrsense.Trajectory, error) {
		truth, _ := lrsense.NewPSDTruth(10, []float64{1, 0.5}, src)
		op, _ := lrsense.NewSymGaussian(120, 10, src)
		p, _ := lrsense.NewProblem(op, truth, nil, src)
		x0, _ := lrsense.RandomSym(10, 2, 1e-3, lrsense.StdAlphaOverSqrtRows, src)
		traj := lrsense.NewTrajectory(lrsense.Schedule{Every: 100})
		_, err := lrsense.Solve(p, &lrsense.GD{Eta: 0.25}, x0, &lrsense.Settings{MaxIterations: 500}, traj)
		return traj, err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	band := lrsense.Aggregate(trajs, "relerr", 0.25, 0.75)
	fmt.Println("points:", len(band.Iter), "final median below 1e-3:", band.Median[len(band.Median)-1] < 1e-3)
	// Output:
	// points: 6 final median below 1e-3: true
}
