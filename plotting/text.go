package plotting

import (
	"math"
	"strings"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// figText is the text handler of every figure: text.Plain, except that the
// characters outlined reports (𝒜 and the other letters outside the Basic
// Multilingual Plane, and whatever only the fallback font has) are drawn
// as their glyphs' outlines, filled in the text colour, the same way in
// every format. Widths and alignment count their true advances.
type figText struct{ text.Plain }

// textRun is a piece of a line of text: characters drawn as text in the
// figure font, or one outlined character.
type textRun struct {
	s       string
	outline bool
}

// textRuns splits line into runs of text and outlined characters.
func textRuns(line string) []textRun {
	var out []textRun
	start := 0
	for i, r := range line {
		if !outlined(r) {
			continue
		}
		if i > start {
			out = append(out, textRun{line[start:i], false})
		}
		out = append(out, textRun{string(r), true})
		start = i + utf8.RuneLen(r)
	}
	if start < len(line) {
		out = append(out, textRun{line[start:], false})
	}
	return out
}

// runWidth returns the advance of a run in face.
func runWidth(face font.Face, r textRun) vg.Length {
	if !r.outline {
		return face.Width(r.s)
	}
	c, _ := utf8.DecodeRuneInString(r.s)
	f, i, _ := glyphOf(c)
	var b sfnt.Buffer
	upem := f.UnitsPerEm()
	// At upem/64 pixels per em the advance in 26.6 fixed point is in font
	// units (as font.Face.Width measures).
	adv, err := f.GlyphAdvance(&b, i, fixed.Int26_6(upem), xfont.HintingNone)
	if err != nil {
		panic("plotting: no advance for " + r.s + ": " + err.Error()) // Not reached: glyphOf found the glyph.
	}
	return vg.Length(adv) * face.Font.Size / vg.Length(upem)
}

// lineWidth returns the advance of a line of text in face.
func lineWidth(face font.Face, line string) vg.Length {
	var w vg.Length
	for _, r := range textRuns(line) {
		w += runWidth(face, r)
	}
	return w
}

// glyphPath returns the outline of the glyph of r at size, with its origin
// (on the baseline) at pt.
func glyphPath(r rune, size vg.Length, pt vg.Point) vg.Path {
	f, i, _ := glyphOf(r)
	var b sfnt.Buffer
	upem := f.UnitsPerEm()
	segs, err := f.LoadGlyph(&b, i, fixed.I(int(upem)), nil)
	if err != nil {
		panic("plotting: cannot load the glyph of " + string(r) + ": " + err.Error()) // Not reached: glyphOf found the glyph.
	}
	// Segments are in 1/64 font units, y down.
	scale := size / vg.Length(64*int(upem))
	at := func(p fixed.Point26_6) vg.Point {
		return vg.Point{X: pt.X + vg.Length(p.X)*scale, Y: pt.Y - vg.Length(p.Y)*scale}
	}
	var p vg.Path
	for k, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if k > 0 {
				p.Close()
			}
			p.Move(at(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			p.Line(at(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			p.QuadTo(at(s.Args[0]), at(s.Args[1]))
		case sfnt.SegmentOpCubeTo:
			p.CubeTo(at(s.Args[0]), at(s.Args[1]), at(s.Args[2]))
		}
	}
	if len(p) > 0 {
		p.Close()
	}
	return p
}

// outlineTexter is a canvas that keeps outlined characters as text for
// its readers: the PDF canvas, whose pdftotext and copy-and-paste would
// otherwise lose them. outlineText calls fill, which draws the outline of
// s at pt (advance w in face), and marks it as the text s.
type outlineTexter interface {
	outlineText(s string, face font.Face, pt vg.Point, w vg.Length, fill func())
}

// asOutlineTexter returns the canvas under c's drawing wrappers as an
// outlineTexter, if it is one.
func asOutlineTexter(c vg.Canvas) (outlineTexter, bool) {
	for {
		switch v := c.(type) {
		case outlineTexter:
			return v, true
		case draw.Canvas:
			c = v.Canvas
		case *draw.Canvas:
			c = v.Canvas
		default:
			return nil, false
		}
	}
}

// Box implements text.Handler.
func (h figText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	face := h.Fonts.Lookup(fnt, fnt.Size)
	ext := face.Extents()
	return lineWidth(face, txt), ext.Ascent, ext.Descent
}

// Draw implements text.Handler, as text.Plain.Draw but line by line in
// runs.
func (h figText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if !strings.ContainsFunc(txt, outlined) {
		h.Plain.Draw(c, txt, sty, pt)
		return
	}
	face := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	sin, cos := vg.Length(sin64), vg.Length(cos64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	lines := h.Lines(txt)
	pt.Y += sty.Height(txt)*vg.Length(sty.YAlign) - face.Extents().Ascent
	ot, isOT := asOutlineTexter(c)
	for i, line := range lines {
		at := pt.Add(vg.Point{X: vg.Length(sty.XAlign) * lineWidth(face, line), Y: vg.Length(len(lines)-i) * sty.Font.Size})
		for _, r := range textRuns(line) {
			w := runWidth(face, r)
			if !r.outline {
				// Without its leading spaces, which SVG would drop,
				// moving the text to the left.
				t := strings.TrimLeft(r.s, " ")
				if t != "" {
					c.FillString(face, vg.Point{X: at.X + w - face.Width(t), Y: at.Y}, t)
				}
				at.X += w
				continue
			}
			c0, _ := utf8.DecodeRuneInString(r.s)
			path := glyphPath(c0, face.Font.Size, at)
			if isOT {
				ot.outlineText(r.s, face, at, w, func() { c.Fill(path) })
			} else {
				c.Fill(path)
			}
			at.X += w
		}
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}

// standIn returns the character the PDF draws (invisibly) in place of the
// outlined character r: its compatibility decomposition's first character
// when the figure font has that (A for 𝒜), else a question mark.
func standIn(r rune) string {
	d := []rune(norm.NFKD.String(string(r)))
	if len(d) > 0 && d[0] != r && d[0] <= 0xFFFF && !outlined(d[0]) && hasGlyph(d[0]) {
		return string(d[0])
	}
	return "?"
}
