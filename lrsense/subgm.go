package lrsense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// subgmRule is the step-size rule SubGM's fields select.
type subgmRule int

const (
	geometricStep subgmRule = iota
	polyakStep
	errorStep
)

// SubGM is the sub-gradient method on the ℓ1 loss of symmetric matrix
// sensing studied by Ma & Fattahi, "Global Convergence of Sub-gradient
// Method for Robust Matrix Recovery: Small Initialization, Noisy
// Measurements, and Over-parameterization", JMLR 24(96), 2023:
//
//	f(U) = (1/m)·Σ_i |⟨A_i, UUᵀ⟩ − y_i|,
//	D_t  = (1/m)·Σ_i Sign(⟨A_i, U_tU_tᵀ⟩ − y_i)·(A_i + A_iᵀ)·U_t = (Q_t + Q_tᵀ)·U_t,
//	Q_t  = (1/m)·Σ_i Sign(⟨A_i, U_tU_tᵀ⟩ − y_i)·A_i,
//	U_{t+1} = U_t − η_t·D_t,
//
// with Sign(0) = 0 and η_t chosen by one of the paper's three rules:
//
//	geometric (the default):  η_t = η·ρ^t/‖Q_t‖₂ (‖·‖₂ the spectral norm), the
//	                          rule for noisy measurements (outliers or noise);
//	PolyakStep:               η_t = (η/2)·f(U_t), for noiseless measurements;
//	ErrorStep:                η_t = (η/2)·‖U_tU_tᵀ − X⋆‖_F, the oracle used
//	                          with the expected loss (needs the truth).
//
// The paper measures without the
// 1/√m of this package: its ⟨A_i, ·⟩ and y_i are √m times ours. In the
// package normalization the same loss and sub-gradient read
//
//	f(U) = ‖𝒜(UUᵀ) − y‖₁/√m,   Q = 𝒜*(Sign(𝒜(UUᵀ) − y))/√m,
//
// which is what SubGM computes, so that with a Gaussian operator (A_i with
// N(0,1) entries) f, D and Q, and hence η and ρ, are exactly the paper's.
// (Noise must be scaled the same way: the paper's s_i is √m times the noise
// added to this package's y.)
//
// With Expected set, SubGM runs on the expected loss instead (the paper's
// "ideal" loss, Sec. 3 and Figs. 5–6); the operator and y are then not used.
//
// SubGM works on symmetric factors only. Measures.Loss is f(U_t) and
// Measures.GradNorm is ‖D_t‖_F.
//
// Cost: one fused pass per step and one in Init (T + 1 for T steps), which
// forms Sign(𝒜(UUᵀ) − y) and its adjoint together; none on the expected
// loss.
type SubGM struct {
	// Eta is η > 0.
	Eta float64
	// Rho is the decay ρ ∈ (0, 1] of the geometric rule (unused otherwise).
	Rho float64
	// PolyakStep or ErrorStep (at most one) replaces the geometric rule.
	PolyakStep, ErrorStep bool
	// Expected, when not nil, replaces the empirical loss by its
	// expectation over Gaussian measurements; the problem's truth is used.
	Expected *ExpectedL1

	rule  subgmRule
	p     *Problem
	t     int
	loss  float64
	qnorm float64
	err   float64 // ‖UUᵀ − X⋆‖_F, when known
	m     int
	x     mat.Dense
	q, d  mat.Dense
	qsym  mat.Dense // Q + Qᵀ
	delta mat.Dense // X − X⋆
	r, s  mat.VecDense
	svd   svdWork
}

// ExpectedL1 is the expected ℓ1 loss of Gaussian measurements with
// outliers: for A with i.i.d. N(0,1) entries, Δ = UUᵀ − X⋆, and a noise s
// that is 0 with probability 1 − P and N(0, Std²) with probability P (the
// outlier model of Ma & Fattahi 2023, Def. 8, with the paper's scale of
// y),
//
//	f̄(U) = E|⟨A, Δ⟩ − s| = √(2/π)·[(1−P)·‖Δ‖_F + P·√(‖Δ‖_F² + Std²)],
//
// because ⟨A, Δ⟩ − s is N(0, ‖Δ‖_F²) or N(0, ‖Δ‖_F² + Std²). Its
// sub-gradient is D̄ = (Q̄ + Q̄ᵀ)U with Q̄ = E[Sign(⟨A,Δ⟩ − s)·A] =
// √(2/π)·[(1−P)/‖Δ‖_F + P/√(‖Δ‖_F² + Std²)]·Δ (Stein's lemma), the first
// term taken as 0 at Δ = 0. The zero value is the noiseless expected loss
// √(2/π)·‖Δ‖_F.
type ExpectedL1 struct {
	// P is the outlier probability, 0 ≤ P < 1.
	P float64
	// Std is the outlier standard deviation in the paper's scale (10 for
	// its N(0, 100)); 0 with P > 0 means 10.
	Std float64
}

func (e *ExpectedL1) std() float64 {
	if e.Std == 0 {
		return 10
	}
	return e.Std
}

// Init checks the parameters and evaluates the loss and sub-gradient at x.
func (g *SubGM) Init(p *Problem, x Factors) (Measures, error) {
	if !x.Sym() {
		return Measures{}, badParam("SubGM needs symmetric factors (R nil)")
	}
	if !(g.Eta > 0) || math.IsInf(g.Eta, 0) {
		return Measures{}, badParam("SubGM step η must be positive and finite, got %v", g.Eta)
	}
	switch {
	case g.PolyakStep && g.ErrorStep:
		return Measures{}, badParam("SubGM: set at most one of PolyakStep and ErrorStep")
	case g.PolyakStep:
		g.rule = polyakStep
	case g.ErrorStep:
		if p.Truth == nil {
			return Measures{}, badParam("SubGM ErrorStep needs a problem with a known truth")
		}
		g.rule = errorStep
	default:
		if !(g.Rho > 0 && g.Rho <= 1) {
			return Measures{}, badParam("SubGM geometric decay ρ must be in (0, 1], got %v", g.Rho)
		}
		g.rule = geometricStep
	}
	if e := g.Expected; e != nil {
		if p.Truth == nil {
			return Measures{}, badParam("SubGM on the expected loss needs a problem with a known truth")
		}
		if !(e.P >= 0 && e.P < 1) || !(e.Std >= 0) || math.IsInf(e.Std, 0) {
			return Measures{}, badParam("ExpectedL1 needs 0 ≤ P < 1 and finite Std ≥ 0, got %+v", *e)
		}
	}
	n1, n2 := p.Dims()
	if n1 != n2 {
		return Measures{}, badParam("SubGM needs a square problem, got %d×%d", n1, n2)
	}
	g.p, g.t = p, 0
	g.m, _, _ = p.Op.Dims()
	return g.eval(x), nil
}

// eval computes f, Q, ‖Q‖₂ and D at x.
func (g *SubGM) eval(x Factors) Measures {
	g.x.Reset()
	x.ProductTo(&g.x)
	g.err = math.NaN()
	if t := g.p.Truth; t != nil {
		g.delta.Reset()
		g.delta.Sub(&g.x, t.X)
		g.err = mat.Norm(&g.delta, 2)
	}
	if e := g.Expected; e != nil {
		g.evalExpected(e, x)
	} else {
		g.evalEmpirical()
	}
	g.qnorm = 0
	if g.rule == geometricStep && mat.Norm(&g.q, math.Inf(1)) > 0 {
		g.qnorm = g.svd.spectralNorm(&g.q)
	}
	// D = (Q + Qᵀ)·U.
	n, k := x.L.Dims()
	g.d.Reset()
	g.d.ReuseAs(n, k)
	g.qsym.Reset()
	g.qsym.ReuseAs(n, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.qsym.Set(i, j, g.q.At(i, j)+g.q.At(j, i))
		}
	}
	mulTo(&g.d, &g.qsym, false, x.L, false)
	return Measures{Loss: g.loss, GradNorm: mat.Norm(&g.d, 2)}
}

func (g *SubGM) evalEmpirical() {
	// r = 𝒜(X) − y, s = Sign(r) and 𝒜*(s) in one pass over the operator.
	residualMapAdjointTo(g.p.Op, &g.q, &g.r, &g.s, &g.x, g.p.Y, sign)
	sum := 0.0
	for _, v := range g.r.RawVector().Data[:g.m] {
		sum += math.Abs(v)
	}
	sm := math.Sqrt(float64(g.m))
	g.loss = sum / sm
	scaleInPlace(&g.q, 1/sm)
}

// sign is the sub-gradient of |v| that SubGM uses: ±1, and 0 at 0.
func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func (g *SubGM) evalExpected(e *ExpectedL1, x Factors) {
	c := math.Sqrt(2 / math.Pi)
	nd := g.err
	g.loss = c * (1 - e.P) * nd
	w := 0.0
	if nd > 0 {
		w = (1 - e.P) / nd
	}
	if e.P > 0 {
		s := e.std()
		h := math.Hypot(nd, s)
		g.loss += c * e.P * h
		w += e.P / h
	}
	g.q.Reset()
	g.q.Sub(&g.x, g.p.Truth.X)
	scaleInPlace(&g.q, c*w)
}

// StepSize returns η_t for the current iterate (the step the next Iterate
// takes).
func (g *SubGM) StepSize() float64 {
	switch g.rule {
	case geometricStep:
		if g.qnorm == 0 {
			return 0
		}
		return g.Eta * math.Pow(g.Rho, float64(g.t)) / g.qnorm
	case polyakStep:
		return g.Eta / 2 * g.loss
	default:
		return g.Eta / 2 * g.err
	}
}

// Iterate takes the step U ← U − η_t·D_t and evaluates the new iterate.
func (g *SubGM) Iterate(x Factors) (Measures, error) {
	eta := g.StepSize()
	scaleInPlace(&g.d, eta)
	x.L.Sub(x.L, &g.d)
	g.t++
	return g.eval(x), nil
}
