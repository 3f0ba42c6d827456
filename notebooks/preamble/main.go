// Command preamble sets up a GoNB notebook's temporary module to use this
// repository. Every notebook's first cell runs it (see
// notebooks/PREAMBLE.md):
//
//	!*go -C "$GONB_DIR" run github.com/lrsense/lrsense/notebooks/preamble "$PWD"
//	%goworkfix
//
// `!*` runs the line in GoNB's temporary module, whose directory is $PWD;
// `go -C "$GONB_DIR"` builds this command inside the repository that holds
// the notebook. It then, in the temporary module,
//
//  1. pins the modules notebooks import (Pinned) to the versions in the
//     repository's go.mod, the one place they are written, so that GoNB's
//     own `go get` never resolves a newer one;
//  2. writes a go.work that uses both the temporary module and the
//     repository, which `%goworkfix` then turns into the replace rule that
//     makes github.com/lrsense/lrsense importable.
//
// It prints nothing when it succeeds. On failure it prints what failed and
// the go command's output to stderr, and exits 1.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Cell is the source of every notebook's first cell, the preamble.
const Cell = "!*go -C \"$GONB_DIR\" run github.com/lrsense/lrsense/notebooks/preamble \"$PWD\"\n%goworkfix"

// Pinned lists the modules a notebook imports directly besides this
// repository.
var Pinned = []string{
	"github.com/janpfeifer/gonb",
	"gonum.org/v1/gonum",
	"gonum.org/v1/plot",
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: preamble <GoNB temporary module directory>", nil)
	}
	tmp := os.Args[1]
	wd, err := os.Getwd()
	if err != nil {
		fail("cannot read the working directory", err)
	}
	root, err := moduleRoot(wd)
	if err != nil {
		fail("the notebook is not inside the lrsense repository", err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		fail("cannot read the repository's go.mod", err)
	}
	pins, err := Pins(gomod)
	if err != nil {
		fail("go.mod", err)
	}
	args := []string{"get"}
	for _, p := range Pinned {
		args = append(args, p+"@"+pins[p])
	}
	run(tmp, "pinning "+strings.Join(args[1:], " "), "go", args...)
	if err := os.Remove(filepath.Join(tmp, "go.work")); err != nil && !os.IsNotExist(err) {
		fail("cannot remove the old go.work", err)
	}
	run(tmp, "go work init", "go", "work", "init", ".", root)
}

// moduleRoot returns the first directory at or above dir that holds a
// go.mod declaring github.com/lrsense/lrsense.
func moduleRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			if modulePath(b) == "github.com/lrsense/lrsense" {
				return d, nil
			}
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod of github.com/lrsense/lrsense at or above %s", dir)
		}
	}
}

// modulePath returns the module path a go.mod declares.
func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// Pins returns the required version of every module in Pinned, read from
// the require directives of gomod. It fails if one is missing.
func Pins(gomod []byte) (map[string]string, error) {
	req := map[string]string{}
	block := false
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "//")
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case block && f[0] == ")":
			block = false
		case block && len(f) == 2:
			req[f[0]] = f[1]
		case f[0] == "require" && len(f) == 2 && f[1] == "(":
			block = true
		case f[0] == "require" && len(f) == 3:
			req[f[1]] = f[2]
		}
	}
	out := map[string]string{}
	for _, p := range Pinned {
		v, ok := req[p]
		if !ok {
			return nil, fmt.Errorf("go.mod does not require %s", p)
		}
		out[p] = v
	}
	return out, nil
}

// run runs a command in dir and fails with its output if it fails.
func run(dir, what, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		fail(what+" failed", fmt.Errorf("%v\n%s", err, out))
	}
}

func fail(what string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "lrsense preamble: %s: %v\n", what, err)
	} else {
		fmt.Fprintf(os.Stderr, "lrsense preamble: %s\n", what)
	}
	os.Exit(1)
}
