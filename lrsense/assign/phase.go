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
	// Step is GD's η [0.25].
	Step float64
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
	if c.Step == 0 {
		c.Step = 0.25
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
	return lrsense.RandomSym(c.N, c.R, alpha, lrsense.StdAlphaOverSqrtRows, lrsense.NewSource(c.Seed+1000))
}

// Predicted returns the slope that the power-method picture predicts: the
// signal grows by about 1 + η·λ per step with λ = 1, so phase I lasts about
// ln(1/α)/ln(1 + η) steps plus a constant.
func (c PhaseConfig) Predicted() float64 {
	c = c.WithDefaults()
	return 1 / math.Log1p(c.Step)
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
		if _, err := lrsense.Solve(p, &lrsense.GD{Eta: c.Step}, x0,
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

// CheckLengths compares the student's measured phase-I lengths (one per α
// of the config) with the reference measurement.
func CheckLengths(lengths []float64, c PhaseConfig) Result {
	res := Result{Assignment: "small-init", Check: "lengths"}
	c = c.WithDefaults()
	if len(lengths) != len(c.Alphas) {
		res.Message = fmt.Sprintf("got %d lengths for %d values of α.", len(lengths), len(c.Alphas))
		return res
	}
	want, err := ReferenceLengths(c)
	if err != nil {
		res.Message = err.Error()
		return res
	}
	for i, l := range lengths {
		switch {
		case l == 0:
			res.Message = fmt.Sprintf("length for α = %g is 0: fill in the TODO.", c.Alphas[i])
			return res
		case math.Abs(l-want[i]) == 1:
			res.Message = fmt.Sprintf("α = %g: you measured %g, the reference %g — off by one: iteration t is the iterate after t steps, and phase I ends at the first t with relative error ≤ %g.", c.Alphas[i], l, want[i], c.Level)
			return res
		case l != want[i]:
			res.Message = fmt.Sprintf("α = %g: you measured %g, the reference %g. Use the config's Problem() and Init(α), GD with Step %g, and the first t with relative error ≤ %g.", c.Alphas[i], l, want[i], c.Step, c.Level)
			return res
		}
	}
	res.Pass = true
	res.Message = fmt.Sprintf("your lengths match the reference: %v.", want)
	return res
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

// CheckSlope compares the student's fitted slope (phase-I length per unit
// of ln(1/α)) with the slope fitted to the reference measurement: within
// 5%.
func CheckSlope(slope float64, c PhaseConfig) Result {
	res := Result{Assignment: "small-init", Check: "slope"}
	want, err := referenceSlope(c)
	if err != nil {
		res.Message = err.Error()
		return res
	}
	rel := func(a, b float64) float64 { return math.Abs(a-b) / math.Abs(b) }
	switch {
	case slope == 0:
		res.Message = "slope is 0: fill in the TODO."
	case rel(slope, want) <= 0.05:
		res.Pass = true
		res.Message = fmt.Sprintf("slope %.3g matches the reference %.3g iterations per unit of ln(1/α).", slope, want)
	case rel(-slope, want) <= 0.05:
		res.Message = "your slope has the wrong sign: fit the length against ln(1/α) (it grows as α shrinks), not against ln α."
	case rel(slope, want*math.Ln10) <= 0.05:
		res.Message = "your slope is ln(10) times too large: you fitted against log10(1/α); the check expects the natural log ln(1/α)."
	default:
		res.Message = fmt.Sprintf("slope %.3g, the reference measures %.3g: check your lengths and the fit (least squares of length against ln(1/α)).", slope, want)
	}
	return res
}

// CheckPrediction compares the student's predicted slope with the
// measured one: a good prediction is within 25%.
func CheckPrediction(pred float64, c PhaseConfig) Result {
	res := Result{Assignment: "small-init", Check: "prediction"}
	want, err := referenceSlope(c)
	if err != nil {
		res.Message = err.Error()
		return res
	}
	switch d := math.Abs(pred-want) / want; {
	case pred == 0:
		res.Message = "prediction is 0: fill in the TODO."
	case d <= 0.25:
		res.Pass = true
		res.Message = fmt.Sprintf("you predicted %.3g, GD measures %.3g (off by %.0f%%).", pred, want, 100*d)
	default:
		res.Message = fmt.Sprintf("you predicted %.3g, GD measures %.3g. Hint: in phase I, U_t ≈ (I + η𝒜*(y))^t U₀ grows like the power method; how many steps does a factor (1 + η)^t need to make up for α?", pred, want)
	}
	return res
}
