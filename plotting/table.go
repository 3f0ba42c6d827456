package plotting

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// HTMLTable returns an HTML table with the given header row and rows; the
// cells are HTML-escaped.
func HTMLTable(header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString(`<table style="border-collapse:collapse;font-family:sans-serif;font-size:90%">` + "\n")
	if len(header) > 0 {
		b.WriteString("<thead><tr>")
		for _, h := range header {
			fmt.Fprintf(&b, `<th style="border-bottom:1px solid #444;padding:2px 10px;text-align:left">%s</th>`, html.EscapeString(h))
		}
		b.WriteString("</tr></thead>\n")
	}
	b.WriteString("<tbody>\n")
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, `<td style="padding:2px 10px;text-align:left">%s</td>`, html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table>\n")
	return b.String()
}

// ShowTable shows a table: as HTML in a GoNB notebook, as aligned plain
// text on standard output otherwise.
func ShowTable(header []string, rows [][]string) {
	if gonbui.IsNotebook {
		gonbui.DisplayHTML(HTMLTable(header, rows))
		gonbui.Sync()
		return
	}
	writeText(os.Stdout, header, rows)
}

// writeText writes the table as aligned columns.
func writeText(w io.Writer, header []string, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(cells []string) {
		for i, c := range cells {
			c = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(c)
			if i > 0 {
				io.WriteString(tw, "\t")
			}
			io.WriteString(tw, c)
		}
		io.WriteString(tw, "\n")
	}
	if len(header) > 0 {
		line(header)
		rule := make([]string, len(header))
		for i, h := range header {
			rule[i] = strings.Repeat("-", max(len([]rune(h)), 3))
		}
		line(rule)
	}
	for _, r := range rows {
		line(r)
	}
	tw.Flush()
}

// Live shows the progress of a long computation, updated in place: in a
// GoNB notebook a progress bar and an optional figure in the cell output,
// elsewhere a plain progress line on standard error. It is meant to be
// called from the computation's loop; it starts no goroutines.
type Live struct {
	title    string
	progID   string
	figID    string
	start    time.Time
	last     time.Time
	notebook bool
}

// liveInterval is the shortest time between two progress updates.
const liveInterval = 250 * time.Millisecond

// NewLive returns a Live display with the given title.
func NewLive(title string) *Live {
	id := gonbui.UniqueId()
	return &Live{
		title:    title,
		progID:   "lrsense_progress_" + id,
		figID:    "lrsense_figure_" + id,
		start:    time.Now(),
		notebook: gonbui.IsNotebook,
	}
}

// Progress reports that done of total steps are complete, with a short
// message. Updates closer than a quarter second are skipped, except the
// first and the last (done ≥ total).
func (l *Live) Progress(done, total int, msg string) {
	now := time.Now()
	final := done >= total
	if !l.last.IsZero() && !final && now.Sub(l.last) < liveInterval {
		return
	}
	l.last = now
	elapsed := now.Sub(l.start).Round(100 * time.Millisecond)
	frac := 0.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	eta := ""
	if frac > 0 && !final {
		rem := time.Duration(float64(now.Sub(l.start)) * (1 - frac) / frac).Round(time.Second)
		eta = fmt.Sprintf(", ~%v left", rem)
	}
	if !l.notebook {
		fmt.Fprintf(os.Stderr, "%s: %d/%d (%.0f%%) %v%s %s\n", l.title, done, total, 100*frac, elapsed, eta, msg)
		return
	}
	gonbui.UpdateHTML(l.progID, fmt.Sprintf(
		`<div style="font-family:sans-serif;font-size:90%%"><b>%s</b> <progress value="%d" max="%d" style="width:30em"></progress> %d/%d (%.0f%%) %v%s %s</div>`,
		html.EscapeString(l.title), done, max(total, 1), done, total, 100*frac, elapsed, eta, html.EscapeString(msg)))
	if final {
		gonbui.Sync()
	}
}

// Figure shows f below the progress bar, replacing the figure shown by the
// previous call (as PNG, which is light enough to resend). Outside a
// notebook it does nothing.
func (l *Live) Figure(f *Figure) {
	if !l.notebook {
		return
	}
	gonbui.UpdateHTML(l.figID, `<img src="data:image/png;base64,`+base64.StdEncoding.EncodeToString(f.PNG())+`">`)
	gonbui.Sync()
}
