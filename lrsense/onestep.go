package lrsense

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Defaults of OneStep's tolerances.
const (
	// defaultOneStepEigTol is the relative eigenvalue cutoff of FᵀF below
	// which OneStep leaves a direction untouched.
	defaultOneStepEigTol = 1e-12
	// defaultOneStepRankTol is the relative singular-value cutoff that,
	// with the loss-based cutoff described at OneStep, decides which
	// singular values of FGᵀ count as fitted signal when β is chosen
	// automatically.
	defaultOneStepRankTol = 1e-2
)

// OneStep is asymmetric factored gradient descent with the one-step
// modification of Xiong, Ding & Du, "How Over-Parameterization Slows Down
// Gradient Descent in Matrix Sensing: The Curses of Symmetry and
// Initialization" (ICLR 2024, arXiv 2310.01769), Sec. 5, eq. (5.1): plain
// GD (see GD: F ← F − η·G_A·G, G ← G − η·G_Aᵀ·F with G_A = 𝒜*(𝒜(FGᵀ) − y)),
// except that once, when the iterate is close to the optimum, the factors
// are rebalanced without changing their product:
//
//	F ← β·F·(FᵀF)^{-1/2},   G ← β⁻¹·G·(FᵀF)^{1/2},
//
// so that afterwards FᵀF = β²·I and FGᵀ is unchanged. The form is a
// reconstruction of eq. (5.1) from the paper's description (rebalance F to a
// multiple of an orthonormal matrix, compensate in G), not a copy of the
// printed equation: the paper note marks it [S]. Its point is that the
// imbalance FᵀF − GᵀG, which fixes the linear rate of asymmetric GD with
// k > r at ≈ η·α² (α the initialization scale), is replaced by β²·I − GᵀG,
// independent of α.
//
// Trigger. The step is taken at the first iterate t whose loss
// ½‖𝒜(F_tG_tᵀ) − y‖² is ≤ LossThreshold: an observable quantity, no
// knowledge of M⋆. Iterate rebalances x_t in place and then takes the GD
// step from it, so the products X_0 … X_t are exactly those of plain GD
// and the iterates differ from t + 1 on. StepAt reports t.
//
// Choice of β. With Beta > 0 it is used as given. With Beta = 0, β² is the
// smallest singular value σ_i of F_tG_tᵀ that counts as fitted signal: an
// estimate of σ_r(M⋆) from the iterate. A singular value counts as signal
// if it is ≥ RankTol·σ₁(F_tG_tᵀ) and ≥ 2·√(2·L_t), L_t the loss at the
// trigger. The second cutoff is observable and is what makes the estimate
// safe: under the restricted isometry property ‖F_tG_tᵀ − M⋆‖_F ≈ √(2·L_t)
// (the factor 2 is slack for the isometry constant), and by Weyl's
// inequality every singular value of F_tG_tᵀ beyond the r-th is at most
// ‖F_tG_tᵀ − M⋆‖_F; with k > r those spurious values are exactly what a
// relative cutoff alone would mistake for signal when the trigger fires
// early. If no singular value passes both cutoffs, β² = σ₁(F_tG_tᵀ).
// Linearizing GD around a rebalanced optimum F = βQ (QᵀQ = I),
// FGᵀ = M⋆ = UΣVᵀ, the error components decay at rates η·β² (through the
// columns of G that FGᵀ does not use) and η·σ_j²/β² (through the columns of
// F), so β² = σ_r(M⋆) maximizes the slowest rate, η·σ_r: the slowest rate
// of GD with k = r near its (balanced) optimum. This choice is ours (the
// paper leaves β free). It also sets ‖G‖² ≈ σ₁²/σ_r after the step, so η
// must be below ≈ 1/(σ_r + σ₁²/σ_r) for the step to stay stable: for badly
// conditioned M⋆ give Beta explicitly.
//
// Rank deficiency. (FᵀF)^{±1/2} are formed from the eigendecomposition
// FᵀF = V·diag(λ)·Vᵀ of the k×k Gram matrix. Eigenvalues λ_i ≤
// EigTol·λ_max (including zero or slightly negative ones from rounding) are
// treated as null directions of F and left untouched: with P the kept
// eigenvectors and N the others,
//
//	F ← F·(P·diag(β/√λ)·Pᵀ + N·Nᵀ),   G ← G·(P·diag(√λ/β)·Pᵀ + N·Nᵀ),
//
// which still leaves FGᵀ exactly unchanged (the two middle factors multiply
// to I) and makes FᵀF = β² on span P (F·N is at most √(EigTol·λ_max) in
// norm). The eigendecomposition of a Gram matrix cannot resolve
// λ_i ≲ 1e-16·λ_max, hence the default EigTol 1e-12. If every eigenvalue is
// cut (F = 0), or the automatic β is 0 (FGᵀ = 0), the step is skipped and
// StepAt still reports t.
//
// OneStep works on asymmetric factors only; its Measures.Loss and
// Measures.GradNorm are those of GD.
//
// Cost: that of GD, T + 1 fused passes for T steps (the rebalancing reuses
// the last one).
type OneStep struct {
	// Eta is η > 0.
	Eta float64
	// LossThreshold > 0 triggers the rebalancing at the first iterate
	// with loss ≤ LossThreshold.
	LossThreshold float64
	// Beta is β > 0, or 0 for the automatic choice described above.
	Beta float64
	// RankTol in [0, 1) is the relative cutoff σ_i ≥ RankTol·σ₁ of the
	// automatic β; 0 means 1e-2.
	RankTol float64
	// EigTol in [0, 1) is the relative eigenvalue cutoff of FᵀF; 0 means
	// 1e-12.
	EigTol float64

	gd     GD
	t      int
	loss   float64
	stepAt int
	beta   float64
}

// Init checks the parameters and x (asymmetric factors) and evaluates the
// loss and gradient at x. It does not rebalance: that happens in Iterate.
func (o *OneStep) Init(p *Problem, x Factors) (Measures, error) {
	switch {
	case x.Sym():
		return Measures{}, badParam("OneStep needs asymmetric factors (R not nil)")
	case !(o.LossThreshold > 0) || math.IsInf(o.LossThreshold, 0):
		return Measures{}, badParam("OneStep loss threshold must be positive and finite, got %v", o.LossThreshold)
	case o.Beta < 0 || math.IsInf(o.Beta, 0) || math.IsNaN(o.Beta):
		return Measures{}, badParam("OneStep β must be ≥ 0 and finite (0: automatic), got %v", o.Beta)
	case !(o.RankTol >= 0 && o.RankTol < 1):
		return Measures{}, badParam("OneStep RankTol must be in [0, 1), got %v", o.RankTol)
	case !(o.EigTol >= 0 && o.EigTol < 1):
		return Measures{}, badParam("OneStep EigTol must be in [0, 1), got %v", o.EigTol)
	}
	o.gd = GD{Eta: o.Eta}
	st, err := o.gd.Init(p, x)
	if err != nil {
		return Measures{}, err
	}
	o.t, o.loss, o.stepAt, o.beta = 0, st.Loss, -1, math.NaN()
	return st, nil
}

// StepAt returns the iterate t at which the factors were rebalanced and
// true, or −1 and false if the trigger has not fired (yet).
func (o *OneStep) StepAt() (int, bool) { return o.stepAt, o.stepAt >= 0 }

// BetaUsed returns the β of the rebalancing step (NaN before it).
func (o *OneStep) BetaUsed() float64 { return o.beta }

// Iterate rebalances x first if the trigger fires at the current iterate,
// then takes one GD step and evaluates the new iterate.
func (o *OneStep) Iterate(x Factors) (Measures, error) {
	if o.stepAt < 0 && o.loss <= o.LossThreshold {
		o.stepAt = o.t
		if o.rebalance(x) {
			// The product, hence 𝒜*(𝒜(FGᵀ) − y), is unchanged: only the
			// gradient's factors change.
			o.gd.ls.gradFromAdjoint(&o.gd.grad, x)
		}
	}
	st, err := o.gd.Iterate(x)
	o.t++
	o.loss = st.Loss
	return st, err
}

// rebalance applies eq. (5.1) to x in place; it reports false if F = 0.
func (o *OneStep) rebalance(x Factors) bool {
	_, k := x.L.Dims()
	var gram mat.SymDense
	gram.SymOuterK(1, x.L.T())
	var eig mat.EigenSym
	if !eig.Factorize(&gram, true) {
		return false
	}
	lambda := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	lmax := lambda[k-1]
	tol := o.EigTol
	if tol == 0 {
		tol = defaultOneStepEigTol
	}
	if !(lmax > 0) {
		return false
	}
	kept := make([]bool, k)
	sqrtL := make([]float64, k)
	for i, l := range lambda {
		kept[i] = l > tol*lmax
		if kept[i] {
			sqrtL[i] = math.Sqrt(l)
		}
	}

	beta := o.Beta
	if beta == 0 {
		beta = math.Sqrt(o.signalFloor(x.R, &vecs, sqrtL, 2*math.Sqrt(2*math.Max(o.loss, 0))))
	}
	o.beta = beta
	if !(beta > 0) || math.IsInf(beta, 0) {
		// FGᵀ = 0 (or not finite): nothing to rebalance.
		return false
	}

	// Right factors: a = V·diag(dF)·Vᵀ for F, b = V·diag(dG)·Vᵀ for G,
	// with dF·dG = 1 in every direction.
	dF := make([]float64, k)
	dG := make([]float64, k)
	for i := range dF {
		dF[i], dG[i] = 1, 1
		if kept[i] {
			dF[i], dG[i] = beta/sqrtL[i], sqrtL[i]/beta
		}
	}
	a := conjDiag(&vecs, dF)
	b := conjDiag(&vecs, dG)
	var f, g mat.Dense
	f.Mul(x.L, a)
	g.Mul(x.R, b)
	x.L.Copy(&f)
	x.R.Copy(&g)
	return true
}

// signalFloor returns the smallest singular value of FGᵀ that is ≥
// RankTol·σ₁ and ≥ cut, or σ₁ if none is. The singular values come from
// the eigenvalues of (FᵀF)^{1/2}·GᵀG·(FᵀF)^{1/2}, which are the squared
// singular values of FGᵀ (restricted to the kept directions of FᵀF, which
// carry the whole product up to the cutoff).
func (o *OneStep) signalFloor(r *mat.Dense, vecs *mat.Dense, sqrtL []float64, cut float64) float64 {
	k := len(sqrtL)
	half := conjDiag(vecs, sqrtL) // (FᵀF)^{1/2} on the kept directions
	var gh mat.Dense
	gh.Mul(r, half) // G·(FᵀF)^{1/2}, n2×k
	var s mat.SymDense
	s.SymOuterK(1, gh.T())
	var eig mat.EigenSym
	if !eig.Factorize(&s, false) {
		return math.NaN()
	}
	ev := eig.Values(nil)
	top := math.Sqrt(math.Max(ev[k-1], 0))
	tol := o.RankTol
	if tol == 0 {
		tol = defaultOneStepRankTol
	}
	cut = math.Max(cut, tol*top)
	floor := top
	for _, e := range ev {
		if sv := math.Sqrt(math.Max(e, 0)); sv >= cut && sv < floor {
			floor = sv
		}
	}
	return floor
}

// conjDiag returns V·diag(d)·Vᵀ.
func conjDiag(v *mat.Dense, d []float64) *mat.Dense {
	var vd mat.Dense
	vd.Scale(1, v)
	for j, dj := range d {
		for i := 0; i < len(d); i++ {
			vd.Set(i, j, vd.At(i, j)*dj)
		}
	}
	var out mat.Dense
	out.Mul(&vd, v.T())
	return &out
}
