package assign

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
	"github.com/lrsense/lrsense/lrsense/experiment"
)

// Correct answers, written the way a student would.
func goodSymGrad(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
	var x, g, gt, out mat.Dense
	x.Mul(u, u.T())
	var r mat.VecDense
	p.Op.ApplyTo(&r, &x)
	r.SubVec(&r, p.Y)
	p.Op.AdjointTo(&g, &r)
	gt.CloneFrom(g.T())
	g.Add(&g, &gt)
	out.Mul(&g, u)
	out.Scale(0.5, &out)
	return &out
}

func goodAsymGrad(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
	var x, g, gl, gr mat.Dense
	x.Mul(l, r.T())
	var res mat.VecDense
	p.Op.ApplyTo(&res, &x)
	res.SubVec(&res, p.Y)
	p.Op.AdjointTo(&g, &res)
	gl.Mul(&g, r)
	gr.Mul(g.T(), l)
	return &gl, &gr
}

func goodScaledStep(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
	grad := goodSymGrad(p, x)
	_, k := x.Dims()
	pre := mat.NewSymDense(k, nil)
	var xtx mat.Dense
	xtx.Mul(x.T(), x)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			pre.SetSym(i, j, xtx.At(i, j))
		}
		pre.SetSym(i, i, xtx.At(i, i)+lambda)
	}
	var chol mat.Cholesky
	chol.Factorize(pre)
	// Solve (XᵀX + λI)·Zᵀ = gradᵀ, i.e. Z = grad·(XᵀX + λI)⁻¹.
	var zt mat.Dense
	if err := chol.SolveTo(&zt, grad.T()); err != nil {
		panic(err)
	}
	var out mat.Dense
	out.Scale(-eta, zt.T())
	out.Add(x, &out)
	return &out
}

func expect(t *testing.T, r Result, pass bool, hint string) {
	t.Helper()
	if r.Pass != pass {
		t.Errorf("%s/%s: pass = %v, want %v (%s)", r.Assignment, r.Check, r.Pass, pass, r.Message)
	}
	if hint != "" && !strings.Contains(r.Message, hint) {
		t.Errorf("%s/%s: message %q does not contain %q", r.Assignment, r.Check, r.Message, hint)
	}
}

func TestSymGradCheck(t *testing.T) {
	expect(t, CheckSymGrad(goodSymGrad), true, "matches")
	expect(t, CheckSymGrad(func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
		r, c := u.Dims()
		return mat.NewDense(r, c, nil) // the student template
	}), false, "fill in the TODO")
	expect(t, CheckSymGrad(func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
		g := goodSymGrad(p, u)
		g.Scale(2, g)
		return g
	}), false, "twice")
	expect(t, CheckSymGrad(func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
		g := goodSymGrad(p, u)
		g.Scale(-1, g)
		return g
	}), false, "wrong sign")
	expect(t, CheckSymGrad(func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
		// Forgot to symmetrize G.
		var x, g, out mat.Dense
		x.Mul(u, u.T())
		var r mat.VecDense
		p.Op.ApplyTo(&r, &x)
		r.SubVec(&r, p.Y)
		p.Op.AdjointTo(&g, &r)
		out.Mul(&g, u)
		return &out
	}), false, "G·U")
	expect(t, CheckSymGrad(func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
		return mat.NewDense(2, 2, nil)
	}), false, "want 6×3")
	expect(t, CheckSymGrad(func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
		var bad mat.Dense
		bad.Mul(u, u) // a shape panic in student code
		return &bad
	}), false, "panicked")
	expect(t, CheckSymGrad(func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { return nil }), false, "nil")
}

func TestAsymGradCheck(t *testing.T) {
	expect(t, CheckAsymGrad(goodAsymGrad), true, "match")
	expect(t, CheckAsymGrad(func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
		n1, k := l.Dims()
		n2, _ := r.Dims()
		return mat.NewDense(n1, k, nil), mat.NewDense(n2, k, nil)
	}), false, "fill in the TODO")
	expect(t, CheckAsymGrad(func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
		gl, _ := goodAsymGrad(p, l, r)
		return gl, mat.DenseCopyOf(gl) // ∇_R with G instead of Gᵀ: wrong shape
	}), false, "transpose")
	expect(t, CheckAsymGrad(func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
		gl, gr := goodAsymGrad(p, l, r)
		gl.Scale(0.5, gl)
		return gl, gr
	}), false, "half")
}

func TestScaledGDStepCheck(t *testing.T) {
	expect(t, CheckScaledGDStep(goodScaledStep), true, "matches")
	expect(t, CheckScaledGDStep(func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
		r, c := x.Dims()
		return mat.NewDense(r, c, nil)
	}), false, "")
	expect(t, CheckScaledGDStep(func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
		return mat.DenseCopyOf(x)
	}), false, "does not move")
	expect(t, CheckScaledGDStep(func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
		g := goodSymGrad(p, x)
		g.Scale(-eta, g)
		g.Add(x, g)
		return g
	}), false, "plain GD step")
	expect(t, CheckScaledGDStep(func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
		return goodScaledStep(p, x, eta, 0)
	}), false, "damping")
}

func TestPhaseChecks(t *testing.T) {
	var c PhaseConfig
	c = c.WithDefaults()
	lengths, err := ReferenceLengths(c)
	if err != nil {
		t.Fatal(err)
	}
	// Phase I gets longer as α shrinks.
	for i := 1; i < len(lengths); i++ {
		if lengths[i] <= lengths[i-1] {
			t.Fatalf("phase-I lengths not increasing: %v", lengths)
		}
	}
	slope := FitSlope(c.Alphas, lengths)
	expect(t, CheckLengths(lengths, c), true, "match")
	off := append([]float64(nil), lengths...)
	off[2]++
	expect(t, CheckLengths(off, c), false, "off by one")
	expect(t, CheckLengths(make([]float64, len(lengths)), c), false, "fill in")
	expect(t, CheckSlope(slope, c), true, "matches")
	expect(t, CheckSlope(0, c), false, "fill in")
	expect(t, CheckSlope(-slope, c), false, "wrong sign")
	expect(t, CheckSlope(slope*math.Ln10, c), false, "log10")
	// The power-method prediction is a good one: the check accepts it.
	expect(t, CheckPrediction(c.Predicted(), c), true, "")
	expect(t, CheckPrediction(0, c), false, "fill in")
	expect(t, CheckPrediction(3*c.Predicted(), c), false, "power method")
	t.Logf("lengths %v, slope %.3f, predicted %.3f", lengths, slope, c.Predicted())
}

func TestLineFormat(t *testing.T) {
	r := Result{Assignment: "a", Check: "b", Pass: false, Message: "two\tfields\nand lines"}
	rec, ok, err := experiment.ParseLine(r.Line())
	if !ok || err != nil || rec.Kind != "CHECK" || rec.Notebook != "a" || rec.ID != "b" || rec.Verdict != experiment.Failed || rec.Reason != r.Message {
		t.Errorf("Line() = %q parses as %+v, %v, %v", r.Line(), rec, ok, err)
	}
}

func TestRunChecks(t *testing.T) {
	r, traj := RunGD(goodSymGrad)
	expect(t, r, true, "reached")
	if len(traj.Iter) < 2 {
		t.Error("no trajectory")
	}
	r, _ = RunGD(func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
		n, k := u.Dims()
		return mat.NewDense(n, k, nil)
	})
	expect(t, r, false, "is your gradient zero")
	r, _ = RunGD(func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { return nil })
	expect(t, r, false, "stopped")

	r, gd, sc := RunPreconditioning(goodScaledStep)
	expect(t, r, true, "ratio")
	t.Log(r.Message)
	for i := range gd {
		t.Logf("κ=%g: GD %d its (final %.2g), ScaledGD %d its", PrecondKappas[i], gd[i].Stats.Iterations, gd[i].Stats.RelErr, sc[i].Stats.Iterations)
	}
	r, gd, sc = RunPreconditioning(func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
		n, k := x.Dims()
		return mat.NewDense(n, k, nil)
	})
	expect(t, r, false, "did not reach")
	// A failing step still gives every panel something to plot.
	if len(gd) != len(PrecondKappas) || len(sc) != len(PrecondKappas) {
		t.Errorf("failing step: %d GD and %d ScaledGD trajectories, want %d each", len(gd), len(sc), len(PrecondKappas))
	}
}
