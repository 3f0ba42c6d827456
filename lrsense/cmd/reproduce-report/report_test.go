package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lrsense/lrsense/lrsense/experiment"
)

func claimLine(kind, id string, v experiment.Verdict, reason string) ClaimLine {
	return ClaimLine{Kind: kind, Record: experiment.Record{Kind: kind, Notebook: "n",
		Claim: experiment.Claim{ID: id, What: "what <b>", Paper: "≈ 0.45 (Fig. 2)", Source: "paper Thm 3.1", Measured: "0.5", Target: "<= 1", Verdict: v, Reason: reason}}}
}

// TestWriteReport renders a report of three notebooks and checks what a
// reader relies on: every section reachable from the summary, verdicts as
// words, a DEVIATION's reason shown, the paper named, text escaped.
func TestWriteReport(t *testing.T) {
	results := []*Result{
		{Notebook: "apgd.ipynb", Name: "apgd", Title: "APGD", Status: "ok", Seconds: 125,
			Claims:  []ClaimLine{claimLine("REPRO", "rate", experiment.Passed, ""), claimLine("REPRO", "fig3", experiment.Deviated, "the paper's step size diverges here")},
			Figures: []Figure{{N: 1, Title: "Relative error", SVG: "figures/apgd/1.svg", PNG: "figures/apgd/1.png", Width: 576, Height: 356}}},
		{Notebook: "teaching/01-x-student.ipynb", Name: "teaching/01-x-student", Status: "ok", Student: true,
			Claims: []ClaimLine{claimLine("CHECK", "q1", experiment.Failed, "look at the sign")}},
		{Notebook: "00-tour.ipynb", Name: "00-tour", Status: "FAIL", Problems: []string{"In [3] (x()): panic: <boom>"}},
	}
	path := filepath.Join(t.TempDir(), "index.html")
	if err := writeReport(path, Facts{Date: "2026-11-30 07:00 UTC", Scale: "quick", Seconds: 200}, results); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{
		`<a href="#nb-apgd">`, `id="nb-apgd"`, `<a href="#nb-teaching-01-x-student">`, `id="nb-teaching-01-x-student"`,
		`<span class="verdict DEVIATION">DEVIATION</span>`, `<span class="verdict FAIL">FAIL</span>`,
		"the paper&#39;s step size diverges here", "Alternating Preconditioned Gradient Descent", "arXiv 2502.00463",
		"student version", "panic: &lt;boom&gt;", "what &lt;b&gt;", "2 min 05 s",
		`alt="Figure 1 of apgd: Relative error"`, `<a href="figures/apgd/1.svg"><img src="figures/apgd/1.png"`,
		`lang="en"`, `name="viewport"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// Every in-page link has its anchor.
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(page, `id="`+m[1]+`"`) {
			t.Errorf("link to a missing anchor #%s", m[1])
		}
	}
	// The apgd row of the summary counts 1 PASS, 0 FAIL, 1 DEVIATION.
	row := regexp.MustCompile(`(?s)<tr class="DEVIATION" data-notebook="apgd.ipynb">.*?</tr>`).FindString(page)
	for _, want := range []string{`data-verdict="PASS">1<`, `data-verdict="FAIL">0<`, `data-verdict="DEVIATION">1<`} {
		if !strings.Contains(row, want) {
			t.Errorf("summary row of apgd lacks %s:\n%s", want, row)
		}
	}
}
