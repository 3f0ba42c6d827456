package plotting

import (
	"fmt"
	"math"

	"github.com/lrsense/lrsense/lrsense/experiment"
)

// Fit fits the straight line v = slope·u + intercept by least squares,
// where u is x (log10 x when logX) and v is y (log10 y when logY): with
// both logs the slope is the exponent of a power law y ∝ x^slope. It is
// experiment.FitLine (one fit for the whole project: points with a
// non-finite value, or a non-positive one on a log scale, are left out;
// with fewer than two usable points, or all usable x equal, all three
// results are NaN) returned as plain values. r2 is the coefficient of
// determination. Fit panics if x and y have different lengths.
func Fit(x, y []float64, logX, logY bool) (slope, intercept, r2 float64) {
	f := experiment.FitLine(x, y, logX, logY)
	return f.Slope, f.Intercept, f.R2
}

// FitLine returns the line fitted by Fit over the range of the usable x
// values (x > 0 when logX), as a dashed Series to overlay on the data.
// An empty name means "slope <slope>". With a NaN slope or no usable x the
// Series is empty.
func FitLine(name string, x []float64, slope, intercept float64, logX, logY bool) Series {
	if name == "" {
		name = fmt.Sprintf("slope %.3g", slope)
	}
	s := Series{Name: name, Dashed: true}
	if !finite(slope) || !finite(intercept) {
		return s
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if finite(v) && !(logX && v <= 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return s
	}
	at := func(v float64) float64 {
		if logX {
			v = math.Log10(v)
		}
		w := slope*v + intercept
		if logY {
			w = math.Pow(10, w)
		}
		return w
	}
	s.X = []float64{lo, hi}
	s.Y = []float64{at(lo), at(hi)}
	return s
}
