package assign

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/lrsense"
)

// The wrong-answer tables: each entry is a submission with one plausible
// mistake, graded with every check of its assignment. The checks listed in
// fail must FAIL with a message containing the given hint; every other
// check must PASS (a mistake in one function must not cost the checks of
// another). A check that passes a wrong answer is a bug.

// gradeTable grades each submission and compares with its expectations.
func gradeTable(t *testing.T, name string, results func(i int) []Result, subs []struct {
	name string
	fail map[string]string
}) {
	t.Helper()
	for i, s := range subs {
		got := results(i)
		seen := map[string]bool{}
		for _, r := range got {
			seen[r.Check] = true
			hint, wantFail := s.fail[r.Check]
			switch {
			case wantFail && r.Pass:
				t.Errorf("%s %q: %s PASSED a wrong answer: %s", name, s.name, r.Check, r.Message)
			case wantFail && !strings.Contains(r.Message, hint):
				t.Errorf("%s %q: %s failed with %q, want the hint %q", name, s.name, r.Check, r.Message, hint)
			case !wantFail && !r.Pass:
				t.Errorf("%s %q: %s FAILED: %s", name, s.name, r.Check, r.Message)
			case strings.Contains(r.Message, "goroutine ") || strings.Contains(r.Message, ".go:"):
				t.Errorf("%s %q: %s message has a stack trace: %s", name, s.name, r.Check, r.Message)
			}
		}
		for c := range s.fail {
			if !seen[c] {
				t.Errorf("%s %q: no result for check %s", name, s.name, c)
			}
		}
	}
	wrong := 0
	for _, s := range subs {
		if len(s.fail) > 0 {
			wrong++
		}
	}
	t.Logf("%s: %d wrong answers and %d correct submissions graded", name, wrong, len(subs)-wrong)
}

type sub = struct {
	name string
	fail map[string]string
}

// studentG returns G = 𝒜*(𝒜(LRᵀ) − y) as a student computes it.
func studentG(p *lrsense.Problem, l, r *mat.Dense) *mat.Dense {
	var x, g mat.Dense
	x.Mul(l, r.T())
	var res mat.VecDense
	p.Op.ApplyTo(&res, &x)
	res.SubVec(&res, p.Y)
	p.Op.AdjointTo(&g, &res)
	return &g
}

func mul(a, b mat.Matrix) *mat.Dense {
	var c mat.Dense
	c.Mul(a, b)
	return &c
}

func scale(s float64, a mat.Matrix) *mat.Dense {
	var c mat.Dense
	c.Scale(s, a)
	return &c
}

func symOf(g mat.Matrix) *mat.Dense {
	var s mat.Dense
	s.Add(g, g.T())
	s.Scale(0.5, &s)
	return &s
}

func TestWrongAnswersGradient(t *testing.T) {
	type symF = SymGradFunc
	type asymF = AsymGradFunc
	scaledSym := func(s float64) symF {
		return func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { return scale(s, goodSymGrad(p, u)) }
	}
	subs := []struct {
		sub
		sym  symF
		asym asymF
	}{
		{sub{"solution", nil}, goodSymGrad, goodAsymGrad},
		{sub{"blank", map[string]string{"symmetric": "fill in the TODO", "asymmetric": "fill in the TODO", "gd-converges": "is your gradient zero"}},
			func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { r, c := u.Dims(); return mat.NewDense(r, c, nil) },
			func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
				n1, k := l.Dims()
				n2, _ := r.Dims()
				return mat.NewDense(n1, k, nil), mat.NewDense(n2, k, nil)
			}},
		{sub{"∇f twice too large", map[string]string{"symmetric": "twice the true one", "gd-converges": "twice the true one"}}, scaledSym(2), goodAsymGrad},
		{sub{"∇f half too small", map[string]string{"symmetric": "half the true one", "gd-converges": "half the true one"}}, scaledSym(0.5), goodAsymGrad},
		{sub{"¼ forgotten", map[string]string{"symmetric": "4 times", "gd-converges": "check the gradient first"}}, scaledSym(4), goodAsymGrad},
		{sub{"sign: y − 𝒜(UUᵀ)", map[string]string{"symmetric": "wrong sign", "gd-converges": "sign"}}, scaledSym(-1), goodAsymGrad},
		{sub{"G·U, not symmetrized", map[string]string{"symmetric": "without symmetrizing", "gd-converges": "a missing sym(G) shows here"}},
			func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { return mul(studentG(p, u, u), u) }, goodAsymGrad},
		{sub{"Gᵀ·U, a transpose", map[string]string{"symmetric": "Gᵀ·U", "gd-converges": "a missing sym(G) shows here"}},
			func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { return mul(studentG(p, u, u).T(), u) }, goodAsymGrad},
		{sub{"(G + Gᵀ)·U, ½ of sym forgotten", map[string]string{"symmetric": "not G + Gᵀ", "gd-converges": "twice the true one"}},
			func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { return scale(2, mul(symOf(studentG(p, u, u)), u)) }, goodAsymGrad},
		{sub{"U·sym(G), factors swapped (shape panic)", map[string]string{"symmetric": "G on the left", "gd-converges": "G on the left"}},
			func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { return mul(u, symOf(studentG(p, u, u))) }, goodAsymGrad},
		{sub{"sym(G) without ·U (n×n)", map[string]string{"symmetric": "forget to multiply sym(G) by U", "gd-converges": "shape of U"}},
			func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { return symOf(studentG(p, u, u)) }, goodAsymGrad},
		{sub{"returns nil", map[string]string{"symmetric": "nil or empty", "gd-converges": "nil or empty"}},
			func(p *lrsense.Problem, u *mat.Dense) *mat.Dense { return nil }, goodAsymGrad},
		{sub{"index out of range", map[string]string{"symmetric": "index out of range", "gd-converges": "index out of range"}},
			func(p *lrsense.Problem, u *mat.Dense) *mat.Dense {
				n, _ := u.Dims()
				g := goodSymGrad(p, u)
				g.Set(n, 0, 1) // row n does not exist
				return g
			}, goodAsymGrad},
		{sub{"∇_L f = Gᵀ·L (transpose: wrong shape)", map[string]string{"asymmetric": "did you multiply by Gᵀ?"}}, goodSymGrad,
			func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
				g := studentG(p, l, r)
				return mul(g.T(), l), mul(g.T(), l)
			}},
		{sub{"∇_R f = G·L (shape panic)", map[string]string{"asymmetric": "G·L and Gᵀ·R do not fit"}}, goodSymGrad,
			func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
				g := studentG(p, l, r)
				return mul(g, r), mul(g, l)
			}},
		{sub{"returns swapped", map[string]string{"asymmetric": "swap the two returns"}}, goodSymGrad,
			func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
				gl, gr := goodAsymGrad(p, l, r)
				return gr, gl
			}},
		{sub{"∇_L f twice too large", map[string]string{"asymmetric": "∇_L f is twice"}}, goodSymGrad,
			func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
				gl, gr := goodAsymGrad(p, l, r)
				return scale(2, gl), gr
			}},
		{sub{"∇_R f halved", map[string]string{"asymmetric": "∇_R f is half"}}, goodSymGrad,
			func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
				gl, gr := goodAsymGrad(p, l, r)
				return gl, scale(0.5, gr)
			}},
		{sub{"asymmetric sign", map[string]string{"asymmetric": "wrong sign"}}, goodSymGrad,
			func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
				gl, gr := goodAsymGrad(p, l, r)
				return scale(-1, gl), scale(-1, gr)
			}},
		{sub{"G without ·R (n1×n2)", map[string]string{"asymmetric": "forget to multiply G by R"}}, goodSymGrad,
			func(p *lrsense.Problem, l, r *mat.Dense) (*mat.Dense, *mat.Dense) {
				_, gr := goodAsymGrad(p, l, r)
				return studentG(p, l, r), gr
			}},
	}
	plain := make([]sub, len(subs))
	for i, s := range subs {
		plain[i] = s.sub
	}
	gradeTable(t, "gradient", func(i int) []Result { return GradientChecks(subs[i].sym, subs[i].asym) }, plain)
}

func TestWrongAnswersPreconditioning(t *testing.T) {
	// step builds X − s·η·∇f·right(X, λ), the shape of most wrong steps.
	step := func(s float64, right func(x *mat.Dense, lambda float64) mat.Matrix) ScaledStepFunc {
		return func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
			d := mul(goodSymGrad(p, x), right(x, lambda))
			var out mat.Dense
			out.Scale(-s*eta, d)
			out.Add(x, &out)
			return &out
		}
	}
	gram := func(x *mat.Dense, lambda float64) *mat.Dense {
		g := mul(x.T(), x)
		k, _ := g.Dims()
		for i := 0; i < k; i++ {
			g.Set(i, i, g.At(i, i)+lambda)
		}
		return g
	}
	inv := func(a *mat.Dense) *mat.Dense {
		var b mat.Dense
		if err := b.Inverse(a); err != nil {
			panic(err)
		}
		return &b
	}
	subs := []struct {
		sub
		step ScaledStepFunc
	}{
		{sub{"solution", nil}, goodScaledStep},
		{sub{"blank", map[string]string{"scaledgd-step": "does not move", "kappa-independence": "other steps"}},
			func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense { return mat.DenseCopyOf(x) }},
		{sub{"plain GD step", map[string]string{"scaledgd-step": "plain GD step", "kappa-independence": "other steps"}},
			step(1, func(x *mat.Dense, _ float64) mat.Matrix { _, k := x.Dims(); return eye(k) })},
		{sub{"λ forgotten", map[string]string{"scaledgd-step": "dropped the damping", "kappa-independence": "other steps"}},
			func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
				return goodScaledStep(p, x, eta, 0)
			}},
		{sub{"P, not P⁻¹", map[string]string{"scaledgd-step": "instead of its inverse", "kappa-independence": "other steps"}},
			step(1, func(x *mat.Dense, l float64) mat.Matrix { return gram(x, l) })},
		{sub{"wrong side: (XXᵀ + λI)⁻¹·∇f", map[string]string{"scaledgd-step": "on the left", "kappa-independence": "other steps"}},
			func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
				xx := mul(x, x.T())
				n, _ := xx.Dims()
				for i := 0; i < n; i++ {
					xx.Set(i, i, xx.At(i, i)+lambda)
				}
				d := mul(inv(xx), goodSymGrad(p, x))
				var out mat.Dense
				out.Scale(-eta, d)
				out.Add(x, &out)
				return &out
			}},
		{sub{"wrong side: P⁻¹·∇f (shape panic)", map[string]string{"scaledgd-step": "P⁻¹ on the right", "kappa-independence": "P⁻¹ multiplies ∇f(X) on the right"}},
			func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
				d := mul(inv(gram(x, lambda)), goodSymGrad(p, x))
				var out mat.Dense
				out.Scale(-eta, d)
				out.Add(x, &out)
				return &out
			}},
		{sub{"sign: X + η∇fP⁻¹", map[string]string{"scaledgd-step": "wrong way", "kappa-independence": "other steps"}},
			step(-1, func(x *mat.Dense, l float64) mat.Matrix { return inv(gram(x, l)) })},
		{sub{"2η (gradient with a 2)", map[string]string{"scaledgd-step": "twice the reference", "kappa-independence": "other steps"}},
			step(2, func(x *mat.Dense, l float64) mat.Matrix { return inv(gram(x, l)) })},
		{sub{"λ added after inverting", map[string]string{"scaledgd-step": "after inverting", "kappa-independence": "other steps"}},
			step(1, func(x *mat.Dense, l float64) mat.Matrix {
				g := inv(gram(x, 0))
				k, _ := g.Dims()
				for i := 0; i < k; i++ {
					g.Set(i, i, g.At(i, i)+l)
				}
				return g
			})},
		{sub{"λ² for λ", map[string]string{"scaledgd-step": "λ²", "kappa-independence": "other steps"}},
			func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
				return goodScaledStep(p, x, eta, lambda*lambda)
			}},
		{sub{"returns the update only", map[string]string{"scaledgd-step": "update", "kappa-independence": "other steps"}},
			func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense {
				var d mat.Dense
				d.Sub(goodScaledStep(p, x, eta, lambda), x)
				return &d
			}},
		{sub{"returns P (r′×r′, shape)", map[string]string{"scaledgd-step": "return the preconditioner", "kappa-independence": "shape of U"}},
			func(p *lrsense.Problem, x *mat.Dense, eta, lambda float64) *mat.Dense { return gram(x, lambda) }},
	}
	plain := make([]sub, len(subs))
	for i, s := range subs {
		plain[i] = s.sub
	}
	gradeTable(t, "preconditioning", func(i int) []Result { return PreconditioningChecks(subs[i].step) }, plain)
}

func eye(k int) *mat.Dense {
	e := mat.NewDense(k, k, nil)
	for i := 0; i < k; i++ {
		e.Set(i, i, 1)
	}
	return e
}

func TestWrongAnswersSmallInit(t *testing.T) {
	c := PhaseConfig{}.WithDefaults()
	shifted := func(d float64) PhaseLengthFunc {
		return func(c PhaseConfig, a float64) float64 { return goodLength(c, a) + d }
	}
	xs := func(alphas []float64, f func(a float64) float64) []float64 {
		x := make([]float64, len(alphas))
		for i, a := range alphas {
			x[i] = f(a)
		}
		return x
	}
	lsq := func(x, y []float64) float64 {
		n := float64(len(x))
		var mx, my, sxy, sxx float64
		for i := range x {
			mx += x[i] / n
			my += y[i] / n
		}
		for i := range x {
			sxy += (x[i] - mx) * (y[i] - my)
			sxx += (x[i] - mx) * (x[i] - mx)
		}
		return sxy / sxx
	}
	subs := []struct {
		sub
		pred   PredictFunc
		length PhaseLengthFunc
		fit    FitSlopeFunc
	}{
		{sub{"solution", nil}, goodPredict, goodLength, goodFit},
		{sub{"first-order prediction 1/η (acceptable)", nil}, func(eta float64) float64 { return 1 / eta }, goodLength, goodFit},
		{sub{"blank", map[string]string{"prediction": "fill in", "lengths": "fill in", "slope": "fill in"}},
			func(float64) float64 { return 0 }, func(PhaseConfig, float64) float64 { return 0 }, func(_, _ []float64) float64 { return 0 }},
		{sub{"length off by one (+1)", map[string]string{"lengths": "off by one"}}, goodPredict, shifted(1), goodFit},
		{sub{"length off by one (−1)", map[string]string{"lengths": "off by one"}}, goodPredict, shifted(-1), goodFit},
		{sub{"length at level 0.1", map[string]string{"lengths": "the first t with relative error ≤ 0.5"}}, goodPredict,
			func(c PhaseConfig, a float64) float64 { c.Level = 0.1; return goodLength(c, a) }, goodFit},
		{sub{"length with step 2η", map[string]string{"lengths": "GD with Eta 0.25"}}, goodPredict,
			func(c PhaseConfig, a float64) float64 { c.Eta *= 2; return goodLength(c, a) }, goodFit},
		{sub{"length panics (index out of range)", map[string]string{"lengths": "your code panicked: runtime error: index out of range"}}, goodPredict,
			func(c PhaseConfig, a float64) float64 { var v []float64; return v[int(goodLength(c, a))] }, goodFit},
		{sub{"fit against log10(1/α)", map[string]string{"slope": "log10"}}, goodPredict, goodLength,
			func(al, l []float64) float64 {
				return lsq(xs(al, func(a float64) float64 { return math.Log10(1 / a) }), l)
			}},
		{sub{"fit against ln α (sign)", map[string]string{"slope": "wrong sign"}}, goodPredict, goodLength,
			func(al, l []float64) float64 { return lsq(xs(al, math.Log), l) }},
		{sub{"fit with x and y swapped", map[string]string{"slope": "swapped"}}, goodPredict, goodLength,
			func(al, l []float64) float64 {
				return lsq(l, xs(al, func(a float64) float64 { return math.Log(1 / a) }))
			}},
		{sub{"fit through the origin", map[string]string{"slope": "through the origin"}}, goodPredict, goodLength,
			func(al, l []float64) float64 {
				var sxy, sxx float64
				for i, a := range al {
					sxy += math.Log(1/a) * l[i]
					sxx += math.Log(1/a) * math.Log(1/a)
				}
				return sxy / sxx
			}},
		{sub{"fit on mismatched slices (panic)", map[string]string{"slope": "index out of range"}}, goodPredict, goodLength,
			func(al, l []float64) float64 { return lsq(xs(al, math.Log), l[:len(l)-1]) }},
		{sub{"prediction ln(1 + η), not its reciprocal", map[string]string{"prediction": "reciprocal"}},
			func(eta float64) float64 { return math.Log1p(eta) }, goodLength, goodFit},
		{sub{"prediction with log10", map[string]string{"prediction": "base-10"}},
			func(eta float64) float64 { return 1 / math.Log10(1+eta) }, goodLength, goodFit},
		{sub{"prediction with 2η", map[string]string{"prediction": "1 + 2η"}},
			func(eta float64) float64 { return 1 / math.Log1p(2*eta) }, goodLength, goodFit},
	}
	plain := make([]sub, len(subs))
	for i, s := range subs {
		plain[i] = s.sub
	}
	gradeTable(t, "small-init", func(i int) []Result { return SmallInitChecks(subs[i].pred, subs[i].length, subs[i].fit, c) }, plain)
}

func TestWrongAnswersRobust(t *testing.T) {
	// sign returns Sign(𝒜(UUᵀ) − y) and m.
	signRes := func(p *lrsense.Problem, u *mat.Dense) (*mat.VecDense, int) {
		m, _, _ := p.Op.Dims()
		var r mat.VecDense
		p.Op.ApplyTo(&r, mul(u, u.T()))
		r.SubVec(&r, p.Y)
		for i := 0; i < m; i++ {
			r.SetVec(i, math.Copysign(1, r.AtVec(i)))
		}
		return &r, m
	}
	qOf := func(p *lrsense.Problem, u *mat.Dense, s float64) *mat.Dense {
		r, m := signRes(p, u)
		var q mat.Dense
		p.Op.AdjointTo(&q, r)
		return scale(s/math.Sqrt(float64(m)), &q)
	}
	sub2 := func(d func(q, u *mat.Dense) *mat.Dense, s float64) SubgradFunc {
		return func(p *lrsense.Problem, u *mat.Dense) (*mat.Dense, *mat.Dense) {
			q := qOf(p, u, s)
			return d(q, u), q
		}
	}
	sumT := func(q *mat.Dense) *mat.Dense { return scale(2, symOf(q)) }
	right := func(q, u *mat.Dense) *mat.Dense { return mul(sumT(q), u) }
	// step with a step-size rule ηρ^t/‖Q‖₂ changed by rule.
	stepWith := func(sg SubgradFunc, rule func(q *mat.Dense, t int, eta, rho float64) float64) SubGMStepFunc {
		return func(p *lrsense.Problem, u *mat.Dense, t int, eta, rho float64) *mat.Dense {
			d, q := sg(p, u)
			var out mat.Dense
			out.Scale(-rule(q, t, eta, rho), d)
			out.Add(u, &out)
			return &out
		}
	}
	spec := func(q mat.Matrix) float64 {
		var svd mat.SVD
		svd.Factorize(q, mat.SVDNone)
		return svd.Values(nil)[0]
	}
	geo := func(q *mat.Dense, t int, eta, rho float64) float64 { return eta * math.Pow(rho, float64(t)) / spec(q) }
	withSub := func(sg SubgradFunc) SubGMStepFunc { return stepWith(sg, geo) }
	l2 := func(p *lrsense.Problem, u *mat.Dense) (*mat.Dense, *mat.Dense) {
		g := studentG(p, u, u)
		return mul(symOf(g), u), g
	}
	subs := []struct {
		sub
		sg   SubgradFunc
		step SubGMStepFunc
	}{
		{sub{"solution", nil}, goodSubgrad, goodSubGMStep},
		{sub{"solution, Sign via math.Copysign", nil}, sub2(right, 1), withSub(sub2(right, 1))},
		{sub{"blank", map[string]string{"subgradient": "fill in the TODO", "geometric-step": "does not move", "survives-outliers": "make the subgradient"}},
			func(p *lrsense.Problem, u *mat.Dense) (*mat.Dense, *mat.Dense) {
				n, k := u.Dims()
				return mat.NewDense(n, k, nil), mat.NewDense(n, n, nil)
			},
			func(p *lrsense.Problem, u *mat.Dense, t int, eta, rho float64) *mat.Dense { return mat.DenseCopyOf(u) }},
		{sub{"D = 2Q·U, not symmetrized", map[string]string{"subgradient": "without symmetrizing", "geometric-step": "subgradient check", "survives-outliers": "curve differs"}},
			sub2(func(q, u *mat.Dense) *mat.Dense { return scale(2, mul(q, u)) }, 1), withSub(sub2(func(q, u *mat.Dense) *mat.Dense { return scale(2, mul(q, u)) }, 1))},
		{sub{"D = sym(Q)·U (half)", map[string]string{"subgradient": "half the sub-gradient", "geometric-step": "subgradient check", "survives-outliers": "SubGM"}},
			sub2(func(q, u *mat.Dense) *mat.Dense { return mul(symOf(q), u) }, 1), withSub(sub2(func(q, u *mat.Dense) *mat.Dense { return mul(symOf(q), u) }, 1))},
		{sub{"sign of the residual flipped", map[string]string{"subgradient": "wrong sign", "geometric-step": "uphill", "survives-outliers": "SubGM"}},
			sub2(right, -1), withSub(sub2(right, -1))},
		{sub{"1/√m forgotten in Q", map[string]string{"subgradient": "too large"}},
			func(p *lrsense.Problem, u *mat.Dense) (*mat.Dense, *mat.Dense) {
				m, _, _ := p.Op.Dims()
				return sub2(right, math.Sqrt(float64(m)))(p, u)
			}, goodSubGMStep},
		{sub{"residual instead of its sign (ℓ2)", map[string]string{"subgradient": "ℓ2 gradient", "geometric-step": "subgradient check", "survives-outliers": "SubGM"}}, l2, withSub(l2)},
		{sub{"Q returned first (swapped)", map[string]string{"subgradient": "other order"}},
			func(p *lrsense.Problem, u *mat.Dense) (*mat.Dense, *mat.Dense) {
				d, q := goodSubgrad(p, u)
				return q, d
			}, goodSubGMStep},
		{sub{"U·(Q + Qᵀ) (shape panic)", map[string]string{"subgradient": "Q on the left"}},
			sub2(func(q, u *mat.Dense) *mat.Dense { return mul(u, sumT(q)) }, 1), goodSubGMStep},
		{sub{"Qᵀ for Q", map[string]string{"subgradient": "transposed"}},
			func(p *lrsense.Problem, u *mat.Dense) (*mat.Dense, *mat.Dense) {
				d, q := goodSubgrad(p, u)
				return d, mat.DenseCopyOf(q.T())
			}, goodSubGMStep},
		{sub{"step ρ^(t+1), off by one", map[string]string{"geometric-step": "off by one", "survives-outliers": "geometric-step check"}}, goodSubgrad,
			stepWith(goodSubgrad, func(q *mat.Dense, t int, eta, rho float64) float64 { return geo(q, t+1, eta, rho) })},
		{sub{"‖Q‖_F for ‖Q‖₂", map[string]string{"geometric-step": "Frobenius", "survives-outliers": "SubGM"}}, goodSubgrad,
			stepWith(goodSubgrad, func(q *mat.Dense, t int, eta, rho float64) float64 {
				return eta * math.Pow(rho, float64(t)) / mat.Norm(q, 2)
			})},
		{sub{"no division by ‖Q‖₂", map[string]string{"geometric-step": "did not divide", "survives-outliers": "SubGM"}}, goodSubgrad,
			stepWith(goodSubgrad, func(q *mat.Dense, t int, eta, rho float64) float64 { return eta * math.Pow(rho, float64(t)) })},
		{sub{"no decay (ρ forgotten)", map[string]string{"geometric-step": "does not decay", "survives-outliers": "SubGM"}}, goodSubgrad,
			stepWith(goodSubgrad, func(q *mat.Dense, t int, eta, rho float64) float64 { return eta / spec(q) })},
		{sub{"ρ·t for ρ^t", map[string]string{"geometric-step": "ρ^t = 1", "survives-outliers": "SubGM"}}, goodSubgrad,
			stepWith(goodSubgrad, func(q *mat.Dense, t int, eta, rho float64) float64 { return eta * rho * float64(t) / spec(q) })},
		{sub{"‖Q + Qᵀ‖₂ for ‖Q‖₂", map[string]string{"geometric-step": "‖Q + Qᵀ‖₂", "survives-outliers": "SubGM"}}, goodSubgrad,
			stepWith(goodSubgrad, func(q *mat.Dense, t int, eta, rho float64) float64 {
				return eta * math.Pow(rho, float64(t)) / spec(sumT(q))
			})},
	}
	plain := make([]sub, len(subs))
	for i, s := range subs {
		plain[i] = s.sub
	}
	gradeTable(t, "robust", func(i int) []Result { return RobustChecks(subs[i].sg, subs[i].step) }, plain)
}
