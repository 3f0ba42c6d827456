// Command sweep drives an lrsense experiment sweep from the shell or a
// batch script: it lists the sweeps of a store, says which shards of one
// are missing, runs one shard, and merges a finished sweep into one
// Parquet file.
//
// It works on the store alone. A sweep's trial function is Go code, so
// only the program that defines the sweep (a notebook cell's compiled
// program, or any Go program calling experiment.Sweep.Run) can compute a
// shard: `sweep run` starts that program in worker mode, with
// LRSENSE_SWEEP_DIR and LRSENSE_SWEEP_SHARD set, and the program's Run call
// computes exactly that shard and exits. Everything else (missing, merge,
// ls) needs only the directory: its manifest sweep.json holds the shard
// layout and the points' parameters.
//
// Usage:
//
//	sweep plan PROGRAM [ARG...]      run PROGRAM (which defines a sweep) only
//	                                 to create its directory; print the
//	                                 directory and its shard count
//	sweep ls [ROOT]                  sweeps under ROOT (default: the store,
//	                                 $LRSENSE_SWEEPS or ~/.cache/lrsense/sweeps)
//	sweep missing DIR                missing or invalid shards of DIR, as an
//	                                 sbatch --array list ("0-3,7"); exit 1
//	                                 when some are missing
//	sweep run DIR [SHARD] [PROGRAM [ARG...]]
//	                                 compute one shard by running PROGRAM
//	                                 (default DIR/slurm/worker, the copy the
//	                                 Slurm runner keeps) in worker mode;
//	                                 SHARD defaults to $SLURM_ARRAY_TASK_ID
//	sweep merge [-o FILE] DIR        check every shard and write the results
//	                                 in long form to FILE (default
//	                                 DIR/results.parquet)
//
// A batch script for a sweep whose program was built as ./mysweep, after
// `sweep plan ./mysweep` printed its directory DIR and 64 shards:
//
//	#SBATCH --array=0-63%16
//	sweep run "$DIR" "$SLURM_ARRAY_TASK_ID" ./mysweep
//
// then `sweep missing "$DIR"` gives the --array list of what to resubmit,
// and `sweep merge "$DIR"` the table for pandas, polars, DuckDB or R.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lrsense/lrsense/lrsense/experiment"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "plan":
		err = plan(os.Args[2:])
	case "ls":
		err = ls(os.Args[2:])
	case "missing":
		err = missing(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	case "merge":
		err = merge(os.Args[2:])
	case "-h", "-help", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "sweep: unknown command %q\n", os.Args[1])
		usage()
	}
	if err != nil {
		var ex exitErr
		if errors.As(err, &ex) {
			os.Exit(int(ex))
		}
		fmt.Fprintln(os.Stderr, "sweep:", err)
		os.Exit(1)
	}
}

// exitErr ends the command with a status and no message.
type exitErr int

func (e exitErr) Error() string { return "exit " + strconv.Itoa(int(e)) }

func usage() {
	fmt.Fprint(os.Stderr, `usage:
  sweep plan PROGRAM [ARG...]
  sweep ls [ROOT]
  sweep missing DIR
  sweep run DIR [SHARD] [PROGRAM [ARG...]]
  sweep merge [-o FILE] DIR
`)
	os.Exit(2)
}

func plan(args []string) error {
	if len(args) < 1 {
		usage()
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), experiment.EnvPlan+"=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("plan: %s: %w", args[0], err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Split(line, "\t"); len(f) == 3 && f[0] == "SWEEP" {
			fmt.Printf("%s\t%s shards\n", f[1], f[2])
			return nil
		}
	}
	return fmt.Errorf("plan: %s ran no sweep", args[0])
}

func ls(args []string) error {
	root := ""
	if len(args) > 0 {
		root = args[0]
	} else {
		var err error
		if root, err = experiment.DefaultStore(); err != nil {
			return err
		}
	}
	dirs, err := experiment.ListDirs(root)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		miss, _ := d.Missing()
		fmt.Printf("%s\t%s\t%d/%d shards\t%d points × %d trials\n", d.Path, d.Name, d.Shards-len(miss), d.Shards, len(d.Points), d.Trials)
	}
	return nil
}

func missing(args []string) error {
	if len(args) != 1 {
		usage()
	}
	d, err := experiment.OpenDir(args[0])
	if err != nil {
		return err
	}
	miss, invalid := d.Missing()
	for _, s := range miss {
		if e := invalid[s]; e != nil {
			fmt.Fprintf(os.Stderr, "shard %d: invalid: %v\n", s, e)
		}
	}
	fmt.Println(experiment.FormatShards(miss))
	if len(miss) > 0 {
		return exitErr(1)
	}
	return nil
}

func run(args []string) error {
	if len(args) < 1 {
		usage()
	}
	dir, err := filepath.Abs(args[0])
	if err != nil {
		return err
	}
	args = args[1:]
	shard := os.Getenv("SLURM_ARRAY_TASK_ID")
	if len(args) > 0 {
		if _, err := strconv.Atoi(args[0]); err == nil {
			shard, args = args[0], args[1:]
		}
	}
	if shard == "" {
		return errors.New("run: no SHARD given and SLURM_ARRAY_TASK_ID is not set")
	}
	s, err := strconv.Atoi(shard)
	if err != nil {
		return fmt.Errorf("run: bad shard %q", shard)
	}
	d, err := experiment.OpenDir(dir)
	if err != nil {
		return err
	}
	if s < 0 || s >= d.Shards {
		return fmt.Errorf("run: shard %d out of range 0…%d", s, d.Shards-1)
	}
	prog := filepath.Join(dir, "slurm", "worker")
	if len(args) > 0 {
		prog, args = args[0], args[1:]
	}
	cmd := exec.Command(prog, args...)
	cmd.Env = append(os.Environ(), experiment.EnvDir+"="+dir, experiment.EnvShard+"="+shard)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("run: %s for shard %d: %w", prog, s, err)
	}
	miss, invalid := d.Missing()
	for _, m := range miss {
		if m == s {
			if e := invalid[s]; e != nil {
				return fmt.Errorf("run: %s exited 0 but shard %d is invalid: %v", prog, s, e)
			}
			return fmt.Errorf("run: %s exited 0 but wrote no shard %d (does it define this sweep and call Run?)", prog, s)
		}
	}
	return nil
}

func merge(args []string) error {
	fs := flag.NewFlagSet("merge", flag.ExitOnError)
	out := fs.String("o", "", "output `file` (default DIR/results.parquet)")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	d, err := experiment.OpenDir(fs.Arg(0))
	if err != nil {
		return err
	}
	if *out == "" {
		p, err := d.Merge()
		if err != nil {
			return err
		}
		fmt.Println(p)
		return nil
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := d.WriteParquet(f); err != nil {
		f.Close()
		os.Remove(*out)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Println(*out)
	return nil
}
