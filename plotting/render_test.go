package plotting

// Tests that look at the pictures: the figures are rasterized by real
// renderers (headless Chromium for SVG, poppler's pdftoppm for PDF, and
// the PNG as written) and pixel facts are checked in each. They skip with
// a message when chromium or pdftoppm is missing (Debian: apt-get install
// -y chromium poppler-utils).

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// raster is a figure rasterized in one format, with the scale from the
// figure's points to its pixels.
type raster struct {
	format string
	img    image.Image
	scale  float64 // pixels per point
	hPt    float64 // figure height in points
}

// at returns the colour of the pixel at the point (x, y) of the figure,
// in points from its lower left corner.
func (r raster) at(x, y vg.Length) color.Color {
	px := int(math.Floor(float64(x) * r.scale))
	py := int(math.Floor((r.hPt - float64(y)) * r.scale))
	return r.img.At(r.img.Bounds().Min.X+px, r.img.Bounds().Min.Y+py)
}

// rasters renders f as PNG, as SVG through Chromium and as PDF through
// pdftoppm, all at 96 pixels per inch, skipping the formats whose renderer
// is missing (and the test, when both are).
func rasters(t *testing.T, f *Figure) []raster {
	t.Helper()
	w, h := f.size()
	const scale = 96.0 / 72
	var out []raster
	img, err := png.Decode(bytes.NewReader(f.PNG()))
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, raster{"png", img, scale, float64(h)})
	if img, ok := chromiumSVG(t, f, w, h); ok {
		out = append(out, raster{"svg", img, scale, float64(h)})
	}
	if img, ok := popplerPDF(t, f); ok {
		out = append(out, raster{"pdf", img, scale, float64(h)})
	}
	if len(out) == 1 {
		t.Skip("neither chromium nor pdftoppm is installed (apt-get install -y chromium poppler-utils): only PNG would be checked")
	}
	return out
}

// chromiumBin returns the path of a Chromium (or Chrome) binary, or "".
func chromiumBin() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chromiumSVG rasterizes the figure's SVG with headless Chromium.
func chromiumSVG(t *testing.T, f *Figure, w, h vg.Length) (image.Image, bool) {
	t.Helper()
	bin := chromiumBin()
	if bin == "" {
		t.Log("chromium not installed (apt-get install -y chromium): SVG not rasterized")
		return nil, false
	}
	dir := t.TempDir()
	svg := filepath.Join(dir, "f.svg")
	if err := os.WriteFile(svg, []byte(f.SVG()), 0o644); err != nil {
		t.Fatal(err)
	}
	// The page is the SVG alone, at one CSS pixel per 0.75 pt.
	page := filepath.Join(dir, "f.html")
	html := `<html><body style="margin:0;background:#fff"><img style="display:block" src="f.svg"></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "f.png")
	pw, ph := int(math.Ceil(w.Points()*96/72)), int(math.Ceil(h.Points()*96/72))
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--no-first-run", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--force-device-scale-factor=1", "--user-data-dir="+filepath.Join(dir, "profile"),
		fmt.Sprintf("--window-size=%d,%d", pw, ph), "--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	return decodePNGFile(t, shot), true
}

// popplerPDF rasterizes the figure's PDF with pdftoppm at 96 dpi.
func popplerPDF(t *testing.T, f *Figure) (image.Image, bool) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Log("pdftoppm not installed (apt-get install -y poppler-utils): PDF not rasterized")
		return nil, false
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "f.pdf")
	if err := f.Save(pdf); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "96", "-png", "-singlefile", pdf, filepath.Join(dir, "f")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	return decodePNGFile(t, filepath.Join(dir, "f.png")), true
}

func decodePNGFile(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// rgb8 returns the 8-bit components of an opaque colour.
func rgb8(c color.Color) [3]float64 {
	r, g, b, _ := c.RGBA()
	return [3]float64{float64(r >> 8), float64(g >> 8), float64(b >> 8)}
}

// dist is the largest difference of the components of two colours.
func dist(a, b color.Color) float64 {
	x, y := rgb8(a), rgb8(b)
	return math.Max(math.Abs(x[0]-y[0]), math.Max(math.Abs(x[1]-y[1]), math.Abs(x[2]-y[2])))
}

// The colour bar's top is the colour of the largest cell, its bottom that
// of the smallest, in all three formats (the PDF bar was upside down and
// the SVG bar a hairline).
func TestColorBarMatchesCells(t *testing.T) {
	const r, c = 4, 5
	z := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			z.Set(i, j, 0.1+0.5*float64(j)/float64(c))
		}
	}
	z.Set(0, c-1, 1) // the maximum, top right
	z.Set(r-1, 0, 0) // the minimum, bottom left
	f := HeatMap("phase", "m", "r", z, nil, nil)
	for _, ras := range rasters(t, f) {
		lay := f.layout[0]
		d, b := lay.Data, lay.Bar
		cw, ch := (d.Max.X-d.Min.X)/c, (d.Max.Y-d.Min.Y)/r
		maxCell := ras.at(d.Min.X+(c-0.5)*cw, d.Max.Y-0.5*ch)
		minCell := ras.at(d.Min.X+0.5*cw, d.Min.Y+0.5*ch)
		mid := (b.Min.X + b.Max.X) / 2
		top := ras.at(mid, b.Max.Y-1.5)
		bottom := ras.at(mid, b.Min.Y+1.5)
		if b.Max.X-b.Min.X < 8 {
			t.Fatalf("%s: colour bar %v is too thin", ras.format, b)
		}
		if dist(top, maxCell) > 12 || dist(bottom, minCell) > 12 {
			t.Errorf("%s: colour bar top %v bottom %v; cells max %v min %v", ras.format, rgb8(top), rgb8(bottom), rgb8(maxCell), rgb8(minCell))
		}
		if dist(maxCell, minCell) < 100 {
			t.Errorf("%s: max cell %v and min cell %v look alike", ras.format, rgb8(maxCell), rgb8(minCell))
		}
		// The bar is filled across its width (not a hairline).
		if left := ras.at(b.Min.X+2, b.Max.Y-1.5); dist(left, top) > 12 {
			t.Errorf("%s: colour bar's top left %v differs from its top middle %v", ras.format, rgb8(left), rgb8(top))
		}
	}
}

// A band is its curve's colour at the band's alpha over white: no
// premultiplied colour treated as plain (which darkened PDF bands).
func TestBandBlend(t *testing.T) {
	x := []float64{0, 1}
	f := Plot(Axes{XMin: 0, XMax: 1, YMin: 0, YMax: 10},
		Series{Name: "band", X: x, Y: []float64{5, 5}, Lo: []float64{1, 1}, Hi: []float64{9, 9}})
	// No grid lines inside the band: ticks at the ends only.
	f.panels[0].p.X.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 1, Label: "1"}}
	f.panels[0].p.Y.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 10, Label: "10"}}
	col := palette10[0]
	a := float64(0x50) / 255
	want := rgb8(col)
	for i := range want {
		want[i] = a*want[i] + (1-a)*255
	}
	for _, ras := range rasters(t, f) {
		d := f.layout[0].Data
		// A point inside the band, away from the median line.
		p := ras.at(d.Min.X+0.37*(d.Max.X-d.Min.X), d.Min.Y+0.27*(d.Max.Y-d.Min.Y))
		got := rgb8(p)
		for i := range got {
			if math.Abs(got[i]-want[i]) > 6 {
				t.Errorf("%s: band pixel %v, want %v (alpha %.2f over white)", ras.format, got, want, a)
				break
			}
		}
	}
}

// darkText reports whether c is the near-black grey of text.
func darkText(c color.Color) bool {
	v := rgb8(c)
	return v[0] < 90 && math.Abs(v[0]-v[1]) < 12 && math.Abs(v[1]-v[2]) < 12
}

// A legend that would cover curves in every corner goes beside the data:
// no text pixel inside the data area, and the legend's text where the
// layout put it.
func TestLegendOffData(t *testing.T) {
	var series []Series
	x := []float64{0, 0.25, 0.5, 0.75, 1}
	for k, y0 := range []float64{0.02, 0.5, 0.98} {
		series = append(series, Series{Name: fmt.Sprintf("flat %d", k), X: x, Y: []float64{y0, y0, y0, y0, y0}})
	}
	series = append(series, Series{Name: "rising", X: x, Y: []float64{0, 0.25, 0.5, 0.75, 1}})
	f := Plot(Axes{Title: "crowded", XLabel: "x", YLabel: "y", YMin: 0, YMax: 1}, series...)
	for _, ras := range rasters(t, f) {
		lay := f.layout[0]
		if lay.Legend.Min.X < lay.Data.Max.X && lay.Legend.Max.X > lay.Data.Min.X && lay.Legend.Min.Y < lay.Data.Max.Y && lay.Legend.Max.Y > lay.Data.Min.Y {
			t.Fatalf("legend %v overlaps the data area %v", lay.Legend, lay.Data)
		}
		inData, inLegend := 0, 0
		count := func(r vg.Rectangle) (n int) {
			for y := r.Min.Y + 1; y < r.Max.Y-1; y += 0.5 {
				for x := r.Min.X + 1; x < r.Max.X-1; x += 0.5 {
					if darkText(ras.at(x, y)) {
						n++
					}
				}
			}
			return n
		}
		inData, inLegend = count(lay.Data), count(lay.Legend)
		if inData > 0 {
			t.Errorf("%s: %d text pixels inside the data area", ras.format, inData)
		}
		if inLegend < 20 {
			t.Errorf("%s: only %d text pixels in the legend's place %v", ras.format, inLegend, lay.Legend)
		}
	}
}

// Long titles are fitted to their panels: their boxes lie inside the
// figure and the figure's left and right edges have no text pixels.
func TestTitlesInside(t *testing.T) {
	long := "‖UUᵀ − X⋆‖_F / ‖X⋆‖_F against the iteration t, for κ = 10 and r′ = 2r (median of 20 trials)"
	x := []float64{0, 1}
	row := Row(
		Plot(Axes{Title: long, YLabel: long}, Series{Name: "a", X: x, Y: []float64{1, 2}}),
		Plot(Axes{Title: long, XLabel: long}, Series{Name: "b", X: x, Y: []float64{2, 1}}),
		HeatMap(long, "", "", mat.NewDense(2, 2, []float64{0, 1, 2, 3}), nil, nil),
	)
	w, h := row.size()
	for _, ras := range rasters(t, row) {
		for i, lay := range row.layout {
			ti := lay.Title
			if ti.Min.X < 0 || ti.Max.X > w || ti.Min.Y < 0 || ti.Max.Y > h {
				t.Errorf("%s: panel %d title box %v outside the figure %v × %v", ras.format, i, ti, w, h)
			}
			if ti.Min.X < lay.Panel.Min.X-1 || ti.Max.X > lay.Panel.Max.X+1 {
				t.Errorf("%s: panel %d title box %v outside its panel %v", ras.format, i, ti, lay.Panel)
			}
		}
		for _, x := range []vg.Length{0.2, w - 0.5} {
			for y := vg.Length(0.5); y < h; y += 0.5 {
				if darkText(ras.at(x, y)) {
					t.Errorf("%s: text pixel at the figure's edge, x = %v, y = %v", ras.format, x, y)
					break
				}
			}
		}
	}
}

// pdftotext reads the labels' special characters back from the PDF.
func TestPDFTextUnicode(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install -y poppler-utils)")
	}
	f := Plot(Axes{Title: "κ = 10, r′ = 2r, ‖𝒜(X) − y‖", XLabel: "‖∇f(U)‖", YLabel: "⟨𝒜(A), X⋆⟩ log₁₀ σ²"},
		Series{Name: "UUᵀ", X: []float64{0, 1}, Y: []float64{1, 2}}, Series{Name: "𝒜*(y)", X: []float64{0, 1}, Y: []float64{2, 1}})
	dir := t.TempDir()
	pdf := filepath.Join(dir, "f.pdf")
	if err := f.Save(pdf); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"κ = 10", "r′ = 2r", "‖𝒜(X) − y‖", "‖∇f(U)‖", "⟨𝒜(A), X⋆⟩", "log₁₀ σ²", "UUᵀ", "𝒜*(y)"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext has no %q:\n%s", want, text)
		}
	}
}

// overlap reports whether two non-empty rectangles intersect.
func overlap(a, b vg.Rectangle) bool {
	if a.Size().X == 0 || b.Size().X == 0 {
		return false
	}
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

// In a row with long titles, long y labels and legends that must go
// outside, no title, y label, legend or data area overlaps another (a
// legend may lie inside its own data area, in a corner no curve crosses:
// TestLegendOffData looks at those pixels), and each stays in its panel.
func TestRowLayoutNoOverlap(t *testing.T) {
	long := "‖LRᵀ − X⋆‖_F / ‖X⋆‖_F, median of 20 trials and the 10–90% band, κ = 100"
	var series []Series
	x := []float64{0, 0.25, 0.5, 0.75, 1}
	for k, y0 := range []float64{0.02, 0.5, 0.98} {
		series = append(series, Series{Name: fmt.Sprintf("a long series name %d", k), X: x, Y: []float64{y0, y0, y0, y0, y0}})
	}
	series = append(series, Series{Name: "rising", X: x, Y: []float64{0, 0.25, 0.5, 0.75, 1}})
	left := Plot(Axes{Title: long, YLabel: long, XLabel: "iteration"}, series...)
	right := Plot(Axes{Title: long, YLabel: long, XLabel: "iteration", LogY: true},
		Series{Name: "GD", X: x, Y: []float64{1, 0.1, 0.01, 1e-3, 1e-4}})
	f := Row(left, right)
	f.PNG()
	var all []struct {
		what string
		r    vg.Rectangle
	}
	for i, lay := range f.layout {
		for _, part := range []struct {
			what string
			r    vg.Rectangle
		}{{"title", lay.Title}, {"y label", lay.YLabel}, {"data", lay.Data}, {"legend", lay.Legend}} {
			if part.r.Size().X == 0 {
				continue
			}
			if part.r.Min.X < lay.Panel.Min.X-0.5 || part.r.Max.X > lay.Panel.Max.X+0.5 || part.r.Min.Y < lay.Panel.Min.Y-0.5 || part.r.Max.Y > lay.Panel.Max.Y+0.5 {
				t.Errorf("panel %d: %s %v outside the panel %v", i, part.what, part.r, lay.Panel)
			}
			part.what = fmt.Sprintf("panel %d %s", i, part.what)
			all = append(all, part)
		}
	}
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			same := strings.HasPrefix(all[j].what, all[i].what[:len("panel 0")])
			if same && strings.HasSuffix(all[i].what, "data") && strings.HasSuffix(all[j].what, "legend") {
				continue
			}
			if overlap(all[i].r, all[j].r) {
				t.Errorf("%s %v overlaps %s %v", all[i].what, all[i].r, all[j].what, all[j].r)
			}
		}
	}
}

// chromiumHTML screenshots an HTML page of the given size in pixels, or
// reports false when Chromium is missing.
func chromiumHTML(t *testing.T, html string, pw, ph int) (image.Image, bool) {
	t.Helper()
	bin := chromiumBin()
	if bin == "" {
		return nil, false
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "p.html")
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "p.png")
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--no-first-run", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--force-device-scale-factor=1", "--user-data-dir="+filepath.Join(dir, "profile"),
		fmt.Sprintf("--window-size=%d,%d", pw, ph), "--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	return decodePNGFile(t, shot), true
}

// Two figures inline in one HTML document (a notebook, or its HTML
// export) each draw their text with their own font subset: a figure looks
// the same next to another one, whose @font-face comes later, as alone.
func TestInlineSVGsKeepTheirGlyphs(t *testing.T) {
	x := []float64{0, 1}
	a := Plot(Axes{Title: "κ∇‖ r′ ⟨X⟩ log₁₀"}, Series{Name: "σ² UUᵀ", X: x, Y: []float64{1, 2}})
	b := Plot(Axes{Title: "plain"}, Series{Name: "abc", X: x, Y: []float64{1, 2}})
	for _, f := range []*Figure{a, b} {
		f.Width, f.Height = 240, 150 // 320 × 200 px
	}
	page := func(svgs ...string) string {
		var s strings.Builder
		s.WriteString(`<html><body style="margin:0;background:#fff">`)
		for _, svg := range svgs {
			// As in a notebook: the SVG element itself in the document.
			svg = svg[strings.Index(svg, "<svg "):]
			s.WriteString(`<div style="height:200px;overflow:hidden">` + svg + `</div>`)
		}
		s.WriteString(`</body></html>`)
		return s.String()
	}
	alone, ok := chromiumHTML(t, page(a.SVG()), 320, 400)
	if !ok {
		t.Skip("chromium not installed (apt-get install -y chromium)")
	}
	both, _ := chromiumHTML(t, page(a.SVG(), b.SVG()), 320, 400)
	differ := 0
	for y := 0; y < 200; y++ {
		for x := 0; x < 320; x++ {
			if dist(alone.At(x, y), both.At(x, y)) > 40 {
				differ++
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d pixels of the first figure change when a second figure follows it", differ)
	}
}

// inkBox returns the number of ink pixels (darker than mid grey) of a
// raster in the rectangle r (points), and their bounding box in pixels.
func inkBox(ras raster, r vg.Rectangle) (n int, box image.Rectangle) {
	x0, x1 := int(math.Floor(float64(r.Min.X)*ras.scale)), int(math.Ceil(float64(r.Max.X)*ras.scale))
	y0, y1 := int(math.Floor((ras.hPt-float64(r.Max.Y))*ras.scale)), int(math.Ceil((ras.hPt-float64(r.Min.Y))*ras.scale))
	b := ras.img.Bounds()
	for y := max(y0, 0); y < min(y1, b.Dy()); y++ {
		for x := max(x0, 0); x < min(x1, b.Dx()); x++ {
			if v := rgb8(ras.img.At(b.Min.X+x, b.Min.Y+y)); v[0]+v[1]+v[2] < 3*128 {
				n++
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return n, box
}

// 𝒜, outside the Basic Multilingual Plane and in no glyph of DejaVu Sans,
// is drawn in every format (from DejaVu Math TeX Gyre), in a title and in
// a rotated y label: the same ink where the PNG has it, in the SVG as
// Chromium renders it and in the PDF as poppler does, and not the ink of a
// plain A.
func TestOutlinedGlyphPixels(t *testing.T) {
	mk := func(s string) *Figure {
		f := Plot(Axes{Title: s, YLabel: s}, Series{Name: "a", X: []float64{0, 1}, Y: []float64{1, 2}})
		f.Width, f.Height = 240, 160
		return f
	}
	script, plain := mk("𝒜"), mk("A")
	rs, rp := rasters(t, script), rasters(t, plain)
	if len(rs) != len(rp) {
		t.Fatalf("%d and %d formats rasterized", len(rs), len(rp))
	}
	w, _ := script.size()
	for _, part := range []string{"title", "y label"} {
		// Where the part alone has ink: the strip above the panel's data
		// area, or left of it.
		region := func(f *Figure) vg.Rectangle {
			lay := f.layout[0]
			if part == "title" {
				return vg.Rectangle{Min: vg.Point{X: 0, Y: lay.Title.Min.Y - 1}, Max: vg.Point{X: w, Y: lay.Panel.Max.Y}}
			}
			return vg.Rectangle{Min: vg.Point{X: 0, Y: lay.YLabel.Min.Y - 2}, Max: vg.Point{X: lay.YLabel.Max.X + 1, Y: lay.YLabel.Max.Y + 2}}
		}
		var pngBox image.Rectangle
		for i := range rs {
			ns, bs := inkBox(rs[i], region(script))
			np, bp := inkBox(rp[i], region(plain))
			t.Logf("%s %s: 𝒜 %d ink pixels in %v; A %d in %v", rs[i].format, part, ns, bs, np, bp)
			if ns < 20 {
				t.Errorf("%s %s: 𝒜 drawn with %d ink pixels", rs[i].format, part, ns)
				continue
			}
			// A script A is wider than a plain one.
			long := func(b image.Rectangle) int {
				if part == "title" {
					return b.Dx()
				}
				return b.Dy()
			}
			if long(bs) < long(bp)+3 {
				t.Errorf("%s %s: 𝒜 (%d px, %v) looks like A (%d px, %v)", rs[i].format, part, ns, bs, np, bp)
			}
			if rs[i].format == "png" {
				pngBox = bs
				continue
			}
			d := max(abs(bs.Min.X-pngBox.Min.X), abs(bs.Max.X-pngBox.Max.X), abs(bs.Min.Y-pngBox.Min.Y), abs(bs.Max.Y-pngBox.Max.Y))
			if d > 2 {
				t.Errorf("%s %s: 𝒜's ink %v is %d px off the PNG's %v", rs[i].format, part, bs, d, pngBox)
			}
		}
	}
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// An outlined character adds its outline to the SVG, not its font: DejaVu
// Math TeX Gyre is 578 KB.
func TestOutlinedSVGSmall(t *testing.T) {
	mk := func(s string) string {
		return Plot(Axes{Title: s}, Series{Name: "a", X: []float64{0, 1}, Y: []float64{1, 2}}).SVG()
	}
	script, plain := mk("𝒜"), mk("A")
	if d := len(script) - len(plain); d > 2000 {
		t.Errorf("𝒜 adds %d bytes to the SVG", d)
	}
	if strings.Contains(strings.Join(svgTexts(script), ""), "𝒜") || strings.Contains(script, "DejaVu Math") {
		t.Errorf("the SVG has 𝒜 as text or the math font")
	}
	if !strings.Contains(script, "<title>𝒜</title>") {
		t.Errorf("the SVG's accessible name is not 𝒜")
	}
}
