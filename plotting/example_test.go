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
