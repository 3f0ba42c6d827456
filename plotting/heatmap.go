package plotting

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// heat is a matrix as a plotter.GridXYZ with matrix row 0 at the top:
// grid row j (which gonum draws upward) is matrix row r-1-j.
type heat struct {
	z    mat.Matrix
	r, c int
	hm   *plotter.HeatMap
	cmap palette.ColorMap
}

func (h *heat) Dims() (c, r int)   { return h.c, h.r }
func (h *heat) Z(c, r int) float64 { return h.z.At(h.r-1-r, c) }
func (h *heat) X(c int) float64    { return float64(c) }
func (h *heat) Y(r int) float64    { return float64(r) }
func (h *heat) setRange(lo, hi float64) {
	h.hm.Min, h.hm.Max = lo, hi
	h.cmap.SetMin(lo)
	h.cmap.SetMax(hi)
}

// HeatMap returns a heat map of z (r×c) with a colour bar: matrix row 0 is
// drawn on top, as the matrix is printed. Cells have equal sizes; the
// columns are labelled with xs (length c) and the rows with ys (length r);
// nil labels with the indices. NaN cells are grey. The colour range is that
// of the finite values; set it with ZRange. HeatMap panics if xs or ys has
// the wrong length or z is empty.
func HeatMap(title, xlabel, ylabel string, z mat.Matrix, xs, ys []float64) *Figure {
	r, c := z.Dims()
	if r == 0 || c == 0 {
		panic("plotting: HeatMap of an empty matrix")
	}
	if xs != nil && len(xs) != c {
		panic(fmt.Sprintf("plotting: HeatMap has %d columns but %d xs", c, len(xs)))
	}
	if ys != nil && len(ys) != r {
		panic(fmt.Sprintf("plotting: HeatMap has %d rows but %d ys", r, len(ys)))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range r {
		for j := range c {
			if v := z.At(i, j); finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	switch {
	case lo > hi:
		lo, hi = 0, 1
	case lo == hi:
		lo, hi = lo-0.5, hi+0.5
	}

	h := &heat{z: z, r: r, c: c, cmap: sequential()}
	pal := h.cmap.Palette(255)
	h.hm = plotter.NewHeatMap(h, pal)
	cols := pal.Colors()
	h.hm.Underflow, h.hm.Overflow = cols[0], cols[len(cols)-1]
	h.hm.NaN = color.Gray{Y: 200}
	h.hm.Rasterized = r*c > 4096
	h.setRange(lo, hi)

	p := newPlot()
	p.Title.Text = glyphSafe(title)
	p.X.Label.Text = glyphSafe(xlabel)
	p.Y.Label.Text = glyphSafe(ylabel)
	p.Add(h.hm)
	p.X.Min, p.X.Max = -0.5, float64(c)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(r)-0.5
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Marker = cellTicks(c, func(j int) (float64, float64) { return float64(j), label(xs, j) })
	p.Y.Tick.Marker = cellTicks(r, func(i int) (float64, float64) { return float64(r - 1 - i), label(ys, i) })

	bar := newPlot()
	bar.Add(&plotter.ColorBar{ColorMap: h.cmap, Vertical: true})
	bar.HideX()
	bar.X.Padding, bar.Y.Padding = 0, 0
	bar.Y.Min, bar.Y.Max = lo, hi

	f := newFigure(p, panelHeat, false)
	f.panels[0].bar = bar
	f.panels[0].heat = h
	return f
}

// ZRange sets the colour range of the figure's heat maps to [lo, hi]:
// values below lo get the lowest colour, above hi the highest. It panics
// unless lo < hi. It returns f.
func (f *Figure) ZRange(lo, hi float64) *Figure {
	if !(lo < hi) {
		panic(fmt.Sprintf("plotting: ZRange(%g, %g): need lo < hi", lo, hi))
	}
	for _, pn := range f.panels {
		if pn.heat != nil {
			pn.heat.setRange(lo, hi)
			pn.bar.Y.Min, pn.bar.Y.Max = lo, hi
		}
	}
	return f
}

func label(v []float64, i int) float64 {
	if v == nil {
		return float64(i)
	}
	return v[i]
}

// cellTicks marks the centres of n cells, labelling about ten of them.
func cellTicks(n int, at func(i int) (pos, val float64)) plot.ConstantTicks {
	step := 1
	if n > 12 {
		step = (n + 9) / 10
	}
	ticks := make(plot.ConstantTicks, n)
	for i := range n {
		pos, val := at(i)
		ticks[i].Value = pos
		if i%step == 0 {
			ticks[i].Label = strconv.FormatFloat(val, 'g', 4, 64)
		}
	}
	return ticks
}

// sequential returns a perceptually ordered colour map from dark violet
// through blue and green to yellow (the control colours of viridis), so
// that neither end is confused with the white background.
func sequential() palette.ColorMap {
	cm, err := moreland.NewLuminance([]color.Color{
		color.NRGBA{R: 0x44, G: 0x01, B: 0x54, A: 0xff},
		color.NRGBA{R: 0x3b, G: 0x52, B: 0x8b, A: 0xff},
		color.NRGBA{R: 0x21, G: 0x91, B: 0x8c, A: 0xff},
		color.NRGBA{R: 0x5e, G: 0xc9, B: 0x62, A: 0xff},
		color.NRGBA{R: 0xfd, G: 0xe7, B: 0x25, A: 0xff},
	})
	if err != nil {
		panic(err) // Not reached: the controls increase in luminance.
	}
	return cm
}
