package experiment

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Slurm runs the shards of a sweep as one Slurm job array
// (sbatch --array), one array task per missing shard. Each task re-runs the
// program that called Run — a notebook cell's compiled program, copied into
// the sweep's directory on the shared file system — which computes exactly
// its shard (selected by SLURM_ARRAY_TASK_ID) and writes it to the store.
// The calling program waits, with progress from the tasks' exit files, and
// cancelling its context runs scancel on the array.
//
// The zero value is usable: the cluster's default partition, no time
// limit, one CPU per task, no throttle. The store directory must be on a
// file system that every node of the cluster sees.
type Slurm struct {
	// Partition is sbatch's --partition; "" means the cluster's default.
	Partition string
	// Time is sbatch's --time limit per task ("30:00", "1-00:00:00");
	// "" means the partition's default.
	Time string
	// CPUsPerTask is sbatch's --cpus-per-task; 0 means 1.
	CPUsPerTask int
	// Throttle is the most array tasks that run at once (--array=…%K);
	// 0 means no limit.
	Throttle int
	// Extra holds further sbatch arguments ("--mem=4G", "--account=x").
	Extra []string
	// Poll is the interval between state checks; 0 means 1 s.
	Poll time.Duration
}

// TaskFailure is an array task that did not end with exit status 0.
type TaskFailure struct {
	// Task is the array task id, which is the shard number.
	Task int
	// State says how it ended ("exit status 2", "CANCELLED", …).
	State string
	// Stderr is the tail of the task's standard error.
	Stderr string
}

func (f TaskFailure) String() string {
	s := fmt.Sprintf("shard %d: %s", f.Task, f.State)
	if f.Stderr != "" {
		s += ": " + f.Stderr
	}
	return s
}

// Environment variables of a worker task.
const (
	envSweepDir   = "LRSENSE_SWEEP_DIR"
	envSweepShard = "LRSENSE_SWEEP_SHARD"
)

// slurmArray is the file layout of one submission under dir/slurm.
type slurmArray struct {
	dir string // dir/slurm
}

func (a slurmArray) path(name string) string { return filepath.Join(a.dir, name) }
func (a slurmArray) rc(task int) string      { return a.path(strconv.Itoa(task) + ".rc") }
func (a slurmArray) stderr(task int) string  { return a.path(strconv.Itoa(task) + ".err") }

// runArray submits exe as one job array with the given task ids, each task
// run as `exe args...` with LRSENSE_SWEEP_DIR=dir and
// LRSENSE_SWEEP_SHARD=<task id> added to the caller's environment; task i's
// standard output and error go to dir/slurm/i.out and dir/slurm/i.err. exe
// is first copied to dir/slurm/worker, and the copy runs. runArray waits
// until every task has ended, calling progress(done, total) (when not nil)
// as tasks end, and returns the tasks that failed. Cancelling ctx cancels
// the array (scancel) and returns ctx.Err().
func (s *Slurm) runArray(ctx context.Context, dir, exe string, args []string, tasks []int,
	progress func(done, total int)) ([]TaskFailure, error) {
	if len(tasks) == 0 {
		return nil, nil
	}
	for _, tool := range []string{"sbatch", "squeue", "scancel"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("experiment: Slurm runner: %s not found on PATH (is this a Slurm login node?)", tool)
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	a := slurmArray{dir: filepath.Join(dir, "slurm")}
	if err := os.MkdirAll(a.dir, 0o700); err != nil {
		return nil, fmt.Errorf("experiment: Slurm runner: %w", err)
	}
	worker := a.path("worker")
	if err := copyExecutable(worker, exe); err != nil {
		return nil, fmt.Errorf("experiment: Slurm runner: copying the worker program: %w", err)
	}
	for _, t := range tasks {
		if t < 0 {
			panic(fmt.Sprintf("experiment: negative array task id %d", t))
		}
		for _, ext := range []string{".rc", ".out", ".err"} {
			os.Remove(a.path(strconv.Itoa(t) + ext))
		}
	}
	script := a.path("task.sh")
	if err := writeScript(script, []byte(taskScript(dir, a, worker, args)), 0o700); err != nil {
		return nil, fmt.Errorf("experiment: Slurm runner: %w", err)
	}

	sbatch := []string{"--parsable", "--job-name=lrsense-sweep", "--array=" + s.arraySpec(tasks),
		"--output=" + a.path("slurm-%A_%a.log")}
	if s.Partition != "" {
		sbatch = append(sbatch, "--partition="+s.Partition)
	}
	if s.Time != "" {
		sbatch = append(sbatch, "--time="+s.Time)
	}
	if s.CPUsPerTask > 0 {
		sbatch = append(sbatch, "--cpus-per-task="+strconv.Itoa(s.CPUsPerTask))
	}
	sbatch = append(sbatch, s.Extra...)
	sbatch = append(sbatch, script)
	out, err := slurmCmd(ctx, "sbatch", sbatch...)
	if err != nil {
		return nil, fmt.Errorf("experiment: sbatch: %w", err)
	}
	job, _, _ := strings.Cut(strings.TrimSpace(out), ";") // "jobid[;cluster]"
	if _, err := strconv.Atoi(job); err != nil {
		return nil, fmt.Errorf("experiment: sbatch printed %q, not a job id", out)
	}

	poll := s.Poll
	if poll <= 0 {
		poll = time.Second
	}
	ended := map[int]bool{}
	var failed []TaskFailure
	gone := map[int]time.Time{} // tasks no longer queued, without an exit file yet
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		queued, qerr := queuedTasks(ctx, job)
		for _, t := range tasks {
			if ended[t] {
				continue
			}
			if code, ok := readRC(a.rc(t)); ok {
				ended[t] = true
				if code != 0 {
					failed = append(failed, TaskFailure{Task: t, State: fmt.Sprintf("exit status %d", code), Stderr: fileTail(a.stderr(t), 2048)})
				}
				continue
			}
			if qerr != nil || queued[t] {
				delete(gone, t)
				continue
			}
			// Not queued and no exit file: allow a shared file system a
			// few polls to show the file before calling it lost.
			if first, ok := gone[t]; !ok {
				gone[t] = time.Now()
			} else if time.Since(first) > 5*poll+2*time.Second {
				ended[t] = true
				failed = append(failed, TaskFailure{Task: t, State: taskEndState(ctx, job, t), Stderr: fileTail(a.stderr(t), 2048)})
			}
		}
		if progress != nil {
			progress(len(ended), len(tasks))
		}
		if len(ended) == len(tasks) {
			sort.Slice(failed, func(i, j int) bool { return failed[i].Task < failed[j].Task })
			return failed, nil
		}
		select {
		case <-ctx.Done():
			// The context is done: scancel needs one of its own.
			c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := slurmCmd(c, "scancel", job); err != nil {
				return failed, fmt.Errorf("%w (and scancel %s failed: %v)", ctx.Err(), job, err)
			}
			return failed, ctx.Err()
		case <-tick.C:
		}
	}
}

// arraySpec returns sbatch's --array value: the task ids as ranges,
// "0-3,7,9-10", with "%K" for a throttle.
func (s *Slurm) arraySpec(tasks []int) string {
	t := append([]int(nil), tasks...)
	sort.Ints(t)
	var parts []string
	for i := 0; i < len(t); {
		j := i
		for j+1 < len(t) && t[j+1] <= t[j]+1 {
			j++
		}
		if t[i] == t[j] {
			parts = append(parts, strconv.Itoa(t[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", t[i], t[j]))
		}
		i = j + 1
	}
	spec := strings.Join(parts, ",")
	if s.Throttle > 0 {
		spec += "%" + strconv.Itoa(s.Throttle)
	}
	return spec
}

// taskScript is the batch script of every array task: it runs the worker
// for shard $SLURM_ARRAY_TASK_ID and leaves its exit status in i.rc
// (written last, atomically), so the waiting program needs no accounting
// database to tell success from failure.
func taskScript(dir string, a slurmArray, worker string, args []string) string {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n# Written by lrsense/experiment: one shard of a sweep per array task.\n")
	b.WriteString("t=${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}\n")
	// A notebook cell's program talks to its GoNB kernel through named
	// pipes; the worker must not (they are not on a compute node, and here
	// its output would land in the cell).
	b.WriteString("unset GONB_PIPE GONB_PIPE_BACK\n")
	fmt.Fprintf(&b, "d=%s\n", shellQuote(a.dir))
	fmt.Fprintf(&b, "%s=%s %s=\"$t\" %s", envSweepDir, shellQuote(dir), envSweepShard, shellQuote(worker))
	for _, arg := range args {
		b.WriteString(" " + shellQuote(arg))
	}
	b.WriteString(" >\"$d/$t.out\" 2>\"$d/$t.err\"\n")
	b.WriteString("rc=$?\necho $rc >\"$d/$t.rc.tmp\" && mv -f \"$d/$t.rc.tmp\" \"$d/$t.rc\"\nexit $rc\n")
	return b.String()
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// queuedTasks returns the array task ids of job that squeue still lists
// (pending or running).
func queuedTasks(ctx context.Context, job string) (map[int]bool, error) {
	// -r lists every task of an array on its own line; %K is the task id.
	out, err := slurmCmd(ctx, "squeue", "-h", "-r", "-j", job, "-o", "%K")
	if err != nil {
		// squeue refuses a job id it has forgotten: nothing is queued.
		if strings.Contains(err.Error(), "Invalid job id") {
			return map[int]bool{}, nil
		}
		return nil, err
	}
	q := map[int]bool{}
	for _, f := range strings.Fields(out) {
		if t, err := strconv.Atoi(f); err == nil {
			q[t] = true
		}
	}
	return q, nil
}

// taskEndState asks sacct, then scontrol, how a task without an exit file
// ended; when neither knows it says what is known.
func taskEndState(ctx context.Context, job string, task int) string {
	if _, err := exec.LookPath("sacct"); err == nil {
		out, err := slurmCmd(ctx, "sacct", "-n", "-X", "-P", "-o", "State", "-j", fmt.Sprintf("%s_%d", job, task))
		if st := strings.TrimSpace(out); err == nil && st != "" {
			return strings.Fields(st)[0]
		}
	}
	// slurmctld remembers an ended job for MinJobAge seconds.
	if out, err := slurmCmd(ctx, "scontrol", "-o", "show", "job", fmt.Sprintf("%s_%d", job, task)); err == nil {
		for _, f := range strings.Fields(out) {
			if st, ok := strings.CutPrefix(f, "JobState="); ok {
				return st
			}
		}
	}
	return "ended without an exit status (cancelled, timed out or lost)"
}

// slurmCmd runs a Slurm client and returns its standard output; the error
// carries its standard error.
func slurmCmd(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// readRC reads a task's exit-status file.
func readRC(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	code, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, false
	}
	return code, true
}

// fileTail returns at most the last n bytes of a file, trimmed.
func fileTail(path string, n int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > n {
		f.Seek(st.Size()-n, io.SeekStart)
	}
	b, _ := io.ReadAll(f)
	return strings.TrimSpace(string(b))
}

// copyExecutable copies the program at src to dst (mode 0700), atomically.
func copyExecutable(dst, src string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeScript(dst, b, 0o700)
}

// writeScript writes b to path atomically (writeAtomic) with mode perm.
func writeScript(path string, b []byte, perm os.FileMode) error {
	if err := writeAtomic(path, b); err != nil {
		return err
	}
	return os.Chmod(path, perm)
}
