//go:build unix

package notebooks_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNotebooks executes every notebook under notebooks/ (teaching/ too) in
// quick mode, one subtest each, through docker/reproduce.sh: the same
// execution, output scan and PASS/FAIL rules as a full reproduction. A
// notebook fails on any error output, panic or non-zero exit in a cell, any
// REPRO line that says FAIL, and CHECK lines with the wrong verdict (see the
// script's header). Results are kept in reproduced/go-test/ for a look.
//
// It skips when jupyter or the gonb kernel is not installed
// (docker/install.sh installs them).
func TestNotebooks(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "docker", "reproduce.sh")
	if missing := missingTools(); missing != "" {
		t.Skipf("skipping the notebooks: %s; run docker/install.sh as root to install Jupyter and GoNB", missing)
	}

	var nbs []string
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".ipynb_checkpoints" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".ipynb") {
			nbs = append(nbs, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(nbs) == 0 {
		t.Skip("no notebooks under notebooks/ yet")
	}
	readInputs(t, root)

	for _, nb := range nbs {
		t.Run(strings.TrimSuffix(nb, ".ipynb"), func(t *testing.T) {
			out := filepath.Join(root, "reproduced", "go-test", strings.TrimSuffix(nb, ".ipynb"))
			if err := os.RemoveAll(out); err != nil {
				t.Fatal(err)
			}
			log, err := runScript(t, script, "--quick", "--out", out, nb)
			if err != nil {
				t.Errorf("%s: %v\n%s", nb, err, log)
				if table, rerr := os.ReadFile(filepath.Join(out, "notebooks.tsv")); rerr == nil {
					t.Errorf("per-notebook result:\n%s", table)
				}
				t.Logf("executed notebook, HTML and kernel log are in %s", out)
				return
			}
			t.Logf("%s", lastLines(log, 12))
		})
	}
}

// missingTools says what is missing to run notebooks, or "" if nothing is.
func missingTools() string {
	for _, tool := range []string{"bash", "python3", "jupyter", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool + " is not in PATH"
		}
	}
	specs, err := exec.Command("jupyter", "kernelspec", "list").Output()
	if err != nil {
		return "jupyter kernelspec list failed: " + err.Error()
	}
	for _, line := range strings.Split(string(specs), "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "gonb" {
			return ""
		}
	}
	return "the gonb Jupyter kernel is not installed"
}

// runScript runs the reproduce script and returns its combined output. A
// minute before the test's deadline it sends SIGTERM to the script's process
// group: the script's trap stops what it started in sessions of its own
// (nbconvert, the kernel, gopls, the Go programs) and exits, so that a hung
// notebook fails this subtest with its log instead of killing the test
// binary. A script that is still running 15 s later is killed.
func runScript(t *testing.T, script string, args ...string) ([]byte, error) {
	ctx := context.Background()
	if dl, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-time.Minute))
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, "bash", append([]string{script}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = 15 * time.Second
	cmd.Env = os.Environ()
	if os.Getenv("REPRO_CELL_TIMEOUT") == "" {
		cmd.Env = append(cmd.Env, "REPRO_CELL_TIMEOUT=1200")
	}
	if os.Getenv("REPRO_PNG") == "" {
		// No PNG copies of the figures (a Chromium start each, seconds per
		// figure): docker/report_test.go checks those.
		cmd.Env = append(cmd.Env, "REPRO_PNG=off")
	}
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return buf.Bytes(), err
}

// readInputs opens every file the notebooks' results depend on, so that the
// go test cache (which only sees what this process opens, not what the
// script and the kernel read) reruns the notebooks when any of them changes.
func readInputs(t *testing.T, root string) {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "reproduced", ".ipynb_checkpoints", ".gonb_cache", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".ipynb", ".sh", ".mod", ".sum":
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			return f.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// lastLines returns the last n lines of b.
func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
