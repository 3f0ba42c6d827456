package experiment

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
)

// The one NaN/Inf rule of the reducers: a non-finite value is an outcome,
// never dropped. A diverged run (+Inf, or NaN from Inf − Inf) must not
// vanish from a median and make the others look better. Sorting puts −Inf
// first, then the finite values, then +Inf, then NaN; a quantile is read
// off that order (interpolating linearly between neighbours, numpy's
// default), and a quantile that falls on or next to a non-finite value is
// that value (NaN when it is between +Inf and NaN or between −Inf and
// +Inf). So the median of {1, 2, NaN} is 2, of {1, NaN, NaN} NaN.
//
// Iterations-to-ε: a run that never reaches ε (a NaN is not ≤ ε) is
// censored; it counts as +Inf iterations and the count of censored runs is
// reported. Fits cannot use non-finite values: they leave those points
// out and report how many (Fit.Dropped).

// sortOutcomes sorts in place by the rule's order.
func sortOutcomes(v []float64) {
	rank := func(x float64) int {
		switch {
		case math.IsNaN(x):
			return 3
		case math.IsInf(x, 1):
			return 2
		case math.IsInf(x, -1):
			return 0
		}
		return 1
	}
	slices.SortFunc(v, func(a, b float64) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 || rank(a) != 1 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of the values under the
// package's NaN/Inf rule; NaN for no values. It does not modify v. It
// panics if q is outside [0, 1].
func Quantile(v []float64, q float64) float64 {
	if !(0 <= q && q <= 1) {
		panic(fmt.Sprintf("experiment: Quantile of q = %v outside [0, 1]", q))
	}
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	sortOutcomes(s)
	return quantileSorted(s, q)
}

// Median returns Quantile(v, 0.5).
func Median(v []float64) float64 { return Quantile(v, 0.5) }

func quantileSorted(s []float64, q float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	h := float64(len(s)-1) * q
	lo := int(math.Floor(h))
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	a, b, f := s[lo], s[lo+1], h-float64(lo)
	switch {
	case f == 0:
		return a
	case finite(a) && finite(b):
		return a + f*(b-a)
	case a == b:
		return a
	case math.IsNaN(a) || math.IsNaN(b):
		return math.NaN()
	case !finite(a) && !finite(b):
		return math.NaN() // −Inf and +Inf
	case !finite(a):
		return a
	default:
		return b
	}
}

// Band is the median and a quantile band of one series across trials, at
// each recorded iteration. Its fields match those of plotting's band
// input: plotting.FromBand(b, "") draws it.
type Band struct {
	Name string
	Iter []int
	// Median, Lo and Hi are the 0.5, QLo and QHi quantiles across trials
	// under the NaN/Inf rule.
	Median, Lo, Hi []float64
	QLo, QHi       float64
}

// BandOf reduces the named series of the trajectories to a Band. The
// iteration grid is the union of the trajectories' grids; a trajectory
// that stopped earlier contributes its last value (a converged run stays
// where it ended, a diverged one stays diverged); one with no recorded
// value yet contributes nothing. It panics unless 0 ≤ qlo ≤ qhi ≤ 1, and
// (as Trajectory.Series does) if a trajectory has no series of that name.
func BandOf(ts []*lrsense.Trajectory, series string, qlo, qhi float64) Band {
	if !(0 <= qlo && qlo <= qhi && qhi <= 1) {
		panic("experiment: BandOf needs 0 ≤ qlo ≤ qhi ≤ 1")
	}
	b := Band{Name: series, QLo: qlo, QHi: qhi}
	grid := map[int]bool{}
	for _, t := range ts {
		t.Series(series) // panics on an unknown name
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
			s := t.Series(series)
			if len(s) == 0 {
				continue
			}
			for pos[k]+1 < len(t.Iter) && t.Iter[pos[k]+1] <= it {
				pos[k]++
			}
			if t.Iter[pos[k]] <= it {
				vals = append(vals, s[pos[k]])
			}
		}
		sortOutcomes(vals)
		b.Median = append(b.Median, quantileSorted(vals, 0.5))
		b.Lo = append(b.Lo, quantileSorted(vals, qlo))
		b.Hi = append(b.Hi, quantileSorted(vals, qhi))
	}
	return b
}

// Final returns the last recorded value of the named series of each
// trajectory (NaN for one that recorded nothing, which the rule keeps). It
// panics if a trajectory has no series of that name.
func Final(ts []*lrsense.Trajectory, series string) []float64 {
	out := make([]float64, len(ts))
	for i, t := range ts {
		out[i] = t.Last(series)
	}
	return out
}

// Hitting is the iterations-to-ε reduction of a set of runs.
type Hitting struct {
	// Eps is the level ε.
	Eps float64
	// Iters holds, per run, the first recorded iteration with value ≤ ε,
	// or +Inf for a censored run (one that never reached ε within its
	// budget).
	Iters []float64
	// Reached and Censored count the runs that did and did not reach ε.
	Reached, Censored int
}

// IterTo returns the first recorded iteration at which each trajectory's
// named series is ≤ eps, with the censoring explicit. It panics if a
// trajectory has no series of that name.
func IterTo(ts []*lrsense.Trajectory, series string, eps float64) Hitting {
	h := Hitting{Eps: eps, Iters: make([]float64, len(ts))}
	for i, t := range ts {
		if it, ok := t.FirstBelow(series, eps); ok {
			h.Iters[i] = float64(it)
			h.Reached++
		} else {
			h.Iters[i] = math.Inf(1)
			h.Censored++
		}
	}
	return h
}

// Median returns the median iterations to ε: +Inf when more than half the
// runs are censored.
func (h Hitting) Median() float64 { return Median(h.Iters) }

// Proportion returns the share of runs that reached ε, with its Wilson
// interval.
func (h Hitting) Proportion() Proportion { return Wilson(h.Reached, h.Reached+h.Censored) }

// Proportion is a success fraction K/N with its 95% Wilson score interval
// [Lo, Hi].
type Proportion struct {
	K, N   int
	P      float64
	Lo, Hi float64
}

// String formats the proportion as "7/10 = 0.70 [0.40, 0.89]".
func (p Proportion) String() string {
	return fmt.Sprintf("%d/%d = %.2f [%.2f, %.2f]", p.K, p.N, p.P, p.Lo, p.Hi)
}

// Wilson returns the proportion k/n with its 95% Wilson score interval
// (z = 1.96; Wilson 1927), which stays inside [0, 1] and is not empty at
// k = 0 or k = n. For n = 0, P is NaN and the interval [0, 1]. It panics
// unless 0 ≤ k ≤ n.
func Wilson(k, n int) Proportion {
	if k < 0 || k > n {
		panic(fmt.Sprintf("experiment: Wilson(%d, %d) needs 0 ≤ k ≤ n", k, n))
	}
	if n == 0 {
		return Proportion{P: math.NaN(), Lo: 0, Hi: 1}
	}
	const z = 1.959963984540054
	nf := float64(n)
	p := float64(k) / nf
	d := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / d
	w := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / d
	lo, hi := math.Max(0, c-w), math.Min(1, c+w)
	if k == 0 {
		lo = 0
	}
	if k == n {
		hi = 1
	}
	return Proportion{K: k, N: n, P: p, Lo: lo, Hi: hi}
}

// Success returns the share of trajectories for which ok is true, with
// its Wilson interval.
func Success(ts []*lrsense.Trajectory, ok func(t *lrsense.Trajectory) bool) Proportion {
	k := 0
	for _, t := range ts {
		if ok(t) {
			k++
		}
	}
	return Wilson(k, len(ts))
}

// Fit is a least-squares line y = Slope·x + Intercept (on log10 scales
// where asked) with its coefficient of determination.
type Fit struct {
	Slope, Intercept, R2 float64
	// N is the number of points used and Dropped the number left out
	// (non-finite, or ≤ 0 on a log scale).
	N, Dropped int
}

// FitLine fits a line to the points (x[i], y[i]), taking log10 of x and/or
// y first when logX/logY. Points it cannot use are counted in Dropped;
// with fewer than two usable points (or all x equal) the fit is NaN. It
// panics if x and y differ in length.
func FitLine(x, y []float64, logX, logY bool) Fit {
	if len(x) != len(y) {
		panic(fmt.Sprintf("experiment: FitLine of %d x and %d y values", len(x), len(y)))
	}
	tr := func(v float64, log bool) (float64, bool) {
		if log {
			if !(v > 0) {
				return 0, false
			}
			v = math.Log10(v)
		}
		return v, finite(v)
	}
	var xs, ys []float64
	f := Fit{}
	for i := range x {
		a, okA := tr(x[i], logX)
		b, okB := tr(y[i], logY)
		if !okA || !okB {
			f.Dropped++
			continue
		}
		xs, ys = append(xs, a), append(ys, b)
	}
	f.N = len(xs)
	f.Slope, f.Intercept, f.R2 = math.NaN(), math.NaN(), math.NaN()
	if f.N < 2 {
		return f
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(f.N)
	my /= float64(f.N)
	var sxx, sxy, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	if sxx == 0 {
		return f
	}
	f.Slope = sxy / sxx
	f.Intercept = my - f.Slope*mx
	f.R2 = 1
	if syy > 0 {
		f.R2 = sxy * sxy / (sxx * syy)
	}
	return f
}

// Surface is a reduction over two parameters: Z[i][j] is the value at
// (Xs[j], Ys[i]), with Xs and Ys increasing; NaN where no point falls.
type Surface struct {
	Xs, Ys []float64
	Z      [][]float64
}

// At returns the value at (x, y), NaN if the surface has no such cell.
func (s Surface) At(x, y float64) float64 {
	i, okY := slices.BinarySearch(s.Ys, y)
	j, okX := slices.BinarySearch(s.Xs, x)
	if !okX || !okY {
		return math.NaN()
	}
	return s.Z[i][j]
}

// Upward returns the surface as the arguments of plotting.HeatMap, which
// draws matrix row 0 on top: the rows reversed, so that y increases
// upward as on any plot: plotting.HeatMap(title, xl, yl, s.Upward()).
func (s Surface) Upward() (z mat.Matrix, xs, ys []float64) {
	r, c := len(s.Ys), len(s.Xs)
	d := mat.NewDense(r, c, nil)
	ys = make([]float64, r)
	for i := range r {
		ys[i] = s.Ys[r-1-i]
		for j := range c {
			d.Set(i, j, s.Z[r-1-i][j])
		}
	}
	return d, slices.Clone(s.Xs), ys
}

// Surface reduces the results over two parameters: the points with the
// same (x(c), y(c)) are pooled (their successful trials together) and
// reduced by f. Cells without points are NaN.
func (r *Results[C]) Surface(x, y func(c C) float64, f func(ts []*lrsense.Trajectory) float64) Surface {
	type cell struct{ x, y float64 }
	pool := map[cell][]*lrsense.Trajectory{}
	var s Surface
	for i, c := range r.Points {
		k := cell{x(c), y(c)}
		if _, ok := pool[k]; !ok {
			s.Xs, s.Ys = append(s.Xs, k.x), append(s.Ys, k.y)
		}
		pool[k] = append(pool[k], r.Trajs(i)...)
	}
	s.Xs, s.Ys = uniqueSorted(s.Xs), uniqueSorted(s.Ys)
	s.Z = make([][]float64, len(s.Ys))
	for i, yv := range s.Ys {
		s.Z[i] = make([]float64, len(s.Xs))
		for j, xv := range s.Xs {
			s.Z[i][j] = math.NaN()
			if ts, ok := pool[cell{xv, yv}]; ok {
				s.Z[i][j] = f(ts)
			}
		}
	}
	return s
}

func uniqueSorted(v []float64) []float64 {
	slices.Sort(v)
	return slices.Compact(v)
}

// Bands returns one Band of the named series per point, named by name(c)
// (nil means the series name).
func (r *Results[C]) Bands(series string, qlo, qhi float64, name func(c C) string) []Band {
	out := make([]Band, len(r.Points))
	for i, c := range r.Points {
		out[i] = BandOf(r.Trajs(i), series, qlo, qhi)
		if name != nil {
			out[i].Name = name(c)
		}
	}
	return out
}

// Where returns the results of the points for which keep is true (their
// runs renumbered to the new point order), to reduce or export a slice of
// a sweep: res.Where(func(c Config) bool { return c.RPrime == c.R }).
func (r *Results[C]) Where(keep func(c C) bool) *Results[C] {
	out := &Results[C]{Trials: r.Trials, Dir: r.Dir, Computed: r.Computed, Loaded: r.Loaded}
	var m *Manifest
	if r.manifest != nil {
		cp := *r.manifest
		cp.Points = nil
		m = &cp
	}
	for i, c := range r.Points {
		if !keep(c) {
			continue
		}
		j := len(out.Points)
		out.Points = append(out.Points, c)
		for _, run := range r.Runs[i*r.Trials : (i+1)*r.Trials] {
			run.Point = j
			out.Runs = append(out.Runs, run)
		}
		if m != nil {
			m.Points = append(m.Points, r.manifest.Points[i])
		}
	}
	out.manifest = m
	return out
}
