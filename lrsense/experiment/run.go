package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/lrsense/lrsense/lrsense"
)

// Environment of the worker mode: a process started with both set runs as
// the worker of one shard of the sweep whose directory is LRSENSE_SWEEP_DIR.
// A process started with EnvPlan set ("1") only prepares the directory of
// its first sweep (manifest included), prints "SWEEP<TAB>dir<TAB>shards" on
// standard output and exits: how a batch script learns where the shards go
// (see `sweep plan`).
const (
	EnvDir   = "LRSENSE_SWEEP_DIR"
	EnvShard = "LRSENSE_SWEEP_SHARD"
	EnvPlan  = "LRSENSE_SWEEP_PLAN"
)

// Run is one trial of one point.
type Run struct {
	// Point is the index of the point in Sweep.Points, Trial the trial
	// number and Seed the seed the trial function was given.
	Point, Trial int
	Seed         uint64
	// Traj is what the trial returned (nil when it failed).
	Traj *lrsense.Trajectory
	// Err is the trial's error, or its panic with the stack; nil when it
	// succeeded.
	Err error
}

// Results are the runs of a sweep.
type Results[C any] struct {
	// Points and Trials are those of the sweep.
	Points []C
	Trials int
	// Runs holds Points×Trials runs: trial t of point i is Runs[i*Trials+t].
	Runs []Run
	// Dir is the sweep's directory in the store.
	Dir string
	// Computed and Loaded count the shards computed by this call and those
	// read back from the store.
	Computed, Loaded int

	manifest *Manifest
}

// Trajs returns the trajectories of the successful trials of point i, in
// trial order.
func (r *Results[C]) Trajs(i int) []*lrsense.Trajectory {
	var ts []*lrsense.Trajectory
	for _, run := range r.Runs[i*r.Trials : (i+1)*r.Trials] {
		if run.Err == nil && run.Traj != nil {
			ts = append(ts, run.Traj)
		}
	}
	return ts
}

// Failed returns the runs whose trial failed.
func (r *Results[C]) Failed() []Run {
	var out []Run
	for _, run := range r.Runs {
		if run.Err != nil {
			out = append(out, run)
		}
	}
	return out
}

// WriteParquet writes the runs to w as a Parquet table in long ("tidy")
// form, which pandas, polars, DuckDB and R read directly: one row per
// (point, trial, series, recorded iteration) with the columns
//
//	<parameter>…  one per field of the configuration (nested fields
//	              joined with "."), typed double, int64, boolean or string
//	trial         int64, the trial number
//	seed          int64, the trial's seed (its uint64 bits)
//	series        string, the series name ("relerr")
//	iteration     int64, the recorded iteration
//	value         double
//
// Each run also has rows at iteration −1 for the series "status" (the
// lrsense.Status number), "iterations", "loss" and "relerr_final" (its
// Stats). Failed trials have no rows. The file's key-value metadata holds
// the sweep's key and name.
func (r *Results[C]) WriteParquet(w io.Writer) error {
	if r.manifest == nil {
		return errors.New("experiment: WriteParquet of Results not returned by Run")
	}
	return writeParquet(w, r.manifest, r.Runs)
}

// MustRun is Run for a notebook cell: it panics on any error (a failed
// trial included), since in a notebook a loud failure beats a silently
// wrong figure.
func (s *Sweep[C]) MustRun() *Results[C] {
	res, err := s.Run()
	if err != nil {
		panic(err)
	}
	return res
}

// Run runs the sweep (see RunContext) with a background context.
func (s *Sweep[C]) Run() (*Results[C], error) { return s.RunContext(context.Background()) }

// RunContext runs the sweep and returns its results, reading every shard
// already in the store and computing the missing ones: in this process on
// Workers goroutines (the default) or, with Slurm set, as a Slurm job
// array. A shard is written to the store as soon as all its trials
// succeeded, so a cancelled or failed run resumes where it stopped.
//
// A trial that returns an error or panics fails that trial only: the
// sweep goes on, Results.Failed lists it and RunContext returns the results
// with an error that counts the failures and shows the first one. A
// shard with a failed trial is not stored (it is computed again next
// time). Cancelling ctx stops the dispatch of trials; RunContext waits for
// the trials under way (each runs to its end) and returns ctx.Err().
//
// Worker mode: when the environment variables LRSENSE_SWEEP_DIR and
// LRSENSE_SWEEP_SHARD are set and the directory is this sweep's (by name,
// so the store may be mounted elsewhere), RunContext computes exactly that
// shard into that directory and ends the process: exit status 0, or 1
// with the error on standard error. This is how a Slurm array task, or
// `go run ./lrsense/cmd/sweep run`, runs the program that defines the
// sweep. Other sweeps of the same program run as usual.
func (s *Sweep[C]) RunContext(ctx context.Context) (*Results[C], error) {
	p, err := s.plan()
	if err != nil {
		return nil, err
	}
	if dir, shard, ok := workerEnv(); ok && filepath.Base(filepath.Clean(dir)) == p.dirName {
		err := s.runWorker(ctx, p, dir, shard)
		if err != nil {
			fmt.Fprintf(os.Stderr, "experiment: worker for shard %s of %s: %v\n", os.Getenv(EnvShard), dir, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	root := s.Store
	if root == "" {
		if root, err = DefaultStore(); err != nil {
			return nil, err
		}
	}
	if err := ensurePrivateDir(root); err != nil {
		return nil, err
	}
	dir := filepath.Join(root, p.dirName)
	m, err := s.openDir(p, dir)
	if err != nil {
		return nil, err
	}
	if os.Getenv(EnvPlan) != "" {
		fmt.Printf("SWEEP\t%s\t%d\n", dir, p.shards)
		os.Exit(0)
	}
	res := &Results[C]{Points: s.Points, Trials: s.Trials, Runs: make([]Run, len(s.Points)*s.Trials), Dir: dir, manifest: m}
	var missing []int
	for sh := range p.shards {
		runs, err := readShard(filepath.Join(dir, shardFile(sh)), p, sh)
		if err != nil {
			if !errors.Is(err, os.ErrNotExist) {
				fmt.Fprintf(os.Stderr, "experiment: %s: shard %d is invalid (%v); computing it again\n", p.dirName, sh, err)
			}
			missing = append(missing, sh)
			continue
		}
		res.Loaded++
		for _, r := range runs {
			res.Runs[r.Point*s.Trials+r.Trial] = r
		}
	}
	if len(missing) == 0 {
		return res, nil
	}
	prog := newProgress(s.Name, s.Quiet)
	if s.Slurm != nil {
		err = s.runSlurm(ctx, p, dir, missing, res, prog)
	} else {
		err = s.compute(ctx, p, dir, missing, res.Runs, prog, &res.Computed)
	}
	if err != nil {
		return res, err
	}
	return res, failures(res.Runs, s.Points)
}

func shardFile(s int) string { return fmt.Sprintf("shard-%05d.lrs", s) }

// workerEnv returns the worker-mode environment, if set.
func workerEnv() (dir string, shard int, ok bool) {
	dir, sh := os.Getenv(EnvDir), os.Getenv(EnvShard)
	if dir == "" || sh == "" {
		return "", 0, false
	}
	n, err := strconv.Atoi(sh)
	if err != nil {
		return dir, -1, true
	}
	return dir, n, true
}

// runWorker computes one shard into dir.
func (s *Sweep[C]) runWorker(ctx context.Context, p *plan, dir string, shard int) error {
	if shard < 0 || shard >= p.shards {
		return fmt.Errorf("shard %q out of range 0…%d", os.Getenv(EnvShard), p.shards-1)
	}
	if _, err := s.openDir(p, dir); err != nil {
		return err
	}
	runs := make([]Run, len(s.Points)*s.Trials)
	var n int
	if err := s.compute(ctx, p, dir, []int{shard}, runs, newProgress(fmt.Sprintf("%s shard %d", s.Name, shard), true), &n); err != nil {
		return err
	}
	return failures(runs, s.Points)
}

// openDir creates the sweep directory and its manifest, or checks the
// manifest already there.
func (s *Sweep[C]) openDir(p *plan, dir string) (*Manifest, error) {
	m := &Manifest{Format: formatVersion, Name: s.Name, Key: p.key, Trials: s.Trials, Shards: p.shards,
		Seed: s.Seed, Groups: p.groups, GroupKeys: p.groupKeys, Created: time.Now().UTC()}
	for _, c := range s.Points {
		cols, vals := columnsOf(reflect.ValueOf(c))
		m.Columns, m.Points = cols, append(m.Points, vals)
	}
	if d, err := OpenDir(dir); err == nil {
		if d.Key != p.key {
			return nil, fmt.Errorf("experiment: %s holds sweep %s, not %s", dir, shortKey(d.Key), shortKey(p.key))
		}
		return &d.Manifest, nil
	}
	if err := ensurePrivateDir(dir); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return nil, err
	}
	return m, writeAtomic(filepath.Join(dir, manifestName), append(b, '\n'))
}

// compute runs the trials of the given shards on Workers goroutines,
// filling runs and writing each shard when all its trials succeeded.
func (s *Sweep[C]) compute(ctx context.Context, p *plan, dir string, shards []int, runs []Run, prog *progress, computed *int) error {
	var todo []int
	left := map[int]int{} // shard → units not yet done
	for _, sh := range shards {
		us := p.unitsOf(sh)
		todo = append(todo, us...)
		left[sh] = len(us)
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(todo)))

	jobs := make(chan int)
	done := make(chan int)
	go func() {
		defer close(jobs)
		for _, u := range todo {
			select {
			case jobs <- u:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				g, t := p.unit(u)
				seed := p.seedOf(g, t)
				if s.TrialGroup != nil {
					trs, errs := s.runGroup(p.groups[g], seed)
					for i, pt := range p.groups[g] {
						runs[pt*s.Trials+t] = Run{Point: pt, Trial: t, Seed: seed, Traj: trs[i], Err: errs[i]}
					}
				} else {
					for _, pt := range p.groups[g] {
						tr, err := s.runTrial(pt, seed)
						runs[pt*s.Trials+t] = Run{Point: pt, Trial: t, Seed: seed, Traj: tr, Err: err}
					}
				}
				done <- u
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	var werr error
	n := 0
	prog.update(0, len(todo))
	for u := range done {
		n++
		sh := u % p.shards
		left[sh]--
		if left[sh] == 0 {
			if err := writeShard(dir, p, sh, runs); err == nil {
				*computed++
			} else if !errors.Is(err, errFailedTrials) && werr == nil {
				werr = err
			}
		}
		prog.update(n, len(todo))
	}
	prog.finish(n, len(todo))
	if err := ctx.Err(); err != nil {
		return err
	}
	return werr
}

var errFailedTrials = errors.New("shard has failed trials")

// writeShard stores shard sh unless one of its trials failed.
func writeShard(dir string, p *plan, sh int, runs []Run) error {
	var rs []Run
	for _, u := range p.unitsOf(sh) {
		g, t := p.unit(u)
		for _, pt := range p.groups[g] {
			r := runs[pt*p.trials+t]
			if r.Err != nil || r.Traj == nil {
				return errFailedTrials
			}
			rs = append(rs, r)
		}
	}
	b, err := encodeShard(p.key, sh, p.shards, rs)
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, shardFile(sh)), b)
}

// runTrial calls the trial function, turning a panic into an error.
func (s *Sweep[C]) runTrial(pt int, seed uint64) (tr *lrsense.Trajectory, err error) {
	defer func() {
		if v := recover(); v != nil {
			tr, err = nil, fmt.Errorf("panic: %v\n%s", v, debug.Stack())
		}
	}()
	tr, err = s.Trial(s.Points[pt], seed)
	if err == nil {
		err = checkTraj(tr)
	}
	if err != nil {
		return nil, err
	}
	return tr, nil
}

// runGroup calls TrialGroup on the points pts, turning a panic into an
// error. An error fails every point's trial; a bad trajectory its own.
func (s *Sweep[C]) runGroup(pts []int, seed uint64) (trs []*lrsense.Trajectory, errs []error) {
	errs = make([]error, len(pts))
	fail := func(err error) {
		trs = make([]*lrsense.Trajectory, len(pts))
		for i := range errs {
			errs[i] = fmt.Errorf("trial group of %d points: %w", len(pts), err)
		}
	}
	defer func() {
		if v := recover(); v != nil {
			fail(fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
		}
	}()
	group := make([]C, len(pts))
	for i, pt := range pts {
		group[i] = s.Points[pt]
	}
	got, err := s.TrialGroup(group, seed)
	switch {
	case err != nil:
		fail(err)
	case len(got) != len(pts):
		fail(fmt.Errorf("TrialGroup returned %d trajectories for %d points", len(got), len(pts)))
	default:
		trs = make([]*lrsense.Trajectory, len(pts))
		for i, tr := range got {
			if errs[i] = checkTraj(tr); errs[i] == nil {
				trs[i] = tr
			}
		}
	}
	return trs, errs
}

// checkTraj returns an error for a trial's trajectory that cannot be
// stored: nil, or a series whose length is not the number of iterations.
func checkTraj(tr *lrsense.Trajectory) error {
	if tr == nil {
		return errors.New("trial returned a nil Trajectory")
	}
	for k := range tr.Names {
		if k >= len(tr.Values) || len(tr.Values[k]) != len(tr.Iter) {
			return fmt.Errorf("trial returned a Trajectory whose series %q does not match its %d iterations", tr.Names[k], len(tr.Iter))
		}
	}
	return nil
}

// failures returns nil or an error counting the failed trials and showing
// the first.
func failures[C any](runs []Run, points []C) error {
	var first *Run
	n := 0
	for i := range runs {
		if runs[i].Err != nil {
			if first == nil {
				first = &runs[i]
			}
			n++
		}
	}
	if n == 0 {
		return nil
	}
	msg := first.Err.Error()
	if i := strings.Index(msg, "\ngoroutine "); i >= 0 {
		msg = msg[:i] // the stack stays in Run.Err
	}
	return fmt.Errorf("experiment: %d of %d trials failed; first: point %d %+v, trial %d: %s",
		n, len(runs), first.Point, points[first.Point], first.Trial, msg)
}

// runSlurm computes the missing shards as a Slurm job array running this
// program in worker mode, then reads them.
func (s *Sweep[C]) runSlurm(ctx context.Context, p *plan, dir string, missing []int, res *Results[C], prog *progress) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("experiment: Slurm runner: %w", err)
	}
	// Ctrl-C (GoNB interrupts a cell with SIGINT) or a SIGTERM while the
	// array runs cancels it with scancel instead of leaving it running
	// with nobody waiting for it.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	fails, err := s.Slurm.runArray(ctx, dir, exe, os.Args[1:], missing, func(done, total int) { prog.update(done, total) })
	prog.finish(len(missing)-len(fails), len(missing))
	if err != nil {
		return err
	}
	var bad []string
	for _, sh := range missing {
		runs, err := readShard(filepath.Join(dir, shardFile(sh)), p, sh)
		if err != nil {
			bad = append(bad, fmt.Sprintf("shard %d: %v", sh, err))
			continue
		}
		res.Computed++
		for _, r := range runs {
			res.Runs[r.Point*s.Trials+r.Trial] = r
		}
	}
	for _, f := range fails {
		bad = append(bad, fmt.Sprintf("task %d %s: %s", f.Task, f.State, strings.TrimSpace(f.Stderr)))
	}
	if len(bad) > 0 {
		return fmt.Errorf("experiment: Slurm array for %s: %d of %d shards not computed:\n%s", dir, len(missing)-res.Computed, len(missing), strings.Join(bad, "\n"))
	}
	return nil
}

// progress shows done/total with an ETA: updated in place in a GoNB
// notebook, as a plain line on standard error (at most every 2 s)
// elsewhere.
type progress struct {
	title string
	id    string
	quiet bool
	start time.Time
	last  time.Time
	mu    sync.Mutex
}

func newProgress(title string, quiet bool) *progress {
	return &progress{title: title, id: "lrsense_sweep_" + gonbui.UniqueId(), quiet: quiet, start: time.Now()}
}

func (pr *progress) update(done, total int) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.quiet {
		return
	}
	now := time.Now()
	every := 2 * time.Second
	if gonbui.IsNotebook {
		every = 250 * time.Millisecond
	}
	if !pr.last.IsZero() && now.Sub(pr.last) < every && done < total {
		return
	}
	pr.last = now
	pr.show(done, total, false)
}

func (pr *progress) finish(done, total int) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if !pr.quiet {
		pr.show(done, total, true)
	}
}

func (pr *progress) show(done, total int, final bool) {
	el := time.Since(pr.start)
	frac := float64(done) / float64(max(total, 1))
	eta := ""
	if done > 0 && done < total {
		eta = fmt.Sprintf(", ~%v left", time.Duration(float64(el)*(1-frac)/frac).Round(time.Second))
	}
	text := fmt.Sprintf("%d/%d trial groups (%.0f%%) in %v%s", done, total, 100*frac, el.Round(100*time.Millisecond), eta)
	if !gonbui.IsNotebook {
		fmt.Fprintf(os.Stderr, "%s: %s\n", pr.title, text)
		return
	}
	gonbui.UpdateHTML(pr.id, fmt.Sprintf(
		`<div style="font-family:sans-serif;font-size:90%%"><b>%s</b> <progress value="%d" max="%d" style="width:24em"></progress> %s</div>`,
		html.EscapeString(pr.title), done, max(total, 1), html.EscapeString(text)))
	if final {
		gonbui.Sync()
	}
}
