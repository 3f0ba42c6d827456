package lrsense

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"sync"
)

// TrialSeed derives the seed of trial i from a master seed (a SplitMix64
// mix of both), so trials are independent of how they are scheduled.
func TrialSeed(master uint64, trial int) uint64 {
	z := master + 0x9e3779b97f4a7c15*uint64(trial+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// RunTrials runs trial(i, src) for i = 0…n−1 on up to workers goroutines
// (0 means GOMAXPROCS), each with NewSource(TrialSeed(master, i)), and
// returns the results in trial order. The results do not depend on workers.
// It returns the first error by trial order.
func RunTrials[T any](n, workers int, master uint64, trial func(i int, src rand.Source) (T, error)) ([]T, error) {
	checkNil("trial function", trial)
	if n < 0 {
		return nil, badParam("number of trials must be ≥ 0, got %d", n)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	out := make([]T, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = trial(i, NewSource(TrialSeed(master, i)))
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return out, fmt.Errorf("trial %d: %w", i, err)
		}
	}
	return out, nil
}

// Band is a trial aggregate of one series: the median and a quantile band
// at each recorded iteration.
type Band struct {
	Name string
	Iter []int
	// Median, Lo and Hi are the 0.5, QLo and QHi quantiles across trials.
	Median, Lo, Hi []float64
	QLo, QHi       float64
}

// Aggregate computes the median and the [qlo, qhi] quantile band of the
// named series across trajectories. The iteration grid is the union of the
// trajectories' grids; a trajectory that stopped earlier contributes its
// last value (a converged run stays where it ended). NaN values are left
// out of a point's quantiles; a point with no finite value is NaN. It panics
// unless 0 ≤ qlo ≤ qhi ≤ 1, if a trajectory is nil, or (as Series does) if
// one does not record name.
func Aggregate(ts []*Trajectory, name string, qlo, qhi float64) Band {
	if !(0 <= qlo && qlo <= qhi && qhi <= 1) {
		panic("lrsense: Aggregate needs 0 ≤ qlo ≤ qhi ≤ 1")
	}
	for i, t := range ts {
		if t == nil {
			panic(fmt.Sprintf("lrsense: nil trajectory ts[%d] in Aggregate", i))
		}
		t.Series(name)
	}
	b := Band{Name: name, QLo: qlo, QHi: qhi}
	grid := map[int]bool{}
	for _, t := range ts {
		for _, it := range t.Iter {
			grid[it] = true
		}
	}
	for it := range grid {
		b.Iter = append(b.Iter, it)
	}
	sort.Ints(b.Iter)
	pos := make([]int, len(ts))
	vals := make([]float64, 0, len(ts))
	for _, it := range b.Iter {
		vals = vals[:0]
		for k, t := range ts {
			s := t.Series(name)
			for pos[k]+1 < len(t.Iter) && t.Iter[pos[k]+1] <= it {
				pos[k]++
			}
			if len(s) == 0 || t.Iter[pos[k]] > it {
				continue
			}
			if v := s[pos[k]]; !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			b.Median = append(b.Median, math.NaN())
			b.Lo = append(b.Lo, math.NaN())
			b.Hi = append(b.Hi, math.NaN())
			continue
		}
		slices.Sort(vals)
		b.Median = append(b.Median, quantile(0.5, vals))
		b.Lo = append(b.Lo, quantile(qlo, vals))
		b.Hi = append(b.Hi, quantile(qhi, vals))
	}
	return b
}

// quantile returns the q-quantile of sorted data, interpolating linearly
// between order statistics (h = (n−1)q; numpy's default), so the median of
// an even count is the mean of the middle two.
func quantile(q float64, sorted []float64) float64 {
	h := float64(len(sorted)-1) * q
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// Key returns a cache key for a configuration: a hex SHA-256 of a canonical
// encoding of cfg's type and every value it holds (struct fields by name,
// slices, arrays, maps with sorted keys, pointers followed, floats by their
// bits). Any change of any parameter changes the key. Functions and
// channels cannot be part of a key: Key panics on them.
func Key(cfg any) string {
	h := sha256.New()
	writeKey(h, reflect.ValueOf(cfg))
	return hex.EncodeToString(h.Sum(nil))
}

func writeKey(h hash.Hash, v reflect.Value) {
	var b [8]byte
	put := func(u uint64) {
		binary.LittleEndian.PutUint64(b[:], u)
		h.Write(b[:])
	}
	str := func(s string) {
		put(uint64(len(s)))
		h.Write([]byte(s))
	}
	if !v.IsValid() {
		str("<nil>")
		return
	}
	str(v.Type().String())
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			put(1)
		} else {
			put(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		put(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		put(v.Uint())
	case reflect.Float32, reflect.Float64:
		put(math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		put(math.Float64bits(real(v.Complex())))
		put(math.Float64bits(imag(v.Complex())))
	case reflect.String:
		str(v.String())
	case reflect.Slice, reflect.Array:
		put(uint64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			writeKey(h, v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		enc := make([]string, len(keys))
		idx := make([]int, len(keys))
		for i, k := range keys {
			kh := sha256.New()
			writeKey(kh, k)
			enc[i] = string(kh.Sum(nil))
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return enc[idx[a]] < enc[idx[b]] })
		put(uint64(len(keys)))
		for _, i := range idx {
			h.Write([]byte(enc[i]))
			writeKey(h, v.MapIndex(keys[i]))
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			str("nil")
			return
		}
		writeKey(h, v.Elem())
	case reflect.Struct:
		t := v.Type()
		put(uint64(v.NumField()))
		for i := 0; i < v.NumField(); i++ {
			str(t.Field(i).Name)
			writeKey(h, v.Field(i))
		}
	default:
		panic("lrsense: Key cannot encode a " + v.Kind().String())
	}
}
