package experiment

import (
	"context"
	"errors"
	"time"
)

// This file stands in for slurm.go (the Slurm job-array runner) until it
// lands; it is deleted then. See /work/plan/SLURM-BOUNDARY.md.

// Slurm holds the sbatch options of the Slurm runner (zero value usable:
// default partition, no time limit, 1 CPU per task, no throttle).
type Slurm struct {
	Partition   string
	Time        string
	CPUsPerTask int
	Throttle    int
	Extra       []string
	// Poll is the state polling interval; 0 means 1 s.
	Poll time.Duration
}

// TaskFailure is a Slurm array task that did not complete.
type TaskFailure struct {
	Task   int
	State  string
	Stderr string
}

func (s *Slurm) runArray(ctx context.Context, dir, exe string, args []string, tasks []int,
	progress func(done, total int)) ([]TaskFailure, error) {
	return nil, errors.New("experiment: the Slurm runner is not built into this version")
}
