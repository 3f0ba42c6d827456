package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestArraySpec(t *testing.T) {
	for _, tc := range []struct {
		tasks    []int
		throttle int
		want     string
	}{
		{[]int{0, 1, 2, 3}, 0, "0-3"},
		{[]int{7, 0, 2, 1, 9, 10}, 0, "0-2,7,9-10"},
		{[]int{5}, 2, "5%2"},
		{[]int{3, 3, 4}, 0, "3-4"},
	} {
		s := &Slurm{Throttle: tc.throttle}
		if got := s.arraySpec(tc.tasks); got != tc.want {
			t.Errorf("arraySpec(%v) = %q, want %q", tc.tasks, got, tc.want)
		}
	}
}

func TestTaskScriptQuotes(t *testing.T) {
	a := slurmArray{dir: "/d/it's/slurm"}
	s := taskScript("/d/it's", a, "/d/it's/slurm/worker", []string{"-x", "a b", `q'"`})
	for _, want := range []string{`'/d/it'\''s'`, `'a b'`, `'q'\''"'`, `"$d/$t.rc"`} {
		if !strings.Contains(s, want) {
			t.Errorf("task script lacks %s:\n%s", want, s)
		}
	}
	if out, err := exec.Command("sh", "-n", "-c", s).CombinedOutput(); err != nil {
		t.Errorf("task script is not valid sh: %v %s\n%s", err, out, s)
	}
}

// TestSlurmWorkerHelper is the worker program of the Slurm tests: the test
// binary re-run by an array task. It does nothing in a normal test run.
func TestSlurmWorkerHelper(t *testing.T) {
	if os.Getenv("LRSENSE_SLURM_HELPER") != "1" {
		t.Skip("only run as a Slurm array task")
	}
	dir, shard := os.Getenv(envSweepDir), os.Getenv(envSweepShard)
	n, err := strconv.Atoi(shard)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad shard", shard)
		os.Exit(2)
	}
	if d := os.Getenv("LRSENSE_SLURM_HELPER_SLEEP"); d != "" {
		dur, _ := time.ParseDuration(d)
		time.Sleep(dur)
	}
	if strconv.Itoa(n) == os.Getenv("LRSENSE_SLURM_HELPER_FAIL") {
		fmt.Fprintf(os.Stderr, "shard %d: planted failure\n", n)
		os.Exit(3)
	}
	if err := os.WriteFile(filepath.Join(dir, "shard-"+shard), []byte(shard), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// slurmTest skips unless a Slurm cluster answers (docker/slurm-test.sh
// starts one) and returns a sweep directory and the helper's arguments.
func slurmTest(t *testing.T) (string, []string) {
	t.Helper()
	if _, err := exec.LookPath("sbatch"); err != nil {
		t.Skip("no sbatch: docker/slurm-test.sh runs these tests on a single-node cluster")
	}
	if err := exec.Command("sinfo", "-h").Run(); err != nil {
		t.Skip("no Slurm cluster answers (docker/slurm-test.sh starts one)")
	}
	// The array tasks run as this user on this machine: a directory under
	// the test's temp dir is on their "shared" file system.
	dir := t.TempDir()
	return dir, []string{"-test.run=^TestSlurmWorkerHelper$", "-test.count=1"}
}

func TestSlurmArray(t *testing.T) {
	dir, args := slurmTest(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LRSENSE_SLURM_HELPER", "1")
	t.Setenv("LRSENSE_SLURM_HELPER_FAIL", "2")
	var last [2]int
	s := &Slurm{Poll: 200 * time.Millisecond, Throttle: 3}
	failed, err := s.runArray(context.Background(), dir, exe, args, []int{0, 1, 2, 3, 5}, func(d, n int) { last = [2]int{d, n} })
	if err != nil {
		t.Fatal(err)
	}
	if last != [2]int{5, 5} {
		t.Errorf("last progress %v, want [5 5]", last)
	}
	if len(failed) != 1 || failed[0].Task != 2 || failed[0].State != "exit status 3" || !strings.Contains(failed[0].Stderr, "planted failure") {
		t.Errorf("failures = %+v, want shard 2 with exit status 3 and its stderr", failed)
	}
	for _, sh := range []string{"0", "1", "3", "5"} {
		if b, err := os.ReadFile(filepath.Join(dir, "shard-"+sh)); err != nil || string(b) != sh {
			t.Errorf("shard %s: %q, %v", sh, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "shard-4")); err == nil {
		t.Errorf("shard 4 ran but was not submitted")
	}
}

func TestSlurmCancel(t *testing.T) {
	dir, args := slurmTest(t)
	exe, _ := os.Executable()
	t.Setenv("LRSENSE_SLURM_HELPER", "1")
	t.Setenv("LRSENSE_SLURM_HELPER_SLEEP", "30s")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(3*time.Second, cancel)
	t0 := time.Now()
	s := &Slurm{Poll: 200 * time.Millisecond}
	_, err := s.runArray(ctx, dir, exe, args, []int{0, 1}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("runArray after cancel: %v, want context.Canceled", err)
	}
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("cancel took %v", d)
	}
	// scancel ran: the array leaves the queue without writing its shards.
	// The array leaves the queue once slurmd has ended its tasks (KillWait
	// after SIGTERM; a loaded node takes its time).
	deadline := time.Now().Add(time.Minute)
	for {
		out, _ := exec.Command("squeue", "-h", "-n", "lrsense-sweep", "-o", "%i").Output()
		if len(strings.TrimSpace(string(out))) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("array still queued after scancel: %s", out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, sh := range []string{"0", "1"} {
		if _, err := os.Stat(filepath.Join(dir, "shard-"+sh)); err == nil {
			t.Errorf("shard %s written after cancel", sh)
		}
	}
}

func TestSlurmTaskCancelledOutside(t *testing.T) {
	dir, args := slurmTest(t)
	exe, _ := os.Executable()
	t.Setenv("LRSENSE_SLURM_HELPER", "1")
	t.Setenv("LRSENSE_SLURM_HELPER_SLEEP", "4s")
	// Cancel task 1 from outside (as a user's scancel would) as soon as the
	// array is queued; task 0 runs to its end.
	go func() {
		for i := 0; i < 100; i++ {
			out, _ := exec.Command("squeue", "-h", "-n", "lrsense-sweep", "-o", "%F").Output()
			if id := strings.TrimSpace(string(out)); id != "" {
				exec.Command("scancel", strings.Fields(id)[0]+"_1").Run()
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	s := &Slurm{Poll: 200 * time.Millisecond}
	failed, err := s.runArray(context.Background(), dir, exe, args, []int{0, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].Task != 1 {
		t.Fatalf("failures = %+v, want task 1", failed)
	}
	t.Logf("cancelled task reported as: %s", failed[0])
	if _, err := os.Stat(filepath.Join(dir, "shard-0")); err != nil {
		t.Errorf("task 0 did not complete: %v", err)
	}
}
