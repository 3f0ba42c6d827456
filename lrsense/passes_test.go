package lrsense

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

// plainCounter counts the ApplyTo and AdjointTo calls made on an operator
// and has no fused pass, so every pass is one call of each: an independent
// count to hold Stats against.
type plainCounter struct {
	op                Operator
	applies, adjoints int
}

func (c *plainCounter) Dims() (m, n1, n2 int) { return c.op.Dims() }
func (c *plainCounter) ApplyTo(dst *mat.VecDense, x mat.Matrix) {
	c.applies++
	c.op.ApplyTo(dst, x)
}
func (c *plainCounter) AdjointTo(dst *mat.Dense, y mat.Vector) {
	c.adjoints++
	c.op.AdjointTo(dst, y)
}

// TestStatsCountPasses checks each method's documented cost: the counts in
// Stats, with the operator's fused passes, against the formula and against
// the calls an operator without fused passes receives.
func TestStatsCountPasses(t *testing.T) {
	const T = 7
	sym := func(in Instance) (*Problem, Factors) {
		in.N, in.Rank, in.RPrime, in.Alpha = 12, 2, 3, 0.1
		if in.Kind != ApproxSym {
			in.M = 150
		}
		return in.Build(NewSource(5))
	}
	for _, c := range []struct {
		name   string
		method Method
		kind   Kind
		want   int // applies = adjoints after T steps
	}{
		{"GD", &GD{Eta: 0.05}, PSDSensing, T + 1},
		{"GD asym", &GD{Eta: 0.05}, AsymSensing, T + 1},
		{"ScaledGD", &ScaledGD{Eta: 0.1, Lambda: 0.01}, PSDSensing, T + 1},
		{"PrecGD", &PrecGD{Eta: 0.1}, PSDSensing, T + 1},
		{"PrecGD decaying λ₀ from the residual", &PrecGD{Eta: 0.1, Decay: 0.9}, PSDSensing, T + 2},
		{"PrecGD decaying λ₀ given", &PrecGD{Eta: 0.1, Decay: 0.9, Lambda0: 0.5}, PSDSensing, T + 1},
		{"APGD", &APGD{Eta: 0.5}, AsymSensing, 2*T + 1},
		{"OneStep", &OneStep{Eta: 0.05, LossThreshold: 1e9}, AsymSensing, T + 1},
		{"SubGM", &SubGM{Eta: 0.1, PolyakStep: true}, PSDSensing, T + 1},
		{"SubGM expected loss", &SubGM{Eta: 0.1, PolyakStep: true, Expected: &ExpectedL1{}}, PSDSensing, 0},
		{"ApproxGD", &ApproxGD{Eta: 0.1}, ApproxSym, 0},
	} {
		p, x0 := sym(Instance{Kind: c.kind})
		res, err := Solve(p, c.method, x0, &Settings{MaxIterations: T}, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if res.Stats.Iterations != T || res.Stats.Applies != c.want || res.Stats.Adjoints != c.want {
			t.Errorf("%s: %d steps, %d applies, %d adjoints, want %d, %d, %d",
				c.name, res.Stats.Iterations, res.Stats.Applies, res.Stats.Adjoints, T, c.want, c.want)
		}
		if c.kind == ApproxSym {
			continue // ApproxGD needs the Identity operator itself
		}
		pc := &plainCounter{op: p.Op}
		q := *p
		q.Op = pc
		res2, err := Solve(&q, c.method, x0, &Settings{MaxIterations: T}, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if pc.applies != c.want || pc.adjoints != c.want || res2.Stats.Applies != c.want || res2.Stats.Adjoints != c.want {
			t.Errorf("%s without fused passes: operator saw %d applies, %d adjoints; Stats %d, %d; want %d",
				c.name, pc.applies, pc.adjoints, res2.Stats.Applies, res2.Stats.Adjoints, c.want)
		}
	}
}

// TestRiemannianGDMakesNoPasses: RiemannianGD reads Σ directly.
func TestRiemannianGDMakesNoPasses(t *testing.T) {
	p, x0 := Instance{Kind: ApproxSym, N: 10, Rank: 2, Tail: 0.5, Alpha: 1}.Build(NewSource(1))
	res, err := Solve(p, &ApproxGD{Eta: 0.1, Riemannian: true}, Factors{L: orthonormalize(x0.L)}, &Settings{MaxIterations: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Applies != 0 || res.Stats.Adjoints != 0 {
		t.Errorf("RiemannianGD: %d applies, %d adjoints, want 0", res.Stats.Applies, res.Stats.Adjoints)
	}
}
