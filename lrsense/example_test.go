package lrsense_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/lrsense/lrsense/lrsense"
	"gonum.org/v1/gonum/mat"
)

// The main path: build an instance, solve it from a small random
// initialization, read the trajectory.
func Example() {
	// A rank-2 PSD truth with condition number 2, measured by m = 200
	// symmetric Gaussian measurements; over-parameterized (r′ = 4 > r = 2)
	// and a small initialization, entries N(0, α²/n).
	p, x0 := lrsense.Instance{N: 20, Rank: 2, RPrime: 4, M: 200, Kappa: 2,
		Alpha: 1e-3, Scale: lrsense.StdAlphaOverSqrtRows}.Build(lrsense.NewSource(1))

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
	fmt.Println("one pass over the operator per step:", res.Stats.Applies == res.Stats.Iterations+1)
	fmt.Println("recorded series:", traj.Names)
	// Output:
	// status: Converged
	// relative error below 1e-3: true
	// below 1e-2 before iteration 1000: true
	// one pass over the operator per step: true
	// recorded series: [relerr loss gradnorm]
}

// The long path, for setups Instance does not cover: each piece drawn in
// turn from one source. This is exactly what Instance.Build draws.
func Example_longPath() {
	src := lrsense.NewSource(1)
	sigma := lrsense.Linear.Spectrum(2, 2)
	truth, _ := lrsense.NewPSDTruth(20, sigma, src)
	op, _ := lrsense.NewSymGaussian(200, 20, src)
	p, _ := lrsense.NewProblem(op, truth, nil, src)
	x0 := lrsense.Factors{L: lrsense.RandomFactor(20, 4, 1e-3, lrsense.StdAlphaOverSqrtRows, src)}

	q, y0 := lrsense.Instance{N: 20, Rank: 2, RPrime: 4, M: 200, Kappa: 2,
		Alpha: 1e-3, Scale: lrsense.StdAlphaOverSqrtRows}.Build(lrsense.NewSource(1))
	fmt.Println("same measurements:", mat.Equal(p.Y, q.Y), "same start:", mat.Equal(x0.L, y0.L))
	// Output:
	// same measurements: true same start: true
}

// Bad parameters from a notebook come back as errors, not panics.
func ExampleSolve_badStep() {
	src := lrsense.NewSource(1)
	truth, _ := lrsense.NewPSDTruth(5, []float64{1}, src)
	op, _ := lrsense.NewSymGaussian(30, 5, src)
	p, _ := lrsense.NewProblem(op, truth, nil, src)
	x0 := lrsense.Factors{L: lrsense.RandomFactor(5, 1, 0.1, lrsense.StdAlphaOverSqrtRows, src)}
	_, err := lrsense.Solve(p, &lrsense.GD{Eta: -0.1}, x0, nil, nil)
	fmt.Println(err)
	// Output:
	// lrsense: bad parameter: GD step must be positive and finite, got -0.1
}

// Trials run in parallel with per-trial seeds; the aggregate is a median
// and a quantile band per recorded iteration.
func ExampleRunTrials() {
	trajs, err := lrsense.RunTrials(4, 0, 7, func(i int, src rand.Source) (*lrsense.Trajectory, error) {
		p, x0 := lrsense.Instance{N: 10, Rank: 2, M: 120, Kappa: 2,
			Alpha: 1e-3, Scale: lrsense.StdAlphaOverSqrtRows}.Build(src)
		traj := lrsense.NewTrajectory(lrsense.Schedule{Every: 100})
		_, err := lrsense.Solve(p, &lrsense.GD{Eta: 0.25}, x0, &lrsense.Settings{MaxIterations: 500}, traj)
		return traj, err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	band := lrsense.Aggregate(trajs, lrsense.SeriesRelErr, 0.25, 0.75)
	fmt.Println("points:", len(band.Iter), "final median below 1e-3:", band.Median[len(band.Median)-1] < 1e-3)
	// Output:
	// points: 6 final median below 1e-3: true
}
