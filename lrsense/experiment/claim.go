package experiment

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/janpfeifer/gonb/gonbui"
)

// Verdict is the outcome of a Claim.
type Verdict string

const (
	// Passed: the measured value meets the target taken from the paper or
	// from the theory.
	Passed Verdict = "PASS"
	// Failed: it does not. A FAIL makes docker/reproduce.sh (and CI) fail.
	Failed Verdict = "FAIL"
	// Deviated: a documented non-reproduction. The paper's value, the
	// measured value and the reason are all stated; it does not fail a run
	// but is listed and counted separately in reproduced/summary.tsv.
	Deviated Verdict = "DEVIATION"
)

// Claim is one quantitative statement of a paper (or, in a teaching
// notebook, one answer check), measured again and compared with its target.
type Claim struct {
	// ID is short and unique in its notebook ("fig2-slope").
	ID string `json:"id"`
	// What says in words what is claimed.
	What string `json:"what"`
	// Paper is the paper's value or statement ("≈ 0.45 (Fig. 2)").
	Paper string `json:"paper,omitempty"`
	// Source says where the target comes from when it is not the paper's
	// own number ("theory: rate 1 − ησ_r", "paper Thm 3.1").
	Source string `json:"source,omitempty"`
	// Grid describes the settings a pass fraction was taken over
	// ("seeds 1–5 × κ ∈ {1, 2}"); empty for a single measurement.
	Grid string `json:"grid,omitempty"`
	// Measured is the measured value and Target the condition it must
	// meet ("<= 1e-3", "in [0.4, 0.6]", ">= 0.9 of 10").
	Measured string `json:"measured"`
	Target   string `json:"target,omitempty"`
	// Verdict is PASS, FAIL or DEVIATION.
	Verdict Verdict `json:"verdict"`
	// Reason explains a DEVIATION (why the paper's value is not
	// reproduced) or, in a teaching check, what to look at.
	Reason string `json:"reason,omitempty"`
}

// Check returns the Claim with the measured value formatted with %.3g and
// the given target text, PASS when pass is true and FAIL otherwise.
func Check(id, what, paper string, measured float64, target string, pass bool) Claim {
	v := Failed
	if pass {
		v = Passed
	}
	return Claim{ID: id, What: what, Paper: paper, Measured: fmt.Sprintf("%.3g", measured), Target: target, Verdict: v}
}

// AtMost returns the Claim measured ≤ limit (FAIL for NaN).
func AtMost(id, what, paper string, measured, limit float64) Claim {
	return Check(id, what, paper, measured, fmt.Sprintf("<= %.3g", limit), measured <= limit)
}

// AtLeast returns the Claim measured ≥ limit (FAIL for NaN).
func AtLeast(id, what, paper string, measured, limit float64) Claim {
	return Check(id, what, paper, measured, fmt.Sprintf(">= %.3g", limit), measured >= limit)
}

// Between returns the Claim lo ≤ measured ≤ hi (FAIL for NaN).
func Between(id, what, paper string, measured, lo, hi float64) Claim {
	return Check(id, what, paper, measured, fmt.Sprintf("in [%.3g, %.3g]", lo, hi), lo <= measured && measured <= hi)
}

// Fraction returns the Claim that a statement holds in at least the share
// need of the settings of a grid: pass[i] says whether it held in setting
// i. It is PASS when the count of true values is at least ⌈need·len(pass)⌉
// and FAIL otherwise (also FAIL for an empty grid). Measured reads "k/n";
// describe the grid with Over.
func Fraction(id, what, paper string, pass []bool, need float64) Claim {
	k := 0
	for _, p := range pass {
		if p {
			k++
		}
	}
	n := len(pass)
	want := int(math.Ceil(need*float64(n) - 1e-9))
	c := Check(id, what, paper, 0, fmt.Sprintf(">= %d/%d (share %.2g)", want, n, need), n > 0 && k >= want && !math.IsNaN(need))
	c.Measured = fmt.Sprintf("%d/%d", k, n)
	return c
}

// Deviation returns a documented non-reproduction: the paper's value, the
// measured value and the reason it differs.
func Deviation(id, what, paper, measured, reason string) Claim {
	return Claim{ID: id, What: what, Paper: paper, Measured: measured, Verdict: Deviated, Reason: reason}
}

// From returns c with its Source set: where its target comes from.
func (c Claim) From(source string) Claim { c.Source = source; return c }

// Over returns c with its Grid set: the settings a pass fraction was
// taken over.
func (c Claim) Over(grid string) Claim { c.Grid = grid; return c }

// Because returns c with its Reason set.
func (c Claim) Because(reason string) Claim { c.Reason = reason; return c }

// Record is one parsed claim line: the kind ("REPRO" for a paper claim,
// "CHECK" for a teaching check), the notebook (or assignment) it came
// from, and the claim.
type Record struct {
	Kind     string `json:"-"`
	Notebook string `json:"notebook"`
	Claim
}

// Line returns the machine-readable line of the record: its kind, a tab and
// the record as one JSON object (no newline inside).
func (r Record) Line() string {
	b, err := json.Marshal(r)
	if err != nil {
		// Only strings are encoded: this cannot happen.
		panic(err)
	}
	return r.Kind + "\t" + string(b)
}

// ParseLine parses a line printed by Report or ReportChecks. It returns
// false for a line that is not a claim line, and an error for a claim line
// that is malformed (bad JSON, missing id, unknown verdict).
func ParseLine(line string) (Record, bool, error) {
	line = strings.TrimRight(line, "\r\n")
	kind, rest, ok := strings.Cut(line, "\t")
	if !ok || (kind != "REPRO" && kind != "CHECK") {
		return Record{}, false, nil
	}
	var r Record
	dec := json.NewDecoder(strings.NewReader(rest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Record{}, true, fmt.Errorf("experiment: malformed %s line: %v", kind, err)
	}
	r.Kind = kind
	switch {
	case r.ID == "":
		return r, true, fmt.Errorf("experiment: %s line without a claim id", kind)
	case r.Verdict != Passed && r.Verdict != Failed && r.Verdict != Deviated:
		return r, true, fmt.Errorf("experiment: %s line %q: unknown verdict %q", kind, r.ID, r.Verdict)
	}
	return r, true, nil
}

// ParseLines reads every claim line of r (other lines are skipped). It
// returns the first malformed line's error, with its line number.
func ParseLines(rd io.Reader) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		r, ok, err := ParseLine(sc.Text())
		if err != nil {
			return out, fmt.Errorf("line %d: %w", n, err)
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, sc.Err()
}

// Report reports a notebook's reproduction claims and returns whether none
// of them is FAIL (a DEVIATION does not fail). It prints one REPRO line per
// claim on standard output (see Record.Line; docker/reproduce.sh collects
// them) and shows the table claim | what | paper | measured | target |
// verdict: as HTML in a GoNB notebook, as aligned text otherwise. Call it in
// a notebook's last cell.
func Report(notebook string, claims ...Claim) bool {
	return report(os.Stdout, gonbui.IsNotebook, "REPRO", notebook, claims)
}

// ReportChecks is Report for the answer checks of a teaching notebook: it
// prints CHECK lines instead of REPRO lines.
func ReportChecks(assignment string, checks ...Claim) bool {
	return report(os.Stdout, gonbui.IsNotebook, "CHECK", assignment, checks)
}

func report(w io.Writer, notebook bool, kind, name string, claims []Claim) bool {
	ok := true
	for _, c := range claims {
		ok = ok && c.Verdict != Failed
	}
	if notebook {
		gonbui.DisplayHTML(claimsHTML(name, claims, ok))
		gonbui.Sync()
	}
	for _, c := range claims {
		fmt.Fprintln(w, Record{Kind: kind, Notebook: name, Claim: c}.Line())
	}
	if !notebook {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "claim\tmeasured\ttarget\tverdict\tpaper\twhy")
		for _, c := range claims {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", oneLine(c.ID), oneLine(c.Measured), oneLine(c.Target),
				c.Verdict, oneLine(c.Paper), oneLine(c.Reason))
		}
		tw.Flush()
	}
	return ok
}

// oneLine collapses white space, so a field fits a table cell.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

var verdictColour = map[Verdict]string{Passed: "#1a7f37", Failed: "#cf222e", Deviated: "#9a6700"}

// claimsHTML renders the claims table; verdicts are coloured and spelled
// out, so colour is not the only signal.
func claimsHTML(name string, claims []Claim, ok bool) string {
	var b strings.Builder
	counts := map[Verdict]int{}
	for _, c := range claims {
		counts[c.Verdict]++
	}
	fmt.Fprintf(&b, `<div style="font-family:sans-serif"><b>Reproduction: %s</b> — %d PASS, %d FAIL, %d DEVIATION</div>`,
		html.EscapeString(name), counts[Passed], counts[Failed], counts[Deviated])
	b.WriteString(`<table style="border-collapse:collapse;font-family:sans-serif;font-size:90%">`)
	b.WriteString(`<tr>`)
	for _, h := range []string{"claim", "what", "paper", "measured", "target", "verdict", "source / reason"} {
		fmt.Fprintf(&b, `<th style="border:1px solid #ccc;padding:2px 6px;text-align:left">%s</th>`, h)
	}
	b.WriteString(`</tr>`)
	cell := func(s, style string) {
		fmt.Fprintf(&b, `<td style="border:1px solid #ccc;padding:2px 6px;%s">%s</td>`, style, html.EscapeString(s))
	}
	for _, c := range claims {
		b.WriteString(`<tr>`)
		cell(c.ID, "")
		cell(c.What, "")
		cell(c.Paper, "")
		m := c.Measured
		if c.Grid != "" {
			m += " over " + c.Grid
		}
		cell(m, "")
		cell(c.Target, "")
		cell(string(c.Verdict), "font-weight:bold;color:"+verdictColour[c.Verdict])
		why := c.Source
		if c.Reason != "" {
			if why != "" {
				why += "; "
			}
			why += c.Reason
		}
		cell(why, "")
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</table>`)
	return b.String()
}
