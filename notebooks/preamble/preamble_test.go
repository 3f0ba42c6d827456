package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The pinned versions are written once, in go.mod. docker/install.sh (the
// GoNB binary) and docker/Dockerfile (the module cache the preamble uses
// offline) repeat them, and every notebook must start with Cell and set up
// nothing else. These tests fail when a copy drifts.

func TestPinsAgree(t *testing.T) {
	pins := readPins(t)
	if err := checkInstall(pins, read(t, "../../docker/install.sh")); err != nil {
		t.Error(err)
	}
	if err := checkDockerfile(pins, read(t, "../../docker/Dockerfile")); err != nil {
		t.Error(err)
	}
}

func TestNotebooksStartWithThePreamble(t *testing.T) {
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".ipynb_checkpoints" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".ipynb") {
			n++
			if err := checkNotebook([]byte(read(t, path))); err != nil {
				t.Errorf("%s: %v", path, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no notebooks found")
	}
	if md := read(t, "../PREAMBLE.md"); !strings.Contains(md, Cell) {
		t.Errorf("notebooks/PREAMBLE.md does not show the preamble cell %q", Cell)
	}
}

// TestDriftIsCaught feeds each check a copy that drifted.
func TestDriftIsCaught(t *testing.T) {
	pins := readPins(t)
	gonb := pins["github.com/janpfeifer/gonb"]
	install := read(t, "../../docker/install.sh")
	if err := checkInstall(pins, strings.Replace(install, "GONB_VERSION="+gonb, "GONB_VERSION=v0.0.1", 1)); err == nil {
		t.Error("install.sh with another GoNB version passed")
	}
	docker := read(t, "../../docker/Dockerfile")
	plot := "gonum.org/v1/plot@" + pins["gonum.org/v1/plot"]
	if err := checkDockerfile(pins, strings.Replace(docker, plot, "gonum.org/v1/plot@v0.1.0", 1)); err == nil {
		t.Error("a Dockerfile with another gonum/plot version passed")
	}
	if _, err := Pins([]byte("module x\n\nrequire gonum.org/v1/gonum v0.17.0\n")); err == nil {
		t.Error("a go.mod without gonb and plot passed")
	}
	for name, nb := range map[string]string{
		"old two-cell preamble": notebook("!*go get gonum.org/v1/gonum@v0.17.0", "x := 1"),
		"edited preamble":       notebook(Cell+" # local", "x := 1"),
		"second setup cell":     notebook(Cell, "!*go get gonum.org/v1/plot@v0.15.0"),
	} {
		if err := checkNotebook([]byte(nb)); err == nil {
			t.Errorf("%s passed", name)
		}
	}
	if err := checkNotebook([]byte(notebook(Cell, "x := 1"))); err != nil {
		t.Errorf("a good notebook failed: %v", err)
	}
}

func readPins(t *testing.T) map[string]string {
	t.Helper()
	pins, err := Pins([]byte(read(t, "../../go.mod")))
	if err != nil {
		t.Fatal(err)
	}
	return pins
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkInstall checks the GoNB version install.sh builds.
func checkInstall(pins map[string]string, sh string) error {
	m := regexp.MustCompile(`(?m)^GONB_VERSION=(\S+)$`).FindStringSubmatch(sh)
	if m == nil {
		return fmt.Errorf("docker/install.sh sets no GONB_VERSION")
	}
	if want := pins["github.com/janpfeifer/gonb"]; m[1] != want {
		return fmt.Errorf("docker/install.sh builds GoNB %s, go.mod requires %s", m[1], want)
	}
	return nil
}

// checkDockerfile checks that every pinned module the Dockerfile fetches
// (path@version) has go.mod's version, and that it fetches each of them.
func checkDockerfile(pins map[string]string, df string) error {
	for _, p := range Pinned {
		re := regexp.MustCompile(regexp.QuoteMeta(p) + `@(\S+)`)
		all := re.FindAllStringSubmatch(df, -1)
		if len(all) == 0 {
			return fmt.Errorf("docker/Dockerfile does not fetch %s", p)
		}
		for _, m := range all {
			if v := strings.TrimRight(m[1], ";\\"); v != pins[p] {
				return fmt.Errorf("docker/Dockerfile fetches %s@%s, go.mod requires %s", p, v, pins[p])
			}
		}
	}
	return nil
}

// checkNotebook checks that the first cell is Cell and that no other cell
// fetches modules or sets up a workspace.
func checkNotebook(raw []byte) error {
	var nb struct {
		Cells []struct {
			Type   string   `json:"cell_type"`
			Source []string `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(raw, &nb); err != nil {
		return err
	}
	if len(nb.Cells) == 0 || nb.Cells[0].Type != "code" || strings.Join(nb.Cells[0].Source, "") != Cell {
		return fmt.Errorf("the first cell is not the preamble %q", Cell)
	}
	for i, c := range nb.Cells[1:] {
		src := strings.Join(c.Source, "")
		if c.Type == "code" && (strings.Contains(src, "go get") || strings.Contains(src, "go work") || strings.Contains(src, "%goworkfix")) {
			return fmt.Errorf("cell %d sets up modules besides the preamble", i+1)
		}
	}
	return nil
}

// notebook returns a notebook whose code cells have the given sources.
func notebook(cells ...string) string {
	type cell struct {
		Type   string   `json:"cell_type"`
		Source []string `json:"source"`
	}
	var nb struct {
		Cells []cell `json:"cells"`
	}
	for _, c := range cells {
		nb.Cells = append(nb.Cells, cell{"code", []string{c}})
	}
	b, _ := json.Marshal(nb)
	return string(b)
}
