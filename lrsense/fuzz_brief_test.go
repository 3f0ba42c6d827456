package lrsense

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestFuzzBriefly runs each fuzz target of this package for a few seconds
// of new inputs beyond its seed corpus (which plain go test already runs),
// so that go test ./... — the test command CI runs — also fuzzes. The time
// per target is LRSENSE_FUZZTIME (a Go duration, default 5s; 0 skips); -short
// skips it. It runs `go test -fuzz` as a subprocess, since one test binary
// fuzzes one target at a time.
func TestFuzzBriefly(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not fuzzing")
	}
	d := 5 * time.Second
	if s := os.Getenv("LRSENSE_FUZZTIME"); s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			t.Fatalf("LRSENSE_FUZZTIME=%q: %v", s, err)
		}
	}
	if d <= 0 {
		t.Skip("LRSENSE_FUZZTIME=0: not fuzzing")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		t.Skipf("no go command at %s: %v", goBin, err)
	}
	for _, target := range []string{"FuzzConstructors", "FuzzInits", "FuzzSolvers"} {
		cmd := exec.Command(goBin, "test", "-run", "^$", "-fuzz", "^"+target+"$", "-fuzztime", d.String(), ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", target, err, out)
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		t.Logf("%s: %s", target, lines[max(0, len(lines)-3)])
	}
}
