package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Facts describe the run and the machine it ran on.
type Facts struct {
	Date, Commit      string
	CPU               string
	Cores             int
	Memory            string
	Go, GoNB, Jupyter string
	Scale             string
	Seconds           float64
	PNG               string // how the PNGs were made
}

// machineFacts gathers what the header of the report shows. root is the
// repository (for the commit).
func machineFacts(root string) Facts {
	f := Facts{
		Date:   time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		Cores:  runtime.NumCPU(),
		CPU:    "unknown",
		Memory: "unknown",
		Commit: "unknown (not a git checkout)",
	}
	if c := procField("/proc/cpuinfo", "model name"); c != "" {
		f.CPU = strings.Join(strings.Fields(c), " ")
	}
	if m := procField("/proc/meminfo", "MemTotal"); m != "" {
		if kb, err := strconv.ParseFloat(strings.Fields(m)[0], 64); err == nil {
			f.Memory = fmt.Sprintf("%.1f GiB", kb/(1<<20))
		}
	}
	if c := run(root, "git", "rev-parse", "--short=12", "HEAD"); c != "" {
		f.Commit = c
		if d := run(root, "git", "status", "--porcelain", "--untracked-files=no"); d != "" {
			f.Commit += " (with uncommitted changes)"
		}
	} else if c := os.Getenv("LRSENSE_COMMIT"); c != "" {
		f.Commit = c
	}
	f.Go = orUnknown(run(root, "go", "env", "GOVERSION"))
	f.GoNB = orUnknown(strings.TrimPrefix(firstLine(run(root, "gonb", "--version")), "GoNB version: "))
	f.Jupyter = orUnknown(jupyterVersions(run(root, "jupyter", "--version")))
	return f
}

var versionLine = regexp.MustCompile(`^(notebook|nbconvert|nbclient|jupyter_client|jupyter_core)\s*:\s*(\S+)`)

// jupyterVersions picks the packages that execute the notebooks from the
// output of `jupyter --version`.
func jupyterVersions(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		if m := versionLine.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			parts = append(parts, m[1]+" "+m[2])
		}
	}
	return strings.Join(parts, ", ")
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// run returns the trimmed output of a command, "" if it fails.
func run(dir, name string, args ...string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	b, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return strings.TrimSpace(l) }

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
