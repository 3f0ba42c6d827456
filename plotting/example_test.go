package plotting_test

import (
	"fmt"
	"math"
	"strings"

	"github.com/lrsense/lrsense/plotting"
)

// A convergence plot of two runs, one of which diverges, shown inline in a
// notebook (Display does nothing elsewhere).
func ExampleConvergence() {
	var it, gd, big []float64
	for i := 0; i <= 100; i += 10 {
		it = append(it, float64(i))
		gd = append(gd, math.Pow(0.8, float64(i)))
		big = append(big, math.Pow(1.5, float64(i))) // overflows to +Inf below
	}
	big[len(big)-1] = math.Inf(1)

	f := plotting.Convergence("GD", "relative error",
		plotting.Series{Name: "step 0.1", X: it, Y: gd},
		plotting.Series{Name: "step 2", X: it, Y: big, Dashed: true},
	)
	f.Display()
	svg := f.SVG()
	fmt.Println(strings.Contains(svg, "step 2 (diverged)"), strings.Contains(svg, "NaN"))
	// Output:
	// true false
}

// The last cell of a paper notebook: claims measured by the notebook,
// checked against their targets.
func ExampleRepro() {
	slope := 1.02 // measured by the notebook
	ok := plotting.Repro("01-example",
		plotting.Between("fig2-slope", "final error ∝ α", "1", slope, 0.9, 1.1),
		plotting.AtMost("fig3-relerr", "exact recovery", "< 1e-6", 3e-4, 1e-6),
	)
	fmt.Println("all passed:", ok)
	// Output:
	// REPRO	01-example	fig2-slope	1.02	in [0.9, 1.1]	PASS
	// REPRO	01-example	fig3-relerr	0.0003	<= 1e-06	FAIL
	// claim        what             paper   measured  target         verdict
	// -----        ----             -----   --------  ------         -------
	// fig2-slope   final error ∝ α  1       1.02      in [0.9, 1.1]  PASS
	// fig3-relerr  exact recovery   < 1e-6  0.0003    <= 1e-06       FAIL
	// all passed: false
}
