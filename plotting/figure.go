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
// When every panel is a line plot and all have the same y scale (all linear
// or all logarithmic), they share the y range: the union of their ranges.
// The panels are shared with figs, not copied. Nil figures are skipped.
func Row(figs ...*Figure) *Figure {
	r := &Figure{}
	for _, f := range figs {
		if f != nil {
			r.panels = append(r.panels, f.panels...)
		}
	}
	if len(r.panels) < 2 {
		return r
	}
	share := true
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pn := range r.panels {
		if pn.kind != panelLine || pn.logY != r.panels[0].logY {
			share = false
			break
		}
		lo = math.Min(lo, pn.p.Y.Min)
		hi = math.Max(hi, pn.p.Y.Max)
	}
	if share {
		for _, pn := range r.panels {
			pn.p.Y.Min, pn.p.Y.Max = lo, hi
		}
	}
	return r
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
	return w, h
}

// draw draws the figure on c.
func (f *Figure) draw(c draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(color.White, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	n := len(f.panels)
	if n == 0 {
		return
	}
	pw := (r.Max.X - r.Min.X) / vg.Length(n)
	for i, pn := range f.panels {
		sub := draw.Crop(c, vg.Length(i)*pw, -vg.Length(n-1-i)*pw, 0, 0)
		if pn.bar == nil {
			pn.p.Draw(sub)
			continue
		}
		barW := vg.Length(math.Min(float64(0.9*vg.Inch), float64(0.25*pw)))
		main := draw.Crop(sub, 0, -barW, 0, 0)
		pn.p.Draw(main)
		da := pn.p.DataCanvas(main)
		bar := draw.Crop(sub, pw-barW+0.1*barW, -0.25*barW, 0, 0)
		bar.Min.Y, bar.Max.Y = da.Min.Y, da.Max.Y
		pn.bar.Draw(bar)
	}
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
