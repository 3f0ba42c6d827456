// Package figure builds the specimen figure of package plotting, shared by
// the specimen command and the tests that rasterize it.
package figure

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/lrsense/lrsense/plotting"
)

// Glyphs are the special characters of the notebooks' labels, all drawn in
// the specimen.
const Glyphs = "κ r′ ‖UUᵀ − X⋆‖ ∇f ⟨A, X⟩ 𝒜 ℓ₁ σ² ⊥ ∝ ≈ ≤ √m ₀₁₂₃₄₅₆₇₈₉ ⁰¹²³⁴⁵⁶⁷⁸⁹"

// HeatMax is the maximum cell of the specimen heat map, and HeatMaxRow,
// HeatMaxCol its position (row 0 on top).
const (
	HeatMax    = 1.0
	HeatMaxRow = 0
	HeatMaxCol = 5
)

// Convergence returns the left panel: three runs with quantile bands, a
// power-law fit drawn in its curve's colour, and a run that reaches zero
// (drawn at the floor).
func Convergence() *plotting.Figure {
	var series []plotting.Series
	for k, q := range []float64{0.97, 0.94, 0.9} {
		var x, y, lo, hi []float64
		for i := 0; i <= 200; i += 4 {
			v := math.Pow(q, float64(i))
			x = append(x, float64(i))
			y = append(y, v)
			lo = append(lo, v/4)
			hi = append(hi, v*4)
		}
		series = append(series, plotting.Series{Name: []string{"GD, κ = 10", "ScaledGD, r′ = 2r", "PrecGD"}[k], X: x, Y: y, Lo: lo, Hi: hi})
	}
	var x, z []float64
	for i := 0; i <= 200; i += 4 {
		x = append(x, float64(i))
		v := math.Pow(0.7, float64(i))
		if i > 100 {
			v = 0 // exact recovery
		}
		z = append(z, v)
	}
	series = append(series, plotting.Series{Name: "AltMin (exact)", X: x, Y: z})
	return plotting.Plot(plotting.Axes{Title: "‖UUᵀ − X⋆‖_F / ‖X⋆‖_F, κ = 10", XLabel: "iteration t", YLabel: "log₁₀ relative error", LogY: true, Floor: 1e-20}, series...)
}

// Power returns the middle panel: a log-log scatter with its fitted line,
// and every character of Glyphs in its x label.
func Power() *plotting.Figure {
	var x, y []float64
	for _, a := range []float64{1e-4, 1e-3, 1e-2, 1e-1, 1} {
		x = append(x, a)
		y = append(y, 0.5*math.Pow(a, 0.5))
	}
	s, c, _ := plotting.Fit(x, y, true, true)
	pts := plotting.Scatter("final error", x, y)
	fit := plotting.FitLine("", x, s, c, true, true)
	fit.Of = pts.Name // drawn in the colour of the points it fits
	return plotting.Plot(plotting.Axes{Title: "⟨∇f(U), Δ⟩ ∝ α^½, 𝒜 with ℓ₁ loss", XLabel: "α (init scale); " + Glyphs, YLabel: "σ² ‖E‖ ≈ √m", LogX: true, LogY: true},
		pts, fit)
}

// Heat returns the right panel: a phase diagram whose maximum, HeatMax, is
// at row HeatMaxRow, column HeatMaxCol; the other cells are below 0.8.
func Heat() *plotting.Figure {
	const r, c = 5, 6
	z := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			z.Set(i, j, 0.8*float64(j)/float64(c)*float64(r-i)/float64(r))
		}
	}
	z.Set(HeatMaxRow, HeatMaxCol, HeatMax)
	return plotting.HeatMap("success rate ⊥ r′ ≤ n", "m / (n r⋆)", "r′", z, []float64{1, 2, 3, 4, 5, 6}, []float64{1, 2, 3, 4, 5})
}

// Specimen returns the specimen figure: the three panels in a row.
func Specimen() *plotting.Figure {
	return plotting.Row(Convergence(), Power(), Heat())
}
