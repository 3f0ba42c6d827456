package experiment

import (
	"math"
	"testing"

	"github.com/lrsense/lrsense/lrsense"
)

func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func TestQuantileRule(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		v    []float64
		q    float64
		want float64
	}{
		{[]float64{3, 1, 2}, 0.5, 2},
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{1, 2, 3, 4}, 0.25, 1.75},
		{nil, 0.5, nan},
		// A diverged run is not dropped: it moves the median up.
		{[]float64{1, 2, inf}, 0.5, 2},
		{[]float64{1, inf, inf}, 0.5, inf},
		{[]float64{1, 2, nan}, 0.5, 2},
		{[]float64{1, nan, nan}, 0.5, nan},
		{[]float64{nan, 1, inf}, 0.5, inf},  // NaN sorts after +Inf
		{[]float64{1, inf}, 0.5, inf},       // next to a non-finite value
		{[]float64{inf, inf}, 0.5, inf},     // equal neighbours
		{[]float64{inf, nan}, 0.5, nan},     // between +Inf and NaN
		{[]float64{-inf, inf}, 0.5, nan},    // between −Inf and +Inf
		{[]float64{-inf, 1, 2}, 0.25, -inf}, // next to −Inf
		{[]float64{-inf, 1, 2}, 0.75, 1.5},
		{[]float64{1, 2, inf}, 1, inf},
		{[]float64{1, 2, inf}, 0, 1},
	} {
		if got := Quantile(tc.v, tc.q); !same(got, tc.want) {
			t.Errorf("Quantile(%v, %v) = %v, want %v", tc.v, tc.q, got, tc.want)
		}
	}
	v := []float64{3, nan, 1}
	Median(v)
	if v[0] != 3 || v[2] != 1 {
		t.Errorf("Median modified its input: %v", v)
	}
}

func traj(iter []int, vals ...float64) *lrsense.Trajectory {
	return &lrsense.Trajectory{Names: []string{"e"}, Iter: iter, Values: [][]float64{vals}}
}

func TestBandOf(t *testing.T) {
	inf := math.Inf(1)
	ts := []*lrsense.Trajectory{
		traj([]int{0, 10, 20}, 1, 0.1, 0.01),
		traj([]int{0, 10}, 1, 0.2),         // stopped (converged) at 10: carries 0.2
		traj([]int{0, 10, 20}, 1, 10, inf), // diverged
		traj([]int{0, 5}, 1, math.NaN()),   // non-finite at 5, carried on
	}
	b := BandOf(ts, "e", 0, 1)
	if want := []int{0, 5, 10, 20}; !equalInts(b.Iter, want) {
		t.Fatalf("grid %v, want %v", b.Iter, want)
	}
	// At 20: values {0.01, 0.2, +Inf, NaN}: median between 0.2 and +Inf.
	for j, want := range [][3]float64{{1, 1, 1}, {1, 1, math.NaN()}, {0.1, 0.2 + 0.5*(10-0.2), math.NaN()}, {0.01, inf, math.NaN()}} {
		got := [3]float64{b.Lo[j], b.Median[j], b.Hi[j]}
		for k := range got {
			if !same(got[k], want[k]) && math.Abs(got[k]-want[k]) > 1e-12 {
				t.Errorf("iteration %d: lo/median/hi %v, want %v", b.Iter[j], got, want)
				break
			}
		}
	}
	if b := BandOf(nil, "e", 0.1, 0.9); len(b.Iter) != 0 {
		t.Errorf("band of nothing: %+v", b)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("BandOf of an unknown series did not panic")
			}
		}()
		BandOf(ts, "typo", 0.1, 0.9)
	}()
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestIterToCensoring(t *testing.T) {
	ts := []*lrsense.Trajectory{
		traj([]int{0, 10, 20}, 1, 1e-3, 1e-7),
		traj([]int{0, 10, 20}, 1, 1e-7, 1e-9),
		traj([]int{0, 10, 20}, 1, math.NaN(), math.NaN()), // never ≤ ε: censored
		traj([]int{0, 10, 20}, 1, 0.5, 0.1),               // budget exhausted: censored
	}
	h := IterTo(ts, "e", 1e-6)
	if h.Reached != 2 || h.Censored != 2 || h.Iters[0] != 20 || h.Iters[1] != 10 || !math.IsInf(h.Iters[2], 1) {
		t.Fatalf("%+v", h)
	}
	if m := h.Median(); !math.IsInf(m, 1) {
		t.Errorf("median with half censored = %v, want +Inf (10, 20, +Inf, +Inf → between 20 and +Inf)", m)
	}
	if p := h.Proportion(); p.K != 2 || p.N != 4 {
		t.Errorf("proportion %v", p)
	}
	if m := IterTo(ts[:3], "e", 1e-6).Median(); m != 20 {
		t.Errorf("median of 20, 10, censored = %v, want 20", m)
	}
	f := Final(ts, "e")
	if f[0] != 1e-7 || !math.IsNaN(f[2]) || !math.IsNaN(Final([]*lrsense.Trajectory{traj(nil)}, "e")[0]) {
		t.Errorf("Final = %v", f)
	}
}

func TestWilson(t *testing.T) {
	for _, tc := range []struct {
		k, n   int
		lo, hi float64
	}{
		// Reference values: Wilson score interval, z = 1.96.
		{5, 10, 0.2366, 0.7634},
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{1, 20, 0.0089, 0.2361},
	} {
		p := Wilson(tc.k, tc.n)
		if math.Abs(p.Lo-tc.lo) > 1e-4 || math.Abs(p.Hi-tc.hi) > 1e-4 || p.P != float64(tc.k)/float64(tc.n) {
			t.Errorf("Wilson(%d, %d) = %v, want [%.4f, %.4f]", tc.k, tc.n, p, tc.lo, tc.hi)
		}
	}
	if p := Wilson(0, 0); !math.IsNaN(p.P) || p.Lo != 0 || p.Hi != 1 {
		t.Errorf("Wilson(0, 0) = %v", p)
	}
	ts := []*lrsense.Trajectory{traj([]int{0}, 1), traj([]int{0}, 0)}
	if p := Success(ts, func(t *lrsense.Trajectory) bool { return t.Last("e") < 0.5 }); p.K != 1 || p.N != 2 {
		t.Errorf("Success = %v", p)
	}
}

func TestFitLine(t *testing.T) {
	x := []float64{1, 10, 100, 1000, math.NaN(), 0}
	y := []float64{2, 20, 200, 2000, 5, 3}
	f := FitLine(x, y, true, true)
	if math.Abs(f.Slope-1) > 1e-12 || math.Abs(f.Intercept-math.Log10(2)) > 1e-12 || math.Abs(f.R2-1) > 1e-12 || f.N != 4 || f.Dropped != 2 {
		t.Errorf("log-log fit %+v", f)
	}
	f = FitLine([]float64{0, 1, 2, 3}, []float64{1, 3, 2, math.Inf(1)}, false, false)
	if f.N != 3 || f.Dropped != 1 || math.Abs(f.Slope-0.5) > 1e-12 || math.Abs(f.R2-0.25) > 1e-12 {
		t.Errorf("linear fit %+v", f)
	}
	if f := FitLine([]float64{1}, []float64{1}, false, false); !math.IsNaN(f.Slope) {
		t.Errorf("fit of one point %+v", f)
	}
}

func TestSurfaceUpward(t *testing.T) {
	type c struct{ X, Y int }
	res := &Results[c]{Points: Grid(c{}, Vary("Y", 2, 1), Vary("X", 10, 20, 30)), Trials: 1}
	for i, p := range res.Points {
		res.Runs = append(res.Runs, Run{Point: i, Traj: traj([]int{0}, float64(10*p.Y+p.X/10))})
	}
	s := res.Surface(func(p c) float64 { return float64(p.X) }, func(p c) float64 { return float64(p.Y) },
		func(ts []*lrsense.Trajectory) float64 { return Median(Final(ts, "e")) })
	if s.At(20, 1) != 12 || s.At(30, 2) != 23 || !math.IsNaN(s.At(20, 3)) || s.Ys[0] != 1 {
		t.Fatalf("surface %+v", s)
	}
	sub := res.Where(func(p c) bool { return p.X != 20 })
	if len(sub.Points) != 4 || len(sub.Runs) != 4 || sub.Runs[3].Point != 3 || sub.Points[1] != (c{30, 2}) || sub.Runs[1].Traj.Last("e") != 23 {
		t.Errorf("Where: %+v", sub)
	}
	z, xs, ys := s.Upward()
	// Row 0 (drawn on top) is the largest y.
	if ys[0] != 2 || ys[1] != 1 || xs[0] != 10 || z.At(0, 0) != 21 || z.At(1, 2) != 13 {
		t.Errorf("Upward: ys %v, z row 0 = %v", ys, z.At(0, 0))
	}
}
