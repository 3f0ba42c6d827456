package experiment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/lrsense/lrsense/lrsense"
)

type testConfig struct {
	A     int
	B     float64
	Label string
	Panic bool
}

// testTrial draws a short random "trajectory" from the seed, with a
// diverging value for B < 0.
func testTrial(c testConfig, seed uint64) (*lrsense.Trajectory, error) {
	if c.Panic {
		panic(fmt.Sprintf("planted panic at A=%d", c.A))
	}
	rng := rand.New(lrsense.NewSource(seed))
	t := &lrsense.Trajectory{Names: []string{"relerr", "loss"}, Values: make([][]float64, 2)}
	v := 1.0
	for it := 0; it < 5+c.A; it++ {
		t.Iter = append(t.Iter, 3*it)
		v *= 0.5 + 0.3*rng.Float64() + c.B
		t.Values[0] = append(t.Values[0], v)
		t.Values[1] = append(t.Values[1], v*v+float64(c.A))
	}
	t.Status = lrsense.IterLimit
	t.Stats.Iterations = 3 * (4 + c.A)
	return t, nil
}

func testSweep(store string) *Sweep[testConfig] {
	return &Sweep[testConfig]{
		Name:   "test sweep/x",
		Points: Grid(testConfig{Label: "l"}, Vary("A", 0, 1, 2), Vary("B", 0.0, 0.1)),
		Trials: 4,
		Seed:   7,
		Trial:  testTrial,
		Store:  store,
		Quiet:  true,
	}
}

// TestMain runs the test binary as a sweep worker when the worker-mode
// environment is set (the subprocess of TestWorkerModeIdentical).
func TestMain(m *testing.M) {
	if os.Getenv("TEST_GROUP_WORKER") != "" && os.Getenv(EnvShard) != "" {
		lockSweep(os.TempDir(), true).Run() // the store is the worker's directory
		fmt.Fprintln(os.Stderr, "worker mode did not exit")
		os.Exit(3)
	}
	if os.Getenv("TEST_OTHER_STORE") != "" && (os.Getenv(EnvShard) != "" || os.Getenv(EnvPlan) != "") {
		if sh := os.Getenv("TEST_SLOW_SHARD"); sh != "" && sh == os.Getenv(EnvShard) {
			time.Sleep(time.Minute) // a task for TestSlurmSweep to cancel
		}
		sw := testSweep(os.Getenv("TEST_OTHER_STORE"))
		sw.Shards = 5
		sw.Run()
		fmt.Fprintln(os.Stderr, "worker mode did not exit")
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func mustRun[C any](t *testing.T, s *Sweep[C]) *Results[C] {
	t.Helper()
	res, err := s.Run()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sameRuns compares everything of two result sets but the wall time.
func sameRuns(t *testing.T, what string, a, b []Run) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d vs %d runs", what, len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Point != y.Point || x.Trial != y.Trial || x.Seed != y.Seed || (x.Err == nil) != (y.Err == nil) {
			t.Fatalf("%s: run %d differs: %+v vs %+v", what, i, x, y)
		}
		if x.Traj == nil {
			continue
		}
		tx, ty := *x.Traj, *y.Traj
		tx.Stats.Runtime, ty.Stats.Runtime = 0, 0
		if !reflect.DeepEqual(tx.Names, ty.Names) || !reflect.DeepEqual(tx.Iter, ty.Iter) ||
			!sameBits(tx.Values, ty.Values) || tx.Status != ty.Status || !sameBits([][]float64{{tx.Stats.Loss, tx.Stats.RelErr}}, [][]float64{{ty.Stats.Loss, ty.Stats.RelErr}}) ||
			tx.Stats.Iterations != ty.Stats.Iterations {
			t.Fatalf("%s: run %d (point %d trial %d) differs:\n%+v\n%+v", what, i, x.Point, x.Trial, tx, ty)
		}
	}
}

// sameBits reports whether a and b hold bit-identical values.
func sameBits(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if math.Float64bits(a[i][j]) != math.Float64bits(b[i][j]) {
				return false
			}
		}
	}
	return true
}

func sameBands(t *testing.T, what string, a, b []Band) {
	t.Helper()
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("%s: bands differ:\n%+v\n%+v", what, a, b)
	}
}

// TestRunnersIdentical: results and reductions do not depend on the
// worker count, the shard count, the order of the points or on whether
// shards were computed in this process or shard by shard by worker
// processes.
func TestRunnersIdentical(t *testing.T) {
	s1 := testSweep(t.TempDir())
	s1.Workers = 1
	r1 := mustRun(t, s1)
	if r1.Computed == 0 || r1.Loaded != 0 {
		t.Errorf("first run: computed %d, loaded %d", r1.Computed, r1.Loaded)
	}

	s2 := testSweep(t.TempDir())
	s2.Workers = 2
	s2.Shards = 3
	r2 := mustRun(t, s2)
	sameRuns(t, "1 worker vs 2 workers, 3 shards", r1.Runs, r2.Runs)

	// Reversed points: the same (point, trial) gets the same seed.
	s3 := testSweep(t.TempDir())
	for i, j := 0, len(s3.Points)-1; i < j; i, j = i+1, j-1 {
		s3.Points[i], s3.Points[j] = s3.Points[j], s3.Points[i]
	}
	r3 := mustRun(t, s3)
	n := len(s3.Points)
	for i := range s3.Points {
		sameRuns(t, fmt.Sprintf("reversed point %d", i), r1.Runs[i*4:(i+1)*4], relabel(r3.Runs[(n-1-i)*4:(n-i)*4], i))
	}

	// Rerun: everything is read back, identical.
	r1b := mustRun(t, s1)
	if r1b.Computed != 0 || r1b.Loaded != r1.Computed {
		t.Errorf("rerun: computed %d, loaded %d (want 0, %d)", r1b.Computed, r1b.Loaded, r1.Computed)
	}
	sameRuns(t, "stored vs computed", r1.Runs, r1b.Runs)
	sameBands(t, "stored vs computed", r1.Bands("relerr", 0.1, 0.9, nil), r1b.Bands("relerr", 0.1, 0.9, nil))
	sameBands(t, "1 vs 2 workers", r1.Bands("relerr", 0.1, 0.9, nil), r2.Bands("relerr", 0.1, 0.9, nil))
}

func relabel(rs []Run, point int) []Run {
	out := append([]Run(nil), rs...)
	for i := range out {
		out[i].Point = point
	}
	return out
}

// TestWorkerModeIdentical computes every shard in a worker subprocess (this
// test binary re-executed with LRSENSE_SWEEP_DIR/SHARD, see TestMain) and
// compares with an in-process run.
func TestWorkerModeIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("runs subprocesses")
	}
	store := t.TempDir()
	sw := testSweep(store)
	sw.Shards = 5
	p, err := sw.plan()
	if err != nil {
		t.Fatal(err)
	}
	// The directory as a cluster would see it, under another root.
	other := t.TempDir()
	dir := filepath.Join(other, p.dirName)
	for sh := range p.shards {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), EnvDir+"="+dir, fmt.Sprintf("%s=%d", EnvShard, sh), "TEST_OTHER_STORE="+store)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("worker for shard %d: %v\n%s", sh, err, out)
		}
	}
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if miss, inv := d.Missing(); len(miss) != 0 {
		t.Fatalf("after the workers, shards %v missing (%v)", miss, inv)
	}
	// Read the worker's directory through the sweep (nothing to compute).
	viaWorkers := testSweep(other)
	viaWorkers.Shards = 5
	rw := mustRun(t, viaWorkers)
	if rw.Computed != 0 || rw.Loaded != p.shards {
		t.Errorf("worker directory: computed %d, loaded %d", rw.Computed, rw.Loaded)
	}
	local := testSweep(store)
	local.Workers = 2
	rl := mustRun(t, local)
	sameRuns(t, "worker processes vs in-process", rw.Runs, rl.Runs)
	sameBands(t, "worker processes vs in-process", rw.Bands("relerr", 0.25, 0.75, nil), rl.Bands("relerr", 0.25, 0.75, nil))

	// A bad shard number: the worker exits non-zero with the error.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), EnvDir+"="+dir, EnvShard+"=99", "TEST_OTHER_STORE="+store)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "out of range") {
		t.Errorf("worker for shard 99: err %v, output %s", err, out)
	}
}

func TestTrialPanicIsAnError(t *testing.T) {
	sw := testSweep(t.TempDir())
	sw.Points[3].Panic = true
	sw.Shards = 2
	res, err := sw.Run()
	if err == nil || !strings.Contains(err.Error(), "4 of 24 trials failed") || !strings.Contains(err.Error(), "planted panic") {
		t.Fatalf("error %v, want 4 failed trials with the panic", err)
	}
	failed := res.Failed()
	if len(failed) != 4 || failed[0].Point != 3 || !strings.Contains(failed[0].Err.Error(), "goroutine") {
		t.Fatalf("failed runs %+v", failed)
	}
	if got := len(res.Trajs(0)); got != 4 {
		t.Errorf("point 0 has %d trajectories, want 4", got)
	}
	if len(res.Trajs(3)) != 0 {
		t.Errorf("the panicking point has trajectories")
	}
	// No shard holding a failed trial was stored: a rerun computes them.
	if res.Computed != 0 {
		t.Errorf("%d shards stored although each holds a failed trial", res.Computed)
	}
	sw.Points[3].Panic = false // a different point, hence a different sweep
	if _, err := sw.Run(); err != nil {
		t.Fatal(err)
	}
}

func TestCancel(t *testing.T) {
	sw := testSweep(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	sw.Workers = 1
	sw.Trial = func(c testConfig, seed uint64) (*lrsense.Trajectory, error) {
		calls++
		if calls == 3 {
			cancel()
		}
		return testTrial(c, seed)
	}
	_, err := sw.RunContext(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if calls > 4 {
		t.Errorf("%d trials ran after the cancellation at the 3rd", calls)
	}
}

// TestStoreDetectsDamage: a flipped byte, a truncated file, an older
// format version and another shard's file are all detected, never
// decoded, and the shard is computed again with identical results.
func TestStoreDetectsDamage(t *testing.T) {
	store := t.TempDir()
	sw := testSweep(store)
	sw.Shards = 4
	ref := mustRun(t, sw)
	d, err := OpenDir(ref.Dir)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(d.ShardPath(1))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := os.ReadFile(d.ShardPath(2))
	versioned := bytes.Clone(orig)
	versioned[len(shardMagic)]-- // format version − 1, payload untouched
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"flip in payload", flip(orig, len(orig)-10), "checksum"},
		{"flip in checksum", flip(orig, headerLen-1), "checksum"},
		{"flip in magic", flip(orig, 2), "magic"},
		{"truncated", orig[:len(orig)-1], "truncated"},
		{"truncated header", orig[:10], "magic"},
		{"extended", append(bytes.Clone(orig), 0), "extended"},
		{"older version", versioned, "version"},
		{"another shard", other, "want shard 1"},
		{"empty", nil, "magic"},
	} {
		if err := os.WriteFile(d.ShardPath(1), tc.data, 0o600); err != nil {
			t.Fatal(err)
		}
		miss, inv := d.Missing()
		if len(miss) != 1 || miss[0] != 1 || inv[1] == nil || !strings.Contains(inv[1].Error(), tc.want) {
			t.Errorf("%s: missing %v, invalid %v; want shard 1 invalid with %q", tc.name, miss, inv, tc.want)
		}
		if _, err := d.Runs(); err == nil {
			t.Errorf("%s: Runs decoded a damaged shard", tc.name)
		}
		res := mustRun(t, sw)
		if res.Computed != 1 || res.Loaded != 3 {
			t.Errorf("%s: computed %d loaded %d, want 1 and 3", tc.name, res.Computed, res.Loaded)
		}
		sameRuns(t, tc.name, ref.Runs, res.Runs)
	}
	// Every single-byte flip of a shard file is detected.
	for i := range orig {
		if _, err := decodeShard(flip(orig, i), mustPlan(t, sw), 1); err == nil {
			t.Fatalf("flipping byte %d of %d went undetected", i, len(orig))
		}
	}
}

func mustPlan[C any](t *testing.T, s *Sweep[C]) *plan {
	p, err := s.plan()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x40
	return c
}

func TestStoreIsPrivate(t *testing.T) {
	root := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(root, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(root, 0o777)
	res := mustRun(t, testSweep(root))
	for _, p := range []string{root, res.Dir} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o022 != 0 {
			t.Errorf("%s has mode %v", p, fi.Mode().Perm())
		}
	}
	t.Setenv("LRSENSE_SWEEPS", "")
	t.Setenv("XDG_CACHE_HOME", "/home/u/.cache")
	if d, err := DefaultStore(); err != nil || d != "/home/u/.cache/lrsense/sweeps" {
		t.Errorf("DefaultStore = %q, %v", d, err)
	}
}

// parquetRow is how a user's program would read the long table.
type parquetRow struct {
	A         int64   `parquet:"A"`
	B         float64 `parquet:"B"`
	Label     string  `parquet:"Label"`
	Panic     bool    `parquet:"Panic"`
	Trial     int64   `parquet:"trial"`
	Seed      int64   `parquet:"seed"`
	Series    string  `parquet:"series"`
	Iteration int64   `parquet:"iteration"`
	Value     float64 `parquet:"value"`
}

func TestParquetRoundTrip(t *testing.T) {
	sw := testSweep(t.TempDir())
	sw.Points[0].B = math.NaN() // NaN parameters and values survive
	res := mustRun(t, sw)
	var buf bytes.Buffer
	if err := res.WriteParquet(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range f.Schema().Fields() {
		names = append(names, c.Name())
	}
	if want := "A B Label Panic trial seed series iteration value"; strings.Join(names, " ") != want {
		t.Errorf("columns %v, want %s", names, want)
	}
	if k, _ := f.Lookup("lrsense.sweep.key"); k != res.manifest.Key {
		t.Errorf("key metadata %q", k)
	}
	rows, err := parquet.Read[parquetRow](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	// Rebuild every trajectory from the rows and compare.
	type id struct {
		point, trial int
	}
	got := map[id]*lrsense.Trajectory{}
	pointOf := func(r parquetRow) int {
		for i, c := range sw.Points {
			if int64(c.A) == r.A && (c.B == r.B || math.IsNaN(c.B) && math.IsNaN(r.B)) && c.Label == r.Label {
				return i
			}
		}
		t.Fatalf("row %+v matches no point", r)
		return -1
	}
	for _, r := range rows {
		k := id{pointOf(r), int(r.Trial)}
		tr := got[k]
		if tr == nil {
			tr = &lrsense.Trajectory{}
			got[k] = tr
		}
		if uint64(r.Seed) != res.Runs[k.point*sw.Trials+k.trial].Seed {
			t.Fatalf("row %+v: wrong seed", r)
		}
		switch {
		case r.Iteration == -1 && r.Series == "status":
			tr.Status = lrsense.Status(r.Value)
		case r.Iteration == -1 && r.Series == "iterations":
			tr.Stats.Iterations = int(r.Value)
		case r.Iteration == -1 && r.Series == "loss":
			tr.Stats.Loss = r.Value
		case r.Iteration == -1 && r.Series == "relerr_final":
			tr.Stats.RelErr = r.Value
		default:
			k := -1
			for i, n := range tr.Names {
				if n == r.Series {
					k = i
				}
			}
			if k < 0 {
				tr.Names = append(tr.Names, r.Series)
				tr.Values = append(tr.Values, nil)
				k = len(tr.Names) - 1
			}
			if k == 0 {
				tr.Iter = append(tr.Iter, int(r.Iteration))
			}
			tr.Values[k] = append(tr.Values[k], r.Value)
		}
	}
	if len(got) != len(res.Runs) {
		t.Fatalf("%d runs in the table, want %d", len(got), len(res.Runs))
	}
	var back []Run
	for _, r := range res.Runs {
		back = append(back, Run{Point: r.Point, Trial: r.Trial, Seed: r.Seed, Traj: got[id{r.Point, r.Trial}]})
	}
	sameRuns(t, "parquet round trip", res.Runs, back)

	// The same table from the store alone (what cmd/sweep merge writes).
	d, err := OpenDir(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf2 bytes.Buffer
	if err := d.WriteParquet(&buf2); err != nil {
		t.Fatal(err)
	}
	rows2, err := parquet.Read[parquetRow](bytes.NewReader(buf2.Bytes()), int64(buf2.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows2) != len(rows) {
		t.Fatalf("store table has %d rows, results table %d", len(rows2), len(rows))
	}
	for i := range rows {
		a, b := rows[i], rows2[i]
		if !sameBits([][]float64{{a.B, a.Value}}, [][]float64{{b.B, b.Value}}) {
			t.Fatalf("row %d: %+v vs %+v", i, a, b)
		}
		a.B, b.B, a.Value, b.Value = 0, 0, 0, 0
		if a != b {
			t.Fatalf("row %d: %+v vs %+v", i, a, b)
		}
	}
}

func TestKey(t *testing.T) {
	type inner struct {
		X float64
		Y []int
	}
	type cfg struct {
		N    int
		F    float64
		S    string
		B    bool
		U    uint8
		In   inner
		P    *inner
		M    map[string]float64
		I    any
		priv int
	}
	base := cfg{N: 1, F: 0.5, S: "s", B: true, U: 3, In: inner{1, []int{1, 2}}, P: &inner{2, nil}, M: map[string]float64{"a": 1}, I: 4, priv: 1}
	k0 := mustKey(t, base)
	changes := []func(c *cfg){
		func(c *cfg) { c.N = 2 },
		func(c *cfg) { c.F = math.Nextafter(0.5, 1) },
		func(c *cfg) { c.F = math.Copysign(0, -1) },
		func(c *cfg) { c.S = "t" },
		func(c *cfg) { c.B = false },
		func(c *cfg) { c.U = 4 },
		func(c *cfg) { c.In.X = 2 },
		func(c *cfg) { c.In.Y = []int{1, 2, 3} },
		func(c *cfg) { c.In.Y = nil },
		func(c *cfg) { c.P = &inner{3, nil} },
		func(c *cfg) { c.P = nil },
		func(c *cfg) { c.M = map[string]float64{"a": 2} },
		func(c *cfg) { c.M = map[string]float64{"b": 1} },
		func(c *cfg) { c.I = int64(4) },
		func(c *cfg) { c.I = "4" },
		func(c *cfg) { c.priv = 2 },
	}
	seen := map[string]int{k0: -1}
	for i, ch := range changes {
		c := base
		c.P = &inner{2, nil}
		ch(&c)
		k := mustKey(t, c)
		if j, dup := seen[k]; dup {
			t.Errorf("change %d gives the key of change %d", i, j)
		}
		seen[k] = i
	}
	// Equal values, equal keys (a fresh copy of every reference).
	same := base
	same.P = &inner{2, nil}
	same.M = map[string]float64{"a": 1}
	if mustKey(t, same) != k0 {
		t.Errorf("equal configurations have different keys")
	}
	// NaN: every NaN is one NaN; NaN map keys keep their values.
	nan1 := math.NaN()
	nan2 := math.Float64frombits(math.Float64bits(nan1) | 1)
	if mustKey(t, nan1) != mustKey(t, nan2) {
		t.Errorf("two NaNs have different keys")
	}
	if mustKey(t, map[float64]int{nan1: 1}) == mustKey(t, map[float64]int{nan1: 2}) {
		t.Errorf("Key(map{NaN: 1}) == Key(map{NaN: 2})")
	}
	if mustKey(t, map[float64]int{nan1: 1}) == mustKey(t, map[float64]int{nan1: 1, 0: 1}) {
		t.Errorf("a NaN-keyed map equals its extension")
	}
	if mustKey(t, nan1) == mustKey(t, math.Inf(1)) || mustKey(t, 1.0) == mustKey(t, 1) {
		t.Errorf("NaN = Inf or float 1 = int 1")
	}
	// Map order does not matter.
	m1, m2 := map[int]string{}, map[int]string{}
	for i := range 50 {
		m1[i] = fmt.Sprint(i)
		m2[49-i] = fmt.Sprint(49 - i)
	}
	if mustKey(t, m1) != mustKey(t, m2) {
		t.Errorf("map keys depend on insertion order")
	}
	// Cycles and unsupported types are errors.
	type node struct{ Next *node }
	n := &node{}
	n.Next = n
	s := []any{nil}
	s[0] = s
	m := map[string]any{}
	m["m"] = m
	for name, v := range map[string]any{
		"pointer cycle": n, "struct through pointer": *n, "slice cycle": s, "map cycle": m,
		"func": func() {}, "chan": make(chan int), "func in struct": struct{ F func() }{func() {}},
	} {
		if _, err := Key(v); err == nil {
			t.Errorf("Key(%s) did not fail", name)
		}
	}
	// A shared (acyclic) reference is fine.
	shared := &inner{1, nil}
	if _, err := Key([]*inner{shared, shared}); err != nil {
		t.Errorf("shared pointer: %v", err)
	}
	// A sweep whose point cannot be keyed is an error, not a crash.
	bad := Sweep[any]{Points: []any{n}, Trials: 1, Trial: func(any, uint64) (*lrsense.Trajectory, error) { return nil, nil }}
	if _, err := bad.Run(); err == nil || !strings.Contains(err.Error(), "cyclic") {
		t.Errorf("sweep over a cyclic point: %v", err)
	}
}

func mustKey(t *testing.T, v any) string {
	t.Helper()
	k, err := Key(v)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSweepKeyCoversSpec(t *testing.T) {
	base := testSweep("")
	k0 := mustPlan(t, base).key
	for i, ch := range []func(s *Sweep[testConfig]){
		func(s *Sweep[testConfig]) { s.Name = "other" },
		func(s *Sweep[testConfig]) { s.Version = "2" },
		func(s *Sweep[testConfig]) { s.Trials = 5 },
		func(s *Sweep[testConfig]) { s.Seed = 8 },
		func(s *Sweep[testConfig]) { s.Shards = 2 },
		func(s *Sweep[testConfig]) { s.Points = s.Points[1:] },
		func(s *Sweep[testConfig]) { s.Points[2].Label = "m" },
		func(s *Sweep[testConfig]) { s.Share = func(c testConfig) any { return c.A } },
	} {
		s := testSweep("")
		ch(s)
		if mustPlan(t, s).key == k0 {
			t.Errorf("change %d keeps the sweep key", i)
		}
	}
	s := testSweep("")
	s.Workers, s.Quiet, s.Store = 3, false, "/elsewhere"
	if mustPlan(t, s).key != k0 {
		t.Errorf("Workers, Quiet or Store changed the key")
	}
}

func TestShare(t *testing.T) {
	sw := testSweep(t.TempDir())
	sw.Share = func(c testConfig) any { return c.A } // B varies on the same instance
	res := mustRun(t, sw)
	for i, c := range sw.Points {
		for j, d := range sw.Points {
			for tr := range sw.Trials {
				same := res.Runs[i*sw.Trials+tr].Seed == res.Runs[j*sw.Trials+tr].Seed
				if same != (c.A == d.A) {
					t.Fatalf("points %d, %d trial %d: same seed %v", i, j, tr, same)
				}
			}
		}
	}
}

func TestGrid(t *testing.T) {
	type c struct {
		N int
		F float64
	}
	pts := Grid(c{}, Vary("N", 1, 2), Vary("F", 1, 2.5, 3))
	if len(pts) != 6 || pts[0] != (c{1, 1}) || pts[2] != (c{1, 3}) || pts[5] != (c{2, 3}) {
		t.Errorf("Grid = %v", pts)
	}
	for name, f := range map[string]func(){
		"unknown field": func() { Grid(c{}, Vary("M", 1)) },
		"inexact":       func() { Grid(c{}, Vary("N", 1.5)) },
		"wrong type":    func() { Grid(c{}, Vary("F", "x")) },
		"not a struct":  func() { Grid(1, Vary("F", 1)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Grid with %s did not panic", name)
				}
			}()
			f()
		}()
	}
	if FormatShards([]int{7, 0, 1, 2, 3, 9, 10}) != "0-3,7,9-10" {
		t.Errorf("FormatShards = %q", FormatShards([]int{7, 0, 1, 2, 3, 9, 10}))
	}
}

// TestProgressLine: outside a notebook the progress is a plain line on
// standard error with done/total and, while running, an ETA.
func TestProgressLine(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	pr := newProgress("demo", false)
	pr.update(0, 4)
	pr.last = pr.last.Add(-time.Hour) // let the next update through
	pr.update(1, 4)
	pr.finish(4, 4)
	os.Stderr = old
	w.Close()
	out, _ := io.ReadAll(r)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "demo: 1/4 trial groups (25%)") || !strings.Contains(lines[1], "left") ||
		!strings.HasPrefix(lines[2], "demo: 4/4 trial groups (100%)") || strings.Contains(lines[2], "left") {
		t.Errorf("progress lines:\n%s", out)
	}
	// Quiet prints nothing.
	r, w, _ = os.Pipe()
	os.Stderr = w
	quiet := newProgress("demo", true)
	quiet.update(1, 2)
	quiet.finish(2, 2)
	os.Stderr = old
	w.Close()
	if out, _ := io.ReadAll(r); len(out) != 0 {
		t.Errorf("quiet progress printed %q", out)
	}
}
