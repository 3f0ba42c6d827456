package lrsense_test

import (
	"fmt"

	"github.com/lrsense/lrsense/lrsense"
)

// An α sweep on one problem, as in Stöger & Soltanolkotabi's Figure 1: the
// runs share every sweep over the operator, each stops by its own rule
// (the smaller α, the longer the plateau before the error falls).
func ExampleSolveAll() {
	src := lrsense.NewSource(1)
	sigma := lrsense.Linear.Spectrum(2, 2)
	truth, _ := lrsense.NewPSDTruth(20, sigma, src)
	op, _ := lrsense.NewSymGaussian(200, 20, src)
	p, _ := lrsense.NewProblem(op, truth, nil, src)

	alphas := []float64{1e-3, 1e-6, 1e-9}
	var runs []lrsense.Run
	for _, a := range alphas {
		x0 := lrsense.Factors{L: lrsense.RandomFactor(20, 4, a, lrsense.StdAlphaOverSqrtRows, src)}
		runs = append(runs, lrsense.Run{Problem: p, Method: &lrsense.GD{Eta: 0.25}, X0: x0,
			Settings: &lrsense.Settings{MaxIterations: 3000, RelErrTol: 1e-3}})
	}
	res, err := lrsense.SolveAll(runs)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, r := range res {
		fmt.Printf("α = %.0e: %v, later than the run before: %v\n", alphas[i], r.Status,
			i > 0 && r.Stats.Iterations > res[i-1].Stats.Iterations)
	}
	// Output:
	// α = 1e-03: Converged, later than the run before: false
	// α = 1e-06: Converged, later than the run before: true
	// α = 1e-09: Converged, later than the run before: true
}
