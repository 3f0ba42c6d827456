package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSlurmSweep runs one sweep through the Slurm runner on a real cluster
// (docker/slurm-test.sh starts one) and checks it against the in-process
// runner: identical runs and reductions; an array task cancelled from
// outside fails its shard, and a rerun submits only that shard; a corrupted
// shard file is recomputed. With LRSENSE_SLURM_RESULT set it writes the line
// SLURM<TAB>shards=N<TAB>identical=…<TAB>resubmitted=K there.
func TestSlurmSweep(t *testing.T) {
	slurmTest(t)
	local := testSweep(t.TempDir())
	local.Shards = 5 // as the worker in TestMain
	want := mustRun(t, local)

	// The array tasks re-run this test binary, whose TestMain computes the
	// shard of the same sweep in the store TEST_OTHER_STORE.
	store := t.TempDir()
	t.Setenv("TEST_OTHER_STORE", store)
	onSlurm := func() *Sweep[testConfig] {
		sw := testSweep(store)
		sw.Shards = 5
		sw.Slurm = &Slurm{Poll: 200 * time.Millisecond, Throttle: 2}
		return sw
	}
	got, err := onSlurm().Run()
	if err != nil {
		t.Fatal(err)
	}
	if got.Computed != 5 || got.Loaded != 0 {
		t.Errorf("first Slurm run: computed %d, loaded %d shards; want 5, 0", got.Computed, got.Loaded)
	}
	identical := sameReduction(t, "Slurm vs in-process", want, got)

	// A corrupted shard is found and recomputed on the cluster.
	path := filepath.Join(got.Dir, shardFile(2))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x40
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := onSlurm().Run()
	if err != nil {
		t.Fatal(err)
	}
	if again.Computed != 1 || again.Loaded != 4 {
		t.Errorf("after corrupting shard 2: computed %d, loaded %d; want 1, 4", again.Computed, again.Loaded)
	}
	identical = sameReduction(t, "after a corrupted shard", want, again) && identical

	// Cancel one array task from outside (as scancel by a user or a
	// preemption would): the sweep reports that shard, and a rerun
	// submits it alone.
	store2 := t.TempDir()
	t.Setenv("TEST_OTHER_STORE", store2)
	t.Setenv("TEST_SLOW_SHARD", "3")
	store = store2
	done := make(chan string, 1)
	go func() {
		deadline := time.Now().Add(2 * time.Minute)
		for time.Now().Before(deadline) {
			out, _ := exec.Command("squeue", "-h", "-r", "-n", "lrsense-sweep", "-t", "RUNNING", "-o", "%F %K").Output()
			for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				if f := strings.Fields(l); len(f) == 2 && f[1] == "3" {
					err := exec.Command("scancel", f[0]+"_3").Run()
					done <- fmt.Sprint("cancelled ", f[0], "_3: ", err)
					return
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		done <- "task 3 never ran"
	}()
	_, err = onSlurm().Run()
	t.Log(<-done)
	if err == nil || !strings.Contains(err.Error(), "1 of 5 shards not computed") || !strings.Contains(err.Error(), "task 3") {
		t.Errorf("sweep with a cancelled task: err = %v; want shard 3 reported", err)
	}
	t.Setenv("TEST_SLOW_SHARD", "")
	rerun, err := onSlurm().Run()
	if err != nil {
		t.Fatal(err)
	}
	resubmitted := rerun.Computed
	if rerun.Computed != 1 || rerun.Loaded != 4 {
		t.Errorf("rerun after the cancel: computed %d, loaded %d; want 1, 4", rerun.Computed, rerun.Loaded)
	}
	identical = sameReduction(t, "after cancel and rerun", want, rerun) && identical

	line := fmt.Sprintf("SLURM\tshards=%d\tidentical=%v\tresubmitted=%d", got.Computed, identical, resubmitted)
	t.Log(line)
	if f := os.Getenv("LRSENSE_SLURM_RESULT"); f != "" {
		if err := os.WriteFile(f, []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// sameReduction reports whether two results have bit-identical runs and
// bit-identical reduced bands of every series.
func sameReduction(t *testing.T, what string, a, b *Results[testConfig]) bool {
	t.Helper()
	ok := !t.Failed()
	sameRuns(t, what, a.Runs, b.Runs)
	name := func(c testConfig) string { return fmt.Sprintf("A=%d B=%g", c.A, c.B) }
	for _, series := range []string{"relerr", "loss"} {
		x, y := a.Bands(series, 0.1, 0.9, name), b.Bands(series, 0.1, 0.9, name)
		if fmt.Sprintf("%#v", x) != fmt.Sprintf("%#v", y) {
			t.Errorf("%s: %s bands differ", what, series)
		}
	}
	return ok && !t.Failed()
}

// TestSlurmSweepInterrupt: Ctrl-C (SIGINT, as GoNB sends to a cell's
// program) while a sweep waits for its array cancels the array.
func TestSlurmSweepInterrupt(t *testing.T) {
	slurmTest(t)
	store := t.TempDir()
	t.Setenv("TEST_OTHER_STORE", store)
	t.Setenv("TEST_SLOW_SHARD", "0")
	sw := testSweep(store)
	sw.Shards = 5
	sw.Slurm = &Slurm{Poll: 200 * time.Millisecond, Throttle: 1}
	go func() {
		for i := 0; i < 300; i++ {
			out, _ := exec.Command("squeue", "-h", "-r", "-n", "lrsense-sweep", "-t", "RUNNING", "-o", "%K").Output()
			if strings.TrimSpace(string(out)) != "" {
				syscall.Kill(os.Getpid(), syscall.SIGINT)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	t0 := time.Now()
	_, err := sw.Run()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("sweep after SIGINT: %v, want context.Canceled", err)
	}
	// The array leaves the queue once slurmd has ended its tasks (KillWait
	// after SIGTERM; a loaded node takes its time).
	deadline := time.Now().Add(time.Minute)
	for {
		out, _ := exec.Command("squeue", "-h", "-n", "lrsense-sweep", "-o", "%i").Output()
		if strings.TrimSpace(string(out)) == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("array still queued after SIGINT: %s", out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("SIGINT cancelled the array; Run returned after %v", time.Since(t0).Round(time.Millisecond))
}
