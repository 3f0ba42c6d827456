package plotting

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// pdfCanvas is a vg.Canvas that writes a one-page PDF with fpdf. It exists
// because gonum's vgpdf encodes text as code page 1252 (every character
// outside it comes out garbled), passes premultiplied colours as plain ones
// (translucent fills come out dark) and draws images upside down. Here text
// is in the figure font, embedded as a Unicode (CID) subset of the glyphs
// used, so that PDF readers and pdftotext see the characters themselves;
// colours are un-premultiplied before their alpha is set; images are
// flipped to match the y-up coordinates.
type pdfCanvas struct {
	doc    *fpdf.Fpdf
	w, h   vg.Length
	width  vg.Length // current line width
	images int
}

// pdfFontFamily is the name the figure font is registered under.
const pdfFontFamily = "figfont"

func newPDFCanvas(w, h vg.Length) *pdfCanvas {
	doc := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: w.Points(), Ht: h.Points()}})
	// Same figure, same bytes.
	doc.SetCreationDate(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	doc.SetModificationDate(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	doc.SetCatalogSort(true)
	doc.SetMargins(0, 0, 0)
	doc.SetAutoPageBreak(false, 0)
	doc.AddUTF8FontFromBytes(pdfFontFamily, "", fontTTF)
	doc.AddPage()
	c := &pdfCanvas{doc: doc, w: w, h: h}
	// fpdf's y axis points down from the top; vg's points up from the
	// bottom: flip once for the whole page.
	doc.TransformBegin()
	doc.TransformTranslate(0, h.Points())
	doc.TransformScale(100, -100, 0, 0)
	vg.Initialize(c)
	return c
}

// Size implements vg.Canvas.
func (c *pdfCanvas) Size() (w, h vg.Length) { return c.w, c.h }

// SetLineWidth implements vg.Canvas.
func (c *pdfCanvas) SetLineWidth(w vg.Length) {
	c.width = w
	c.doc.SetLineWidth(w.Points())
}

// SetLineDash implements vg.Canvas.
func (c *pdfCanvas) SetLineDash(dashes []vg.Length, offs vg.Length) {
	d := make([]float64, len(dashes))
	for i, v := range dashes {
		d[i] = v.Points()
	}
	c.doc.SetDashPattern(d, offs.Points())
}

// SetColor implements vg.Canvas: the colour's straight (not premultiplied)
// components and its alpha.
func (c *pdfCanvas) SetColor(col color.Color) {
	if col == nil {
		col = color.Black
	}
	n := color.NRGBAModel.Convert(col).(color.NRGBA)
	r, g, b := int(n.R), int(n.G), int(n.B)
	c.doc.SetFillColor(r, g, b)
	c.doc.SetDrawColor(r, g, b)
	c.doc.SetTextColor(r, g, b)
	c.doc.SetAlpha(float64(n.A)/255, "Normal")
}

// Rotate implements vg.Canvas (counter-clockwise by rad radians).
func (c *pdfCanvas) Rotate(rad float64) { c.doc.TransformRotate(-rad*180/math.Pi, 0, 0) }

// Translate implements vg.Canvas.
func (c *pdfCanvas) Translate(pt vg.Point) { c.doc.TransformTranslate(pt.X.Points(), pt.Y.Points()) }

// Scale implements vg.Canvas.
func (c *pdfCanvas) Scale(x, y float64) { c.doc.TransformScale(100*x, 100*y, 0, 0) }

// Push implements vg.Canvas.
func (c *pdfCanvas) Push() { c.doc.TransformBegin() }

// Pop implements vg.Canvas.
func (c *pdfCanvas) Pop() { c.doc.TransformEnd() }

// Stroke implements vg.Canvas.
func (c *pdfCanvas) Stroke(p vg.Path) {
	if c.width > 0 {
		c.path(p, "D")
	}
}

// Fill implements vg.Canvas.
func (c *pdfCanvas) Fill(p vg.Path) { c.path(p, "F") }

// path sends p to the document and paints it with style "D" or "F".
func (c *pdfCanvas) path(p vg.Path, style string) {
	if len(p) == 0 {
		return
	}
	var start, cur vg.Point
	for _, comp := range p {
		switch comp.Type {
		case vg.MoveComp:
			start = comp.Pos
			c.doc.MoveTo(comp.Pos.X.Points(), comp.Pos.Y.Points())
		case vg.LineComp:
			c.doc.LineTo(comp.Pos.X.Points(), comp.Pos.Y.Points())
		case vg.ArcComp:
			c.arc(comp)
			cur = vg.Point{X: comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start+comp.Angle)), Y: comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start+comp.Angle))}
			continue
		case vg.CurveComp:
			switch len(comp.Control) {
			case 1:
				// A quadratic Bézier (glyph outlines are made of them) as
				// the cubic of the same curve: fpdf's CurveTo is not one.
				q, e := comp.Control[0], comp.Pos
				a := cur.Add(q.Sub(cur).Scale(2.0 / 3))
				b := e.Add(q.Sub(e).Scale(2.0 / 3))
				c.doc.CurveBezierCubicTo(a.X.Points(), a.Y.Points(), b.X.Points(), b.Y.Points(), e.X.Points(), e.Y.Points())
			case 2:
				a, b := comp.Control[0], comp.Control[1]
				c.doc.CurveBezierCubicTo(a.X.Points(), a.Y.Points(), b.X.Points(), b.Y.Points(), comp.Pos.X.Points(), comp.Pos.Y.Points())
			default:
				panic("plotting: PDF curve with more than two control points")
			}
		case vg.CloseComp:
			c.doc.LineTo(start.X.Points(), start.Y.Points())
			c.doc.ClosePath()
			cur = start
			continue
		}
		cur = comp.Pos
	}
	c.doc.DrawPath(style)
}

// arc appends a circular arc as cubic Bézier pieces of at most 90°, from a
// line to its start point (as vg's arcs are defined).
func (c *pdfCanvas) arc(comp vg.PathComp) {
	r := comp.Radius.Points()
	cx, cy := comp.Pos.X.Points(), comp.Pos.Y.Points()
	at := func(t float64) (float64, float64) { return cx + r*math.Cos(t), cy + r*math.Sin(t) }
	x0, y0 := at(comp.Start)
	c.doc.LineTo(x0, y0)
	n := int(math.Ceil(math.Abs(comp.Angle) / (math.Pi / 2)))
	if n == 0 {
		return
	}
	step := comp.Angle / float64(n)
	k := 4.0 / 3 * math.Tan(step/4)
	for i := range n {
		a0 := comp.Start + float64(i)*step
		a1 := a0 + step
		x1, y1 := at(a0)
		x2, y2 := at(a1)
		c.doc.CurveBezierCubicTo(
			x1-k*r*math.Sin(a0), y1+k*r*math.Cos(a0),
			x2+k*r*math.Sin(a1), y2-k*r*math.Cos(a1),
			x2, y2)
	}
}

// FillString implements vg.Canvas: str with its baseline starting at pt,
// in the figure font at fnt's size.
func (c *pdfCanvas) FillString(fnt font.Face, pt vg.Point, str string) {
	if fnt.Font.Size == 0 || str == "" {
		return
	}
	c.doc.SetFont(pdfFontFamily, "", fnt.Font.Size.Points())
	c.doc.TransformBegin()
	c.doc.TransformTranslate(pt.X.Points(), pt.Y.Points())
	c.doc.TransformScale(100, -100, 0, 0) // Text is drawn y-down.
	c.doc.Text(0, 0, str)
	c.doc.TransformEnd()
}

// outlineText implements outlineTexter: fill draws the outline, and an
// invisible stand-in character stretched to the advance w is drawn in a
// marked-content span whose ActualText is s (PDF 1.5, 14.9.4), so that
// pdftotext and copy-and-paste return s itself. The span holds the stand-in
// alone, within its transformation: poppler places the ActualText with the
// transformation in force at the span's end.
func (c *pdfCanvas) outlineText(s string, face font.Face, pt vg.Point, w vg.Length, fill func()) {
	fill()
	r, _ := utf8.DecodeRuneInString(s)
	stand := standIn(r)
	sw := face.Width(stand)
	if sw <= 0 || face.Font.Size <= 0 {
		return
	}
	var hex strings.Builder
	hex.WriteString("FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&hex, "%04X", u)
	}
	c.doc.SetFont(pdfFontFamily, "", face.Font.Size.Points())
	c.doc.TransformBegin()
	c.doc.TransformTranslate(pt.X.Points(), pt.Y.Points())
	c.doc.TransformScale(100*float64(w/sw), -100, 0, 0)
	c.doc.RawWriteStr("/Span <</ActualText <" + hex.String() + ">>> BDC")
	c.doc.SetTextRenderingMode(3) // invisible
	c.doc.Text(0, 0, stand)
	c.doc.SetTextRenderingMode(0)
	c.doc.RawWriteStr("EMC")
	c.doc.TransformEnd()
}

// DrawImage implements vg.Canvas.
func (c *pdfCanvas) DrawImage(rect vg.Rectangle, img image.Image) {
	// The page is flipped, so the image is too: flip it back.
	b := img.Bounds()
	flipped := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			flipped.Set(x, b.Dy()-1-y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, flipped); err != nil {
		panic(fmt.Sprintf("plotting: encoding an image for PDF: %v", err)) // Not reached: writing to a buffer.
	}
	c.images++
	name := fmt.Sprintf("img%d", c.images)
	opt := fpdf.ImageOptions{ImageType: "png"}
	c.doc.RegisterImageOptionsReader(name, opt, &buf)
	sz := rect.Size()
	c.doc.ImageOptions(name, rect.Min.X.Points(), rect.Min.Y.Points(), sz.X.Points(), sz.Y.Points(), false, opt, 0, "")
}

// WriteTo writes the PDF document to w.
func (c *pdfCanvas) WriteTo(w io.Writer) (int64, error) {
	c.doc.TransformEnd()
	var buf bytes.Buffer
	if err := c.doc.Output(&buf); err != nil {
		return 0, fmt.Errorf("plotting: writing PDF: %w", err)
	}
	return buf.WriteTo(w)
}
