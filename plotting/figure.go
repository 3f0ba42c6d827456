package plotting

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Default sizes. A one-panel figure is DefaultWidth wide and
// DefaultWidth/φ high (φ the golden ratio); a row of n panels gives each
// panel min(RowPanelWidth, MaxRowWidth/n) and is at least MinRowHeight high.
const (
	DefaultWidth  = 6 * vg.Inch
	RowPanelWidth = 4 * vg.Inch
	MaxRowWidth   = 11 * vg.Inch
	MinRowHeight  = 3.4 * vg.Inch
)

// DPI is the default resolution of PNG (and JPEG, TIFF) output, suited to
// screens; PrintDPI is the resolution for print: set Figure.DPI to it.
const (
	DPI      = 96
	PrintDPI = 300
)

const phi = 1.618033988749895

type panelKind int

const (
	panelLine panelKind = iota
	panelHeat
)

// panel is one plot of a figure, with its colour bar if it has one.
type panel struct {
	p    *plot.Plot
	kind panelKind
	logY bool
	bar  *plot.Plot
	heat *heat

	// Line panels: the series (to recolour), the drawn polylines and
	// band samples in data coordinates (to keep the legend off them) and
	// the legend's texts (to measure it).
	items  []*item
	curves []plotter.XYs
	legend []legendEntry
	// hasYLimits reports explicit y limits, which ShareY leaves alone.
	hasYLimits bool
}

// Figure is a row of one or more plots, rendered together. Width and Height
// are the size of the whole figure; zero means the default size (see
// DefaultWidth), and one of them zero means it follows from the other with
// panels of golden-ratio proportions.
//
// A Figure renders itself as SVG, PNG or PDF and shows itself inline in a
// GoNB notebook; its SVG and PNG methods also let notebook front-ends that
// look for them render it.
type Figure struct {
	Width, Height vg.Length

	// DPI is the resolution of raster output (PNG, JPEG, TIFF) in dots
	// per inch; zero means DPI (96, for screens). PrintDPI (300) is the
	// one option for print. SVG and PDF are vector formats and ignore it.
	DPI float64

	panels []panel
	layout []panelLayout // where the last draw put things, for tests
}

// panelLayout is where a panel's parts were drawn, in points from the
// figure's lower left corner. Empty rectangles: no such part.
type panelLayout struct {
	Panel, Title, YLabel, Data, Legend, Bar vg.Rectangle
}

// drawPlot draws p on c, with no legend (the figure places legends), and
// records where its title and data area are. The axis labels are drawn
// here, centred on the data area: gonum centres the box it reserves for
// them on the arithmetic middle of the axis range, which on a logarithmic
// axis is near the top (or right) end, so a long y label pushed the data
// area down and a long x label squeezed it from the right.
func drawPlot(p *plot.Plot, c draw.Canvas, lay *panelLayout) {
	legend := p.Legend
	p.Legend = plot.NewLegend()
	defer func() { p.Legend = legend }()
	title, label, xlabel := p.Title.Text, p.Y.Label.Text, p.X.Label.Text
	inner := labelCrop(p, c)
	p.Title.Text, p.Y.Label.Text, p.X.Label.Text = "", "", ""
	p.Draw(inner)
	p.Title.Text, p.Y.Label.Text, p.X.Label.Text = title, label, xlabel
	da := dataArea(p, c)
	lay.Data = da.Rectangle
	if label != "" {
		sty := p.Y.Label.TextStyle
		sty.Rotation = math.Pi / 2
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		y := (da.Min.Y + da.Max.Y) / 2
		c.FillText(sty, vg.Point{X: c.Min.X, Y: y}, label)
		lw, lh := p.Y.Label.TextStyle.Width(label), p.Y.Label.TextStyle.Height(label)
		lay.YLabel = vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: y - lw/2}, Max: vg.Point{X: c.Min.X + lh, Y: y + lw/2}}
	}
	if xlabel != "" {
		sty := p.X.Label.TextStyle
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
		// Raised by the descent, as gonum does: the box of a text aligned
		// at its bottom reaches below it by the descent and line gap.
		c.FillText(sty, vg.Point{X: (da.Min.X + da.Max.X) / 2, Y: c.Min.Y + sty.FontExtents().Descent}, xlabel)
	}
	if title != "" {
		// Centred on the panel, as wide as fitTexts let it be.
		sty := p.Title.TextStyle
		w, h := sty.Width(title), sty.Height(title)
		x := c.Center().X
		c.FillText(sty, vg.Point{X: x, Y: c.Max.Y}, title)
		lay.Title = vg.Rectangle{Min: vg.Point{X: x - w/2, Y: c.Max.Y - h}, Max: vg.Point{X: x + w/2, Y: c.Max.Y}}
	}
}

// labelCrop returns c less the room of p's title at the top, of its y
// label on the left and of its x label at the bottom.
func labelCrop(p *plot.Plot, c draw.Canvas) draw.Canvas {
	if p.Title.Text != "" {
		// The title, and room for the top tick label's upper half.
		c = draw.Crop(c, 0, 0, 0, -(p.Title.TextStyle.Height(p.Title.Text) + p.Title.Padding + p.Y.Tick.Label.Font.Size/2 + vg.Points(2)))
	}
	if p.X.Label.Text != "" {
		c = draw.Crop(c, 0, 0, p.X.Label.TextStyle.Height(p.X.Label.Text)+p.X.Label.Padding, 0)
	}
	if p.Y.Label.Text == "" {
		return c
	}
	return draw.Crop(c, p.Y.Label.TextStyle.Height(p.Y.Label.Text)+p.Y.Label.Padding+vg.Points(6), 0, 0, 0)
}

// dataArea returns the data area of p drawn on c by drawPlot.
func dataArea(p *plot.Plot, c draw.Canvas) draw.Canvas {
	title, label, xlabel := p.Title.Text, p.Y.Label.Text, p.X.Label.Text
	inner := labelCrop(p, c)
	p.Title.Text, p.Y.Label.Text, p.X.Label.Text = "", "", ""
	defer func() { p.Title.Text, p.Y.Label.Text, p.X.Label.Text = title, label, xlabel }()
	return p.DataCanvas(inner)
}

func newFigure(p *plot.Plot, kind panelKind, logY bool) *Figure {
	return &Figure{panels: []panel{{p: p, kind: kind, logY: logY}}}
}

// Panels returns the figure's plots from left to right (colour bars
// excluded), for customizations beyond this package: changing them changes
// the figure.
func (f *Figure) Panels() []*plot.Plot {
	ps := make([]*plot.Plot, len(f.panels))
	for i, pn := range f.panels {
		ps[i] = pn.p
	}
	return ps
}

// Row returns a figure with the panels of figs side by side, left to right.
// Each panel keeps its own axis ranges (ShareY gives line panels one y
// range). Series of the same name get the same colour in every panel (see
// Series.Color). The panels are shared with figs, not copied. Nil figures
// are skipped.
func Row(figs ...*Figure) *Figure {
	r := &Figure{}
	for _, f := range figs {
		if f != nil {
			r.panels = append(r.panels, f.panels...)
		}
	}
	r.colorByName()
	return r
}

// ShareY gives the figure's line panels that have no explicit y limits
// and the y scale of the first of them one y range, the union of their
// ranges, so that their curves can be compared by height. It returns f.
func (f *Figure) ShareY() *Figure {
	var share []panel
	for _, pn := range f.panels {
		if pn.kind == panelLine && !pn.hasYLimits && (len(share) == 0 || pn.logY == share[0].logY) {
			share = append(share, pn)
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pn := range share {
		lo = math.Min(lo, pn.p.Y.Min)
		hi = math.Max(hi, pn.p.Y.Max)
	}
	for _, pn := range share {
		pn.p.Y.Min, pn.p.Y.Max = lo, hi
	}
	return f
}

// size returns the figure's width and height.
func (f *Figure) size() (w, h vg.Length) {
	n := vg.Length(len(f.panels))
	if n == 0 {
		n = 1
	}
	w, h = f.Width, f.Height
	switch {
	case w > 0 && h > 0:
		return w, h
	case w > 0:
		h = w / n / phi
	case h > 0:
		return h * phi * n, h
	case n == 1:
		w = DefaultWidth
		h = w / phi
	default:
		pw := RowPanelWidth
		if pw*n > MaxRowWidth {
			pw = MaxRowWidth / n
		}
		w = pw * n
		h = pw / phi
	}
	if n > 1 && h < MinRowHeight {
		h = MinRowHeight
	}
	if _, lh, _ := f.sharedLegend(w); lh > 0 && f.Height == 0 {
		h += lh // Room for the row's one legend below the panels.
	}
	return w, h
}

// sharedLegend returns the legend of a row whose line panels (two or more)
// all have the same legend entries, laid out in as many columns as fit in
// width w, its height lh and columns; lh is zero when there is none.
func (f *Figure) sharedLegend(w vg.Length) (entries []legendEntry, lh vg.Length, cols int) {
	var first *panel
	count := 0
	for i := range f.panels {
		pn := &f.panels[i]
		if len(pn.legend) == 0 {
			continue
		}
		if first == nil {
			first = pn
		} else if len(pn.legend) != len(first.legend) {
			return nil, 0, 0
		} else {
			for j := range pn.legend {
				if pn.legend[j].text != first.legend[j].text {
					return nil, 0, 0
				}
			}
		}
		count++
	}
	if count < 2 {
		return nil, 0, 0
	}
	ew, _, row := legendSize(*first)
	m := vg.Points(legendMargin)
	cols = max(1, min(len(first.legend), int(w/(ew+4*m))))
	rows := (len(first.legend) + cols - 1) / cols
	lh = vg.Length(rows)*row + 2*m
	return first.legend, lh, cols
}

// draw draws the figure on c.
func (f *Figure) draw(c draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(color.White, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	f.layout = make([]panelLayout, 0, len(f.panels))
	n := len(f.panels)
	if n == 0 {
		return
	}
	pw := (r.Max.X - r.Min.X) / vg.Length(n)
	shared, lh, cols := f.sharedLegend(r.Max.X - r.Min.X)
	if lh > 0 {
		// One legend for the row, below it, in columns.
		first := f.panels[0]
		for _, pn := range f.panels {
			if len(pn.legend) > 0 {
				first = pn
				break
			}
		}
		ew, _, _ := legendSize(first)
		m := vg.Points(legendMargin)
		rows := (len(shared) + cols - 1) / cols
		x0 := r.Min.X + (r.Max.X-r.Min.X-vg.Length(cols)*(ew+4*m)+4*m)/2
		for col := range cols {
			part := plot.NewLegend()
			part.TextStyle, part.ThumbnailWidth, part.Padding = first.p.Legend.TextStyle, first.p.Legend.ThumbnailWidth, first.p.Legend.Padding
			part.Top, part.Left = true, true
			for i := col * rows; i < min((col+1)*rows, len(shared)); i++ {
				part.Add(shared[i].text, shared[i].thumbs...)
			}
			area := c
			area.Min.X = x0 + vg.Length(col)*(ew+4*m)
			area.Max.X = area.Min.X + ew
			area.Min.Y, area.Max.Y = r.Min.Y, r.Min.Y+lh-m
			part.Draw(area)
		}
		c = draw.Crop(c, 0, 0, lh, 0)
	}
	for i, pn := range f.panels {
		sub := draw.Crop(c, vg.Length(i)*pw, -vg.Length(n-1-i)*pw, 0, 0)
		// A small gap between panels, so that one's legend or tick label
		// never touches the next one's axis label.
		if i > 0 {
			sub = draw.Crop(sub, panelGap, 0, 0, 0)
		}
		f.layout = append(f.layout, panelLayout{Panel: sub.Rectangle})
		lay := &f.layout[len(f.layout)-1]
		restore := fitTexts(pn.p, sub)
		switch {
		case pn.bar != nil:
			barW := vg.Length(math.Min(float64(0.9*vg.Inch), float64(0.25*pw)))
			main := draw.Crop(sub, 0, -barW, 0, 0)
			restoreMain := fitTexts(pn.p, main)
			drawPlot(pn.p, main, lay)
			restoreMain()
			da := dataArea(pn.p, main)
			bar := draw.Crop(sub, sub.Max.X-sub.Min.X-barW+0.1*barW, -0.25*barW, 0, 0)
			bar.Min.Y, bar.Max.Y = da.Min.Y, da.Max.Y
			pn.bar.Draw(bar)
			lay.Bar = pn.bar.DataCanvas(bar).Rectangle
		case len(pn.legend) > 0 && lh > 0:
			legend := pn.p.Legend
			pn.p.Legend = plot.NewLegend()
			drawPlot(pn.p, sub, lay)
			pn.p.Legend = legend
		case len(pn.legend) > 0:
			drawWithLegend(pn, sub, lay)
		default:
			drawPlot(pn.p, sub, lay)
		}
		restore()
	}
}

// legendEntry is one entry of a panel's legend.
type legendEntry struct {
	text   string
	thumbs []plot.Thumbnailer
}

// panelGap is the space between two panels of a row.
const panelGap = 6 * vg.Millimeter / 2

// legendMargin is the space kept between the legend and the data.
const legendMargin = 5

// legendSize returns the width and height of the panel's legend, and the
// height of one of its rows, measured as plot.Legend lays them out.
func legendSize(pn panel) (w, h, row vg.Length) {
	l := &pn.p.Legend
	sty := l.TextStyle
	var eh vg.Length
	for _, e := range pn.legend {
		w = max(w, l.ThumbnailWidth+sty.Rectangle(" "+e.text).Max.X)
		eh = max(eh, sty.Rectangle(e.text).Max.Y)
	}
	row = eh + l.Padding
	h = vg.Length(len(pn.legend))*row - l.Padding + sty.FontExtents().Descent
	return w, h, row
}

// drawWithLegend draws a line panel with its legend where it covers no
// data: in the corner of the data area that no curve or band crosses
// (top right, top left, bottom right, bottom left, in that order of
// preference), or else beside the data area on the right or, when the
// legend is too wide for that, below the panel. It sets p.Legend.Top and
// Left to where the legend is drawn.
func drawWithLegend(pn panel, c draw.Canvas, lay *panelLayout) {
	p := pn.p
	w, h, row := legendSize(pn)
	m := vg.Points(legendMargin)
	da := dataArea(p, c)
	corners := []struct{ top, left bool }{{true, false}, {true, true}, {false, false}, {false, true}}
	for _, k := range corners {
		// The legend, m inside the corner, and the rectangle around it
		// that must be free of data.
		leg := vg.Rectangle{Min: vg.Point{X: da.Max.X - w - m, Y: da.Max.Y - h - m}, Max: vg.Point{X: da.Max.X - m, Y: da.Max.Y - m}}
		if k.left {
			leg.Min.X, leg.Max.X = da.Min.X+m, da.Min.X+w+m
		}
		if !k.top {
			leg.Min.Y, leg.Max.Y = da.Min.Y+m, da.Min.Y+h+m
		}
		free := vg.Rectangle{Min: vg.Point{X: leg.Min.X - m, Y: leg.Min.Y - m}, Max: vg.Point{X: leg.Max.X + m, Y: leg.Max.Y + m}}
		if w+2*m < da.Max.X-da.Min.X && h+2*m < da.Max.Y-da.Min.Y && crossings(p, da, pn.curves, free) == 0 {
			drawPlot(p, c, lay)
			p.Legend.Top, p.Legend.Left = k.top, k.left
			area := c
			area.Rectangle = leg
			p.Legend.Draw(area)
			lay.Legend = leg
			return
		}
	}
	// Outside: draw the plot without its legend in the rest of the panel,
	// and the legend beside the data area on the right or, when that would
	// take more than half the panel's width, below the panel in as many
	// columns as fit.
	legend := p.Legend
	p.Legend = plot.NewLegend()
	defer func() { p.Legend = legend }()
	legend.Top, legend.Left = true, true
	width := c.Max.X - c.Min.X
	if w+2*m <= 0.5*width {
		main := draw.Crop(c, 0, -(w + 2*m), 0, 0)
		restore := fitTexts(p, main)
		defer restore()
		drawPlot(p, main, lay)
		da := dataArea(p, main)
		area := c
		area.Min.X, area.Max.X = main.Max.X+2*m, c.Max.X
		area.Min.Y, area.Max.Y = da.Min.Y, da.Max.Y
		legend.Draw(area)
		lay.Legend = vg.Rectangle{Min: vg.Point{X: area.Min.X, Y: area.Max.Y - h}, Max: vg.Point{X: area.Min.X + w, Y: area.Max.Y}}
		return
	}
	cols := max(1, int((width+2*m)/(w+2*m)))
	rows := (len(pn.legend) + cols - 1) / cols
	lh := vg.Length(rows)*row + m
	main := draw.Crop(c, 0, 0, lh+m, 0)
	drawPlot(p, main, lay)
	lay.Legend = vg.Rectangle{Min: c.Min, Max: vg.Point{X: c.Min.X + vg.Length(cols)*(w+2*m), Y: c.Min.Y + lh}}
	for col := range cols {
		part := plot.NewLegend()
		part.TextStyle, part.ThumbnailWidth, part.Padding = legend.TextStyle, legend.ThumbnailWidth, legend.Padding
		part.Top, part.Left = true, true
		for i := col * rows; i < min((col+1)*rows, len(pn.legend)); i++ {
			part.Add(pn.legend[i].text, pn.legend[i].thumbs...)
		}
		area := c
		area.Min.X = c.Min.X + vg.Length(col)*(w+2*m)
		area.Max.X = area.Min.X + w
		area.Min.Y, area.Max.Y = c.Min.Y, c.Min.Y+lh
		part.Draw(area)
	}
}

// crossings counts the samples of the curves (eight along every segment)
// that fall inside rect, with data coordinates mapped by p onto da.
func crossings(p *plot.Plot, da draw.Canvas, curves []plotter.XYs, rect vg.Rectangle) int {
	const steps = 8
	trX, trY := p.Transforms(&da)
	n := 0
	in := func(q vg.Point) bool {
		return q.X >= rect.Min.X && q.X <= rect.Max.X && q.Y >= rect.Min.Y && q.Y <= rect.Max.Y
	}
	for _, line := range curves {
		var prev vg.Point
		for j, pt := range line {
			q := vg.Point{X: trX(pt.X), Y: trY(pt.Y)}
			if j == 0 {
				if in(q) {
					n++
				}
				prev = q
				continue
			}
			for s := 1; s <= steps; s++ {
				f := vg.Length(s) / steps
				if in(vg.Point{X: prev.X + f*(q.X-prev.X), Y: prev.Y + f*(q.Y-prev.Y)}) {
					n++
				}
			}
			prev = q
		}
	}
	return n
}

// minTextSize is the smallest font size fitTexts shrinks a title or label
// to before it wraps it.
const minTextSize = 9

// fitTexts makes the plot's title and axis labels fit the panel c: a text
// wider than its room (the panel's width for the title and x label, its
// height for the y label) is set in a smaller font, down to minTextSize,
// and, if still too wide, broken into lines at spaces. It
// returns a function that restores the texts and sizes.
func fitTexts(p *plot.Plot, c draw.Canvas) (restore func()) {
	type saved struct {
		txt  *string
		text string
		sty  *text.Style
		size vg.Length
	}
	var undo []saved
	room := func(txt *string, sty *text.Style, avail vg.Length) {
		if *txt == "" {
			return
		}
		undo = append(undo, saved{txt, *txt, sty, sty.Font.Size})
		for sty.Width(*txt) > avail && sty.Font.Size > minTextSize {
			sty.Font.Size = max(minTextSize, sty.Font.Size-0.5)
		}
		if sty.Width(*txt) > avail {
			*txt = wrap(*txt, *sty, avail)
		}
	}
	w, h := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	room(&p.Title.Text, &p.Title.TextStyle, w-vg.Points(2))
	room(&p.X.Label.Text, &p.X.Label.TextStyle, w-vg.Points(40))
	room(&p.Y.Label.Text, &p.Y.Label.TextStyle, h-vg.Points(40)-p.Title.TextStyle.Height(p.Title.Text))
	return func() {
		for _, u := range undo {
			*u.txt = u.text
			u.sty.Font.Size = u.size
		}
	}
}

// wrap returns s broken into lines at spaces, each line as long as fits in
// width when set in sty (a single word wider than that gets a line of its
// own).
func wrap(s string, sty text.Style, width vg.Length) string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(strings.ReplaceAll(s, "\n", " ")) {
		switch {
		case cur == "":
			cur = w
		case sty.Width(cur+" "+w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	return strings.Join(append(lines, cur), "\n")
}

// WriteTo writes the figure to w in the named format: "svg", "png", "pdf",
// "jpg", "jpeg", "tif", "tiff" or "eps". SVG and PDF embed the subset of the
// figure font that the text uses; raster formats are at f.DPI.
func (f *Figure) WriteTo(w io.Writer, format string) error {
	wd, ht := f.size()
	dpi := f.DPI
	if dpi <= 0 {
		dpi = DPI
	}
	raster := func() *vgimg.Canvas { return vgimg.NewWith(vgimg.UseWH(wd, ht), vgimg.UseDPI(int(math.Round(dpi)))) }
	var c vg.CanvasWriterTo
	switch strings.ToLower(format) {
	case "svg":
		return f.writeSVG(w, wd, ht)
	case "png":
		c = vgimg.PngCanvas{Canvas: raster()}
	case "jpg", "jpeg":
		c = vgimg.JpegCanvas{Canvas: raster()}
	case "tif", "tiff":
		c = vgimg.TiffCanvas{Canvas: raster()}
	case "pdf":
		c = newPDFCanvas(wd, ht)
	default:
		var err error
		c, err = draw.NewFormattedCanvas(wd, ht, format)
		if err != nil {
			return fmt.Errorf("plotting: %w", err)
		}
	}
	f.draw(draw.New(c))
	_, err := c.WriteTo(w)
	return err
}

// SVG returns the figure as an SVG document with the glyphs it uses
// embedded as a font subset.
func (f *Figure) SVG() string {
	var b bytes.Buffer
	if err := f.WriteTo(&b, "svg"); err != nil {
		panic(err) // Not reached: writing to a bytes.Buffer does not fail.
	}
	return b.String()
}

// PNG returns the figure as a PNG image at f.DPI dots per inch (DPI when
// zero).
func (f *Figure) PNG() []byte {
	var b bytes.Buffer
	if err := f.WriteTo(&b, "png"); err != nil {
		panic(err) // Not reached: writing to a bytes.Buffer does not fail.
	}
	return b.Bytes()
}

// Save writes the figure to a file in the format named by the path's
// extension: .svg, .png or .pdf (also .jpg, .tif and .eps).
func (f *Figure) Save(path string) (err error) {
	ext := strings.TrimPrefix(filepath.Ext(path), ".")
	if ext == "" {
		return fmt.Errorf("plotting: %s: no file extension to choose a format", path)
	}
	var b bytes.Buffer
	if err := f.WriteTo(&b, ext); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// Display shows the figure in the running GoNB notebook as SVG (inside
// HTML, so it survives nbconvert's HTML export). Outside a notebook it does
// nothing.
//
// Display, like every display function of this package, returns only after
// GoNB has received the content (gonbui.Sync): GoNB v0.11.1 closes its end
// of the display pipe when the cell's program exits, so content still in
// the pipe at that moment was lost (seen with nbconvert: figures shown last
// in a cell went missing from the executed notebook).
func (f *Figure) Display() {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplaySvg(f.SVG())
	gonbui.Sync()
}

// DisplayPNG shows the figure in the running GoNB notebook as a PNG image.
// Outside a notebook it does nothing.
func (f *Figure) DisplayPNG() {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.DisplayPng(f.PNG())
	gonbui.Sync()
}
