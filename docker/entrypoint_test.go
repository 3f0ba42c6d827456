//go:build linux

package docker_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEntrypointToken runs the image's entrypoint.sh outside the image with
// a stub jupyter on PATH (it prints its arguments): an empty JUPYTER_TOKEN
// is refused unless LRSENSE_ALLOW_NO_TOKEN=1, and then the log warns in
// capitals; an unset or a real token serves with the token (Jupyter reads
// JUPYTER_TOKEN from the environment, so it is never in the arguments).
func TestEntrypointToken(t *testing.T) {
	stubs := t.TempDir()
	stub := "#!/bin/sh\necho \"jupyter-stub $*\"\n"
	if err := os.WriteFile(filepath.Join(stubs, "jupyter"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		env       []string
		ok        bool
		noToken   bool   // jupyter started with --NotebookApp.token=
		logSays   string // in the combined output
		logAvoids string
	}{
		{name: "unset", env: nil, ok: true, logAvoids: "WARNING"},
		{name: "token", env: []string{"JUPYTER_TOKEN=s3cret"}, ok: true, logAvoids: "s3cret"},
		{name: "empty", env: []string{"JUPYTER_TOKEN="}, ok: false, logSays: "LRSENSE_ALLOW_NO_TOKEN=1"},
		{name: "empty, opt-in not 1", env: []string{"JUPYTER_TOKEN=", "LRSENSE_ALLOW_NO_TOKEN=yes"}, ok: false, logSays: "refusing"},
		{name: "empty with opt-in", env: []string{"JUPYTER_TOKEN=", "LRSENSE_ALLOW_NO_TOKEN=1"}, ok: true, noToken: true,
			logSays: "WARNING: JUPYTER IS SERVED WITHOUT A TOKEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command("bash", "entrypoint.sh", "notebook")
			var env []string
			for _, e := range os.Environ() {
				if !strings.HasPrefix(e, "JUPYTER_TOKEN=") && !strings.HasPrefix(e, "LRSENSE_ALLOW_NO_TOKEN=") && !strings.HasPrefix(e, "PATH=") {
					env = append(env, e)
				}
			}
			cmd.Env = append(append(env, "PATH="+stubs+":/usr/bin:/bin"), tc.env...)
			out, err := cmd.CombinedOutput()
			log := string(out)
			ran := strings.Contains(log, "jupyter-stub notebook")
			if tc.ok && (err != nil || !ran) {
				t.Fatalf("want jupyter started, got %v:\n%s", err, log)
			}
			if !tc.ok && (err == nil || ran) {
				t.Fatalf("want a refusal without starting jupyter, got %v:\n%s", err, log)
			}
			if got := strings.Contains(log, "--NotebookApp.token= "); got != tc.noToken {
				t.Errorf("jupyter started with an empty token: %v, want %v:\n%s", got, tc.noToken, log)
			}
			if tc.ok && !strings.Contains(log, "--ip=0.0.0.0") {
				t.Errorf("inside the container the server listens on 0.0.0.0 (the host side is -p 127.0.0.1:...):\n%s", log)
			}
			if tc.logSays != "" && !strings.Contains(log, tc.logSays) {
				t.Errorf("the log does not say %q:\n%s", tc.logSays, log)
			}
			if tc.logAvoids != "" && strings.Contains(log, tc.logAvoids) {
				t.Errorf("the log says %q:\n%s", tc.logAvoids, log)
			}
		})
	}
}

// TestDockerfileRunCommand: the run command documented in the Dockerfile's
// header publishes the port on the host's loopback only.
func TestDockerfileRunCommand(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") || !strings.Contains(l, "docker run") || !strings.Contains(l, " -p ") {
			continue
		}
		found = true
		if !strings.Contains(l, "-p 127.0.0.1:") {
			t.Errorf("the Dockerfile documents a run command that publishes on every interface: %s", l)
		}
	}
	if !found {
		t.Error("the Dockerfile's header documents no `docker run -p` command")
	}
}
