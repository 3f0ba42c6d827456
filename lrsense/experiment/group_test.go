package experiment

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
)

// lockConfig is a point of an α sweep of gradient descent on a PSD
// instance of size N.
type lockConfig struct {
	N     int
	Alpha float64
}

// lockInstance builds trial seed's problem and the initialization
// direction (α = 1), the same for every α.
func lockInstance(n int, seed uint64) (*lrsense.Problem, *mat.Dense) {
	src := lrsense.NewSource(seed)
	sigma := lrsense.Linear.Spectrum(2, 2)
	truth, err := lrsense.NewPSDTruth(n, sigma, src)
	if err != nil {
		panic(err)
	}
	op, err := lrsense.NewSymGaussian(10*n, n, src)
	if err != nil {
		panic(err)
	}
	p, err := lrsense.NewProblem(op, truth, nil, src)
	if err != nil {
		panic(err)
	}
	return p, lrsense.RandomFactor(n, 4, 1, lrsense.StdAlphaOverSqrtRows, src)
}

// lockRun is the run of point c on p from α·dir.
func lockRun(p *lrsense.Problem, dir *mat.Dense, c lockConfig) (lrsense.Run, *lrsense.Trajectory) {
	var l mat.Dense
	l.Scale(c.Alpha, dir)
	tr := lrsense.NewTrajectory(lrsense.Schedule{Every: 7})
	return lrsense.Run{Problem: p, Method: &lrsense.GD{Eta: 0.25}, X0: lrsense.Factors{L: &l},
		Settings: &lrsense.Settings{MaxIterations: 400, RelErrTol: 1e-3}, Trajectory: tr}, tr
}

// lockSweep is an α sweep on two problem sizes, the α of one size sharing
// an instance; with group set, each group runs in lock step
// (lrsense.SolveAll), otherwise point by point (lrsense.Solve).
func lockSweep(store string, group bool) *Sweep[lockConfig] {
	sw := &Sweep[lockConfig]{
		Name:   "lock step",
		Points: Grid(lockConfig{}, Vary("N", 12, 16), Vary("Alpha", 1e-2, 1e-4, 1e-6)),
		Trials: 3,
		Seed:   5,
		Share:  func(c lockConfig) any { return c.N },
		Shards: 4,
		Store:  store,
		Quiet:  true,
	}
	if !group {
		sw.Trial = func(c lockConfig, seed uint64) (*lrsense.Trajectory, error) {
			p, dir := lockInstance(c.N, seed)
			r, tr := lockRun(p, dir, c)
			_, err := lrsense.Solve(r.Problem, r.Method, r.X0, r.Settings, r.Trajectory)
			return tr, err
		}
		return sw
	}
	sw.TrialGroup = func(g []lockConfig, seed uint64) ([]*lrsense.Trajectory, error) {
		p, dir := lockInstance(g[0].N, seed)
		runs := make([]lrsense.Run, len(g))
		trs := make([]*lrsense.Trajectory, len(g))
		for i, c := range g {
			runs[i], trs[i] = lockRun(p, dir, c)
		}
		_, err := lrsense.SolveAll(runs)
		return trs, err
	}
	return sw
}

// TestTrialGroupIdentical: a sweep whose Share groups run in lock step
// through TrialGroup (lrsense.SolveAll) gives bit-identical results to the
// same sweep run point by point, has the same key, and reads back the
// store the other computed.
func TestTrialGroupIdentical(t *testing.T) {
	single := lockSweep(t.TempDir(), false)
	single.Workers = 1
	want := mustRun(t, single)

	grouped := lockSweep(t.TempDir(), true)
	var calls atomic.Int32
	inner := grouped.TrialGroup
	grouped.TrialGroup = func(g []lockConfig, seed uint64) ([]*lrsense.Trajectory, error) {
		calls.Add(1)
		if len(g) != 3 || g[0].N != g[2].N || g[0].Alpha != 1e-2 || g[2].Alpha != 1e-6 {
			return nil, fmt.Errorf("group %+v: want the three α of one N in point order", g)
		}
		return inner(g, seed)
	}
	grouped.Workers = 2
	got := mustRun(t, grouped)
	if n := calls.Load(); n != 2*3 {
		t.Errorf("TrialGroup called %d times, want 2 groups × 3 trials", n)
	}
	sameRuns(t, "lock step vs one at a time", want.Runs, got.Runs)
	for i := range got.Runs {
		r := got.Runs[i]
		if r.Traj.Stats.Iterations < 10 || len(r.Traj.Iter) < 2 {
			t.Fatalf("run %d: %d iterations, %d recorded: not a real run", i, r.Traj.Stats.Iterations, len(r.Traj.Iter))
		}
	}
	// The runs of a group are distinct and stop by their own rules: the
	// smaller α, the longer the plateau before the error falls (α = 1e-6
	// after 1e-4), and α = 1e-2 stalls above the tolerance (its error
	// floor grows with α) until the iteration limit.
	for i, c := range got.Points {
		for tr := range got.Trials {
			r := got.Runs[i*got.Trials+tr].Traj
			if want := lrsense.Converged; c.Alpha == 1e-2 && r.Status != lrsense.IterLimit || c.Alpha != 1e-2 && r.Status != want {
				t.Errorf("%+v trial %d: %v", c, tr, r.Status)
			}
			if c.Alpha == 1e-6 {
				if prev := got.Runs[(i-1)*got.Trials+tr].Traj; prev.Stats.Iterations >= r.Stats.Iterations {
					t.Errorf("%+v trial %d: %d iterations, not more than α = 1e-4's %d", c, tr, r.Stats.Iterations, prev.Stats.Iterations)
				}
			}
		}
	}
	if mustPlan(t, single).key != mustPlan(t, grouped).key {
		t.Errorf("TrialGroup changed the sweep key")
	}

	// The point-by-point store is read back by the lock-step sweep, and
	// the other way round.
	grouped.Store = single.Store
	calls.Store(0)
	back := mustRun(t, grouped)
	if back.Computed != 0 || calls.Load() != 0 {
		t.Errorf("lock-step sweep on the point-by-point store computed %d shards", back.Computed)
	}
	sameRuns(t, "read back", want.Runs, back.Runs)
	single.Store = got.Dir[:len(got.Dir)-len(filepath.Base(got.Dir))]
	if r := mustRun(t, single); r.Computed != 0 {
		t.Errorf("point-by-point sweep on the lock-step store computed %d shards", r.Computed)
	}
}

// TestTrialGroupWorkerMode computes the shards of a lock-step sweep in
// worker processes (as Slurm array tasks do, see TestMain) and compares
// them with the point-by-point sweep in this process.
func TestTrialGroupWorkerMode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs subprocesses")
	}
	sw := lockSweep(t.TempDir(), true)
	p := mustPlan(t, sw)
	dir := filepath.Join(t.TempDir(), p.dirName)
	for sh := range p.shards {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), EnvDir+"="+dir, fmt.Sprintf("%s=%d", EnvShard, sh), "TEST_GROUP_WORKER=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("worker for shard %d: %v\n%s", sh, err, out)
		}
	}
	viaWorkers := lockSweep(filepath.Dir(dir), false) // Trial would panic: nothing is computed
	viaWorkers.Trial = func(lockConfig, uint64) (*lrsense.Trajectory, error) { panic("computed again") }
	rw := mustRun(t, viaWorkers)
	if rw.Computed != 0 || rw.Loaded != p.shards {
		t.Errorf("worker directory: computed %d, loaded %d", rw.Computed, rw.Loaded)
	}
	sameRuns(t, "lock-step workers vs point by point", mustRun(t, lockSweep(t.TempDir(), false)).Runs, rw.Runs)
}

// TestTrialGroupFailures: an error or a panic of TrialGroup fails every
// trial of its group and nothing else; a wrong number of trajectories
// too; a nil trajectory fails its point only. No shard holding a failed
// trial is stored.
func TestTrialGroupFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bad    func(g []lockConfig) ([]*lrsense.Trajectory, error)
		failed int // failed trials of the bad group (of 3 points × 3 trials)
		msg    string
	}{
		{"error", func([]lockConfig) ([]*lrsense.Trajectory, error) { return nil, errors.New("planted error") }, 9, "planted error"},
		{"panic", func([]lockConfig) ([]*lrsense.Trajectory, error) { panic("planted panic") }, 9, "planted panic"},
		{"short", func([]lockConfig) ([]*lrsense.Trajectory, error) { return make([]*lrsense.Trajectory, 2), nil }, 9, "2 trajectories for 3 points"},
		{"nil trajectory", func(g []lockConfig) ([]*lrsense.Trajectory, error) {
			return []*lrsense.Trajectory{Scalars("x", 1), nil, Scalars("x", 1)}, nil
		}, 3, "nil Trajectory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sw := lockSweep(t.TempDir(), true)
			good := sw.TrialGroup
			sw.TrialGroup = func(g []lockConfig, seed uint64) ([]*lrsense.Trajectory, error) {
				if g[0].N == 16 {
					return tc.bad(g)
				}
				return good(g, seed)
			}
			res, err := sw.Run()
			want := fmt.Sprintf("%d of 18 trials failed", tc.failed)
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %v; want %q with %q", err, want, tc.msg)
			}
			for _, r := range res.Failed() {
				if res.Points[r.Point].N != 16 || r.Traj != nil {
					t.Errorf("failed run %+v is not of the bad group", r)
				}
			}
			for i, c := range res.Points {
				if c.N == 12 && len(res.Trajs(i)) != 3 {
					t.Errorf("point %+v of the good group has %d trajectories", c, len(res.Trajs(i)))
				}
			}
			// Units (group-major, 3 trials a group) 0…5 go to shards
			// u mod 4: only shard 2 (unit 2, of the good group) is whole.
			if res.Computed != 1 {
				t.Errorf("%d shards stored; want 1, the one without a failed trial", res.Computed)
			}
		})
	}
}

// TestSlurmTrialGroup runs the lock-step sweep through the Slurm runner
// (docker/slurm-test.sh starts a cluster; skipped without one): the array
// tasks re-run this test binary, whose TestMain computes their shard with
// TrialGroup; the results are those of the point-by-point sweep in this
// process.
func TestSlurmTrialGroup(t *testing.T) {
	slurmTest(t)
	t.Setenv("TEST_GROUP_WORKER", "1")
	sw := lockSweep(t.TempDir(), true)
	sw.Slurm = &Slurm{Poll: 200 * time.Millisecond}
	got := mustRun(t, sw)
	if got.Computed != 4 || got.Loaded != 0 {
		t.Errorf("Slurm run: computed %d, loaded %d shards; want 4, 0", got.Computed, got.Loaded)
	}
	sameRuns(t, "lock step on Slurm vs point by point in process", mustRun(t, lockSweep(t.TempDir(), false)).Runs, got.Runs)
}
