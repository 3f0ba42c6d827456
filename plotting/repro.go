package plotting

import (
	"fmt"
	"html"
	"io"
	"os"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
)

// Quick reports whether the notebooks run at quick (CI) scale: the
// environment variable LRSENSE_SCALE is "quick". Otherwise they run at the
// paper's scale.
func Quick() bool { return os.Getenv("LRSENSE_SCALE") == "quick" }

// Pick returns quick when Quick() is true and paper otherwise:
// trials := plotting.Pick(100, 10).
func Pick[T any](paper, quick T) T {
	if Quick() {
		return quick
	}
	return paper
}

// Claim is one quantitative claim of a paper checked by a notebook.
type Claim struct {
	// ID is a short identifier, unique in the notebook ("fig2-slope").
	ID string
	// What says in words what is claimed.
	What string
	// Paper is the paper's value or statement ("≈ 1/2", "linear rate").
	Paper string
	// Measured is the value measured by the notebook, and Target the
	// condition it must meet ("≤ 1e-3", "in [0.4, 0.6]").
	Measured, Target string
	// Pass reports whether Measured meets Target.
	Pass bool
}

// Check returns a Claim with the measured value formatted with %.3g and
// the given target text and verdict.
func Check(id, what, paper string, measured float64, target string, pass bool) Claim {
	return Claim{ID: id, What: what, Paper: paper, Measured: fmt.Sprintf("%.3g", measured), Target: target, Pass: pass}
}

// AtMost returns the Claim measured ≤ limit (false for NaN).
func AtMost(id, what, paper string, measured, limit float64) Claim {
	return Check(id, what, paper, measured, fmt.Sprintf("<= %.3g", limit), measured <= limit)
}

// AtLeast returns the Claim measured ≥ limit (false for NaN).
func AtLeast(id, what, paper string, measured, limit float64) Claim {
	return Check(id, what, paper, measured, fmt.Sprintf(">= %.3g", limit), measured >= limit)
}

// Between returns the Claim lo ≤ measured ≤ hi (false for NaN).
func Between(id, what, paper string, measured, lo, hi float64) Claim {
	return Check(id, what, paper, measured, fmt.Sprintf("in [%.3g, %.3g]", lo, hi), lo <= measured && measured <= hi)
}

// Verdict returns "PASS" or "FAIL".
func (c Claim) Verdict() string {
	if c.Pass {
		return "PASS"
	}
	return "FAIL"
}

// Repro reports a notebook's reproduction claims. It prints one line per
// claim to standard output,
//
//	REPRO<TAB>notebook<TAB>id<TAB>measured<TAB>target<TAB>PASS|FAIL
//
// (tabs and newlines inside fields become spaces; docker/reproduce.sh
// collects these lines), and shows the table claim | paper | measured |
// target | verdict: as HTML in a GoNB notebook, as text after the lines
// otherwise. It returns whether every claim passed (true for no claims).
func Repro(notebook string, claims ...Claim) bool {
	return repro(os.Stdout, gonbui.IsNotebook, notebook, claims)
}

func repro(w io.Writer, notebook bool, name string, claims []Claim) bool {
	all := true
	header := []string{"claim", "what", "paper", "measured", "target", "verdict"}
	rows := make([][]string, len(claims))
	for i, c := range claims {
		all = all && c.Pass
		rows[i] = []string{c.ID, c.What, c.Paper, c.Measured, c.Target, c.Verdict()}
	}
	if notebook {
		gonbui.DisplayHTML(reproHTML(name, header, rows, all))
		gonbui.Sync()
	}
	for _, c := range claims {
		fmt.Fprintf(w, "REPRO\t%s\t%s\t%s\t%s\t%s\n", field(name), field(c.ID), field(c.Measured), field(c.Target), c.Verdict())
	}
	if !notebook {
		writeText(w, header, rows)
	}
	return all
}

// reproHTML renders the reproduction table with coloured verdicts.
func reproHTML(name string, header []string, rows [][]string, all bool) string {
	t := HTMLTable(header, rows)
	t = strings.ReplaceAll(t, `">PASS</td>`, `;color:#1a7f37;font-weight:bold">PASS</td>`)
	t = strings.ReplaceAll(t, `">FAIL</td>`, `;color:#cf222e;font-weight:bold">FAIL</td>`)
	verdict := `<span style="color:#1a7f37">all claims reproduced</span>`
	if !all {
		verdict = `<span style="color:#cf222e">some claims FAILED</span>`
	}
	return fmt.Sprintf(`<div style="font-family:sans-serif"><b>Reproduction: %s</b> (%s)</div>`, html.EscapeString(name), verdict) + t
}

// field makes s safe for one tab-separated field.
func field(s string) string {
	s = strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	return strings.TrimSpace(s)
}
