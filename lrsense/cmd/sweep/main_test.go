package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/lrsense/lrsense/lrsense"
	"github.com/lrsense/lrsense/lrsense/experiment"
)

// TestMissingAndMerge works on a store written by the layer: missing
// reports a deleted and a damaged shard (exit status 1), merge refuses an
// incomplete sweep and writes a readable Parquet table of a complete one.
func TestMissingAndMerge(t *testing.T) {
	type cfg struct{ K int }
	sw := experiment.Sweep[cfg]{
		Name:   "cmd",
		Points: experiment.Grid(cfg{}, experiment.Vary("K", 1, 2, 3)),
		Trials: 2, Seed: 1, Shards: 3, Store: t.TempDir(), Quiet: true,
		Trial: func(c cfg, seed uint64) (*lrsense.Trajectory, error) {
			return experiment.Scalars("k", c.K, "seed", float64(seed%1000)), nil
		},
	}
	res := sw.MustRun()
	dir := res.Dir
	if err := missing([]string{dir}); err != nil {
		t.Fatalf("missing on a complete sweep: %v", err)
	}
	out := filepath.Join(t.TempDir(), "r.parquet")
	if err := merge([]string{"-o", out, dir}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	// 3 points × 2 trials × (2 series + 4 status rows).
	if pf.NumRows() != 3*2*6 {
		t.Errorf("%d rows", pf.NumRows())
	}

	d, err := experiment.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(d.ShardPath(0))
	os.WriteFile(d.ShardPath(2), []byte("garbage"), 0o600)
	var ex exitErr
	if err := missing([]string{dir}); !errors.As(err, &ex) || ex != 1 {
		t.Errorf("missing with two bad shards: %v", err)
	}
	if miss, _ := d.Missing(); experiment.FormatShards(miss) != "0,2" {
		t.Errorf("Missing = %v", miss)
	}
	if err := merge([]string{"-o", out, dir}); err == nil {
		t.Errorf("merge of an incomplete sweep succeeded")
	}
	if err := run([]string{dir, "7", "/bin/true"}); err == nil {
		t.Errorf("run of shard 7 of 3 succeeded")
	}
	if err := run([]string{dir, "0", "/bin/true"}); err == nil {
		t.Errorf("run with a program that writes nothing succeeded")
	}
	// Rerunning the sweep recomputes exactly the two shards.
	if again := sw.MustRun(); again.Computed != 2 || again.Loaded != 1 {
		t.Errorf("rerun computed %d, loaded %d", again.Computed, again.Loaded)
	}
	if p, err := d.Merge(); err != nil || filepath.Dir(p) != dir {
		t.Errorf("Merge = %q, %v", p, err)
	}
}
