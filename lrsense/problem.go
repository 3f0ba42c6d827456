package lrsense

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Spacing says how its Spectrum spreads r values from 1 down to 1/κ.
type Spacing int

const (
	// Linear spacing: σ_i = 1 − (i−1)/(r−1)·(1 − 1/κ).
	Linear Spacing = iota
	// Geometric spacing: σ_i = κ^{−(i−1)/(r−1)}.
	Geometric
)

// Spectrum returns r values from 1 down to 1/kappa, spaced as s says, so a
// matrix with these singular values has condition number kappa:
// Linear.Spectrum(3, 10) is 1, 0.55, 0.1. It panics with a message starting
// "lrsense:" if r < 1, kappa < 1 or is not finite, s is unknown, or r values
// do not fit in memory.
func (s Spacing) Spectrum(r int, kappa float64) []float64 {
	v, err := spectrum(r, kappa, s)
	if err != nil {
		panic(err.Error())
	}
	return v
}

func spectrum(r int, kappa float64, s Spacing) ([]float64, error) {
	if r < 1 || !(kappa >= 1) || math.IsInf(kappa, 0) {
		return nil, badParam("Spectrum needs r ≥ 1 and finite κ ≥ 1, got r=%d κ=%v", r, kappa)
	}
	if s != Linear && s != Geometric {
		return nil, badParam("unknown Spacing %d", s)
	}
	if err := checkAlloc("spectrum", 8, r); err != nil {
		return nil, err
	}
	out := make([]float64, r)
	for i := range out {
		if r == 1 {
			out[i] = 1
			continue
		}
		t := float64(i) / float64(r-1)
		switch s {
		case Linear:
			out[i] = 1/kappa + (1-t)*(1-1/kappa)
		case Geometric:
			out[i] = math.Pow(kappa, -t)
		default:
			return nil, badParam("unknown Spacing %d", s)
		}
	}
	return out, nil
}

// Truth is a rank-r ground truth X⋆ = U diag(Sigma) Vᵀ.
type Truth struct {
	// X is the n1×n2 matrix X⋆.
	X *mat.Dense
	// U (n1×r) and V (n2×r) have orthonormal columns. For a PSD truth V
	// and U are the same matrix.
	U, V *mat.Dense
	// Sigma holds the singular values (eigenvalues for PSD), in the order
	// given to the generator.
	Sigma []float64
}

// check panics with a message starting "lrsense:" if t is missing X.
func (t *Truth) check() {
	if t.X == nil {
		panic("lrsense: Truth has no X")
	}
}

// Rank returns r.
func (t *Truth) Rank() int { return len(t.Sigma) }

// Sym reports whether the truth is PSD (U and V are one matrix).
func (t *Truth) Sym() bool { return t.U == t.V }

// Norm returns ‖X⋆‖_F.
func (t *Truth) Norm() float64 { return mat.Norm(t.X, 2) }

// Factor returns the balanced factor U·diag(√σ) (n1×r), so that for a PSD
// truth X⋆ = F Fᵀ.
func (t *Truth) Factor() *mat.Dense {
	var f mat.Dense
	f.CloneFrom(t.U)
	for j, s := range t.Sigma {
		col := math.Sqrt(s)
		for i := 0; i < f.RawMatrix().Rows; i++ {
			f.Set(i, j, col*f.At(i, j))
		}
	}
	return &f
}

// haar returns an n×r matrix with orthonormal columns distributed
// uniformly (haar) on the Stiefel manifold: the Q of a QR factorization of
// a Gaussian matrix, with signs fixed so that R has a positive diagonal.
// It panics if r > n or r < 1.
func haar(n, r int, src rand.Source) *mat.Dense {
	if r < 1 || r > n {
		panic("lrsense: haar needs 1 ≤ r ≤ n")
	}
	rnd := rand.New(src)
	g := mat.NewDense(n, r, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < r; j++ {
			g.Set(i, j, rnd.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var q, rr mat.Dense
	qr.QTo(&q)
	qr.RTo(&rr)
	out := mat.NewDense(n, r, nil)
	out.Copy(&q)
	for j := 0; j < r; j++ {
		if rr.At(j, j) < 0 {
			for i := 0; i < n; i++ {
				out.Set(i, j, -out.At(i, j))
			}
		}
	}
	return out
}

// NewPSDTruth returns a PSD truth X⋆ = U diag(sigma) Uᵀ of size n×n with a
// Haar-random U. It returns an error wrapping ErrBadParam if sigma is empty,
// longer than n, or has a value that is not positive and finite (an
// all-zero spectrum has no relative error to measure), or if an n×n matrix
// does not fit in memory. It panics if src is nil.
func NewPSDTruth(n int, sigma []float64, src rand.Source) (*Truth, error) {
	checkNil("source", src)
	if err := checkSigma(n, n, sigma); err != nil {
		return nil, err
	}
	u := haar(n, len(sigma), src)
	t := &Truth{U: u, V: u, Sigma: append([]float64(nil), sigma...)}
	t.X = lowRankProduct(u, u, sigma)
	return t, nil
}

// NewLowRankTruth returns an n1×n2 truth X⋆ = U diag(sigma) Vᵀ with independent
// Haar-random U and V (U drawn first). It returns an error wrapping
// ErrBadParam for the same bad sigma and sizes as NewPSDTruth, and panics
// if src is nil.
func NewLowRankTruth(n1, n2 int, sigma []float64, src rand.Source) (*Truth, error) {
	checkNil("source", src)
	if err := checkSigma(n1, n2, sigma); err != nil {
		return nil, err
	}
	u := haar(n1, len(sigma), src)
	v := haar(n2, len(sigma), src)
	t := &Truth{U: u, V: v, Sigma: append([]float64(nil), sigma...)}
	t.X = lowRankProduct(u, v, sigma)
	return t, nil
}

func checkSigma(n1, n2 int, sigma []float64) error {
	if n1 < 1 || n2 < 1 {
		return badParam("truth needs n1, n2 ≥ 1, got %d, %d", n1, n2)
	}
	if len(sigma) < 1 || len(sigma) > min(n1, n2) {
		return badParam("need 1 ≤ rank ≤ min(n1, n2) = %d, got %d values", min(n1, n2), len(sigma))
	}
	for _, s := range sigma {
		if !(s > 0) || math.IsInf(s, 0) {
			return badParam("singular values must be positive and finite, got %v", sigma)
		}
	}
	// X⋆ is n1×n2, and haar forms a full n×n Q for each factor.
	n := max(n1, n2)
	return checkAlloc("truth matrix", 8, n, n)
}

func lowRankProduct(u, v *mat.Dense, sigma []float64) *mat.Dense {
	var us mat.Dense
	us.CloneFrom(u)
	n, _ := u.Dims()
	for j, s := range sigma {
		for i := 0; i < n; i++ {
			us.Set(i, j, s*us.At(i, j))
		}
	}
	var x mat.Dense
	x.Mul(&us, v.T())
	return &x
}

// Noise is the measurement noise NewProblem adds to y = 𝒜(X⋆): i.i.d.
// N(0, Std²) on every measurement, then outliers: each measurement is
// corrupted independently with probability Outliers (the model of Ma &
// Fattahi 2023, Def. 8) by an added value drawn from OutlierDist, or from
// N(0, OutlierStd²) when OutlierDist is nil. A part whose parameter is 0
// draws nothing; the zero value adds no noise. Noise of another kind goes
// into y directly: &Problem{Op: op, Y: y}.
type Noise struct {
	// Std is the standard deviation of the Gaussian noise, finite and ≥ 0.
	Std float64
	// Outliers is the probability of corruption, in [0, 1) (1 would leave
	// no measurement to recover from). OutlierStd is finite and ≥ 0; 0
	// means 10, the paper's N(0, 100).
	Outliers, OutlierStd float64
	OutlierDist          func(rnd *rand.Rand) float64
}

// AddTo adds the noise to y: first the Gaussian part (one normal number per
// measurement), then the outliers (for every i one uniform number, corrupt
// or not, and, if corrupted, the outlier value). It panics with a message
// starting "lrsense:" if a parameter is out of range, or if y or src is nil.
func (n Noise) AddTo(y *mat.VecDense, src rand.Source) {
	if err := n.check(); err != nil {
		panic(err.Error())
	}
	checkNil("measurements y", y)
	checkNil("source", src)
	rnd := rand.New(src)
	if n.Std > 0 {
		for i := 0; i < y.Len(); i++ {
			y.SetVec(i, y.AtVec(i)+n.Std*rnd.NormFloat64())
		}
	}
	if n.Outliers == 0 {
		return
	}
	std := n.OutlierStd
	if std == 0 {
		std = 10
	}
	for i := 0; i < y.Len(); i++ {
		if rnd.Float64() >= n.Outliers {
			continue
		}
		var v float64
		if n.OutlierDist != nil {
			v = n.OutlierDist(rnd)
		} else {
			v = std * rnd.NormFloat64()
		}
		y.SetVec(i, y.AtVec(i)+v)
	}
}

func (n Noise) check() error {
	switch {
	case !(n.Std >= 0) || math.IsInf(n.Std, 0):
		return badParam("Noise.Std must be finite and ≥ 0, got %v", n.Std)
	case !(n.Outliers >= 0 && n.Outliers < 1):
		return badParam("Noise.Outliers must be in [0, 1), got %v", n.Outliers)
	case !(n.OutlierStd >= 0) || math.IsInf(n.OutlierStd, 0):
		return badParam("Noise.OutlierStd must be finite and ≥ 0, got %v", n.OutlierStd)
	}
	return nil
}

// Problem is one matrix sensing instance: an operator, its measurements
// y = 𝒜(X⋆) + noise and, when known, the truth. NewProblem and Instance
// measure a truth; measurements of your own are the literal
// &Problem{Op: op, Y: y} (y not copied), which Solve, Spectral and
// SignSpectral check: a shape mismatch or a nil Op or Y panics, a NaN or
// infinite y is an error.
type Problem struct {
	Op    Operator
	Y     *mat.VecDense
	Truth *Truth // nil when the truth is unknown
}

// NewProblem measures truth with op and adds noise (nil for none) drawn
// from src. It returns an error wrapping ErrBadParam if the shapes do not
// match, a noise parameter is out of range, or the measurements are not
// finite. It panics with a message starting "lrsense:" if op or truth is
// nil, or if noise is given and src is nil.
func NewProblem(op Operator, truth *Truth, noise *Noise, src rand.Source) (*Problem, error) {
	checkNil("operator", op)
	checkNil("truth", truth)
	truth.check()
	if noise != nil {
		checkNil("source", src)
		if err := noise.check(); err != nil {
			return nil, err
		}
	}
	m, n1, n2 := op.Dims()
	if r, c := truth.X.Dims(); r != n1 || c != n2 {
		return nil, badParam("truth is %d×%d but the operator measures %d×%d", r, c, n1, n2)
	}
	y := mat.NewVecDense(m, nil)
	op.ApplyTo(y, truth.X)
	if noise != nil {
		noise.AddTo(y, src)
	}
	if err := finiteVec("measurement y", y); err != nil {
		return nil, err
	}
	return &Problem{Op: op, Y: y, Truth: truth}, nil
}

// check panics with a message starting "lrsense:" if p lacks its operator
// or measurements, or if they do not fit each other.
func (p *Problem) check() {
	checkNil("Problem.Op", p.Op)
	checkNil("Problem.Y", p.Y)
	if m, _, _ := p.Op.Dims(); p.Y.Len() != m {
		panic(errLen("Problem.Y", p.Y.Len(), m))
	}
	if p.Truth != nil {
		p.Truth.check()
		_, n1, n2 := p.Op.Dims()
		if r, c := p.Truth.X.Dims(); r != n1 || c != n2 {
			panic(fmt.Sprintf("lrsense: Problem.Truth is %d×%d but the operator measures %d×%d", r, c, n1, n2))
		}
	}
}

// finiteVec returns an error wrapping ErrBadParam if v has a NaN or
// infinite entry.
func finiteVec(what string, v mat.Vector) error {
	for i := 0; i < v.Len(); i++ {
		if x := v.AtVec(i); math.IsNaN(x) || math.IsInf(x, 0) {
			return badParam("%s[%d] = %v is not finite", what, i, x)
		}
	}
	return nil
}

// Dims returns the shape n1×n2 of the unknown matrix.
func (p *Problem) Dims() (n1, n2 int) {
	_, n1, n2 = p.Op.Dims()
	return n1, n2
}

// RelErr returns ‖X − X⋆‖_F/‖X⋆‖_F for the iterate x, or NaN when the
// truth is unknown.
func (p *Problem) RelErr(x Factors) float64 {
	var w relErrWork
	return p.relErr(&w, x)
}

// relErrWork is the workspace of RelErr for the iterates of one problem
// (Solve's loop): X − X⋆, and ‖X⋆‖_F once computed (0 before).
type relErrWork struct {
	d    mat.Dense
	norm float64
}

// relErr is RelErr with the workspace w.
func (p *Problem) relErr(w *relErrWork, x Factors) float64 {
	if p.Truth == nil {
		return math.NaN()
	}
	if w.norm == 0 {
		w.norm = p.Truth.Norm()
	}
	x.ProductTo(&w.d)
	w.d.Sub(&w.d, p.Truth.X)
	return mat.Norm(&w.d, 2) / w.norm
}
