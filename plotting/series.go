package plotting

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/lrsense/lrsense/lrsense"
	"github.com/lrsense/lrsense/lrsense/experiment"
)

// DefaultFloor is the value below which data are floored on a logarithmic
// axis when Axes.Floor is zero. Zeros (an exactly recovered matrix) and
// negative values are drawn at the floor instead of making plot.LogScale
// panic.
const DefaultFloor = 1e-16

// Series is one curve of a line plot: the points (X[i], Y[i]), with an
// optional band [Lo[i], Hi[i]] drawn as a semi-transparent filled area
// (a quantile band of a trial aggregate). X and Y must have the same length,
// and Lo and Hi must be nil or have that length too; Plot panics otherwise.
//
// Points whose X or Y is NaN or ±Inf are left out (the curve is broken
// there), and the legend entry gets the suffix " (diverged)". An empty Name
// gives no legend entry.
type Series struct {
	Name   string
	X, Y   []float64
	Lo, Hi []float64

	// Dashed draws a dashed line.
	Dashed bool
	// Points marks every point with a glyph; NoLine leaves out the line
	// joining the points (Points and NoLine together give a scatter plot).
	Points, NoLine bool
	// Diverged marks the legend entry with " (diverged)" even when all
	// values are finite (Traj sets it for runs that stopped as Diverged
	// or NonFinite).
	Diverged bool
	// Color is the colour of the line, glyphs and band. Nil means: the
	// colour of the series named Of when Of is set; else, for a series
	// without a Name (a fit or reference line without a legend entry), the
	// colour of the series before it; else the colour of the series' Name,
	// which is the same in every panel of a figure (see Row), taken from
	// the default palette in the order the names first appear.
	Color color.Color
	// Of is the Name of the series this one belongs to (its fit, its
	// oracle or reference line): it is drawn in that series' colour.
	Of string
}

// For returns s drawn in the colour of the series named name (it sets Of):
// plotting.FitLine(…).For("GD") is the fit of the GD curve.
func (s Series) For(name string) Series {
	s.Of = name
	return s
}

// Traj returns the metric series of a trajectory as a Series with X the
// recorded iterations. An empty name means the metric's name. The Series is
// marked Diverged when the run stopped as Diverged or NonFinite. Traj panics
// if t is nil or has no series of that name.
func Traj(t *lrsense.Trajectory, metric, name string) Series {
	if t == nil {
		panic("plotting: Traj of a nil Trajectory")
	}
	y := t.Series(metric)
	if y == nil {
		panic(fmt.Sprintf("plotting: trajectory has no series %q (it has %s)", metric, strings.Join(t.Names, ", ")))
	}
	if name == "" {
		name = metric
	}
	x := make([]float64, len(t.Iter))
	for i, it := range t.Iter {
		x[i] = float64(it)
	}
	return Series{
		Name:     name,
		X:        x,
		Y:        append([]float64(nil), y...),
		Diverged: t.Status == lrsense.Diverged || t.Status == lrsense.NonFinite,
	}
}

// FromBand returns a trial aggregate as a Series: X the iterations, Y the
// median and Lo, Hi the quantile band. An empty name means b.Name. It takes
// the bands of the experiment layer (experiment.BandOf, Results.Bands).
func FromBand(b experiment.Band, name string) Series {
	if name == "" {
		name = b.Name
	}
	x := make([]float64, len(b.Iter))
	for i, it := range b.Iter {
		x[i] = float64(it)
	}
	return Series{
		Name: name,
		X:    x,
		Y:    append([]float64(nil), b.Median...),
		Lo:   append([]float64(nil), b.Lo...),
		Hi:   append([]float64(nil), b.Hi...),
	}
}

// Scatter returns a Series drawn as glyphs only, without a joining line.
func Scatter(name string, x, y []float64) Series {
	return Series{Name: name, X: x, Y: y, Points: true, NoLine: true}
}

// Axes holds the title, labels and scales of a plot. The zero value is a
// linear plot fitted to the data.
type Axes struct {
	Title, XLabel, YLabel string

	// LogX and LogY select logarithmic axes. On a logarithmic axis the
	// limits are whole decades, every decade has a tick and the labelled
	// ticks always include at least two.
	LogX, LogY bool

	// Floor is the smallest value drawn on a logarithmic y axis: smaller
	// values, zeros and negative values are drawn at Floor. Zero means
	// DefaultFloor. On a logarithmic x axis points with X ≤ 0 are left out.
	Floor float64

	// XMin, XMax and YMin, YMax are explicit axis limits, used when
	// Min < Max; otherwise (the zero value) the axis fits the data.
	// On a logarithmic axis a Min ≤ 0 with Max > 0 fits the lower limit to
	// the data. Y values outside explicit limits are drawn at the limit and
	// the legend entry gets the suffix " (clipped)"; points outside the X
	// limits are cut off.
	XMin, XMax, YMin, YMax float64
}

// Convergence returns a log-y plot of the series against the iteration:
// Plot with Axes{Title: title, XLabel: "iteration", YLabel: ylabel, LogY: true}.
func Convergence(title, ylabel string, series ...Series) *Figure {
	return Plot(Axes{Title: title, XLabel: "iteration", YLabel: ylabel, LogY: true}, series...)
}

// palette10 is the default sequence of line colours.
var palette10 = []color.Color{
	color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.NRGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	color.NRGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	color.NRGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.NRGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	color.NRGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
	color.NRGBA{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff},
	color.NRGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff},
	color.NRGBA{R: 0xbc, G: 0xbd, B: 0x22, A: 0xff},
	color.NRGBA{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff},
}

// glyphs is the default sequence of point glyphs.
var glyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{},
	draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{},
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// limits returns the explicit limits of an axis and whether each is set.
func limits(min, max float64, log bool) (lo, hi float64, hasLo, hasHi bool) {
	if !(min < max) {
		return 0, 0, false, false
	}
	if log && max <= 0 {
		return 0, 0, false, false
	}
	if log && min <= 0 {
		return 0, max, false, true
	}
	return min, max, true, true
}

// extent accumulates a data range.
type extent struct{ min, max float64 }

func newExtent() extent { return extent{min: math.Inf(1), max: math.Inf(-1)} }

func (e *extent) add(v float64) {
	e.min = math.Min(e.min, v)
	e.max = math.Max(e.max, v)
}

func (e extent) empty() bool { return e.min > e.max }

// Plot returns a one-panel line plot of the series on the given axes.
// It panics if a Series' slices have mismatched lengths.
func Plot(ax Axes, series ...Series) *Figure {
	p := newPlot()
	p.Title.Text = glyphSafe(ax.Title)
	p.X.Label.Text = glyphSafe(ax.XLabel)
	p.Y.Label.Text = glyphSafe(ax.YLabel)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.ThumbnailWidth = 0.35 * vg.Inch
	p.Add(gridLines())

	floor := ax.Floor
	if floor <= 0 {
		floor = DefaultFloor
	}
	xlo, xhi, hasXlo, hasXhi := limits(ax.XMin, ax.XMax, ax.LogX)
	ylo, yhi, hasYlo, hasYhi := limits(ax.YMin, ax.YMax, ax.LogY)
	if ax.LogY && hasYlo && ylo < floor {
		floor = ylo
	}

	xs, ys := newExtent(), newExtent()
	pn := panel{kind: panelLine, logY: ax.LogY, hasYLimits: hasYlo || hasYhi}
	floored := false
	for k, s := range series {
		if len(s.X) != len(s.Y) {
			panic(fmt.Sprintf("plotting: series %q has %d X and %d Y values", s.Name, len(s.X), len(s.Y)))
		}
		if (s.Lo != nil || s.Hi != nil) && (len(s.Lo) != len(s.Y) || len(s.Hi) != len(s.Y)) {
			panic(fmt.Sprintf("plotting: series %q has %d values but %d Lo and %d Hi", s.Name, len(s.Y), len(s.Lo), len(s.Hi)))
		}
		it := &item{name: s.Name, of: s.Of, color: s.Color}
		if it.of == "" && it.name == "" && k > 0 {
			it.follows = pn.items[k-1]
		}
		pn.items = append(pn.items, it)
		diverged, clipped := s.Diverged, false

		// yval maps a finite y to its drawn value, reporting clipping.
		yval := func(y float64) (float64, bool) {
			if ax.LogY && y < floor {
				y = floor
				floored = true
			}
			switch {
			case hasYlo && y < ylo:
				return ylo, true
			case hasYhi && y > yhi:
				return yhi, true
			}
			return y, false
		}
		xok := func(x float64) bool { return finite(x) && !(ax.LogX && x <= 0) }

		var segs []plotter.XYs
		var cur plotter.XYs
		n := 0
		for i, x := range s.X {
			y := s.Y[i]
			if !xok(x) || !finite(y) {
				if !finite(y) || !finite(x) {
					diverged = true
				}
				if len(cur) > 0 {
					segs = append(segs, cur)
					cur = nil
				}
				continue
			}
			v, c := yval(y)
			clipped = clipped || c
			cur = append(cur, plotter.XY{X: x, Y: v})
			xs.add(x)
			ys.add(v)
			n++
		}
		if len(cur) > 0 {
			segs = append(segs, cur)
		}

		// The band: polygons over runs of points with finite bounds.
		if s.Lo != nil {
			var lo, hi plotter.XYs
			flush := func() {
				if len(lo) > 0 {
					poly := make(plotter.XYs, 0, 2*len(lo))
					poly = append(poly, hi...)
					for j := len(lo) - 1; j >= 0; j-- {
						poly = append(poly, lo[j])
					}
					if pg, err := plotter.NewPolygon(poly); err == nil {
						pg.LineStyle.Width = 0
						p.Add(pg)
						it.bands = append(it.bands, pg)
					}
					// The band's area, for legend placement: its edges and
					// a vertical through every point.
					pn.curves = append(pn.curves, lo, hi)
					for j := range lo {
						pn.curves = append(pn.curves, plotter.XYs{lo[j], hi[j]})
					}
				}
				lo, hi = nil, nil
			}
			for i, x := range s.X {
				l, h := s.Lo[i], s.Hi[i]
				if !xok(x) || !finite(l) || !finite(h) {
					flush()
					continue
				}
				l, _ = yval(l)
				h, _ = yval(h)
				lo = append(lo, plotter.XY{X: x, Y: l})
				hi = append(hi, plotter.XY{X: x, Y: h})
				xs.add(x)
				ys.add(l)
				ys.add(h)
			}
			flush()
		}

		ls := draw.LineStyle{Width: vg.Points(1.5)}
		if s.Dashed {
			ls.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		gs := draw.GlyphStyle{Radius: vg.Points(2.5)}
		for _, seg := range segs {
			pn.curves = append(pn.curves, seg)
			if !s.NoLine {
				l, err := plotter.NewLine(seg)
				if err != nil {
					panic(err) // Not reached: seg holds finite values only.
				}
				l.LineStyle = ls
				p.Add(l)
				it.lines = append(it.lines, l)
			}
			if s.Points {
				sc, err := plotter.NewScatter(seg)
				if err != nil {
					panic(err)
				}
				sc.GlyphStyle = gs
				p.Add(sc)
				it.scatters = append(it.scatters, sc)
			}
		}

		if s.Name == "" {
			continue
		}
		name := s.Name
		switch {
		case n == 0:
			name += " (no data)"
		case diverged:
			name += " (diverged)"
		}
		if clipped {
			name += " (clipped)"
		}
		var thumbs []plot.Thumbnailer
		if !s.NoLine {
			l := &plotter.Line{LineStyle: ls}
			thumbs = append(thumbs, l)
			it.lines = append(it.lines, l)
		}
		if s.Points {
			sc := &plotter.Scatter{GlyphStyle: gs}
			thumbs = append(thumbs, sc)
			it.scatters = append(it.scatters, sc)
		}
		p.Legend.Add(glyphSafe(name), thumbs...)
		pn.legend = append(pn.legend, legendEntry{glyphSafe(name), thumbs})
	}

	setRange(&p.X, xs, xlo, xhi, hasXlo, hasXhi, ax.LogX)
	setRange(&p.Y, ys, ylo, yhi, hasYlo, hasYhi, ax.LogY)
	if floored {
		// Values below the floor are drawn on it: mark it as what it is.
		fl := &floorLine{y: floor, style: draw.LineStyle{Color: floorColor, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}}
		p.Add(fl)
		pn.curves = append(pn.curves, plotter.XYs{{X: p.X.Min, Y: floor}, {X: p.X.Max, Y: floor}})
		text := "< " + strconv.FormatFloat(floor, 'g', 3, 64) + " (floor)"
		th := &plotter.Line{LineStyle: fl.style}
		p.Legend.Add(text, th)
		pn.legend = append(pn.legend, legendEntry{text, []plot.Thumbnailer{th}})
	}
	pn.p = p
	f := &Figure{panels: []panel{pn}}
	f.colorByName()
	return f
}

// floorColor is the colour of the floor line.
var floorColor = color.Gray{Y: 110}

// floorLine is a plotter drawing a horizontal line at y across the data
// area, the floor at which smaller values of a logarithmic axis are drawn.
type floorLine struct {
	y     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l *floorLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(l.y)
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

// item is one series of a line panel, with the plotters that draw it, so
// that a figure can recolour it (Row gives every name one colour).
type item struct {
	name, of string
	color    color.Color // explicit colour, or nil
	follows  *item       // the series whose colour an unnamed one takes
	lines    []*plotter.Line
	scatters []*plotter.Scatter
	bands    []*plotter.Polygon
}

// setColor draws the series in c, its band translucent and, for glyphs,
// shape.
func (it *item) setColor(c color.Color, shape draw.GlyphDrawer) {
	for _, l := range it.lines {
		l.LineStyle.Color = c
	}
	for _, s := range it.scatters {
		s.GlyphStyle.Color = c
		s.GlyphStyle.Shape = shape
	}
	for _, b := range it.bands {
		b.Color = withAlpha(c, 0x50)
	}
}

// colorByName colours the series of the figure's line panels: one palette
// colour (and glyph shape) per series name, the same in every panel; a new
// name takes the first colour no name of the figure has yet, else the first
// that no other name of its panel has.
// Explicit colours, Of and unnamed series as documented at Series.Color.
func (f *Figure) colorByName() {
	index := map[string]int{} // colour index of each name
	glyph := map[string]int{} // glyph shape of each name with points
	taken := map[int]bool{}   // colours of all names so far
	for _, pn := range f.panels {
		// A name seen in an earlier panel keeps its colour; a new one takes
		// the first palette colour no name of the figure has yet or, when
		// all are taken, the first that no other name of this panel has.
		used := map[int]bool{}
		for _, it := range pn.items {
			if k, ok := index[it.name]; ok && it.name != "" && it.color == nil {
				used[k] = true
			}
		}
		for _, it := range pn.items {
			if it.name != "" && it.color == nil {
				if _, ok := index[it.name]; !ok {
					k := 0
					for taken[k] && k < len(palette10) {
						k++
					}
					if k == len(palette10) {
						k = 0
						for used[k] && k < len(palette10) {
							k++
						}
					}
					index[it.name] = k
					used[k], taken[k] = true, true
				}
			}
			if _, ok := glyph[it.name]; !ok && it.name != "" && len(it.scatters) > 0 {
				glyph[it.name] = len(glyph)
			}
		}
	}
	for _, pn := range f.panels {
		byName := map[string]*item{}
		for _, it := range pn.items {
			if it.name != "" {
				if _, ok := byName[it.name]; !ok {
					byName[it.name] = it
				}
			}
		}
		var resolve func(it *item, depth int) (color.Color, int)
		resolve = func(it *item, depth int) (color.Color, int) {
			switch {
			case it.color != nil:
				return it.color, 0
			case depth > len(pn.items):
				return palette10[0], 0 // Of cycle: give up.
			case it.of != "":
				if o, ok := byName[it.of]; ok && o != it {
					return resolve(o, depth+1)
				}
				if k, ok := index[it.of]; ok {
					return palette10[k%len(palette10)], k
				}
			case it.name == "" && it.follows != nil:
				return resolve(it.follows, depth+1)
			case it.name != "":
				k := index[it.name]
				return palette10[k%len(palette10)], k
			}
			return palette10[0], 0
		}
		for _, it := range pn.items {
			c, _ := resolve(it, 0)
			it.setColor(c, glyphs[glyph[it.name]%len(glyphs)])
		}
	}
}

// setRange sets an axis' scale, limits and ticks.
func setRange(a *plot.Axis, e extent, lo, hi float64, hasLo, hasHi, log bool) {
	if e.empty() {
		e = extent{0, 1}
		if log {
			e = extent{0.1, 1}
		}
	}
	if hasLo {
		e.min = lo
	}
	if hasHi {
		e.max = hi
	}
	if !log {
		if e.min == e.max {
			e.min, e.max = e.min-1, e.max+1
		}
		a.Min, a.Max = e.min, e.max
		a.Tick.Marker = tidyTicks{}
		return
	}
	if e.max < e.min {
		e.max = e.min
	}
	if !hasLo {
		e.min = math.Pow(10, math.Floor(math.Log10(e.min)+1e-9))
	}
	if !hasHi {
		e.max = math.Pow(10, math.Ceil(math.Log10(e.max)-1e-9))
	}
	if e.max <= e.min {
		e.max = 10 * e.min
	}
	a.Min, a.Max = e.min, e.max
	a.Scale = plot.LogScale{}
	a.Tick.Marker = decadeTicks{}
}

// tidyTicks are gonum/plot's default ticks on a linear axis with labels
// in the shortest form (gonum labels 0, 250, 500 as 0.00, 250.00, 500.00).
type tidyTicks struct{}

// Ticks implements plot.Ticker.
func (tidyTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = strconv.FormatFloat(t.Value, 'g', 6, 64)
		}
	}
	return ticks
}

// decadeTicks marks every decade of a logarithmic axis and labels enough of
// them (at most about seven, at least two) to read the axis.
type decadeTicks struct{}

// Ticks implements plot.Ticker.
func (decadeTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) {
		return nil
	}
	e0 := int(math.Ceil(math.Log10(min) - 1e-9))
	e1 := int(math.Floor(math.Log10(max) + 1e-9))
	n := e1 - e0 + 1
	step := 1
	if n > 7 {
		step = (n + 5) / 6
	}
	var ticks []plot.Tick
	labelled := 0
	for e := e0; e <= e1; e++ {
		v := math.Pow(10, float64(e))
		t := plot.Tick{Value: v}
		if ((e%step)+step)%step == 0 {
			t.Label = decadeLabel(e)
			labelled++
		}
		ticks = append(ticks, t)
		if n <= 3 {
			for m := 2; m <= 9; m++ {
				if w := float64(m) * v; w < max {
					ticks = append(ticks, plot.Tick{Value: w})
				}
			}
		}
	}
	if n <= 3 {
		for m := 2; m <= 9; m++ {
			if w := float64(m) * math.Pow(10, float64(e0-1)); w > min && w < max {
				ticks = append(ticks, plot.Tick{Value: w})
			}
		}
	}
	if labelled < 2 {
		// Fewer than two decades inside explicit limits: label the ends.
		var kept []plot.Tick
		for _, t := range ticks {
			if t.Value != min && t.Value != max {
				t.Label = ""
				kept = append(kept, t)
			}
		}
		ticks = append(kept,
			plot.Tick{Value: min, Label: strconv.FormatFloat(min, 'g', 3, 64)},
			plot.Tick{Value: max, Label: strconv.FormatFloat(max, 'g', 3, 64)})
	}
	return ticks
}

// decadeLabel formats 10^e compactly: 0.01 … 1000 plainly, 1e-6 otherwise.
func decadeLabel(e int) string {
	if e >= -2 && e <= 3 {
		return strconv.FormatFloat(math.Pow(10, float64(e)), 'f', -1, 64)
	}
	return "1e" + strconv.Itoa(e)
}

// gridLines returns light major grid lines.
func gridLines() *plotter.Grid {
	g := plotter.NewGrid()
	c := color.Gray{Y: 225}
	g.Vertical.Color = c
	g.Horizontal.Color = c
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	return g
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	// Non-premultiplied from the colour's (assumed opaque) components.
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}
