package experiment

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lrsense/lrsense/lrsense"
)

// The store. A sweep lives in one directory, ROOT/NAME-KEY16 (KEY16 the
// first 16 hex digits of the sweep's key), holding
//
//	sweep.json          the manifest: key, shard count, trial groups and
//	                    the points' parameter values (JSON, written once)
//	shard-00007.lrs     one file per shard (format below)
//	results.parquet     written by Merge (cmd/sweep merge) on request
//	slurm/              the Slurm runner's worker copy and task logs
//
// A shard file is "LRSENSE-SHARD\n", the format version (uint32), the
// payload length (uint64), the SHA-256 of the payload, then the payload:
// the gob encoding of the shard's runs and of the key, shard index and
// shard count they belong to. Every file is written to a temporary name
// and renamed into place, so a reader sees a whole file or none, and a
// task that runs twice writes the same file. A file with another magic,
// version, length, checksum, key or set of runs is invalid: it is never
// decoded into results, and the runner computes the shard again.

const (
	// formatVersion is the version of the shard and manifest formats. It
	// is part of every sweep key: files of another version are recomputed.
	formatVersion = 1
	shardMagic    = "LRSENSE-SHARD\n"
	manifestName  = "sweep.json"
	headerLen     = len(shardMagic) + 4 + 8 + sha256.Size
)

// DefaultStore returns the default root of the result store: the
// environment variable LRSENSE_SWEEPS if set, otherwise
// os.UserCacheDir()/lrsense/sweeps (~/.cache/lrsense/sweeps on Linux), a
// per-user directory, never a shared /tmp.
func DefaultStore() (string, error) {
	if d := os.Getenv("LRSENSE_SWEEPS"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("experiment: no per-user cache directory for the store (set LRSENSE_SWEEPS): %w", err)
	}
	return filepath.Join(d, "lrsense", "sweeps"), nil
}

// ensurePrivateDir creates dir (and its parents) with permissions 0700 and
// refuses a directory that others may write to.
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("experiment: store: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("experiment: store: %w", err)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		if err := os.Chmod(dir, fi.Mode().Perm()&^0o022); err != nil {
			return fmt.Errorf("experiment: store directory %s is writable by others and cannot be made private: %w", dir, err)
		}
	}
	return nil
}

// Column is one parameter column of a sweep: a field of the configuration
// (nested fields joined with ".") and its type: "float", "int", "bool" or
// "string" (any other field is shown as a string).
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Manifest describes a sweep's directory: everything needed to check its
// shards and to write its results without the program that ran it.
type Manifest struct {
	Format  int      `json:"format"`
	Name    string   `json:"name"`
	Key     string   `json:"key"`
	Trials  int      `json:"trials"`
	Shards  int      `json:"shards"`
	Seed    uint64   `json:"seed"`
	Columns []Column `json:"columns"`
	// Points holds each point's parameter values, formatted (floats
	// with strconv 'g' and full precision, so NaN and ±Inf survive).
	Points [][]string `json:"points"`
	// Groups lists the point indices of each Share group, and GroupKeys
	// their keys (from which the trial seeds are derived).
	Groups    [][]int   `json:"groups"`
	GroupKeys []string  `json:"group_keys"`
	Created   time.Time `json:"created"`
}

// Dir is one sweep's directory in the store.
type Dir struct {
	Path string
	Manifest
}

// OpenDir reads the manifest of the sweep directory at path.
func OpenDir(path string) (*Dir, error) {
	b, err := os.ReadFile(filepath.Join(path, manifestName))
	if err != nil {
		return nil, fmt.Errorf("experiment: %s is not a sweep directory: %w", path, err)
	}
	d := &Dir{Path: path}
	if err := json.Unmarshal(b, &d.Manifest); err != nil {
		return nil, fmt.Errorf("experiment: %s: bad manifest: %w", path, err)
	}
	if d.Format != formatVersion {
		return nil, fmt.Errorf("experiment: %s: manifest format %d, this program reads %d", path, d.Format, formatVersion)
	}
	if d.Shards < 1 || d.Trials < 1 || len(d.Groups) == 0 || len(d.GroupKeys) != len(d.Groups) {
		return nil, fmt.Errorf("experiment: %s: manifest without shards, trials or points", path)
	}
	return d, nil
}

// ListDirs returns the sweep directories under a store root.
func ListDirs(root string) ([]*Dir, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []*Dir
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		if d, err := OpenDir(filepath.Join(root, e.Name())); err == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

// ShardPath returns the file name of shard s.
func (d *Dir) ShardPath(s int) string { return filepath.Join(d.Path, shardFile(s)) }

// plan rebuilds the unit layout from the manifest.
func (d *Dir) plan() *plan {
	return &plan{name: d.Name, key: d.Key, groups: d.Groups, groupKeys: d.GroupKeys, trials: d.Trials, shards: d.Shards, seed: d.Seed}
}

// Missing returns the shards that have no valid file, and for each
// invalid (rather than absent) file the reason.
func (d *Dir) Missing() (missing []int, invalid map[int]error) {
	p := d.plan()
	invalid = map[int]error{}
	for s := range d.Shards {
		if _, err := readShard(d.ShardPath(s), p, s); err != nil {
			missing = append(missing, s)
			if !errors.Is(err, os.ErrNotExist) {
				invalid[s] = err
			}
		}
	}
	return missing, invalid
}

// Runs reads every shard and returns the runs in (point, trial) order. It
// returns an error naming the shards that are missing or invalid.
func (d *Dir) Runs() ([]Run, error) {
	p := d.plan()
	runs := make([]Run, len(d.Points)*d.Trials)
	var bad []int
	for s := range d.Shards {
		rs, err := readShard(d.ShardPath(s), p, s)
		if err != nil {
			bad = append(bad, s)
			continue
		}
		for _, r := range rs {
			runs[r.Point*d.Trials+r.Trial] = r
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("experiment: %s: %d of %d shards missing or invalid: %s", d.Path, len(bad), d.Shards, FormatShards(bad))
	}
	return runs, nil
}

// FormatShards formats shard indices as Slurm's --array list: "0-3,7,9-10".
func FormatShards(s []int) string {
	s = slices.Clone(s)
	slices.Sort(s)
	var parts []string
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(s[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", s[i], s[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// writeAtomic writes data to path through a temporary file in the same
// directory and a rename.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("experiment: writing %s: %w", path, err)
	}
	return nil
}

// storedRun is the stored form of a Run: plain fields only, so that the
// format changes only with formatVersion.
type storedRun struct {
	Point, Trial int
	Seed         uint64
	Names        []string
	Iter         []int
	Values       [][]float64
	Status       int
	Iterations   int
	RuntimeNS    int64
	Loss, RelErr float64
}

type shardPayload struct {
	Key           string
	Shard, Shards int
	Runs          []storedRun
}

func toStored(r Run) storedRun {
	t := r.Traj
	return storedRun{
		Point: r.Point, Trial: r.Trial, Seed: r.Seed,
		Names: t.Names, Iter: t.Iter, Values: t.Values,
		Status: int(t.Status), Iterations: t.Stats.Iterations, RuntimeNS: int64(t.Stats.Runtime),
		Loss: t.Stats.Loss, RelErr: t.Stats.RelErr,
	}
}

func fromStored(s storedRun) Run {
	t := &lrsense.Trajectory{Names: s.Names, Iter: s.Iter, Values: s.Values, Status: lrsense.Status(s.Status)}
	t.Stats.Iterations, t.Stats.Runtime, t.Stats.Loss, t.Stats.RelErr = s.Iterations, time.Duration(s.RuntimeNS), s.Loss, s.RelErr
	return Run{Point: s.Point, Trial: s.Trial, Seed: s.Seed, Traj: t}
}

// encodeShard returns the file contents of a shard.
func encodeShard(key string, shard, shards int, runs []Run) ([]byte, error) {
	pl := shardPayload{Key: key, Shard: shard, Shards: shards}
	for _, r := range runs {
		pl.Runs = append(pl.Runs, toStored(r))
	}
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(pl); err != nil {
		return nil, fmt.Errorf("experiment: encoding shard %d: %w", shard, err)
	}
	out := make([]byte, 0, headerLen+body.Len())
	out = append(out, shardMagic...)
	out = binary.LittleEndian.AppendUint32(out, formatVersion)
	out = binary.LittleEndian.AppendUint64(out, uint64(body.Len()))
	sum := sha256.Sum256(body.Bytes())
	out = append(out, sum[:]...)
	return append(out, body.Bytes()...), nil
}

// readShard reads and checks shard s of plan p. Any mismatch is an error;
// only a file that passes every check is decoded into runs.
func readShard(path string, p *plan, s int) ([]Run, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return decodeShard(b, p, s)
}

func decodeShard(b []byte, p *plan, s int) ([]Run, error) {
	if len(b) < headerLen || string(b[:len(shardMagic)]) != shardMagic {
		return nil, errors.New("not a shard file (bad magic or truncated header)")
	}
	h := b[len(shardMagic):]
	if v := binary.LittleEndian.Uint32(h); v != formatVersion {
		return nil, fmt.Errorf("format version %d, this program reads %d", v, formatVersion)
	}
	n := binary.LittleEndian.Uint64(h[4:])
	body := b[headerLen:]
	if uint64(len(body)) != n {
		return nil, fmt.Errorf("payload of %d bytes, header says %d (truncated or extended)", len(body), n)
	}
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], h[12:12+sha256.Size]) {
		return nil, errors.New("checksum mismatch")
	}
	var pl shardPayload
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&pl); err != nil {
		return nil, fmt.Errorf("undecodable payload: %w", err)
	}
	if pl.Key != p.key || pl.Shard != s || pl.Shards != p.shards {
		return nil, fmt.Errorf("shard %d/%d of sweep %s, want shard %d/%d of %s", pl.Shard, pl.Shards, shortKey(pl.Key), s, p.shards, shortKey(p.key))
	}
	// The runs must be exactly those of the shard's units, in order.
	var want []storedRun
	for _, u := range p.unitsOf(s) {
		g, t := p.unit(u)
		for _, pt := range p.groups[g] {
			want = append(want, storedRun{Point: pt, Trial: t, Seed: p.seedOf(g, t)})
		}
	}
	if len(pl.Runs) != len(want) {
		return nil, fmt.Errorf("%d runs, want %d", len(pl.Runs), len(want))
	}
	runs := make([]Run, len(want))
	for i, r := range pl.Runs {
		w := want[i]
		if r.Point != w.Point || r.Trial != w.Trial || r.Seed != w.Seed {
			return nil, fmt.Errorf("run %d is point %d trial %d, want point %d trial %d", i, r.Point, r.Trial, w.Point, w.Trial)
		}
		if len(r.Values) != len(r.Names) {
			return nil, fmt.Errorf("run %d: %d series for %d names", i, len(r.Values), len(r.Names))
		}
		for k := range r.Values {
			if len(r.Values[k]) != len(r.Iter) {
				return nil, fmt.Errorf("run %d: series %q has %d values for %d iterations", i, r.Names[k], len(r.Values[k]), len(r.Iter))
			}
		}
		runs[i] = fromStored(r)
	}
	return runs, nil
}
