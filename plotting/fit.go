package plotting

import (
	"fmt"
	"math"
)

// Fit fits the straight line v = slope·u + intercept by least squares,
// where u is x (log10 x when logX) and v is y (log10 y when logY): with
// both logs the slope is the exponent of a power law y ∝ x^slope. Points
// with a non-finite value, or a non-positive one on a log scale, are left
// out. r2 is the coefficient of determination of the fit. With fewer than
// two usable points, or all usable x equal, all three results are NaN.
// Fit panics if x and y have different lengths.
func Fit(x, y []float64, logX, logY bool) (slope, intercept, r2 float64) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("plotting: Fit of %d x and %d y values", len(x), len(y)))
	}
	var us, vs []float64
	for i := range x {
		u, v := x[i], y[i]
		if (logX && u <= 0) || (logY && v <= 0) {
			continue
		}
		if logX {
			u = math.Log10(u)
		}
		if logY {
			v = math.Log10(v)
		}
		if finite(u) && finite(v) {
			us, vs = append(us, u), append(vs, v)
		}
	}
	nan := math.NaN()
	n := float64(len(us))
	if n < 2 {
		return nan, nan, nan
	}
	var mu, mv float64
	for i := range us {
		mu += us[i]
		mv += vs[i]
	}
	mu, mv = mu/n, mv/n
	var suu, suv, svv float64
	for i := range us {
		du, dv := us[i]-mu, vs[i]-mv
		suu += du * du
		suv += du * dv
		svv += dv * dv
	}
	if suu == 0 {
		return nan, nan, nan
	}
	slope = suv / suu
	intercept = mv - slope*mu
	var res float64
	for i := range us {
		d := vs[i] - (slope*us[i] + intercept)
		res += d * d
	}
	r2 = 1
	if svv > 0 {
		r2 = 1 - res/svv
	}
	return slope, intercept, r2
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
