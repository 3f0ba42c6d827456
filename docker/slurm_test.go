//go:build linux

package docker_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestSlurm runs docker/slurm-test.sh: a private single-node Slurm cluster,
// the Slurm runner's Go tests and a notebook whose sweep runs as a job array
// on it, compared with the in-process runner. It needs root to start the
// daemons (it skips with a message otherwise) and installs Debian's Slurm
// and munge when they are missing.
func TestSlurm(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no Slurm cluster")
	}
	if os.Geteuid() != 0 {
		t.Skip("not root: docker/slurm-test.sh starts slurmctld, slurmd and munged as root")
	}
	t0 := time.Now()
	cmd := exec.Command("bash", "slurm-test.sh")
	cmd.Env = append(os.Environ(), "SLURM_CONF=") // the script's own cluster, not the machine's
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("slurm-test.sh: %v\n%s", err, out)
	}
	var line string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "SLURM\t") {
			line = l
		}
	}
	if !strings.Contains(line, "identical=true") || !strings.Contains(line, "resubmitted=1") {
		t.Fatalf("slurm-test.sh printed %q, want identical=true and resubmitted=1\n%s", line, out)
	}
	t.Logf("%s (%v)", line, time.Since(t0).Round(time.Second))
}
