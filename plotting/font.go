package plotting

import (
	"strings"
	"unicode"

	"codeberg.org/go-fonts/dejavu/dejavumathtexgyre"
	"codeberg.org/go-fonts/dejavu/dejavusans"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// The font of every figure, in every format: DejaVu Sans (Go module
// codeberg.org/go-fonts/dejavu, so no font file is needed at run time).
// Of the TrueType fonts that Go modules ship it has the widest coverage of
// the papers' notation: Greek, ∇, ⟨⟩, ⋆, ′, ᵀ, ‖, ∝, ≈, ⊥, ℓ and the
// subscript and superscript digits. It is a TrueType (glyf) font, which the
// PDF writer can embed as a Unicode subset; the STIX Two fonts are CFF
// (PostScript outlines), which it cannot.
//
// The characters DejaVu Sans lacks, the mathematical letters outside
// Unicode's Basic Multilingual Plane above all (𝒜, 𝐱), come from its
// companion DejaVu Math TeX Gyre (same module, same licence); those and
// every other character outside that plane are drawn as their glyphs'
// outlines (see figText), because fpdf, the PDF writer, and the SVG
// subsetter read only a font's BMP character map. The PDF keeps such a
// character as text for readers and pdftotext (see pdfCanvas.outlineText).
var (
	fontTTF  = dejavusans.TTF
	fontSfnt *sfnt.Font
	// mathSfnt is the fallback font of the characters fontSfnt lacks.
	mathSfnt *sfnt.Font
	// figFont is the font descriptor of figure text (size set per use).
	figFont = font.Font{Typeface: "DejaVu", Variant: "Sans"}
	// fonts is the cache the text handler looks the font up in.
	fonts *font.Cache
	// textHandler draws figure text in figFont.
	textHandler text.Handler
)

func init() {
	f, err := opentype.Parse(fontTTF)
	if err != nil {
		panic("plotting: cannot parse the DejaVu Sans font: " + err.Error()) // Not reached: the font is embedded.
	}
	fontSfnt = f
	m, err := opentype.Parse(dejavumathtexgyre.TTF)
	if err != nil {
		panic("plotting: cannot parse the DejaVu Math TeX Gyre font: " + err.Error()) // Not reached: the font is embedded.
	}
	mathSfnt = m
	fonts = font.NewCache(font.Collection{{Font: figFont, Face: f}})
	textHandler = figText{text.Plain{Fonts: fonts}}
}

// newPlot returns a plot whose text (title, labels, ticks, legend) is in
// the figure font.
func newPlot() *plot.Plot {
	p := plot.New()
	p.TextHandler = textHandler
	for _, s := range []struct {
		sty  *text.Style
		size vg.Length
	}{
		{&p.Title.TextStyle, 12}, {&p.X.Label.TextStyle, 11}, {&p.Y.Label.TextStyle, 11},
		{&p.X.Tick.Label, 10}, {&p.Y.Tick.Label, 10}, {&p.Legend.TextStyle, 10},
	} {
		s.sty.Handler = textHandler
		s.sty.Font = figFont
		s.sty.Font.Size = s.size
	}
	p.Legend.Padding = vg.Points(2.5) // Zero would let the rows touch.
	return p
}

// hasGlyph reports whether the figure font or its fallback has a glyph
// for r.
func hasGlyph(r rune) bool {
	_, _, ok := glyphOf(r)
	return ok
}

// glyphOf returns the font that draws r (the figure font when it has r,
// else its fallback) and r's glyph index there; ok is false when neither
// has r.
func glyphOf(r rune) (f *sfnt.Font, i sfnt.GlyphIndex, ok bool) {
	var b sfnt.Buffer
	for _, f := range []*sfnt.Font{fontSfnt, mathSfnt} {
		if i, err := f.GlyphIndex(&b, r); err == nil && i != 0 {
			return f, i, true
		}
	}
	return fontSfnt, 0, false
}

// outlined reports whether r is drawn as its glyph's outline rather than
// as text in the figure font: the characters outside the Basic
// Multilingual Plane, and those only the fallback font has.
func outlined(r rune) bool {
	f, _, ok := glyphOf(r)
	return ok && (r > 0xFFFF || f != fontSfnt)
}

// missingGlyphs returns the distinct characters of s that neither the
// figure font nor its fallback has a glyph for (spaces and control characters excluded).
func missingGlyphs(s string) string {
	var out []rune
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || hasGlyph(r) || strings.ContainsRune(string(out), r) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// glyphSafe returns s with each character that neither the figure font nor
// its fallback has replaced by its compatibility decomposition when the
// fonts have all of that (a styled letter by the plain one). Other
// characters are kept (and drawn as the font's missing-glyph box).
func glyphSafe(s string) string {
	if missingGlyphs(s) == "" {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if hasGlyph(r) || unicode.IsSpace(r) {
			b.WriteRune(r)
			continue
		}
		d := norm.NFKD.String(string(r))
		if d != string(r) && missingGlyphs(d) == "" {
			b.WriteString(d)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
