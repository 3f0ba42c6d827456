package assign

import (
	"math"
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

// goodPredict, goodLength and goodFit answer assignment 3.
func goodPredict(eta float64) float64 { return 1 / math.Log1p(eta) }

func goodLength(c PhaseConfig, alpha float64) float64 {
	p, err := c.Problem()
	if err != nil {
		panic(err)
	}
	x0, err := c.Init(alpha)
	if err != nil {
		panic(err)
	}
	traj := lrsense.NewTrajectory(lrsense.Schedule{})
	if _, err := lrsense.Solve(p, &lrsense.GD{Eta: c.Eta}, x0, &lrsense.Settings{MaxIterations: c.MaxIterations, RelErrTol: c.Level}, traj); err != nil {
		panic(err)
	}
	t, ok := traj.FirstBelow(lrsense.SeriesRelErr, c.Level)
	if !ok {
		return math.NaN()
	}
	return float64(t)
}

func goodFit(alphas, lengths []float64) float64 {
	n := float64(len(alphas))
	var mx, my float64
	for i, a := range alphas {
		mx += math.Log(1/a) / n
		my += lengths[i] / n
	}
	var sxy, sxx float64
	for i, a := range alphas {
		x := math.Log(1/a) - mx
		sxy += x * (lengths[i] - my)
		sxx += x * x
	}
	return sxy / sxx
}

// goodSubgrad and goodSubGMStep answer assignment 4.
func goodSubgrad(p *lrsense.Problem, u *mat.Dense) (*mat.Dense, *mat.Dense) {
	m, _, _ := p.Op.Dims()
	var x mat.Dense
	x.Mul(u, u.T())
	var r mat.VecDense
	p.Op.ApplyTo(&r, &x)
	r.SubVec(&r, p.Y)
	for i := 0; i < m; i++ {
		v := r.AtVec(i)
		r.SetVec(i, map[bool]float64{true: 1, false: -1}[v > 0])
		if v == 0 {
			r.SetVec(i, 0)
		}
	}
	var q, qs, d mat.Dense
	p.Op.AdjointTo(&q, &r)
	q.Scale(1/math.Sqrt(float64(m)), &q)
	qs.Add(&q, q.T())
	d.Mul(&qs, u)
	return &d, &q
}

func goodSubGMStep(p *lrsense.Problem, u *mat.Dense, t int, eta, rho float64) *mat.Dense {
	d, q := goodSubgrad(p, u)
	var svd mat.SVD
	svd.Factorize(q, mat.SVDNone)
	step := eta * math.Pow(rho, float64(t)) / svd.Values(nil)[0]
	var out mat.Dense
	out.Scale(-step, d)
	out.Add(u, &out)
	return &out
}

func TestLineFormat(t *testing.T) {
	r := Result{Assignment: "a", Check: "b", Pass: false, Message: "two\tfields\nand lines"}
	rec, ok, err := experiment.ParseLine(r.Line())
	if !ok || err != nil || rec.Kind != "CHECK" || rec.Notebook != "a" || rec.ID != "b" || rec.Verdict != experiment.Failed || rec.Reason != r.Message {
		t.Errorf("Line() = %q parses as %+v, %v, %v", r.Line(), rec, ok, err)
	}
}

func TestPhaseLengthsIncrease(t *testing.T) {
	c := PhaseConfig{}.WithDefaults()
	lengths, err := ReferenceLengths(c)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(lengths); i++ {
		if lengths[i] <= lengths[i-1] {
			t.Fatalf("phase-I lengths not increasing: %v", lengths)
		}
	}
	t.Logf("lengths %v, slope %.3f, predicted %.3f", lengths, FitSlope(c.Alphas, lengths), c.Predicted())
}

// The reference of the sub-gradient check is the library's SubGM: one
// step of lrsense.SubGM from U equals U − η/‖Q‖₂·D with the check's D, Q.
func TestSubgradRefMatchesSubGM(t *testing.T) {
	p, err := robustTestProblem(8, 80, 3)
	if err != nil {
		t.Fatal(err)
	}
	u := randomFactor(8, 4, 4)
	x := lrsense.Factors{L: mat.DenseCopyOf(u)}
	g := &lrsense.SubGM{Eta: 0.7, Rho: 0.9}
	if _, err := g.Init(p, x); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Iterate(x); err != nil {
		t.Fatal(err)
	}
	if d := relDiff(goodSubGMStep(p, u, 0, 0.7, 0.9), x.L); d > 1e-12 {
		t.Errorf("SubGM step and the formula differ by %g", d)
	}
}
