// Package experiment is the layer the lrsense notebooks stand on: sweeps of
// seeded trials and their result store, the runners (in-process, worker
// mode, Slurm job arrays), reducers, the reproduction-claim protocol (Claim,
// Report, ParseLine) and the notebook scale (Quick, Pick). The math core,
// package lrsense, does not import it.
//
// # Sweeps
//
// A Sweep is data: the points (values of a configuration type C, often a
// Grid of Vary axes over a base configuration), a number of trials per
// point, a master seed, and the trial function, which builds a problem
// from the point and its seed, solves it and returns a Trajectory (or
// Scalars). Trial t of a point gets TrialSeed(master, key of the point,
// t): it depends on nothing else, so a result never depends on the
// worker count, the shard count, the order of the points or the machine.
// Key encodes every parameter (cyclic and unsupported values are errors,
// NaNs are one value, NaN map keys keep their values). Points that share a
// problem instance can be grouped with Sweep.Share: they get the same
// seeds (a paired comparison) and the same shard. With Sweep.TrialGroup a
// group's points run in one call, in lock step on one operator
// (lrsense.SolveAll): bit-identical to running them one at a time, so
// TrialGroup is not part of the key.
//
// # Shards, the store and the runners
//
// The (group, trial) units of a sweep are dealt round-robin into a fixed
// number of shards (Sweep.Shards, default min(64, units)). A shard is the
// unit of storage, of resuming and of a Slurm array task. The store keeps a
// sweep in one directory, ROOT/NAME-KEY16, ROOT being DefaultStore()
// (~/.cache/lrsense/sweeps, created 0700) or Sweep.Store: a manifest
// (sweep.json) and one file per shard, each written atomically (temporary
// file and rename) with a format version and a SHA-256 checksum. A file
// that is damaged, truncated, of another version or of another shard is
// never decoded: the shard is computed again.
//
// Sweep.Run reads the shards already stored and computes the missing ones:
// in this process on all cores (progress with done/total and an ETA, in
// place in a GoNB cell, as lines on standard error elsewhere), or, with
// Sweep.Slurm set, as one Slurm job array. A trial that fails or panics
// fails only itself (Results.Failed, and an error from Run). In worker
// mode — the environment variables LRSENSE_SWEEP_DIR and
// LRSENSE_SWEEP_SHARD set — the program that defines the sweep computes one
// shard into that directory and exits: this is what a Slurm task runs, and
// what the shell command lrsense/cmd/sweep (plan, ls, missing, run, merge)
// drives from a batch script. Every runner gives bit-identical results.
//
// Results.WriteParquet (or Dir.Merge from the store alone) writes a sweep
// as a long Parquet table — one row per (parameters…, trial, seed, series,
// iteration, value) — that pandas, polars, DuckDB and R read directly.
//
// # Reducers
//
// Quantile, Median, BandOf (Results.Bands), Final, IterTo (Hitting, with
// censoring explicit), Wilson and Success (Proportion with a 95% Wilson
// interval), FitLine (Fit) and Results.Surface (a 2-D reduction; Upward
// gives plotting.HeatMap's arguments with y increasing upward) share one
// NaN/Inf rule, stated in reduce.go: a non-finite value is an outcome,
// never dropped; −Inf sorts first, then the finite values, +Inf, NaN. A
// Band is drawn by plotting.FromBand.
//
// # Claims
//
// A claim's verdict is PASS, FAIL or DEVIATION. A DEVIATION is a
// documented non-reproduction (the paper's value, the measured value and the
// reason); it never fails a run but is counted separately. Fraction reports
// a claim over a small grid as a pass count ("9/10"). Every claim is
// printed as one line, its kind ("REPRO" or "CHECK"), a tab, and the claim
// as a JSON object:
//
//	REPRO	{"notebook":"00-tour","id":"exact-rank","what":"…","measured":"3.1e-10","target":"<= 1e-08","verdict":"PASS"}
//
// docker/reproduce.sh reads these lines with ParseLine.
package experiment
