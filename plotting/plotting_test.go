package plotting

import (
	"bytes"
	"html"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/lrsense/lrsense/lrsense"
)

// geometric returns n values a·q^i at x = 0, step, 2·step, ….
func geometric(n int, step, a, q float64) (x, y []float64) {
	for i := range n {
		x = append(x, float64(i)*step)
		y = append(y, a*math.Pow(q, float64(i)*step))
	}
	return x, y
}

// hexColor is the SVG spelling of a palette colour.
func hexColor(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return "#" + strings.ToUpper(strings.TrimPrefix(
		strings.Join([]string{hex2(r >> 8), hex2(g >> 8), hex2(b >> 8)}, ""), "#"))
}

func hex2(v uint32) string {
	const d = "0123456789abcdef"
	return string([]byte{d[v>>4], d[v&15]})
}

// legendTexts returns the texts of the SVG's <text> elements.
func svgTexts(svg string) []string {
	re := regexp.MustCompile(`(?s)<text[^>]*>([^<]*)</text>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(svg, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func has(texts []string, s string) bool {
	for _, t := range texts {
		if t == s {
			return true
		}
	}
	return false
}

func TestConvergenceSVG(t *testing.T) {
	x, good := geometric(41, 5, 1, 0.9)
	good[len(good)-1] = 0 // exact recovery: log(0) must not panic
	_, med := geometric(41, 5, 0.5, 0.95)
	lo := make([]float64, len(med))
	hi := make([]float64, len(med))
	for i, v := range med {
		lo[i], hi[i] = v/3, 3*v
	}
	_, div := geometric(41, 5, 0.1, 1.3)
	for i := 30; i < len(div); i++ {
		div[i] = math.Inf(1)
	}
	div[35] = math.NaN()

	f := Convergence("GD title", "relative error",
		Series{Name: "good", X: x, Y: good},
		Series{Name: "band", X: x, Y: med, Lo: lo, Hi: hi},
		Series{Name: "blowup", X: x, Y: div, Dashed: true},
	)
	svg := f.SVG()
	if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
		t.Errorf("SVG contains NaN or Inf")
	}
	if !strings.Contains(svg, "@font-face") {
		t.Errorf("SVG has no embedded font")
	}
	texts := svgTexts(svg)
	for _, want := range []string{"GD title", "relative error", "iteration", "good", "band", "blowup (diverged)", "1", "1e-6", "1e-12"} {
		if !has(texts, want) {
			t.Errorf("SVG has no text %q; texts: %q", want, texts)
		}
	}
	// One stroke colour per series, and no fourth series.
	for k := 0; k < 3; k++ {
		if !strings.Contains(svg, "stroke:"+hexColor(palette10[k])) {
			t.Errorf("SVG has no line of series %d (%s)", k, hexColor(palette10[k]))
		}
	}
	if strings.Contains(svg, hexColor(palette10[3])) {
		t.Errorf("SVG has a fourth series colour")
	}
	// The band is a translucent fill of the second colour.
	// (The SVG back end rounds the un-premultiplied colour: #FF7F0E at
	// alpha 0x50 is written #FE7E0D.)
	if !strings.Contains(svg, "fill:#FE7E0D") || !strings.Contains(svg, "fill-opacity:0.31") {
		t.Errorf("SVG has no translucent band of series 1")
	}
	// The floored zero puts the lower limit at the floor's decade.
	p := f.Panels()[0]
	if p.Y.Min != 1e-16 {
		t.Errorf("y min = %g, want the floor 1e-16", p.Y.Min)
	}
	if _, ok := p.Y.Scale.(plot.LogScale); !ok {
		t.Errorf("y axis is not logarithmic")
	}
	if png := f.PNG(); len(png) < 1000 {
		t.Errorf("PNG of %d bytes", len(png))
	}
}

func TestDegenerateSeries(t *testing.T) {
	nan := math.NaN()
	for _, ax := range []Axes{{}, {LogY: true}, {LogX: true, LogY: true}} {
		f := Plot(ax,
			Series{Name: "empty"},
			Series{Name: "allnan", X: []float64{0, 1, 2}, Y: []float64{nan, nan, nan}, Lo: []float64{nan, nan, nan}, Hi: []float64{nan, 1, nan}},
			Series{Name: "zeros", X: []float64{0, 1, 2}, Y: []float64{0, 0, 0}},
			Series{Name: "neg", X: []float64{-1, 1, 2}, Y: []float64{-1, -2, 0}},
		)
		svg := f.SVG()
		if strings.Contains(svg, "NaN") {
			t.Errorf("%+v: SVG contains NaN", ax)
		}
		texts := svgTexts(svg)
		for _, want := range []string{"empty (no data)", "allnan (no data)"} {
			if !has(texts, want) {
				t.Errorf("%+v: no legend entry %q; texts %q", ax, want, texts)
			}
		}
		f.PNG()
	}
	// Nothing at all.
	Plot(Axes{LogY: true}).SVG()
	Convergence("", "").PNG()
}

func TestLogLog(t *testing.T) {
	x := []float64{0, 1, 10, 100, 1000, 10000}
	y := []float64{1, 1, 0.1, 0.01, 0.001, 1e-4}
	f := Plot(Axes{XLabel: "alpha", YLabel: "err", LogX: true, LogY: true}, Scatter("pts", x, y))
	p := f.Panels()[0]
	if p.X.Min != 1 || p.X.Max != 1e4 || p.Y.Min != 1e-4 || p.Y.Max != 1 {
		t.Errorf("ranges x [%g, %g] y [%g, %g], want x [1, 1e4] y [1e-4, 1]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	texts := svgTexts(f.SVG())
	for _, want := range []string{"alpha", "err", "pts", "1", "10", "100", "1000", "1e4", "0.1", "0.01", "1e-3", "1e-4"} {
		if !has(texts, want) {
			t.Errorf("no text %q; texts %q", want, texts)
		}
	}
}

func TestClippedAndLimits(t *testing.T) {
	x := []float64{1, 2, 3}
	f := Plot(Axes{LogY: true, YMin: 1e-6, YMax: 10}, Series{Name: "s", X: x, Y: []float64{1e3, 1, 1e-9}})
	if !has(svgTexts(f.SVG()), "s (clipped)") {
		t.Errorf("no clipped legend entry")
	}
	p := f.Panels()[0]
	if p.Y.Min != 1e-6 || p.Y.Max != 10 {
		t.Errorf("y range [%g, %g], want [1e-6, 10]", p.Y.Min, p.Y.Max)
	}
	// Linear [0, 1] limits (success probabilities).
	f = Plot(Axes{YMin: 0, YMax: 1}, Series{Name: "p", X: x, Y: []float64{0.2, 0.5, 0.7}})
	if p := f.Panels()[0]; p.Y.Min != 0 || p.Y.Max != 1 {
		t.Errorf("linear y range [%g, %g], want [0, 1]", p.Y.Min, p.Y.Max)
	}
}

func TestDecadeTicks(t *testing.T) {
	for _, c := range []struct {
		min, max  float64
		decades   int
		minLabels int
	}{
		{1e-16, 1, 17, 3},
		{1e-3, 1e-2, 2, 2},
		{0.1, 1, 2, 2},
		{1e-30, 1e30, 61, 5},
		{2, 8, 0, 2},
	} {
		ticks := decadeTicks{}.Ticks(c.min, c.max)
		var dec, lab int
		for _, tk := range ticks {
			e := math.Log10(tk.Value)
			if math.Abs(e-math.Round(e)) < 1e-9 {
				dec++
			}
			if tk.Label != "" {
				lab++
			}
			if tk.Value < c.min*(1-1e-12) || tk.Value > c.max*(1+1e-12) {
				t.Errorf("[%g, %g]: tick %g outside the range", c.min, c.max, tk.Value)
			}
		}
		if dec != c.decades || lab < c.minLabels || lab > 8 {
			t.Errorf("[%g, %g]: %d decade ticks, %d labels; want %d decades, %d to 8 labels", c.min, c.max, dec, lab, c.decades, c.minLabels)
		}
	}
}

func TestTrajAndBand(t *testing.T) {
	tr := &lrsense.Trajectory{
		Names:  []string{"relerr", "loss"},
		Iter:   []int{0, 10, 20},
		Values: [][]float64{{1, 0.1, 0.01}, {2, 0.2, math.Inf(1)}},
		Status: lrsense.NonFinite,
	}
	s := Traj(tr, "relerr", "")
	if s.Name != "relerr" || len(s.X) != 3 || s.X[2] != 20 || s.Y[1] != 0.1 || !s.Diverged {
		t.Errorf("Traj = %+v", s)
	}
	if !has(svgTexts(Convergence("", "", s).SVG()), "relerr (diverged)") {
		t.Errorf("a NonFinite run is not marked diverged")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("Traj of a missing metric did not panic")
			}
		}()
		Traj(tr, "nosuch", "")
	}()
	b := lrsense.Band{Name: "relerr", Iter: []int{0, 5}, Median: []float64{1, 0.5}, Lo: []float64{0.5, 0.2}, Hi: []float64{2, 1}}
	s = FromBand(b, "GD")
	if s.Name != "GD" || s.X[1] != 5 || s.Lo[1] != 0.2 || s.Hi[0] != 2 {
		t.Errorf("FromBand = %+v", s)
	}
}

func TestRowYRanges(t *testing.T) {
	a := Convergence("a", "", Series{Name: "a", X: []float64{0, 1}, Y: []float64{1, 1e-3}})
	b := Convergence("b", "", Series{Name: "b", X: []float64{0, 1}, Y: []float64{10, 1e-8}})
	lim := Plot(Axes{LogY: true, YMin: 0.5, YMax: 0.8}, Series{Name: "c", X: []float64{0, 1}, Y: []float64{0.73, 0.72}})
	r := Row(a, b, lim)
	want := [][2]float64{{1e-3, 1}, {1e-8, 10}, {0.5, 0.8}}
	for i, p := range r.Panels() {
		if p.Y.Min != want[i][0] || p.Y.Max != want[i][1] {
			t.Errorf("panel %d y range [%g, %g], want its own %v", i, p.Y.Min, p.Y.Max, want[i])
		}
	}
	// ShareY: one range for the panels without explicit limits.
	r.ShareY()
	want = [][2]float64{{1e-8, 10}, {1e-8, 10}, {0.5, 0.8}}
	for i, p := range r.Panels() {
		if p.Y.Min != want[i][0] || p.Y.Max != want[i][1] {
			t.Errorf("shared: panel %d y range [%g, %g], want %v", i, p.Y.Min, p.Y.Max, want[i])
		}
	}
	r = Row(a, b)
	w, h := r.size()
	if w <= h || w != 2*RowPanelWidth {
		t.Errorf("row size %v × %v", w, h)
	}
	// A heat map does not share.
	hm := HeatMap("", "", "", mat.NewDense(2, 2, []float64{0, 1, 2, 3}), nil, nil)
	r = Row(Convergence("", "", Series{X: []float64{0, 1}, Y: []float64{1, 2}}), hm).ShareY()
	if p := r.Panels()[1]; p.Y.Min != -0.5 || p.Y.Max != 1.5 {
		t.Errorf("heat map y range changed to [%g, %g]", p.Y.Min, p.Y.Max)
	}
	r.PNG()
	r.SVG()
}

func TestHeatMapRowZeroOnTop(t *testing.T) {
	// Row 0 is high, every other row low.
	z := mat.NewDense(5, 4, nil)
	for j := range 4 {
		z.Set(0, j, 1)
	}
	f := HeatMap("phase", "m", "r", z, []float64{10, 20, 30, 40}, []float64{1, 2, 3, 4, 5})
	img, err := png.Decode(bytes.NewReader(f.PNG()))
	if err != nil {
		t.Fatal(err)
	}
	cols := sequential().Palette(255).Colors()
	high, low := cols[len(cols)-1], cols[0]
	near := func(a, b color.Color) bool {
		ar, ag, ab, _ := a.RGBA()
		br, bg, bb, _ := b.RGBA()
		d := func(u, v uint32) bool { return math.Abs(float64(u>>8)-float64(v>>8)) <= 6 }
		return d(ar, br) && d(ag, bg) && d(ab, bb)
	}
	// Scan the heat map panel, left of the colour bar.
	bnd := img.Bounds()
	var yHigh, yLow, nHigh, nLow float64
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		for x := bnd.Min.X; x < bnd.Min.X+bnd.Dx()*3/4; x++ {
			c := img.At(x, y)
			switch {
			case near(c, high):
				yHigh += float64(y)
				nHigh++
			case near(c, low):
				yLow += float64(y)
				nLow++
			}
		}
	}
	if nHigh == 0 || nLow == 0 {
		t.Fatalf("found %v high and %v low pixels", nHigh, nLow)
	}
	yHigh /= nHigh
	yLow /= nLow
	if !(yHigh < yLow) {
		t.Errorf("row 0 (high) is drawn at mean pixel row %.0f, below the others at %.0f", yHigh, yLow)
	}
	// Row 0 covers a fifth of the cells.
	if frac := nHigh / (nHigh + nLow); frac < 0.15 || frac > 0.25 {
		t.Errorf("high cells cover %.2f of the heat map, want 0.2", frac)
	}
	texts := svgTexts(f.SVG())
	for _, want := range []string{"phase", "m", "r", "10", "40", "1", "5"} {
		if !has(texts, want) {
			t.Errorf("no text %q in %q", want, texts)
		}
	}
	// Constant and all-NaN matrices, and ZRange, do not panic.
	HeatMap("", "", "", mat.NewDense(2, 3, []float64{1, 1, 1, 1, 1, 1}), nil, nil).PNG()
	nan := math.NaN()
	HeatMap("", "", "", mat.NewDense(1, 2, []float64{nan, nan}), nil, nil).ZRange(0, 1).SVG()
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	f := Convergence("t", "y", Series{Name: "s", X: []float64{0, 1, 2}, Y: []float64{1, 0.1, 0.01}})
	magic := map[string]string{".svg": "<?xml", ".png": "\x89PNG", ".pdf": "%PDF"}
	for ext, m := range magic {
		path := filepath.Join(dir, "f"+ext)
		if err := f.Save(path); err != nil {
			t.Fatalf("Save(%s): %v", ext, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(m)) {
			t.Errorf("%s file starts with %q", ext, b[:min(len(b), 8)])
		}
	}
	if err := f.Save(filepath.Join(dir, "f.xyz")); err == nil {
		t.Errorf("Save to .xyz did not fail")
	}
	if err := f.Save(filepath.Join(dir, "noext")); err == nil {
		t.Errorf("Save without extension did not fail")
	}
}

func TestSize(t *testing.T) {
	f := Convergence("", "")
	w, h := f.size()
	if w != DefaultWidth || math.Abs(float64(w/h)-phi) > 1e-9 {
		t.Errorf("default size %v × %v", w, h)
	}
	f.Width = 300
	if w, h = f.size(); w != 300 || math.Abs(float64(w/h)-phi) > 1e-9 {
		t.Errorf("size with width 300: %v × %v", w, h)
	}
	f.Height = 100
	if w, h = f.size(); w != 300 || h != 100 {
		t.Errorf("size 300 × 100: %v × %v", w, h)
	}
	img, err := png.Decode(bytes.NewReader(f.PNG()))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 400 || b.Dy() != 133 { // 300pt at 96 dpi
		t.Errorf("PNG is %v", b)
	}
	_ = image.Point{}
}

func TestFit(t *testing.T) {
	x := []float64{0, 1, 2, 4, 8, math.NaN()}
	y := []float64{5, 3, 12, 48, 192, 1}
	s, c, r2 := Fit(x, y, true, true) // y = 3 x² on x > 0
	if math.Abs(s-2) > 1e-12 || math.Abs(c-math.Log10(3)) > 1e-12 || math.Abs(r2-1) > 1e-12 {
		t.Errorf("Fit = %g, %g, %g; want 2, log10(3), 1", s, c, r2)
	}
	s, c, r2 = Fit([]float64{1, 2, 3}, []float64{1, 3, 2}, false, false)
	if math.Abs(s-0.5) > 1e-12 || math.Abs(c-1) > 1e-12 || math.Abs(r2-0.25) > 1e-12 {
		t.Errorf("linear Fit = %g, %g, %g; want 0.5, 1, 0.25", s, c, r2)
	}
	if s, _, _ := Fit([]float64{1, 1}, []float64{1, 2}, false, false); !math.IsNaN(s) {
		t.Errorf("Fit of a vertical line = %g, want NaN", s)
	}
	l := FitLine("", []float64{-1, 2, 8}, 2, math.Log10(3), true, true)
	if l.Name != "slope 2" || len(l.X) != 2 || l.X[0] != 2 || math.Abs(l.Y[1]-192) > 1e-9 || !l.Dashed {
		t.Errorf("FitLine = %+v", l)
	}
}

func TestHTMLTable(t *testing.T) {
	h := HTMLTable([]string{"a<b", "c"}, [][]string{{"1", "<script>"}})
	if strings.Contains(h, "<script>") || !strings.Contains(h, "&lt;script&gt;") || strings.Count(h, "<td") != 2 || strings.Count(h, "<th ") != 2 {
		t.Errorf("HTMLTable = %s", h)
	}
}

func TestLiveOutsideNotebook(t *testing.T) {
	l := NewLive("run")
	for i := 0; i <= 3; i++ {
		l.Progress(i, 3, "step")
	}
	l.Figure(Convergence("", ""))
}

// The figure font and its fallback have every character of the notebooks'
// labels; the mathematical letters outside the Basic Multilingual Plane are
// kept (and outlined), and a character neither font has falls back to its
// plain letters.
func TestGlyphCoverage(t *testing.T) {
	const labels = "κ r′ ‖UUᵀ − X⋆‖ ∇f ⟨A, X⟩ ℓ₁ σ² ⊥ ∝ ≈ ≤ ≥ ≫ √m ∈ ∠ ← → ⇔ × ÷ · … – — ½ ¼ µ ΔΣΩαβεηλμνρ ₀₁₂₃₄₅₆₇₈₉ ⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ 𝒜 ℬ 𝒞 𝔼 𝐱 𝑨 𝟏"
	if m := missingGlyphs(labels); m != "" {
		t.Errorf("the figure fonts have no glyph for %q", m)
	}
	if got := glyphSafe("‖𝒜(X) − y‖"); got != "‖𝒜(X) − y‖" {
		t.Errorf("glyphSafe(𝒜) = %q", got)
	}
	if got := glyphSafe("🄰 = 1"); got != "A = 1" { // SQUARED LATIN CAPITAL LETTER A: in no font of ours
		t.Errorf("glyphSafe(🄰) = %q", got)
	}
	for r, want := range map[rune]bool{'𝒜': true, '𝐱': true, '𝔼': true, 'A': false, '∇': false, 'ᵀ': false, '₁': false} {
		if outlined(r) != want {
			t.Errorf("outlined(%c) = %v", r, !want)
		}
	}
	f := Convergence("‖X − X⋆‖", "error", Series{Name: "X⋆", X: []float64{0, 1}, Y: []float64{1, 0.1}})
	texts := svgTexts(f.SVG())
	if !has(texts, "‖X − X⋆‖") || !has(texts, "X⋆") {
		t.Errorf("⋆ not drawn as itself: %q", texts)
	}
}

// The legend goes to a corner the curves leave empty.
func TestLegendCorner(t *testing.T) {
	x := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	up := make([]float64, len(x))
	down := make([]float64, len(x))
	for i, v := range x {
		up[i] = v
		down[i] = 10 - v
	}
	for _, c := range []struct {
		name      string
		y         []float64
		top, left bool
	}{
		{"decreasing", down, true, false}, // top right is free
		{"increasing", up, true, true},    // top right taken: top left
	} {
		f := Plot(Axes{}, Series{Name: "a", X: x, Y: c.y}, Series{Name: "b", X: x, Y: c.y})
		f.SVG() // the corner is chosen when the plot is drawn
		p := f.Panels()[0]
		if p.Legend.Top != c.top || p.Legend.Left != c.left {
			t.Errorf("%s: legend top=%v left=%v, want top=%v left=%v", c.name, p.Legend.Top, p.Legend.Left, c.top, c.left)
		}
	}
	// Flat curves along the top: the legend goes to the bottom.
	flat := []float64{9.8, 9.8, 9.8, 9.8, 9.8, 9.8, 9.8, 9.8, 9.8, 9.8, 9.8}
	f := Plot(Axes{YMin: 0, YMax: 10}, Series{Name: "flat", X: x, Y: flat})
	f.SVG()
	if p := f.Panels()[0]; p.Legend.Top {
		t.Errorf("flat top curve: legend drawn at the top")
	}
}

// Linear tick labels have no trailing zeros.
func TestTidyTicks(t *testing.T) {
	for _, tk := range (tidyTicks{}).Ticks(0, 800) {
		if strings.Contains(tk.Label, ".") {
			t.Errorf("tick %g labelled %q", tk.Value, tk.Label)
		}
	}
	for _, tk := range (tidyTicks{}).Ticks(0, 0.9) {
		if tk.Label != "" && len(tk.Label) > 4 {
			t.Errorf("tick %g labelled %q", tk.Value, tk.Label)
		}
	}
}

func TestSVGTitleElement(t *testing.T) {
	f := Row(Convergence("GD & <ScaledGD>", "error", Series{Name: "a", X: []float64{0, 1}, Y: []float64{1, 0.5}}),
		Convergence("", "error"), Convergence("κ = 10", "error"))
	svg := f.SVG()
	if !strings.Contains(svg, "<title>GD &amp; &lt;ScaledGD&gt; | κ = 10</title>") {
		t.Errorf("SVG has no <title> naming the panels: %.300s", svg)
	}
	if i, j := strings.Index(svg, "<svg "), strings.Index(svg, "<title>"); i < 0 || j < i {
		t.Errorf("<title> is not inside <svg>")
	}
}

func TestSeriesFor(t *testing.T) {
	s := FitLine("fit", []float64{1, 2}, 1, 0, false, false).For("GD")
	if s.Of != "GD" || s.Name != "fit" || !s.Dashed {
		t.Errorf("For = %+v", s)
	}
}

// An outlined character takes its glyph's advance in the layout: 𝒜 is
// 1071/1000 em wide in DejaVu Math TeX Gyre, and a line is the sum of its
// runs.
func TestOutlinedWidth(t *testing.T) {
	fnt := figFont
	fnt.Size = 10
	box := func(s string) vg.Length {
		w, _, _ := textHandler.Box(s, fnt)
		return w
	}
	if w := box("𝒜"); math.Abs(float64(w)-10.71) > 1e-9 {
		t.Errorf("width of 𝒜 at 10 pt = %v, want 10.71", w)
	}
	if w, want := box("a𝒜 b"), box("a")+box("𝒜")+box(" b"); math.Abs(float64(w-want)) > 1e-9 {
		t.Errorf("width of a𝒜 b = %v, want %v", w, want)
	}
	if got := textRuns("‖𝒜(X)𝒜"); len(got) != 4 || got[0].s != "‖" || !got[1].outline || got[2].s != "(X)" || got[3].s != "𝒜" {
		t.Errorf("textRuns = %+v", got)
	}
}
