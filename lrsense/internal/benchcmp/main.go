// Command benchcmp times one GD iteration of lrsense against the same
// iteration written with numpy (Debian's python3-numpy on OpenBLAS), on the
// problem sizes of issue 10, in one run on the same machine.
//
// Usage:
//
//	go run ./lrsense/internal/benchcmp [-iters 20] [-rounds 5]
//
// Both sides build a problem of the same size (symmetric Gaussian sensing
// at n = 50, m = 1000, r′ = 5 and n = 100, m = 2500, r′ = 10; asymmetric
// Gaussian sensing at n1 = n2 = 100, m = 2500, r′ = 10), then the rounds
// alternate: in each round, for each case, lrsense times -iters iterations,
// then numpy does. Alternating keeps both sides under the same load when
// the machine is shared. The medians over all timed iterations are
// compared; the last lines read RATIO<TAB>case<TAB>lrsense/numpy.
//
// In the same rounds benchcmp times, for each case: the fused operator
// pass alone (LeastSquares.Eval at a fixed iterate: X = L·Rᵀ and one
// pass); a two-thread read sweep of as many bytes as the operator holds
// (an AVX2 loop summing them: the memory-bandwidth limit of a pass);
// SolveAll with k = 2, 4, 8, 16 runs that make one such pass per iteration
// (batched passes); and 8 GD runs in SolveAll against one alone. The lines
//
//	LIMIT<TAB>case<TAB>pass/read-sweep
//	BATCH<TAB>case<TAB>k<TAB>ms per iterate<TAB>per iterate/single pass<TAB>call ms per iterate<TAB>call/single pass
//	RATIO<TAB>batch8/case<TAB>per-iterate-batched/single-pass
//	RATIO<TAB>batch8-gd/case<TAB>GD iteration per run in SolveAll/alone
//
// summarize them. A single pass and a batched one are both the median over
// passes (the batched one from pass to pass of SolveAll's lock step,
// divided by k); a BATCH line also gives the whole SolveAll call (setup,
// goroutine switches and -iters+1 passes) per iterate, and RATIO batch8-gd
// compares whole calls on both sides.
//
// numpy runs the textbook iteration on the full m×n² operator matrix (what
// a researcher would write); lrsense runs GD.Iterate with its own operator
// (for symmetric sensing, the packed upper triangles). numpy runs twice, in
// two processes: with OpenBLAS's default threads (one per core) and with
// OPENBLAS_NUM_THREADS=1, since a multi-threaded BLAS can lose much on a
// loaded machine; the ratio is taken against the faster of the two, so
// that a load that hurts numpy's threads does not flatter lrsense. If numpy
// is missing,
// benchcmp installs python3-numpy and libopenblas0-pthread with apt-get
// (as root).
package main

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lrsense/lrsense/lrsense"
)

//go:embed bench.py
var script string

// python is Debian's interpreter, the one python3-numpy installs into.
const python = "/usr/bin/python3"

type benchCase struct {
	name    string
	sym     bool
	n, r, m int
}

var cases = []benchCase{
	{"sym/n=50/m=1000/r=5", true, 50, 5, 1000},
	{"sym/n=100/m=2500/r=10", true, 100, 10, 2500},
	{"asym/n=100/m=2500/r=10", false, 100, 10, 2500},
}

func main() {
	iters := flag.Int("iters", 20, "GD iterations timed per case and round on each side")
	rounds := flag.Int("rounds", 5, "rounds of alternating lrsense and numpy timings")
	only := flag.String("cases", "", "run only the cases whose name matches this regular expression")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("benchcmp: ")
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			log.Fatal(err)
		}
		cases = slices.DeleteFunc(cases, func(c benchCase) bool { return !re.MatchString(c.name) })
	}

	ensureNumpy()
	py, err := startPython(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer py.close()
	py1, err := startPython([]string{"OPENBLAS_NUM_THREADS=1"})
	if err != nil {
		log.Fatal(err)
	}
	defer py1.close()

	var info struct {
		Numpy string   `json:"numpy"`
		Libs  []string `json:"libs"`
	}
	py.call(&info, "info")
	fmt.Printf("lrsense: %s, GOMAXPROCS=%d, %d CPUs\n", runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	fmt.Printf("numpy %s, BLAS: %s\n", info.Numpy, strings.Join(info.Libs, " "))
	fmt.Printf("%d rounds × %d iterations per case and side, alternating\n\n", *rounds, *iters)

	type side struct {
		bytes int
		times []float64
	}
	batches := make([]*batchRun, len(cases))
	for i, c := range cases {
		if batches[i], err = newBatchRun(c); err != nil {
			log.Fatal(err)
		}
		batches[i].round(2) // warm up
	}
	goSide := make([]side, len(cases))
	pySide := make([]side, len(cases))
	py1Side := make([]side, len(cases))
	runs := make([]*goRun, len(cases))
	for i, c := range cases {
		runs[i], err = newGoRun(c)
		if err != nil {
			log.Fatal(err)
		}
		goSide[i].bytes = runs[i].bytes
		pySide[i].bytes = py.setup(c, i+1)
		py1Side[i].bytes = py1.setup(c, i+1)
		// Warm up every side.
		runs[i].time(2)
		py.run(c.name, 2)
		py1.run(c.name, 2)
	}
	for round := 0; round < *rounds; round++ {
		for i, c := range cases {
			goSide[i].times = append(goSide[i].times, runs[i].time(*iters)...)
			pySide[i].times = append(pySide[i].times, py.run(c.name, *iters)...)
			py1Side[i].times = append(py1Side[i].times, py1.run(c.name, *iters)...)
			batches[i].round(*iters)
		}
	}

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "case\tlrsense ms\tnumpy ms\tnumpy 1-thread ms\tlrsense/numpy\tlrsense op MB\tnumpy op MB\tbytes ratio\t")
	ratios := make([]float64, len(cases))
	for i, c := range cases {
		g, p, p1 := median(goSide[i].times), median(pySide[i].times), median(py1Side[i].times)
		ratios[i] = g / min(p, p1)
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t%.3f\t\n", c.name, 1e3*g, 1e3*p, 1e3*p1, ratios[i],
			float64(goSide[i].bytes)/1e6, float64(pySide[i].bytes)/1e6, float64(goSide[i].bytes)/float64(pySide[i].bytes))
	}
	tw.Flush()
	fmt.Println("\nlrsense/numpy is against the faster numpy; times are medians of all timed iterations.")
	fmt.Println()
	for i, c := range cases {
		fmt.Printf("RATIO\t%s\t%.3f\n", c.name, ratios[i])
	}
	fmt.Println()
	for i, c := range cases {
		batches[i].report(c.name)
	}
}

// goRun is the lrsense side of one case.
type goRun struct {
	gd    *lrsense.GD
	x     lrsense.Factors
	bytes int
}

func newGoRun(c benchCase) (*goRun, error) {
	src := lrsense.NewSource(uint64(1000*c.n + c.m))
	sigma := lrsense.Geometric.Spectrum(3, 2)
	var p *lrsense.Problem
	var x lrsense.Factors
	if c.sym {
		truth, err := lrsense.NewPSDTruth(c.n, sigma, src)
		if err != nil {
			return nil, err
		}
		op, err := lrsense.NewSymGaussian(c.m, c.n, src)
		if err != nil {
			return nil, err
		}
		if p, err = lrsense.NewProblem(op, truth, nil, src); err != nil {
			return nil, err
		}
		x = lrsense.Factors{L: lrsense.RandomFactor(c.n, c.r, 0.1, lrsense.StdAlphaOverSqrtCols, src)}
		if err != nil {
			return nil, err
		}
	} else {
		truth, err := lrsense.NewLowRankTruth(c.n, c.n, sigma, src)
		if err != nil {
			return nil, err
		}
		op, err := lrsense.NewGaussian(c.m, c.n, c.n, src)
		if err != nil {
			return nil, err
		}
		if p, err = lrsense.NewProblem(op, truth, nil, src); err != nil {
			return nil, err
		}
		x = lrsense.Factors{L: lrsense.RandomFactor(c.n, c.r, 0.1, lrsense.StdAlphaOverSqrtCols, src), R: lrsense.RandomFactor(c.n, c.r, 0.1, lrsense.StdAlphaOverSqrtCols, src)}
		if err != nil {
			return nil, err
		}
	}
	gd := &lrsense.GD{Eta: 0.1}
	if _, err := gd.Init(p, x); err != nil {
		return nil, err
	}
	bytes := 0
	if s, ok := p.Op.(interface{ Bytes() int }); ok {
		bytes = s.Bytes()
	}
	return &goRun{gd: gd, x: x, bytes: bytes}, nil
}

// time returns the wall times in seconds of n iterations.
func (g *goRun) time(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		t0 := time.Now()
		if _, err := g.gd.Iterate(g.x); err != nil {
			log.Fatal(err)
		}
		out[i] = time.Since(t0).Seconds()
	}
	return out
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ensureNumpy installs Debian's python3-numpy (with OpenBLAS) when it is
// missing.
func ensureNumpy() {
	if exec.Command(python, "-c", "import numpy").Run() == nil {
		return
	}
	if os.Geteuid() != 0 {
		log.Fatalf("%s cannot import numpy; install python3-numpy and libopenblas0-pthread (apt-get, as root)", python)
	}
	log.Print("installing python3-numpy and libopenblas0-pthread with apt-get")
	install := func() error {
		cmd := exec.Command("apt-get", "install", "-y", "--no-install-recommends", "python3-numpy", "libopenblas0-pthread")
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		return cmd.Run()
	}
	if install() != nil {
		update := exec.Command("apt-get", "update")
		update.Stdout, update.Stderr = os.Stderr, os.Stderr
		if err := update.Run(); err != nil {
			log.Fatalf("apt-get update: %v", err)
		}
		if err := install(); err != nil {
			log.Fatalf("apt-get install: %v", err)
		}
	}
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		log.Fatalf("numpy still missing after apt-get: %v", err)
	}
}

// pyProc is the numpy side, a python process answering commands.
type pyProc struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// startPython starts the numpy side with env added to the environment.
func startPython(env []string) (*pyProc, error) {
	cmd := exec.Command(python, "-u", "-c", script)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &pyProc{cmd: cmd, in: in, out: bufio.NewReader(out)}, nil
}

// call sends a command and decodes the JSON answer into v.
func (p *pyProc) call(v any, format string, args ...any) {
	if _, err := fmt.Fprintf(p.in, format+"\n", args...); err != nil {
		log.Fatalf("numpy side: %v", err)
	}
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		log.Fatalf("numpy side: %v", err)
	}
	if err := json.Unmarshal(line, v); err != nil {
		log.Fatalf("numpy side: %v in %q", err, line)
	}
}

// setup builds case c with seed and returns the operator's bytes.
func (p *pyProc) setup(c benchCase, seed int) int {
	var s struct {
		Bytes int `json:"bytes"`
	}
	sym := 0
	if c.sym {
		sym = 1
	}
	p.call(&s, "setup %s %d %d %d %d %d", c.name, sym, c.n, c.r, c.m, seed)
	return s.Bytes
}

func (p *pyProc) run(name string, n int) []float64 {
	var r struct {
		Times []float64 `json:"times"`
	}
	p.call(&r, "run %s %d", name, n)
	return r.Times
}

func (p *pyProc) close() {
	p.in.Close()
	p.cmd.Wait()
}
