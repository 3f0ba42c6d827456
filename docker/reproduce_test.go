//go:build linux

// Package docker_test tests the scripts of docker/ as a user runs them:
// reproduce.sh on small fixture notebooks (testdata/), interrupted and to
// the end, and the report it writes, in headless Chromium.
package docker_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// needNotebookTools skips the test when Jupyter with the gonb kernel is
// missing (docker/install.sh installs them).
func needNotebookTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"bash", "setsid", "jupyter", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("skipping: %s is not in PATH (docker/install.sh installs Jupyter and GoNB)", tool)
		}
	}
	specs, err := exec.Command("jupyter", "kernelspec", "list").Output()
	if err != nil || !strings.Contains(string(specs), "gonb") {
		t.Skip("skipping: the gonb Jupyter kernel is not installed (docker/install.sh)")
	}
}

// procsWith returns the pids of the processes whose environment or
// command line contains s.
func procsWith(s string) []int {
	var pids []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, _ := os.ReadFile("/proc/" + e.Name() + "/environ")
		cmd, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if bytes.Contains(env, []byte(s)) || bytes.Contains(cmd, []byte(s)) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// procsInGroup returns the pids of the live processes in process group pgid.
func procsInGroup(pgid int) []int {
	var pids []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 2 && f[2] == strconv.Itoa(pgid) && f[0] != "Z" {
			pids = append(pids, pid)
		}
	}
	return pids
}

func describe(pids []int) string {
	var b strings.Builder
	for _, p := range pids {
		cmd, _ := os.ReadFile("/proc/" + strconv.Itoa(p) + "/cmdline")
		b.WriteString("\n  " + strconv.Itoa(p) + " " + strings.ReplaceAll(string(cmd), "\x00", " "))
	}
	return b.String()
}

// TestReproduceInterrupt starts reproduce.sh on a notebook whose cell sleeps,
// waits until the Go program of that cell runs (the kernel and gopls are
// up), sends a signal and checks: the exit status is 128 + the signal's
// number within 10 s, no process of the script's group and none it started
// (the kernel, gopls, the cell's program, in sessions of their own) is left,
// and no temp dir is left. SIGINT goes to the whole group, as Ctrl-C in a
// terminal does; SIGTERM to the script alone, as kill does.
func TestReproduceInterrupt(t *testing.T) {
	needNotebookTools(t)
	script, err := filepath.Abs("reproduce.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sig   syscall.Signal
		group bool
		want  int
	}{
		{syscall.SIGINT, true, 130},
		{syscall.SIGTERM, false, 143},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			marker := filepath.Join(t.TempDir(), "running")
			cmd := exec.Command("bash", script, "--quick", "--out", filepath.Join(t.TempDir(), "out"), "testdata/fixture-sleep.ipynb")
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "LRSENSE_TEST_MARKER="+marker, "REPRO_PNG=off")
			var log bytes.Buffer
			cmd.Stdout, cmd.Stderr = &log, &log
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pgid := cmd.Process.Pid
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			defer func() {
				// Whatever happened, leave nothing behind.
				syscall.Kill(-pgid, syscall.SIGKILL)
				for _, p := range procsWith(tmp) {
					syscall.Kill(p, syscall.SIGKILL)
				}
			}()

			deadline := time.Now().Add(4 * time.Minute)
			for {
				if _, err := os.Stat(marker); err == nil {
					break
				}
				select {
				case err := <-done:
					t.Fatalf("reproduce.sh ended before the cell ran: %v\n%s", err, log.String())
				case <-time.After(200 * time.Millisecond):
				}
				if time.Now().After(deadline) {
					t.Fatalf("the sleeping cell did not start in 4 min\n%s", log.String())
				}
			}
			started := procsWith(tmp)
			t.Logf("processes started by the run before the signal:%s", describe(started))
			if len(started) < 3 {
				t.Errorf("want nbconvert, the kernel and the cell's program among the run's processes, found %d", len(started))
			}

			t0 := time.Now()
			if tc.group {
				err = syscall.Kill(-pgid, tc.sig)
			} else {
				err = cmd.Process.Signal(tc.sig)
			}
			if err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				took := time.Since(t0)
				t.Logf("exit after %v: %v", took.Round(10*time.Millisecond), err)
				code := cmd.ProcessState.ExitCode()
				if code != tc.want {
					t.Errorf("exit status %d (%v), want %d\n%s", code, err, tc.want, log.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("reproduce.sh still running 10 s after %v\n%s", tc.sig, log.String())
			}
			// The processes get a moment to be reaped by their parents.
			var left, inGroup []int
			for i := 0; i < 20; i++ {
				left, inGroup = procsWith(tmp), procsInGroup(pgid)
				if len(left) == 0 && len(inGroup) == 0 {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if len(left) > 0 {
				t.Errorf("processes of the run left after %v:%s", tc.sig, describe(left))
			}
			if len(inGroup) > 0 {
				t.Errorf("processes of the script's group left after %v:%s", tc.sig, describe(inGroup))
			}
			ents, err := os.ReadDir(tmp)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				t.Errorf("left in TMPDIR after %v: %s", tc.sig, e.Name())
			}
		})
	}
}
