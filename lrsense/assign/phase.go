package assign

import (
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/stat"

	"github.com/lrsense/lrsense/lrsense"
)

// PhaseConfig is the experiment of the small-initialization assignment:
// GD from U₀ = α·G on a rank-R PSD truth with all eigenvalues 1, sensed by
// M symmetric Gaussian measurements. The zero value is usable: each zero
// field means the default in brackets.
type PhaseConfig struct {
	N, R, M int // [40, 2, 400]
	// Eta is GD's η [0.25].
	Eta float64
	// Alphas are the initialization scales [1e-1 … 1e-6, one per decade].
	Alphas []float64
	// Level ends phase I: the first t with relative error ≤ Level [0.5].
	Level float64
	// MaxIterations bounds every run [3000].
	MaxIterations int
	// Seed fixes the problem and the initialization's direction [1].
	Seed uint64
}

// WithDefaults returns c with every zero field set to its default.
func (c PhaseConfig) WithDefaults() PhaseConfig {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.N, 40)
	def(&c.R, 2)
	def(&c.M, 400)
	def(&c.MaxIterations, 3000)
	if c.Eta == 0 {
		c.Eta = 0.25
	}
	if c.Level == 0 {
		c.Level = 0.5
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Alphas == nil {
		c.Alphas = []float64{1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6}
	}
	return c
}

// Problem returns the config's problem (the same for every call).
func (c PhaseConfig) Problem() (*lrsense.Problem, error) {
	c = c.WithDefaults()
	src := lrsense.NewSource(c.Seed)
	sigma := make([]float64, c.R)
	for i := range sigma {
		sigma[i] = 1
	}
	truth, err := lrsense.NewPSDTruth(c.N, sigma, src)
	if err != nil {
		return nil, err
	}
	op, err := lrsense.NewSymGaussian(c.M, c.N, src)
	if err != nil {
		return nil, err
	}
	return lrsense.NewProblem(op, truth, nil, src)
}

// Init returns U₀ = α·G (entries α·N(0, 1/N), r′ = R) with the same G for
// every α.
func (c PhaseConfig) Init(alpha float64) (lrsense.Factors, error) {
	c = c.WithDefaults()
	return lrsense.Factors{L: lrsense.RandomFactor(c.N, c.R, alpha, lrsense.StdAlphaOverSqrtRows, lrsense.NewSource(c.Seed+1000))}, nil
}

// Predicted returns the slope that the power-method picture predicts: the
// signal grows by about 1 + η·λ per step with λ = 1, so phase I lasts about
// ln(1/α)/ln(1 + η) steps plus a constant.
func (c PhaseConfig) Predicted() float64 {
	c = c.WithDefaults()
	return 1 / math.Log1p(c.Eta)
}

// refCache keeps the reference measurements of this process, so that a
// notebook cell running several checks on one config measures it once.
var refCache = struct {
	sync.Mutex
	m map[string][]float64
}{m: map[string][]float64{}}

// ReferenceLengths measures the length of phase I for every α of the
// config with the library's GD. Results are remembered for the life of the
// process (the measurement is deterministic): the returned slice is a copy.
func ReferenceLengths(c PhaseConfig) ([]float64, error) {
	c = c.WithDefaults()
	key := fmt.Sprintf("%+v", c)
	refCache.Lock()
	defer refCache.Unlock()
	if l, ok := refCache.m[key]; ok {
		return append([]float64(nil), l...), nil
	}
	l, err := measureLengths(c)
	if err != nil {
		return nil, err
	}
	refCache.m[key] = l
	return append([]float64(nil), l...), nil
}

// measureLengths does the measurement of ReferenceLengths.
func measureLengths(c PhaseConfig) ([]float64, error) {
	p, err := c.Problem()
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(c.Alphas))
	for i, a := range c.Alphas {
		x0, err := c.Init(a)
		if err != nil {
			return nil, err
		}
		traj := lrsense.NewTrajectory(lrsense.Schedule{})
		if _, err := lrsense.Solve(p, &lrsense.GD{Eta: c.Eta}, x0,
			&lrsense.Settings{MaxIterations: c.MaxIterations, RelErrTol: c.Level}, traj); err != nil {
			return nil, err
		}
		t, ok := traj.FirstBelow(lrsense.SeriesRelErr, c.Level)
		if !ok {
			return nil, fmt.Errorf("assign: α = %g did not leave phase I in %d iterations", a, c.MaxIterations)
		}
		out[i] = float64(t)
	}
	return out, nil
}

// FitSlope returns the least-squares slope of lengths against ln(1/α).
func FitSlope(alphas, lengths []float64) float64 {
	x := make([]float64, len(alphas))
	for i, a := range alphas {
		x[i] = math.Log(1 / a)
	}
	_, slope := stat.LinearRegression(x, lengths, nil, false)
	return slope
}

// PhaseLengthFunc is a student's measurement of phase I: the first
// iteration t of GD (step c.Eta, on c.Problem() from c.Init(alpha)) with
// relative error ≤ c.Level.
type PhaseLengthFunc func(c PhaseConfig, alpha float64) float64

// FitSlopeFunc is a student's least-squares slope of lengths against
// ln(1/α).
type FitSlopeFunc func(alphas, lengths []float64) float64

// PredictFunc is a student's predicted slope for GD with step eta.
type PredictFunc func(eta float64) float64

// CheckLengths measures phase I with the student's PhaseLength for every α
// of the config and compares each length with the reference measurement
// (exactly: both count the same GD iterations). It returns the student's
// lengths (NaN where their code panicked) for plotting.
func CheckLengths(f PhaseLengthFunc, c PhaseConfig) (Result, []float64) {
	res := Result{Assignment: "small-init", Check: "lengths", What: "your phase-I lengths against the library's GD measurement"}
	c = c.WithDefaults()
	lengths := make([]float64, len(c.Alphas))
	for i := range lengths {
		lengths[i] = math.NaN()
	}
	want, err := ReferenceLengths(c)
	if err != nil {
		return res.fail("%v", err), lengths
	}
	for i, a := range c.Alphas {
		if e := safely(func() { lengths[i] = f(c, a) }); e != nil {
			return res.panicked(e, ""), lengths
		}
	}
	for i, l := range lengths {
		switch {
		case l == 0:
			return res.fail("length for α = %g is 0: fill in the TODO.", c.Alphas[i]), lengths
		case math.IsNaN(l) || math.IsInf(l, 0):
			return res.fail("length for α = %g is %v: did GD leave phase I within c.MaxIterations, and did you look at the relative error (series \"relerr\")?", c.Alphas[i], l), lengths
		case math.Abs(l-want[i]) == 1:
			return res.fail("α = %g: you measured %g, the reference %g — off by one: iteration t is the iterate after t steps, and phase I ends at the first t with relative error ≤ %g.", c.Alphas[i], l, want[i], c.Level), lengths
		case l != want[i]:
			return res.fail("α = %g: you measured %g, the reference %g. Use the config's Problem() and Init(α), GD with Eta %g, and the first t with relative error ≤ %g.", c.Alphas[i], l, want[i], c.Eta, c.Level), lengths
		}
	}
	res.Pass = true
	res.Message = fmt.Sprintf("your lengths match the reference: %v.", want)
	return res, lengths
}

// referenceSlope is the slope fitted to the reference phase-I lengths of c
// (with its defaults filled in).
func referenceSlope(c PhaseConfig) (float64, error) {
	c = c.WithDefaults()
	lengths, err := ReferenceLengths(c)
	if err != nil {
		return 0, err
	}
	return FitSlope(c.Alphas, lengths), nil
}

// CheckSlope runs the student's fit on the reference lengths and compares
// its slope with the least-squares slope (phase-I length per unit of
// ln(1/α)): within 5%.
func CheckSlope(fit FitSlopeFunc, c PhaseConfig) Result {
	res := Result{Assignment: "small-init", Check: "slope", What: "your fit on the reference lengths against the least-squares slope"}
	c = c.WithDefaults()
	lengths, err := ReferenceLengths(c)
	if err != nil {
		return res.fail("%v", err)
	}
	want := FitSlope(c.Alphas, lengths)
	var slope float64
	if e := safely(func() { slope = fit(append([]float64(nil), c.Alphas...), append([]float64(nil), lengths...)) }); e != nil {
		return res.panicked(e, "")
	}
	x := make([]float64, len(c.Alphas))
	var sxy, sxx float64
	for i, a := range c.Alphas {
		x[i] = math.Log(1 / a)
		sxy += x[i] * lengths[i]
		sxx += x[i] * x[i]
	}
	rel := func(a, b float64) bool { return math.Abs(a-b) <= 0.05*math.Abs(b) }
	switch {
	case slope == 0:
		res.Message = "slope is 0: fill in the TODO."
	case math.IsNaN(slope) || math.IsInf(slope, 0):
		res.Message = fmt.Sprintf("slope is %v: is the denominator Σ(x − x̄)² zero, or a slice empty?", slope)
	case rel(slope, want):
		res.Pass = true
		res.Message = fmt.Sprintf("slope %.3g matches the reference %.3g iterations per unit of ln(1/α).", slope, want)
	case rel(-slope, want):
		res.Message = "your slope has the wrong sign: fit the length against ln(1/α) (it grows as α shrinks), not against ln α."
	case rel(slope, want*math.Ln10):
		res.Message = "your slope is ln(10) times too large: you fitted against log10(1/α); the check expects the natural log ln(1/α)."
	case rel(slope, fitSwapped(x, lengths)):
		res.Message = "you fitted ln(1/α) against the length (x and y swapped): the slope is d(length)/d ln(1/α), the length on the y axis."
	case rel(slope, sxy/sxx):
		res.Message = "you fitted a line through the origin: the phase-I length has an offset, so fit length = a + b·ln(1/α) and return b (least squares with an intercept)."
	default:
		res.Message = fmt.Sprintf("slope %.3g, the reference measures %.3g: the least-squares slope is Σ(x − x̄)(y − ȳ)/Σ(x − x̄)² with x = ln(1/α), y = length.", slope, want)
	}
	return res
}

// fitSwapped returns the least-squares slope of x against y (the fit with
// the axes swapped).
func fitSwapped(x, y []float64) float64 {
	_, b := stat.LinearRegression(y, x, nil, false)
	return b
}

// CheckPrediction compares the student's predicted slope for GD with
// step c.Eta with the measured one: a good prediction is within 25%.
func CheckPrediction(f PredictFunc, c PhaseConfig) Result {
	res := Result{Assignment: "small-init", Check: "prediction", What: "your predicted slope against GD's measured slope (within 25%)"}
	c = c.WithDefaults()
	want, err := referenceSlope(c)
	if err != nil {
		return res.fail("%v", err)
	}
	var pred float64
	if e := safely(func() { pred = f(c.Eta) }); e != nil {
		return res.panicked(e, "")
	}
	near := func(v float64) bool { return math.Abs(pred-v) <= 0.05*math.Abs(v) }
	switch d := math.Abs(pred-want) / want; {
	case pred == 0:
		res.Message = "prediction is 0: fill in the TODO."
	case d <= 0.25:
		res.Pass = true
		res.Message = fmt.Sprintf("you predicted %.3g, GD measures %.3g (off by %.0f%%).", pred, want, 100*d)
	case near(math.Log1p(c.Eta)):
		res.Message = fmt.Sprintf("you predicted %.3g = ln(1 + η), GD measures %.3g: the length is ln(1/α)/ln(1 + η), so the slope is the reciprocal.", pred, want)
	case near(1 / math.Log10(1+c.Eta)):
		res.Message = fmt.Sprintf("you predicted %.3g with a base-10 logarithm, GD measures %.3g: (1 + η)^t·α ≈ 1 gives t = ln(1/α)/ln(1 + η), natural logs on both sides.", pred, want)
	case near(1 / math.Log1p(2*c.Eta)):
		res.Message = fmt.Sprintf("you predicted %.3g = 1/ln(1 + 2η), GD measures %.3g: in phase I a step multiplies the signal by about 1 + η·λ with λ = 1 (∇f(U) = sym(G)·U has no factor 2).", pred, want)
	default:
		res.Message = fmt.Sprintf("you predicted %.3g, GD measures %.3g. Hint: in phase I, U_t ≈ (I + η𝒜*(y))^t U₀ grows like the power method; how many steps does a factor (1 + η)^t need to make up for α?", pred, want)
	}
	return res
}
