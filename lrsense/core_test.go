package lrsense

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func randDense(r, c int, rnd *rand.Rand) *mat.Dense {
	d := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			d.Set(i, j, rnd.NormFloat64())
		}
	}
	return d
}

func mustOp[T Operator](op T, err error) T {
	if err != nil {
		panic(err)
	}
	return op
}

func testOperators() map[string]Operator {
	src := NewSource(7)
	return map[string]Operator{
		"Gaussian":      mustOp(NewGaussian(37, 5, 4, src)),
		"SymGaussian":   mustOp(NewSymGaussian(41, 6, src)),
		"Identity":      mustOp(newFullObservation(3, 7)),
		"EntrySampling": mustOp(NewEntrySampling(13, 5, 6, src)),
	}
}

func TestAdjointIdentity(t *testing.T) {
	rnd := rand.New(NewSource(1))
	for name, op := range testOperators() {
		m, n1, n2 := op.Dims()
		for trial := 0; trial < 5; trial++ {
			x := randDense(n1, n2, rnd)
			y := mat.NewVecDense(m, nil)
			for i := 0; i < m; i++ {
				y.SetVec(i, rnd.NormFloat64())
			}
			var ax mat.VecDense
			op.ApplyTo(&ax, x)
			var aty mat.Dense
			op.AdjointTo(&aty, y)
			lhs := mat.Dot(&ax, y)
			rhs := mat.Sum(mulElem(x, &aty))
			if math.Abs(lhs-rhs) > 1e-12*math.Max(1, math.Abs(lhs)) {
				t.Errorf("%s: ⟨𝒜(X), y⟩ = %v, ⟨X, 𝒜*(y)⟩ = %v", name, lhs, rhs)
			}
			// The fused pass agrees with apply-then-adjoint.
			var g mat.Dense
			var r mat.VecDense
			residualAdjointTo(op, &g, &r, x, y)
			var want mat.VecDense
			want.SubVec(&ax, y)
			var wantG mat.Dense
			op.AdjointTo(&wantG, &want)
			if !mat.EqualApprox(&r, &want, 1e-12) || !mat.EqualApprox(&g, &wantG, 1e-12) {
				t.Errorf("%s: ResidualAdjointTo differs from ApplyTo/AdjointTo", name)
			}
		}
	}
}

func mulElem(a, b mat.Matrix) *mat.Dense {
	var d mat.Dense
	d.MulElem(a, b)
	return &d
}

// TestNormalization checks E[𝒜*𝒜] = I empirically: ‖𝒜(Z)‖² ≈ ‖Z‖_F² on
// average over operators, for the matrices each operator is meant for.
func TestNormalization(t *testing.T) {
	rnd := rand.New(NewSource(3))
	z := randDense(6, 6, rnd)
	var zs mat.Dense
	zs.Add(z, z.T())
	want := mat.Norm(&zs, 2) * mat.Norm(&zs, 2)
	for _, c := range []struct {
		name string
		make func(src rand.Source) Operator
	}{
		{"Gaussian", func(src rand.Source) Operator { return mustOp(NewGaussian(200, 6, 6, src)) }},
		{"SymGaussian", func(src rand.Source) Operator { return mustOp(NewSymGaussian(200, 6, src)) }},
		{"EntrySampling", func(src rand.Source) Operator { return mustOp(NewEntrySampling(12, 6, 6, src)) }},
	} {
		sum := 0.0
		const trials = 400
		for k := 0; k < trials; k++ {
			var a mat.VecDense
			c.make(NewSource(uint64(100+k))).ApplyTo(&a, &zs)
			sum += mat.Dot(&a, &a)
		}
		got := sum / trials
		if math.Abs(got/want-1) > 0.05 {
			t.Errorf("%s: mean ‖𝒜(Z)‖² = %.4g, want ‖Z‖² = %.4g", c.name, got, want)
		}
	}
}

func TestGradientFiniteDifference(t *testing.T) {
	rnd := rand.New(NewSource(11))
	src := NewSource(12)
	cases := []struct {
		name string
		op   Operator
		sym  bool
	}{
		{"sym/SymGaussian", mustOp(NewSymGaussian(30, 5, src)), true},
		{"sym/Gaussian", mustOp(NewGaussian(30, 5, 5, src)), true},
		{"asym/Gaussian", mustOp(NewGaussian(30, 5, 4, src)), false},
		{"asym/EntrySampling", mustOp(NewEntrySampling(15, 5, 4, src)), false},
	}
	for _, c := range cases {
		m, n1, n2 := c.op.Dims()
		y := mat.NewVecDense(m, nil)
		for i := 0; i < m; i++ {
			y.SetVec(i, rnd.NormFloat64())
		}
		p := &Problem{Op: c.op, Y: y}
		x := Factors{L: randDense(n1, 3, rnd)}
		if !c.sym {
			x.R = randDense(n2, 3, rnd)
		}
		ls := NewLeastSquares(p)
		var grad Factors
		ls.Eval(&grad, x)
		const h = 1e-6
		check := func(which string, f, g *mat.Dense) {
			r, cc := f.Dims()
			for i := 0; i < r; i++ {
				for j := 0; j < cc; j++ {
					v := f.At(i, j)
					f.Set(i, j, v+h)
					fp := ls.Eval(nil, x)
					f.Set(i, j, v-h)
					fm := ls.Eval(nil, x)
					f.Set(i, j, v)
					fd := (fp - fm) / (2 * h)
					if math.Abs(fd-g.At(i, j)) > 1e-6*math.Max(1, math.Abs(fd)) {
						t.Errorf("%s: ∂f/∂%s[%d,%d]: finite difference %v, gradient %v", c.name, which, i, j, fd, g.At(i, j))
					}
				}
			}
		}
		check("L", x.L, grad.L)
		if !c.sym {
			check("R", x.R, grad.R)
		}
	}
}

// recoveryProblem is the recovery setting: n = 20, r = 2,
// m = 5·n·r Gaussian measurements.
func recoveryProblem(t testing.TB, seed uint64, sym bool) *Problem {
	src := NewSource(seed)
	sigma := Linear.Spectrum(2, 2)
	var err error
	var truth *Truth
	var op Operator
	if sym {
		truth, err = NewPSDTruth(20, sigma, src)
		if err == nil {
			op, err = NewSymGaussian(200, 20, src)
		}
	} else {
		truth, err = NewLowRankTruth(20, 20, sigma, src)
		if err == nil {
			op, err = NewGaussian(5*(20+20)*2/2, 20, 20, src)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProblem(op, truth, nil, src)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExactRecovery(t *testing.T) {
	for _, sym := range []bool{true, false} {
		p := recoveryProblem(t, 5, sym)
		src := NewSource(6)
		var x0 Factors
		var err error
		if sym {
			x0 = Factors{L: RandomFactor(20, 2, 1e-3, StdAlphaOverSqrtRows, src)}
		} else {
			x0 = Factors{L: RandomFactor(20, 2, 1e-3, StdAlphaOverSqrtRows, src), R: RandomFactor(20, 2, 1e-3, StdAlphaOverSqrtRows, src)}
		}
		if err != nil {
			t.Fatal(err)
		}
		traj := NewTrajectory(Schedule{Every: 10})
		res, err := Solve(p, &GD{Eta: 0.25}, x0, &Settings{MaxIterations: 5000, RelErrTol: 1e-9}, traj)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != Converged || !(res.Stats.RelErr < 1e-8) {
			t.Errorf("sym=%v: status %v, relative error %v after %d iterations, want < 1e-8", sym, res.Status, res.Stats.RelErr, res.Stats.Iterations)
		}
		if got := p.RelErr(res.X); got != res.Stats.RelErr {
			t.Errorf("sym=%v: Stats.RelErr %v, RelErr of the result %v", sym, res.Stats.RelErr, got)
		}
		if traj.Iter[len(traj.Iter)-1] != res.Stats.Iterations || traj.Last("relerr") != res.Stats.RelErr {
			t.Errorf("sym=%v: trajectory does not end at the result", sym)
		}
		if traj.Status != Converged {
			t.Errorf("trajectory status %v", traj.Status)
		}
	}
}

func TestSameSeedBitIdentical(t *testing.T) {
	run := func(i int, src rand.Source) (*Trajectory, error) {
		sigma := Geometric.Spectrum(2, 3)
		truth, err := NewPSDTruth(12, sigma, src)
		if err != nil {
			return nil, err
		}
		op, err := NewSymGaussian(100, 12, src)
		if err != nil {
			return nil, err
		}
		p, err := NewProblem(op, truth, &Noise{Std: 1e-3}, src)
		if err != nil {
			return nil, err
		}
		x0 := Factors{L: RandomFactor(12, 4, 1e-2, StdAlphaOverSqrtCols, src)}
		traj := NewTrajectory(Schedule{PerDecade: 10}, SingularValuesMetric(3))
		_, err = Solve(p, &GD{Eta: 0.2}, x0, &Settings{MaxIterations: 300}, traj)
		return traj, err
	}
	one, err := RunTrials(4, 1, 42, run)
	if err != nil {
		t.Fatal(err)
	}
	two, err := RunTrials(4, 2, 42, run)
	if err != nil {
		t.Fatal(err)
	}
	for i := range one {
		if !reflect.DeepEqual(one[i].Values, two[i].Values) || !reflect.DeepEqual(one[i].Iter, two[i].Iter) {
			t.Errorf("trial %d differs between 1 and 2 workers", i)
		}
	}
	if reflect.DeepEqual(one[0].Values, one[1].Values) {
		t.Error("trials 0 and 1 are identical: seeds are not per trial")
	}
}

func TestDivergence(t *testing.T) {
	p := recoveryProblem(t, 8, true)
	x0 := Factors{L: RandomFactor(20, 2, 1, StdAlphaOverSqrtRows, NewSource(9))}
	traj := NewTrajectory(Schedule{})
	res, err := Solve(p, &GD{Eta: 50}, x0, &Settings{MaxIterations: 1000}, traj)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Diverged && res.Status != NonFinite {
		t.Fatalf("status %v, want Diverged", res.Status)
	}
	if res.Stats.Iterations >= 1000 || len(traj.Iter) != res.Stats.Iterations+1 {
		t.Errorf("%d iterations, %d recorded: the trajectory must keep every iterate up to the stop", res.Stats.Iterations, len(traj.Iter))
	}
	if traj.Status != res.Status {
		t.Errorf("trajectory status %v, result %v", traj.Status, res.Status)
	}
}

func TestCanceled(t *testing.T) {
	p := recoveryProblem(t, 8, true)
	x0 := Factors{L: RandomFactor(20, 2, 1e-3, StdAlphaOverSqrtRows, NewSource(9))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Solve(p, &GD{Eta: 0.1}, x0, &Settings{Context: ctx}, nil)
	if err != nil || res.Status != Canceled || res.Stats.Iterations != 0 {
		t.Errorf("got %v, %v after %d iterations; want Canceled at once", res.Status, err, res.Stats.Iterations)
	}
}

func TestBadParameters(t *testing.T) {
	src := NewSource(1)
	p := recoveryProblem(t, 2, true)
	x0 := Factors{L: RandomFactor(20, 2, 1e-3, StdAlphaOverSqrtRows, src)}
	nan := mat.NewVecDense(200, nil)
	nan.SetVec(3, math.NaN())
	for name, err := range map[string]error{
		"negative step":  solveErr(p, &GD{Eta: -1}, x0, nil),
		"zero step":      solveErr(p, &GD{}, x0, nil),
		"NaN step":       solveErr(p, &GD{Eta: math.NaN()}, x0, nil),
		"negative iters": solveErr(p, &GD{Eta: 0.1}, x0, &Settings{MaxIterations: -1}),
		"r′ = 0":         second(smallRandom(20, 0, 1, StdAlphaOverSqrtRows, src)),
		"α < 0":          second(smallRandom(20, 2, -1, StdAlphaOverSqrtRows, src)),
		"m = 0":          second(NewGaussian(0, 3, 3, src)),
		"m = 0 sym":      second(NewSymGaussian(0, 3, src)),
		"m > n1·n2":      second(NewEntrySampling(10, 3, 3, src)),
		"NaN in y":       solveErr(&Problem{Op: p.Op, Y: nan}, &GD{Eta: 0.1}, x0, nil),
		"κ < 1":          second(spectrum(3, 0.5, Linear)),
		"rank > n":       second(NewPSDTruth(2, []float64{1, 1, 1}, src)),
		"spectral r=0":   second(Spectral(p, 0, true)),
		"RelErrTol without truth": solveErr(&Problem{Op: p.Op, Y: p.Y}, &GD{Eta: 0.1}, x0,
			&Settings{RelErrTol: 1e-3}),
	} {
		if !errors.Is(err, ErrBadParam) {
			t.Errorf("%s: got error %v, want one wrapping ErrBadParam", name, err)
		}
	}
}

func solveErr(p *Problem, m Method, x0 Factors, s *Settings) error {
	_, err := Solve(p, m, x0, s, nil)
	return err
}

func second[T any](_ T, err error) error { return err }

func TestShapePanics(t *testing.T) {
	op := mustOp(NewGaussian(10, 4, 3, NewSource(1)))
	for name, f := range map[string]func(){
		"ApplyTo wrong x":     func() { op.ApplyTo(&mat.VecDense{}, mat.NewDense(3, 4, nil)) },
		"ApplyTo wrong dst":   func() { op.ApplyTo(mat.NewVecDense(9, nil), mat.NewDense(4, 3, nil)) },
		"AdjointTo wrong y":   func() { op.AdjointTo(&mat.Dense{}, mat.NewVecDense(9, nil)) },
		"AdjointTo wrong dst": func() { op.AdjointTo(mat.NewDense(3, 3, nil), mat.NewVecDense(10, nil)) },
		"Solve wrong factors": func() {
			p := recoveryProblem(t, 1, true)
			Solve(p, &GD{Eta: 0.1}, Factors{L: mat.NewDense(19, 2, nil)}, nil, nil)
		},
	} {
		func() {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "lrsense: ") {
					t.Errorf("%s: panic %v, want a message starting with \"lrsense: \"", name, r)
				}
			}()
			f()
		}()
	}
}

type keyConfig struct {
	N, R, M  int
	Alpha    float64
	Kappas   []float64
	Seed     uint64
	Method   string
	Sym      bool
	Noise    struct{ Sigma float64 }
	Schedule Schedule
	Extra    map[string]float64
}

// TestKeyChangesWithEveryParameter mutates every leaf of a configuration in
// turn and checks that the key changes each time, and only then.
func TestKeyChangesWithEveryParameter(t *testing.T) {
	base := keyConfig{N: 100, R: 3, M: 1500, Alpha: 1e-3, Kappas: []float64{1, 10}, Seed: 1,
		Method: "GD", Noise: struct{ Sigma float64 }{0.1}, Extra: map[string]float64{"c": 0.25}}
	k0 := Key(base)
	if Key(base) != k0 {
		t.Fatal("Key is not deterministic")
	}
	copyCfg := func() keyConfig {
		c := base
		c.Kappas = append([]float64(nil), base.Kappas...)
		c.Extra = map[string]float64{"c": 0.25}
		return c
	}
	mutations := map[string]func(*keyConfig){
		"N": func(c *keyConfig) { c.N++ }, "R": func(c *keyConfig) { c.R++ }, "M": func(c *keyConfig) { c.M-- },
		"Alpha":          func(c *keyConfig) { c.Alpha = math.Nextafter(c.Alpha, 1) },
		"Kappas value":   func(c *keyConfig) { c.Kappas[1] = 100 },
		"Kappas length":  func(c *keyConfig) { c.Kappas = append(c.Kappas, 100) },
		"Seed":           func(c *keyConfig) { c.Seed = 2 },
		"Method":         func(c *keyConfig) { c.Method = "ScaledGD" },
		"Sym":            func(c *keyConfig) { c.Sym = true },
		"Noise":          func(c *keyConfig) { c.Noise.Sigma = 0.2 },
		"Schedule.Every": func(c *keyConfig) { c.Schedule.Every = 5 },
		"Schedule.Log":   func(c *keyConfig) { c.Schedule.PerDecade = 5 },
		"Extra value":    func(c *keyConfig) { c.Extra["c"] = 0.1 },
		"Extra key":      func(c *keyConfig) { c.Extra["d"] = 0.25 },
	}
	// Every field of the struct is covered by a mutation.
	covered := map[string]bool{}
	for name := range mutations {
		covered[strings.Split(strings.Split(name, " ")[0], ".")[0]] = true
	}
	for i := 0; i < reflect.TypeOf(base).NumField(); i++ {
		if f := reflect.TypeOf(base).Field(i).Name; !covered[f] {
			t.Errorf("field %s has no mutation", f)
		}
	}
	seen := map[string]string{k0: "base"}
	for name, mut := range mutations {
		c := copyCfg()
		if Key(c) != k0 {
			t.Fatalf("copy changes the key")
		}
		mut(&c)
		k := Key(c)
		if prev, dup := seen[k]; dup {
			t.Errorf("mutating %s gives the key of %s", name, prev)
		}
		seen[k] = name
	}
	// NaN and -0 are parameters like any other.
	if Key(math.NaN()) == Key(0.0) || Key(math.Copysign(0, -1)) == Key(0.0) {
		t.Error("Key does not tell NaN or -0 from 0")
	}
	if Key(int32(1)) == Key(int64(1)) {
		t.Error("Key does not include the type")
	}
}

func TestTrajectoryGobRoundTrip(t *testing.T) {
	p := recoveryProblem(t, 3, true)
	x0 := Factors{L: RandomFactor(20, 3, 1e-2, StdAlphaOverSqrtRows, NewSource(4))}
	traj := NewTrajectory(Schedule{PerDecade: 8}, SingularValuesMetric(3),
		NewMetric("angle", func(s *State) float64 { return SinTheta(p.Truth.U, s.TopLeft(3)) }),
		NewMetric(SeriesTime, func(s *State) float64 { return s.Elapsed.Seconds() }))
	if _, err := Solve(p, &GD{Eta: 0.25}, x0, &Settings{MaxIterations: 200}, traj); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(traj); err != nil {
		t.Fatal(err)
	}
	var back Trajectory
	if err := gob.NewDecoder(&buf).Decode(&back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Names, traj.Names) || !reflect.DeepEqual(back.Iter, traj.Iter) ||
		!reflect.DeepEqual(back.Values, traj.Values) || back.Status != traj.Status || back.Stats != traj.Stats {
		t.Error("gob round trip changed the trajectory")
	}
	if len(traj.Names) != 3+3+1+1 || traj.Series("sigma3") == nil || traj.Series("angle") == nil {
		t.Errorf("series %v", traj.Names)
	}
}

func TestMetricsAgainstDirectComputation(t *testing.T) {
	rnd := rand.New(NewSource(5))
	for _, sym := range []bool{true, false} {
		x := Factors{L: randDense(9, 3, rnd)}
		if !sym {
			x.R = randDense(7, 3, rnd)
		}
		var s State
		s.set(0, x, Measures{}, 0, 0)
		var prod mat.Dense
		x.ProductTo(&prod)
		var svd mat.SVD
		svd.Factorize(&prod, mat.SVDThinU)
		want := svd.Values(nil)
		got := s.SingularValues()
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-10*want[0] {
				t.Errorf("sym=%v σ_%d = %v, want %v", sym, i+1, got[i], want[i])
			}
		}
		var u mat.Dense
		svd.UTo(&u)
		top := u.Slice(0, 9, 0, 2)
		if d := SinTheta(top, s.TopLeft(2)); d > 1e-8 {
			t.Errorf("sym=%v top-2 subspace off by sin θ = %v", sym, d)
		}
	}
	// Principal angle of two known planes in ℝ³.
	a := mat.NewDense(3, 1, []float64{1, 0, 0})
	th := 0.3
	b := mat.NewDense(3, 1, []float64{math.Cos(th), math.Sin(th), 0})
	if got := SinTheta(a, b); math.Abs(got-math.Sin(th)) > 1e-14 {
		t.Errorf("SinTheta = %v, want %v", got, math.Sin(th))
	}
}

func TestAggregate(t *testing.T) {
	mk := func(iters []int, vals []float64) *Trajectory {
		return &Trajectory{Names: []string{"e"}, Iter: iters, Values: [][]float64{vals}}
	}
	ts := []*Trajectory{
		mk([]int{0, 1, 2, 3}, []float64{1, 2, 3, 4}),
		mk([]int{0, 1, 2}, []float64{3, 4, 5}), // stopped early: stays at 5
		mk([]int{0, 1, 2, 3}, []float64{2, math.NaN(), 4, 6}),
	}
	b := Aggregate(ts, "e", 0, 1)
	if !reflect.DeepEqual(b.Iter, []int{0, 1, 2, 3}) {
		t.Fatalf("grid %v", b.Iter)
	}
	wantMed := []float64{2, 3, 4, 5}
	wantLo := []float64{1, 2, 3, 4}
	wantHi := []float64{3, 4, 5, 6}
	if !reflect.DeepEqual(b.Median, wantMed) || !reflect.DeepEqual(b.Lo, wantLo) || !reflect.DeepEqual(b.Hi, wantHi) {
		t.Errorf("median %v lo %v hi %v", b.Median, b.Lo, b.Hi)
	}
}

func TestSchedule(t *testing.T) {
	count := func(s Schedule, n int) int {
		c := 0
		for i := 0; i < n; i++ {
			if s.Wants(i) {
				c++
			}
		}
		return c
	}
	if got := count(Schedule{}, 100); got != 100 {
		t.Errorf("zero schedule records %d of 100", got)
	}
	if got := count(Schedule{Every: 10}, 100); got != 10 {
		t.Errorf("Every 10 records %d of 100", got)
	}
	if got := count(Schedule{PerDecade: 10}, 100000); got < 45 || got > 55 {
		t.Errorf("10 per decade records %d points over 5 decades", got)
	}
}

func TestSpectrumAndTruth(t *testing.T) {
	lin := Linear.Spectrum(3, 10)
	geo := Geometric.Spectrum(3, 100)
	if lin[0] != 1 || math.Abs(lin[1]-0.55) > 1e-15 || lin[2] != 0.1 || geo[0] != 1 || math.Abs(geo[1]-0.1) > 1e-15 || geo[2] != 0.01 {
		t.Errorf("spectra %v %v", lin, geo)
	}
	tr, err := NewLowRankTruth(8, 6, lin, NewSource(2))
	if err != nil {
		t.Fatal(err)
	}
	var svd mat.SVD
	svd.Factorize(tr.X, mat.SVDNone)
	sv := svd.Values(nil)
	for i, s := range lin {
		if math.Abs(sv[i]-s) > 1e-12 {
			t.Errorf("σ_%d = %v, want %v", i+1, sv[i], s)
		}
	}
	for _, q := range []*mat.Dense{tr.U, tr.V} {
		var qtq mat.Dense
		qtq.Mul(q.T(), q)
		if !mat.EqualApprox(&qtq, eye(3), 1e-12) {
			t.Error("factor columns are not orthonormal")
		}
	}
	if tr.Sym() {
		t.Error("an asymmetric truth reports Sym")
	}
	var f mat.Dense
	psd, _ := NewPSDTruth(8, lin, NewSource(3))
	fac := psd.Factor()
	f.Mul(fac, fac.T())
	if !mat.EqualApprox(&f, psd.X, 1e-12) || !psd.Sym() {
		t.Error("PSD Factor·Factorᵀ ≠ X⋆")
	}
}

func TestSpectralInitRecoversTruthSpace(t *testing.T) {
	for _, sym := range []bool{true, false} {
		p := recoveryProblem(t, 21, sym)
		x0, err := Spectral(p, 2, sym)
		if err != nil {
			t.Fatal(err)
		}
		var s State
		s.set(0, x0, Measures{}, 0, 0)
		if d := SinTheta(p.Truth.U, s.TopLeft(2)); d > 0.7 {
			t.Errorf("sym=%v: spectral init is at sin θ = %v from the truth", sym, d)
		}
	}
}

func TestOutliers(t *testing.T) {
	y := mat.NewVecDense(10000, nil)
	Noise{Outliers: 0.2}.AddTo(y, NewSource(1))
	n := 0
	for i := 0; i < y.Len(); i++ {
		if y.AtVec(i) != 0 {
			n++
		}
	}
	if n < 1800 || n > 2200 {
		t.Errorf("%d of 10000 corrupted with P = 0.2", n)
	}
}

func eye(n int) *mat.Dense {
	d := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		d.Set(i, i, 1)
	}
	return d
}

// mulTo (the allocation-free product of the solvers' hot path) gives
// exactly what Dense.Mul gives, for every transpose combination and for
// shapes above gonum's 64×64 block, where it tiles the product.
func TestMulToMatchesDenseMul(t *testing.T) {
	rnd := rand.New(NewSource(3))
	fill := func(r, c int) *mat.Dense {
		d := mat.NewDense(r, c, nil)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				d.Set(i, j, rnd.NormFloat64())
			}
		}
		return d
	}
	for _, sz := range [][3]int{{3, 2, 4}, {100, 10, 100}, {130, 7, 70}, {65, 64, 129}, {40, 90, 33}} {
		m, k, n := sz[0], sz[1], sz[2]
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				a, b := fill(m, k), fill(k, n)
				if ta {
					a = mat.DenseCopyOf(a.T())
				}
				if tb {
					b = mat.DenseCopyOf(b.T())
				}
				var opA, opB mat.Matrix = a, b
				if ta {
					opA = a.T()
				}
				if tb {
					opB = b.T()
				}
				var want, got mat.Dense
				want.Mul(opA, opB)
				mulTo(&got, a, ta, b, tb)
				if !mat.Equal(&got, &want) {
					t.Errorf("m=%d k=%d n=%d ta=%v tb=%v: mulTo differs from Dense.Mul by %g", m, k, n, ta, tb, maxAbsDiff(&got, &want))
				}
			}
		}
	}
}

func TestTrajectoryUnknownSeriesPanics(t *testing.T) {
	traj := NewTrajectory(Schedule{})
	for name, f := range map[string]func(){
		"Series":     func() { traj.Series("relErr") },
		"Last":       func() { traj.Last("relErr") },
		"FirstBelow": func() { traj.FirstBelow("relErr", 1) },
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, `lrsense: no series "relErr" (have relerr, loss, gradnorm)`) {
					t.Errorf("%s with a mistyped name: panic %q", name, msg)
				}
			}()
			f()
		}()
	}
}
