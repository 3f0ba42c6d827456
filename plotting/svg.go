package plotting

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"sort"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// textRecorder is a canvas that passes everything on and records the
// characters of the text drawn.
type textRecorder struct {
	vg.CanvasWriterTo
	runes map[rune]bool
}

// FillString implements vg.Canvas.
func (t *textRecorder) FillString(f font.Face, pt vg.Point, s string) {
	for _, r := range s {
		t.runes[r] = true
	}
	t.CanvasWriterTo.FillString(f, pt, s)
}

// writeSVG writes the figure as SVG with the figure font's subset of the
// glyphs used embedded as a TrueType @font-face (a whole font would add
// about 1 MB of base64 to every figure of a notebook), and images
// (colour bars, rasterized heat maps) stretched to their rectangles.
func (f *Figure) writeSVG(w io.Writer, wd, ht vg.Length) error {
	rec := &textRecorder{CanvasWriterTo: vgsvg.NewWith(vgsvg.UseWH(wd, ht), vgsvg.EmbedFonts(false)), runes: map[rune]bool{}}
	f.draw(draw.New(rec))
	var buf bytes.Buffer
	if _, err := rec.WriteTo(&buf); err != nil {
		return err
	}
	svg := buf.String()
	// vgsvg's <image> keeps the image's aspect ratio by default, so a
	// colour bar (a 1×n image in a tall thin rectangle) became a hairline.
	svg = strings.ReplaceAll(svg, "<image ", `<image preserveAspectRatio="none" `)
	// The figure's accessible name: the panel titles, as the SVG's first
	// child <title> (screen readers read it; the reproduction report takes
	// its alt texts from it).
	if t := f.title(); t != "" {
		i := strings.Index(svg, "<svg ")
		j := strings.Index(svg[max(i, 0):], ">")
		if i >= 0 && j >= 0 {
			at := i + j + 1
			svg = svg[:at] + "\n<title>" + html.EscapeString(t) + "</title>" + svg[at:]
		}
	}
	if len(rec.runes) > 0 {
		i := strings.Index(svg, "<svg ")
		j := strings.Index(svg[max(i, 0):], ">")
		if i < 0 || j < 0 {
			return fmt.Errorf("plotting: no <svg> element in the SVG output")
		}
		// Each subset gets a family name of its own: a notebook's inline
		// SVGs share one HTML document, where @font-face rules are global,
		// and one figure's subset must not stand in for another's.
		sub, family := fontSubset(rec.runes)
		svg = strings.ReplaceAll(svg, "font-family:"+svgFontFamily()+";", "font-family:'"+family+"',sans-serif;")
		at := i + j + 1
		svg = svg[:at] + "\n" + fontFaceCSS(sub, family) + svg[at:]
	}
	_, err := io.WriteString(w, svg)
	return err
}

// fontSubset returns the figure font cut down to the given characters,
// and a family name for it that differs for different subsets.
func fontSubset(runes map[rune]bool) (ttf []byte, family string) {
	rs := make([]rune, 0, len(runes))
	for r := range runes {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	ttf = fpdf.UTF8CutFont(fontTTF, string(rs))
	h := fnv.New64a()
	h.Write(ttf)
	return ttf, fmt.Sprintf("DejaVuSans-%016x", h.Sum64())
}

// fontFaceCSS returns a <defs> element with an @font-face rule for the
// TrueType font ttf under the given family name.
func fontFaceCSS(ttf []byte, family string) string {
	return "<defs><style>@font-face{font-family:'" + family + "';font-weight:normal;font-style:normal;" +
		"src:url(data:font/ttf;base64," + base64.StdEncoding.EncodeToString(ttf) + ") format(\"truetype\");}</style></defs>\n"
}

// svgFontFamily is the family name vgsvg writes for the figure font.
func svgFontFamily() string {
	var b sfnt.Buffer
	name, err := fontSfnt.Name(&b, sfnt.NameIDFamily)
	if err != nil {
		return "DejaVu Sans"
	}
	return name
}

// title returns the titles of the figure's panels that have one, joined by
// " | ".
func (f *Figure) title() string {
	var ts []string
	for _, p := range f.panels {
		if t := strings.TrimSpace(p.p.Title.Text); t != "" {
			ts = append(ts, t)
		}
	}
	return strings.Join(ts, " | ")
}
