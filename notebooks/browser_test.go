//go:build unix

package notebooks_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBrowser runs docker/browser-test.sh: the tour notebook opened in
// Jupyter Notebook in headless Chromium (driven by playwright-core), Run
// All, and checks on what the page shows (no error output, inline figures,
// the results and reproduction tables). The screenshot and logs are kept in
// reproduced/go-test/browser/.
//
// It skips when Chromium, node or playwright-core (docker/browser/, `npm
// ci`) or Jupyter with the gonb kernel are missing; .ci/run installs them.
func TestBrowser(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if missing := missingTools(); missing != "" {
		t.Skipf("skipping the browser test: %s; run docker/install.sh as root", missing)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("skipping the browser test: /usr/bin/chromium is missing (apt-get install chromium)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("skipping the browser test: node is not in PATH")
	}
	if _, err := os.Stat(filepath.Join(root, "docker", "browser", "node_modules", "playwright-core")); err != nil {
		t.Skip("skipping the browser test: playwright-core is not installed (cd docker/browser && npm ci)")
	}
	out := filepath.Join(root, "reproduced", "go-test", "browser")
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	log, err := runScript(t, filepath.Join(root, "docker", "browser-test.sh"), "--out", out, "notebooks/00-tour.ipynb")
	if err != nil {
		t.Fatalf("browser test failed: %v\n%s", err, log)
	}
	t.Logf("%s", lastLines(log, 12))
}
