package experiment

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"

	"github.com/lrsense/lrsense/lrsense"
)

// Sweep is a typed description of an experiment: the points (one value of
// the configuration type C each), a number of seeded trials per point, and
// the trial function. It is data; Run does the loops, seeds, store,
// progress and failures:
//
//	sw := experiment.Sweep[Config]{
//		Name:   "rprime",
//		Points: experiment.Grid(base, experiment.Vary("RPrime", 3, 6, 12)),
//		Trials: 8,
//		Seed:   1,
//		Trial: func(c Config, seed uint64) (*lrsense.Trajectory, error) {
//			c.Seed = seed
//			return run(c), nil
//		},
//	}
//	res, err := sw.Run()
//
// Every field that changes a result is part of the sweep's key (see Key):
// Name, Version, Points, Trials, Seed, Shards and the Share groups. The
// code of Trial (or TrialGroup) cannot be hashed: change Version when you
// change what Trial computes, or a stored result of the old code is read
// back.
type Sweep[C any] struct {
	// Name names the sweep's directory in the store ("phase-transition").
	Name string
	// Version is part of the key; change it when Trial changes.
	Version string
	// Points are the parameter values, one per point. Grid builds a grid;
	// any list of explicit points will do. Every point must have a Key.
	Points []C
	// Trials is the number of seeded trials per point (≥ 1).
	Trials int
	// Seed is the master seed. The seed of trial t of a point is
	// TrialSeed(Seed, the point's key, t): it depends on nothing else
	// (not on the worker count, the shard count, the order of the points
	// or the machine).
	Seed uint64
	// Trial runs one trial of point c with its seed and returns its
	// trajectory (a small result is a Trajectory too, see Scalars). An
	// error or a panic fails this trial only.
	Trial func(c C, seed uint64) (*lrsense.Trajectory, error)

	// Share, if not nil, groups the points that share a problem instance:
	// points with equal Share(c) keys get the same seed for the same
	// trial (so they are compared on the same operator, truth and
	// initialization) and their trials are always in the same shard. Nil
	// means every point is its own group.
	Share func(c C) any

	// TrialGroup, if not nil, runs trial seed of a whole Share group at
	// once: group holds the group's points in the order of Points, and
	// TrialGroup returns one trajectory per point, in that order. It is
	// how the points of a group run in lock step on one operator
	// (lrsense.SolveAll: build the problem once, one Run per point).
	// Trial is then unused and may be nil. An error or a panic fails
	// the trials of every point of the group (a nil trajectory fails its
	// point's trial only).
	//
	// TrialGroup must return for each point exactly what Trial would (a
	// batched solve is bit-identical to one run at a time), so it is not
	// part of the key, like Workers: a store computed with Trial is read
	// back by the same sweep with TrialGroup and the other way round.
	// Change Version if TrialGroup computes something else.
	TrialGroup func(group []C, seed uint64) ([]*lrsense.Trajectory, error)

	// Shards is the number of shards the (point, trial) pairs are split
	// into: the unit of storage, of resuming and of a Slurm array task.
	// 0 means min(64, number of Share groups × Trials).
	Shards int
	// Workers is the number of goroutines of the in-process runner; 0
	// means GOMAXPROCS. It never changes a result.
	Workers int
	// Store is the root directory of the result store; "" means
	// DefaultStore().
	Store string
	// Slurm, if not nil, computes the missing shards as a Slurm job array
	// instead of in this process (see Slurm).
	Slurm *Slurm
	// Quiet turns the progress display off.
	Quiet bool
}

// Axis is one parameter of a Grid: a field name of the configuration and
// its values.
type Axis struct {
	Field  string
	Values []any
}

// Vary returns the Axis that sets the named field to each of values:
// Vary("Alpha", 1e-1, 1e-3) or Vary("R", ranks...) for a slice ranks.
func Vary[T any](field string, values ...T) Axis {
	a := Axis{Field: field}
	for _, v := range values {
		a.Values = append(a.Values, v)
	}
	return a
}

// Grid returns the points of the full grid over the axes, starting from
// base: every combination of the axes' values, the first axis varying
// slowest. A value is converted to its field's type when the conversion is
// exact (an int to a float64 field, 2.0 to an int field). Grid panics if C
// is not a struct, a field does not exist or a value does not fit it.
func Grid[C any](base C, axes ...Axis) []C {
	t := reflect.TypeOf(base)
	if t == nil || t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("experiment: Grid needs a struct configuration, not %v", t))
	}
	pts := []C{base}
	for _, ax := range axes {
		f, ok := t.FieldByName(ax.Field)
		if !ok || !f.IsExported() {
			panic(fmt.Sprintf("experiment: Grid: %s has no exported field %q", t, ax.Field))
		}
		vals := make([]reflect.Value, len(ax.Values))
		for i, v := range ax.Values {
			vals[i] = convertExact(v, f.Type, ax.Field)
		}
		next := make([]C, 0, len(pts)*len(vals))
		for _, p := range pts {
			for _, v := range vals {
				q := p
				reflect.ValueOf(&q).Elem().FieldByIndex(f.Index).Set(v)
				next = append(next, q)
			}
		}
		pts = next
	}
	return pts
}

// convertExact converts v to type t when that loses nothing, and panics
// otherwise.
func convertExact(v any, t reflect.Type, field string) reflect.Value {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || !rv.Type().ConvertibleTo(t) {
		panic(fmt.Sprintf("experiment: Grid: value %v (%T) does not fit field %s of type %s", v, v, field, t))
	}
	if rv.Type().AssignableTo(t) {
		return rv
	}
	c := rv.Convert(t)
	numeric := func(k reflect.Kind) bool {
		return k >= reflect.Int && k <= reflect.Float64
	}
	if !numeric(rv.Kind()) || !numeric(t.Kind()) || !c.Convert(rv.Type()).Equal(rv) {
		panic(fmt.Sprintf("experiment: Grid: value %v (%T) does not fit field %s of type %s exactly", v, v, field, t))
	}
	return c
}

// TrialSeed returns the seed of trial t of the point (or Share group) with
// the given key under a master seed: the first 8 bytes of a SHA-256 of the
// three. It depends on nothing else.
func TrialSeed(master uint64, key string, t int) uint64 {
	h := sha256.New()
	var b [8]byte
	h.Write([]byte("lrsense/experiment seed v1\x00"))
	binary.LittleEndian.PutUint64(b[:], master)
	h.Write(b[:])
	binary.LittleEndian.PutUint64(b[:], uint64(len(key)))
	h.Write(b[:])
	h.Write([]byte(key))
	binary.LittleEndian.PutUint64(b[:], uint64(t))
	h.Write(b[:])
	return binary.LittleEndian.Uint64(h.Sum(nil))
}

// Scalars returns a Trajectory holding one value per named series at
// iteration 0: the result of a trial that measures a few numbers rather
// than a run. Arguments alternate names and values:
// Scalars("success", 1, "iters", 412). It panics on an odd argument count
// or a name that is not a string or a value that is not a number.
func Scalars(nameValues ...any) *lrsense.Trajectory {
	if len(nameValues)%2 != 0 {
		panic("experiment: Scalars needs name, value pairs")
	}
	t := &lrsense.Trajectory{Iter: []int{0}}
	for i := 0; i < len(nameValues); i += 2 {
		name, ok := nameValues[i].(string)
		if !ok {
			panic(fmt.Sprintf("experiment: Scalars: name %v is not a string", nameValues[i]))
		}
		v := reflect.ValueOf(nameValues[i+1])
		if !v.IsValid() || !v.CanConvert(reflect.TypeOf(0.0)) || v.Kind() == reflect.String {
			panic(fmt.Sprintf("experiment: Scalars: value of %s is not a number", name))
		}
		t.Names = append(t.Names, name)
		t.Values = append(t.Values, []float64{v.Convert(reflect.TypeOf(0.0)).Float()})
	}
	return t
}

// plan is a validated sweep: keys, seeds and the unit and shard layout.
// A unit is one trial of one Share group (all the group's points); units
// are numbered group-major, and unit u belongs to shard u mod shards, so
// every shard holds trials of all groups (balancing cheap and costly
// points).
type plan struct {
	name      string
	key       string // the sweep key (hex)
	dirName   string
	pointKeys []string
	groups    [][]int // point indices of each group, in point order
	groupKeys []string
	trials    int
	shards    int
	seed      uint64
}

const defaultMaxShards = 64

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (s *Sweep[C]) plan() (*plan, error) {
	switch {
	case s.Trial == nil && s.TrialGroup == nil:
		return nil, fmt.Errorf("experiment: sweep %q has no Trial or TrialGroup function", s.Name)
	case len(s.Points) == 0:
		return nil, fmt.Errorf("experiment: sweep %q has no points", s.Name)
	case s.Trials < 1:
		return nil, fmt.Errorf("experiment: sweep %q needs Trials ≥ 1, got %d", s.Name, s.Trials)
	case s.Shards < 0:
		return nil, fmt.Errorf("experiment: sweep %q needs Shards ≥ 0, got %d", s.Name, s.Shards)
	}
	p := &plan{name: s.Name, trials: s.Trials, seed: s.Seed}
	seen := map[string]int{}
	groupOf := map[string]int{}
	for i, c := range s.Points {
		k, err := Key(c)
		if err != nil {
			return nil, fmt.Errorf("point %d: %w", i, err)
		}
		if j, dup := seen[k]; dup {
			return nil, fmt.Errorf("experiment: sweep %q: points %d and %d are equal", s.Name, j, i)
		}
		seen[k] = i
		p.pointKeys = append(p.pointKeys, k)
		gk := k
		if s.Share != nil {
			if gk, err = Key(s.Share(c)); err != nil {
				return nil, fmt.Errorf("point %d: Share: %w", i, err)
			}
		}
		g, ok := groupOf[gk]
		if !ok {
			g = len(p.groups)
			groupOf[gk] = g
			p.groups = append(p.groups, nil)
			p.groupKeys = append(p.groupKeys, gk)
		}
		p.groups[g] = append(p.groups[g], i)
	}
	units := len(p.groups) * s.Trials
	p.shards = s.Shards
	if p.shards == 0 {
		p.shards = min(defaultMaxShards, units)
	}
	p.shards = min(p.shards, units)
	k, err := Key(struct {
		Format       int
		Name, Ver    string
		Points       []string
		Groups       []string
		Trials       int
		Seed         uint64
		Shards       int
		HasShareFunc bool
	}{formatVersion, s.Name, s.Version, p.pointKeys, p.groupKeys, s.Trials, s.Seed, p.shards, s.Share != nil})
	if err != nil {
		return nil, err
	}
	p.key = k
	name := strings.Trim(unsafeName.ReplaceAllString(s.Name, "-"), "-.")
	if name == "" {
		name = "sweep"
	}
	p.dirName = name + "-" + k[:16]
	return p, nil
}

// units returns the number of (group, trial) units.
func (p *plan) units() int { return len(p.groups) * p.trials }

// unitsOf returns the units of shard s, increasing.
func (p *plan) unitsOf(s int) []int {
	var us []int
	for u := s; u < p.units(); u += p.shards {
		us = append(us, u)
	}
	return us
}

// unit returns the group and trial of unit u.
func (p *plan) unit(u int) (group, trial int) { return u / p.trials, u % p.trials }

// seedOf returns the seed of trial t of group g.
func (p *plan) seedOf(g, t int) uint64 { return TrialSeed(p.seed, p.groupKeys[g], t) }

// shortKey is a key prefix for messages.
func shortKey(k string) string {
	if _, err := hex.DecodeString(k); err == nil && len(k) > 12 {
		return k[:12]
	}
	return k
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
