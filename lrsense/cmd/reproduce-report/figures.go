package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	svgTitleElem = regexp.MustCompile(`(?s)<svg[^>]*>\s*<title>([^<]*)</title>`)
	svgText      = regexp.MustCompile(`(?s)<text x="[^"]*" y="([^"]*)"[^>]*>([^<]*)</text>`)
	svgSize      = regexp.MustCompile(`^<svg[^>]*?\swidth="([0-9.]+)(pt|px)?"[^>]*?\sheight="([0-9.]+)(pt|px)?"`)
	dataPNG      = regexp.MustCompile(`<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"`)
	headingR     = regexp.MustCompile(`^#+\s+(.*)$`)
)

// extractFigures writes every figure of the executed notebook to
// out/figures/<name>/<n>.svg and <n>.png: SVG outputs (GoNB shows an SVG as
// HTML holding the <svg> element) and PNG outputs (image/png, or an <img>
// with PNG data). With render set, a PNG of each SVG figure is drawn with
// headless Chromium when it is installed.
func (r *Result) extractFigures(out, executed string, render bool) error {
	dir := filepath.Join(out, "figures", filepath.FromSlash(r.Name))
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	nb, err := readNotebook(executed)
	if err != nil {
		return nil // no executed notebook: no figures (already a problem)
	}
	section := ""
	add := func(f Figure, svg string, pngData []byte) error {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		f.N = len(r.Figures) + 1
		f.Section = section
		base := filepath.Join(dir, strconv.Itoa(f.N))
		rel := "figures/" + r.Name + "/" + strconv.Itoa(f.N)
		if svg != "" {
			if err := os.WriteFile(base+".svg", []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"+svg+"\n"), 0o644); err != nil {
				return err
			}
			f.SVG = rel + ".svg"
		}
		if pngData != nil {
			if err := os.WriteFile(base+".png", pngData, 0o644); err != nil {
				return err
			}
			f.PNG, f.PNGFrom = rel+".png", "notebook"
		}
		r.Figures = append(r.Figures, f)
		return nil
	}
	for _, c := range nb.Cells {
		if c.CellType == "markdown" {
			for _, l := range strings.Split(string(c.Source), "\n") {
				if m := headingR.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
					section = strings.TrimSpace(m[1])
				}
			}
			continue
		}
		for _, o := range c.Outputs {
			if o.OutputType != "display_data" && o.OutputType != "execute_result" {
				continue
			}
			// One output is one figure when it has image/svg+xml or image/png
			// data (both: the same figure twice); an HTML output may hold
			// several.
			var svgs, pngs []string
			switch svg, p := string(o.Data["image/svg+xml"]), string(o.Data["image/png"]); {
			case svg != "" || p != "":
				svgs = append(svgs, svgElements(svg)...)
				pngs = append(pngs, p)
			default:
				h := string(o.Data["text/html"])
				svgs = svgElements(h)
				for _, m := range dataPNG.FindAllStringSubmatch(h, -1) {
					pngs = append(pngs, m[1])
				}
			}
			var pngData [][]byte
			for _, p := range pngs {
				if b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(p), "")); err == nil && len(b) > 0 {
					pngData = append(pngData, b)
				}
			}
			if len(svgs) == 1 && len(pngData) == 1 && o.Data["text/html"] == "" {
				f := Figure{Title: svgTitle(svgs[0])}
				f.Width, f.Height = svgPixels(svgs[0])
				if err := add(f, svgs[0], pngData[0]); err != nil {
					return err
				}
				continue
			}
			for _, s := range svgs {
				f := Figure{Title: svgTitle(s)}
				f.Width, f.Height = svgPixels(s)
				if err := add(f, s, nil); err != nil {
					return err
				}
			}
			for _, b := range pngData {
				f := Figure{}
				if cfg, err := png.DecodeConfig(bytes.NewReader(b)); err == nil {
					f.Width, f.Height = float64(cfg.Width), float64(cfg.Height)
				}
				if err := add(f, "", b); err != nil {
					return err
				}
			}
		}
	}
	if render {
		r.renderPNGs(out)
	}
	return nil
}

// svgElements returns each <svg>…</svg> element in s.
func svgElements(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "<svg")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "</svg>")
		if j < 0 {
			break
		}
		out = append(out, s[i:i+j+len("</svg>")])
		s = s[i+j:]
	}
	return out
}

// svgTitle returns the title of a figure: its <title> element, or else,
// for a plain gonum/plot SVG, the first text drawn
// (gonum draws the title before the axes), joined with the other texts on
// the same baseline (the titles of the other panels of a row).
func svgTitle(svg string) string {
	// plotting names its figures with a <title> element.
	if m := svgTitleElem.FindStringSubmatch(svg); m != nil {
		return strings.TrimSpace(html.UnescapeString(m[1]))
	}
	ms := svgText.FindAllStringSubmatch(svg, -1)
	if len(ms) == 0 {
		return ""
	}
	var parts []string
	for _, m := range ms {
		if m[1] == ms[0][1] {
			parts = append(parts, strings.TrimSpace(html.UnescapeString(m[2])))
		}
	}
	return strings.Join(parts, " | ")
}

// svgPixels returns the SVG's width and height in CSS pixels (pt × 4/3).
func svgPixels(svg string) (w, h float64) {
	m := svgSize.FindStringSubmatch(svg)
	if m == nil {
		return 0, 0
	}
	w, _ = strconv.ParseFloat(m[1], 64)
	h, _ = strconv.ParseFloat(m[3], 64)
	if m[2] == "pt" {
		w, h = w*4/3, h*4/3
	}
	return w, h
}

// chromium returns the path of a Chromium (or Chrome) to render with, or
// "" when there is none. $CHROMIUM overrides the search.
func chromium() string {
	if c := os.Getenv("CHROMIUM"); c != "" {
		return c
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chromiumFlags are the flags of a headless Chromium that touches nothing
// outside its own temporary profile and makes no network connection.
func chromiumFlags(profile string) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--no-first-run", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + profile}
}

// renderPNGs draws a PNG of every SVG figure that has none, with headless
// Chromium at twice the figure's pixel size. Figures it cannot draw keep
// only their SVG.
func (r *Result) renderPNGs(out string) {
	bin := chromium()
	if bin == "" {
		return
	}
	for i, f := range r.Figures {
		if f.SVG == "" || f.PNG != "" || f.Width <= 0 || f.Height <= 0 {
			continue
		}
		svg := filepath.Join(out, filepath.FromSlash(f.SVG))
		pngPath := strings.TrimSuffix(svg, ".svg") + ".png"
		if err := renderPNG(bin, svg, pngPath, f.Width, f.Height); err != nil {
			fmt.Fprintf(os.Stderr, "reproduce-report: %s: no PNG of figure %d: %v\n", r.Notebook, f.N, err)
			continue
		}
		r.Figures[i].PNG = strings.TrimSuffix(f.SVG, ".svg") + ".png"
		r.Figures[i].PNGFrom = "chromium"
	}
}

func renderPNG(bin, svg, pngPath string, w, h float64) error {
	profile, err := os.MkdirTemp("", "lrsense-chromium.")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	abs, err := filepath.Abs(svg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append(chromiumFlags(profile), "--force-device-scale-factor=2",
		fmt.Sprintf("--window-size=%d,%d", int(math.Ceil(w)), int(math.Ceil(h))),
		"--screenshot="+pngPath, "file://"+abs)
	cmd := exec.CommandContext(ctx, bin, args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, lastLine(string(b)))
	}
	st, err := os.Stat(pngPath)
	if err != nil {
		return err
	}
	if st.Size() == 0 {
		return fmt.Errorf("chromium wrote an empty %s", pngPath)
	}
	return nil
}

func lastLine(s string) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	return l[len(l)-1]
}
