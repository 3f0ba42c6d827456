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
