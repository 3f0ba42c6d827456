package lrsense_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	. "github.com/lrsense/lrsense/lrsense"
)

// Fuzz targets of issue 18, one per family. Every input must end in one of
// three ways: an error wrapping ErrBadParam, a panic whose message starts
// "lrsense:", or a finite result (with a truthful Status for a solve).
// `go test` runs them on their seed corpus (testdata/fuzz/<Name>); CI fuzzes
// each for a few seconds:
//
//	go test ./lrsense -run '^$' -fuzz '^FuzzConstructors$' -fuzztime 5s
//
// Sizes come from fuzzSize: small values as they are (negative and zero
// included), large ones pushed past what any machine can allocate, so
// that a large request tests the refusal and never a real allocation.

// fuzzSize maps v to a size: v itself when v ≤ 24, else a value ≥ 2⁴⁶
// whose allocation the constructors must refuse.
func fuzzSize(v int64) int {
	if v <= 24 {
		return int(max(v, -1<<40))
	}
	return int(1<<46 | v&(1<<50-1))
}

// expect runs f and fails t unless it returns nil, an error wrapping
// ErrBadParam, or panics with an "lrsense:" message. It reports whether f
// returned nil (the caller then checks the result).
func expect(t *testing.T, f func() error) (ok bool) {
	t.Helper()
	defer func() {
		if v := recover(); v != nil {
			if msg := fmt.Sprint(v); !strings.HasPrefix(msg, "lrsense:") {
				t.Fatalf("panic without an lrsense: message: %s", msg)
			}
			ok = false
		}
	}()
	err := f()
	if err != nil && !errors.Is(err, ErrBadParam) {
		t.Fatalf("error %v does not wrap ErrBadParam", err)
	}
	return err == nil
}

func finiteMat(m mat.Matrix) bool {
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		}
	}
	return true
}

func checkProblem(t *testing.T, p *Problem) {
	t.Helper()
	if !finiteMat(p.Y) {
		t.Fatal("problem with non-finite measurements")
	}
	if p.Truth != nil {
		if nrm := p.Truth.Norm(); !(nrm > 0) || math.IsInf(nrm, 0) {
			t.Fatalf("truth of norm %v", nrm)
		}
	}
}

// FuzzConstructors: operators, truths, spectra, problems with noise and
// Instance.
func FuzzConstructors(f *testing.F) {
	f.Add(uint8(0), int64(10), int64(3), int64(3), 1.0, 0.5, uint64(1))
	f.Add(uint8(3), int64(4), int64(2), int64(0), 0.0, 0.0, uint64(2))
	f.Add(uint8(6), int64(4), int64(1), int64(0), math.NaN(), 1.0, uint64(3))
	f.Add(uint8(10), int64(5), int64(4), int64(20<<9|1<<6|1<<3), 2.0, 0.1, uint64(4))
	f.Fuzz(func(t *testing.T, kind uint8, a, b, c int64, x, y float64, seed uint64) {
		src := NewSource(seed)
		sigma := func() []float64 {
			k := int(min(max(b, 0), 4))
			out := make([]float64, k)
			for i := range out {
				out[i] = x / float64(i+1)
			}
			if k > 1 {
				out[k-1] = y
			}
			return out
		}
		small := func(v int64) int { return int(min(max(v, -2), 12)) }
		switch kind % 12 {
		case 0:
			expect(t, func() error { _, err := NewGaussian(fuzzSize(a), fuzzSize(b), fuzzSize(c), src); return err })
		case 1:
			expect(t, func() error { _, err := NewSymGaussian(fuzzSize(a), fuzzSize(b), src); return err })
		case 2:
			expect(t, func() error { _, err := NewEntrySampling(fuzzSize(a), fuzzSize(b), fuzzSize(c), src); return err })
		case 3:
			var tr *Truth
			if expect(t, func() (err error) { tr, err = NewPSDTruth(fuzzSize(a), sigma(), src); return err }) {
				if !finiteMat(tr.X) || !(tr.Norm() > 0) {
					t.Fatal("truth not finite or zero")
				}
			}
		case 4:
			var tr *Truth
			if expect(t, func() (err error) { tr, err = NewLowRankTruth(fuzzSize(a), fuzzSize(c), sigma(), src); return err }) {
				if !finiteMat(tr.X) || !(tr.Norm() > 0) {
					t.Fatal("truth not finite or zero")
				}
			}
		case 5:
			var s []float64
			if expect(t, func() error { s = Spacing(c).Spectrum(fuzzSize(a), x); return nil }) {
				for _, v := range s {
					if !(v > 0) || v > 1 {
						t.Fatalf("spectrum value %v", v)
					}
				}
			}
		case 6, 7:
			n := small(a)
			noise := &Noise{Outliers: x, OutlierStd: y}
			if kind%12 == 7 {
				noise = &Noise{Std: x}
			}
			var p *Problem
			if expect(t, func() error {
				op, err := NewSymGaussian(small(b)+8, n, src)
				if err != nil {
					return err
				}
				tr, err := NewPSDTruth(n, sigma(), src)
				if err != nil {
					return err
				}
				p, err = NewProblem(op, tr, noise, src)
				return err
			}) {
				checkProblem(t, p)
			}
		case 8:
			var p *Problem
			if expect(t, func() error {
				lambda := append(sigma(), 0, 0)
				p, _ = Instance{Kind: ApproxSym, N: len(lambda), Rank: small(c), Spectrum: lambda}.Build(src)
				return nil
			}) {
				checkProblem(t, p)
			}
		case 9:
			var p *Problem
			if expect(t, func() error {
				n1, n2 := fuzzSize(a), fuzzSize(c)
				s := make([]float64, max(0, min(n1, n2, 12)))
				for i := range s {
					s[i] = x * float64(len(s)-i) / float64(len(s))
				}
				p, _ = Instance{Kind: ApproxAsym, N: n1, N2: n2, Rank: small(b), Spectrum: s}.Build(src)
				return nil
			}) {
				checkProblem(t, p)
			}
		case 10:
			var p *Problem
			var x0 Factors
			// c packs Kind (bits 0–2), Rank (3–5), RPrime+1 (6–8) and M.
			s := Instance{
				Kind: Kind(c & 7), N: small(a), N2: small(b) - 1, Rank: int(c >> 3 & 7),
				RPrime: int(c>>6&7) - 1, M: fuzzSize(c >> 9), Kappa: x, Tail: y / 2,
				Noise: y, Outliers: y, Alpha: x, Spacing: Spacing(b % 3), Scale: InitScale(a % 4),
			}
			if s.Kind == ApproxSym || s.Kind == ApproxAsym {
				s.Noise, s.Outliers = 0, 0
			}
			if expect(t, func() error { p, x0 = s.Build(src); return nil }) {
				checkProblem(t, p)
				if !finiteMat(x0.L) {
					t.Fatal("non-finite initial factor")
				}
			}
		case 11:
			expect(t, func() error {
				op, err := NewSymGaussian(max(1, small(a)), max(1, small(b)), src)
				if err != nil {
					return err
				}
				m, _, _ := op.Dims()
				yv := mat.NewVecDense(m+int(uint64(c)%2), nil)
				yv.SetVec(0, x)
				_, _, n := op.Dims()
				_, err = Solve(&Problem{Op: op, Y: yv}, &GD{Eta: 0.1}, Factors{L: mat.NewDense(n, 1, nil)}, &Settings{MaxIterations: 1}, nil)
				return err
			})
		}
	})
}

// FuzzInits: RandomSym, RandomAsym, Spectral and SignSpectral.
func FuzzInits(f *testing.F) {
	f.Add(uint8(0), int64(6), int64(2), 1e-3, uint8(0), false, uint64(1))
	f.Add(uint8(1), int64(5), int64(3), 0.5, uint8(1), true, uint64(2))
	f.Add(uint8(2), int64(6), int64(1), 1.0, uint8(2), true, uint64(3))
	f.Add(uint8(3), int64(6), int64(2), math.Inf(1), uint8(0), false, uint64(4))
	f.Fuzz(func(t *testing.T, which uint8, n, r int64, alpha float64, scale uint8, sym bool, seed uint64) {
		src := NewSource(seed)
		var x Factors
		var rows, cols int
		switch which % 4 {
		case 0:
			rows = fuzzSize(n)
			if !expect(t, func() (err error) {
				x = Factors{L: RandomFactor(rows, fuzzSize(r), alpha, InitScale(scale), src)}
				return err
			}) {
				return
			}
		case 1:
			rows, cols = fuzzSize(n), fuzzSize(n/2)
			if !expect(t, func() (err error) {
				x = Factors{L: RandomFactor(rows, fuzzSize(r), alpha, InitScale(scale), src), R: RandomFactor(cols, fuzzSize(r), alpha/2, InitScale(scale), src)}
				return err
			}) {
				return
			}
		case 2, 3:
			kind := AsymSensing
			if scale%2 == 0 {
				kind = PSDSensing
			}
			p, _ := Instance{Kind: kind, N: 6, N2: 5, Rank: 1, M: 40, Noise: 0.1}.Build(src)
			rows, cols = p.Dims()
			if which%4 == 2 {
				if !expect(t, func() (err error) { x, err = Spectral(p, fuzzSize(r), sym); return err }) {
					return
				}
			} else if !expect(t, func() (err error) { x, err = SignSpectral(p, fuzzSize(r), alpha); return err }) {
				return
			}
		}
		if !finiteMat(x.L) || x.R != nil && !finiteMat(x.R) {
			t.Fatal("non-finite factors")
		}
		if nr, _ := x.L.Dims(); nr != rows {
			t.Fatalf("L has %d rows, want %d", nr, rows)
		}
		if x.R != nil {
			if nr, _ := x.R.Dims(); cols != 0 && nr != cols {
				t.Fatalf("R has %d rows, want %d", nr, cols)
			}
		}
	})
}

// FuzzSolvers: every method with fuzzed parameters and Settings, on small
// instances for at most a few dozen steps (MaxIterations 0 is the default
// 1000). A run that returns must have a truthful Status (checkResult).
func FuzzSolvers(f *testing.F) {
	f.Add(uint8(0), uint8(0), int64(6), int64(2), 0.2, 0.0, 0.0, int8(20), 1e-3, 0.0, 0.0, uint64(1))
	f.Add(uint8(1), uint8(0), int64(5), int64(3), 0.5, 0.0, 0.0, int8(10), 0.0, 1e-8, 0.0, uint64(2))
	f.Add(uint8(4), uint8(1), int64(5), int64(2), 0.5, 1e-8, 0.0, int8(10), 0.0, 0.0, math.Inf(1), uint64(3))
	f.Add(uint8(8), uint8(3), int64(6), int64(2), 0.5, 0.0, 0.0, int8(30), 0.0, 1e-8, 0.0, uint64(4))
	f.Fuzz(func(t *testing.T, method, kind uint8, n, rp int64, eta, p2, p3 float64, maxIter int8, relTol, lossTol, divLimit float64, seed uint64) {
		solverCase(t, method, kind, n, rp, eta, p2, p3, maxIter, relTol, lossTol, divLimit, seed)
	})
}

// solverCase is the body of FuzzSolvers. It returns "rejected" for an
// error or an lrsense: panic, else the run's Status.
func solverCase(t *testing.T, method, kind uint8, n, rp int64, eta, p2, p3 float64, maxIter int8, relTol, lossTol, divLimit float64, seed uint64) string {
	src := NewSource(seed)
	nn := 2 + int(uint64(n)%6)
	inst := Instance{
		Kind: Kind(kind % 5), N: nn, N2: nn - 1 + int(uint64(n)/6%3), Rank: 1,
		RPrime: 1 + int(uint64(rp)%4), M: 8 * nn, Alpha: 0.05,
	}
	if inst.Kind == ApproxSym || inst.Kind == ApproxAsym {
		inst.Kappa = 2
	}
	if inst.Kind == Completion {
		inst.M = nn * (nn - 1)
	}
	p, x0 := inst.Build(src)
	var m Method
	switch method % 10 {
	case 0:
		m = &GD{Eta: eta}
	case 1:
		m = &ScaledGD{Eta: eta, Lambda: p2}
	case 2:
		m = &PrecGD{Eta: eta, Scale: p2}
	case 3:
		m = &PrecGD{Eta: eta, Decay: p2, Lambda0: p3}
	case 4:
		m = &APGD{Eta: eta, Cutoff: p2}
	case 5:
		m = &SubGM{PolyakStep: seed%4 == 1 || seed%4 == 3, ErrorStep: seed%4 >= 2, Eta: eta, Rho: p2}
	case 6:
		m = &SubGM{PolyakStep: seed%4 == 1 || seed%4 == 3, ErrorStep: seed%4 >= 2, Eta: eta, Rho: p2, Expected: &ExpectedL1{P: p3, Std: p2}}
	case 7:
		m = &OneStep{Eta: eta, LossThreshold: p2, Beta: p3}
	case 8:
		m = &ApproxGD{Eta: eta, Riemannian: true} // Init starts from qf(x0)
	case 9:
		m = &ApproxGD{Eta: eta}
	}
	s := &Settings{MaxIterations: int(maxIter) % 40, RelErrTol: relTol, LossTol: lossTol, DivergeLimit: divLimit}
	traj := NewTrajectory(Schedule{})
	var res *Result
	if !expect(t, func() (err error) { res, err = Solve(p, m, x0, s, traj); return err }) {
		return "rejected"
	}
	if err := checkResult(p, s, res, traj); err != nil {
		t.Fatalf("%T %+v, settings %+v: %v %v", m, m, *s, res.Status, err)
	}
	return res.Status.String()
}
