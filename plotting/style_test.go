package plotting

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// lineColor returns the colour of the first line of the series named name
// (or, for name "", of the i-th series) in panel k of f.
func itemColor(t *testing.T, f *Figure, k, i int) string {
	t.Helper()
	it := f.panels[k].items[i]
	switch {
	case len(it.lines) > 0:
		return hexColor(it.lines[0].LineStyle.Color)
	case len(it.scatters) > 0:
		return hexColor(it.scatters[0].GlyphStyle.Color)
	}
	t.Fatalf("panel %d series %d draws nothing", k, i)
	return ""
}

// A series name has one colour in every panel of a row, whatever its
// position; unnamed series and Of take their curve's colour.
func TestColorsByName(t *testing.T) {
	x := []float64{1, 2, 3}
	y := []float64{1, 0.5, 0.25}
	left := Plot(Axes{LogY: true},
		Series{Name: "k = 3", X: x, Y: y},
		Series{Name: "k = 4", X: x, Y: y},
	)
	right := Plot(Axes{LogY: true},
		Series{Name: "k = 3", X: x, Y: y},
		Series{X: x, Y: y, Dashed: true}, // the fit of k = 3, no legend entry
		Series{Name: "k = 4", X: x, Y: y},
		Series{Name: "oracle of k = 4", Of: "k = 4", X: x, Y: y, Dashed: true},
		Series{Name: "k = 5", X: x, Y: y},
	)
	f := Row(left, right)
	k3, k4 := itemColor(t, f, 0, 0), itemColor(t, f, 0, 1)
	if k3 == k4 {
		t.Fatalf("k = 3 and k = 4 share the colour %s", k3)
	}
	for i, want := range []string{k3, k3, k4, k4} {
		if got := itemColor(t, f, 1, i); got != want {
			t.Errorf("right panel series %d has colour %s, want %s", i, got, want)
		}
	}
	if k5 := itemColor(t, f, 1, 4); k5 == k3 || k5 == k4 {
		t.Errorf("k = 5 shares a colour with k = 3 or 4: %s", k5)
	}
	// Different names in different panels get different colours.
	d := Row(Plot(Axes{}, Series{Name: "ScaledGD(λ)", X: x, Y: y}), Plot(Axes{}, Series{Name: "PrecGD", X: x, Y: y}))
	if a, b := itemColor(t, d, 0, 0), itemColor(t, d, 1, 0); a == b {
		t.Errorf("two names of one figure share the colour %s", a)
	}
	// A FitLine without Of after its points: named "slope …", so it needs
	// Of to take their colour.
	fit := FitLine("", x, -1, 0, false, true)
	fit.Of = "pts"
	g := Plot(Axes{}, Scatter("pts", x, y), fit)
	if a, b := itemColor(t, g, 0, 0), itemColor(t, g, 0, 1); a != b {
		t.Errorf("fit line colour %s, its points' %s", b, a)
	}
}

// Values below the floor are marked as such, not drawn as if they were data.
func TestFloorMarked(t *testing.T) {
	f := Plot(Axes{LogY: true, Floor: 1e-12}, Series{Name: "E", X: []float64{0, 1, 2}, Y: []float64{1, 1e-6, 1e-30}})
	if !has(svgTexts(f.SVG()), "< 1e-12 (floor)") {
		t.Errorf("no floor legend entry")
	}
	g := Plot(Axes{LogY: true, Floor: 1e-12}, Series{Name: "E", X: []float64{0, 1}, Y: []float64{1, 1e-6}})
	if has(svgTexts(g.SVG()), "< 1e-12 (floor)") {
		t.Errorf("floor legend entry without a floored value")
	}
}

// PNG resolution: 96 dpi by default, PrintDPI on request.
func TestPrintDPI(t *testing.T) {
	f := Convergence("t", "y", Series{Name: "s", X: []float64{0, 1}, Y: []float64{1, 0.1}})
	f.Width, f.Height = 360, 216 // 5 × 3 inches
	for _, c := range []struct {
		dpi  float64
		w, h int
	}{{0, 480, 288}, {PrintDPI, 1500, 900}} {
		f.DPI = c.dpi
		img, err := png.Decode(bytes.NewReader(f.PNG()))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Errorf("DPI %g: PNG %d × %d, want %d × %d", c.dpi, b.Dx(), b.Dy(), c.w, c.h)
		}
	}
}

// An inline SVG carries only the glyphs it uses (the whole font was about
// 540 KB of every figure), and its images are stretched to their boxes.
func TestSVGSmall(t *testing.T) {
	x := make([]float64, 200)
	y := make([]float64, 200)
	for i := range x {
		x[i], y[i] = float64(i), math.Pow(0.95, float64(i))
	}
	svg := Convergence("‖UUᵀ − X⋆‖ κ r′", "relative error", Series{Name: "GD", X: x, Y: y}).SVG()
	if n := len(svg); n > 60_000 {
		t.Errorf("SVG of one curve is %d bytes", n)
	}
	if strings.Count(svg, "@font-face") != 1 {
		t.Errorf("SVG has %d @font-face rules, want 1", strings.Count(svg, "@font-face"))
	}
	hm := heatMapTestFigure().SVG()
	if !strings.Contains(hm, `<image preserveAspectRatio="none" `) {
		t.Errorf("colour bar image keeps its aspect ratio")
	}
}

// heatMapTestFigure is a small heat map.
func heatMapTestFigure() *Figure {
	return HeatMap("h", "x", "y", matFromRows([][]float64{{0, 1}, {2, 3}}), nil, nil)
}

func matFromRows(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}
