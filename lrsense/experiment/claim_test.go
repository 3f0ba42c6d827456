package experiment

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestVerdicts(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		c    Claim
		want Verdict
	}{
		{AtMost("a", "", "", 1, 1), Passed},
		{AtMost("a", "", "", 1.0001, 1), Failed},
		{AtMost("a", "", "", nan, 1), Failed},
		{AtLeast("a", "", "", 2, 1), Passed},
		{AtLeast("a", "", "", nan, 1), Failed},
		{Between("a", "", "", 0.5, 0, 1), Passed},
		{Between("a", "", "", 1.5, 0, 1), Failed},
		{Between("a", "", "", nan, 0, 1), Failed},
		{Check("a", "", "", 1, "ok", true), Passed},
		{Check("a", "", "", 1, "ok", false), Failed},
		{Fraction("a", "", "", []bool{true, true, true, true, true, true, true, true, true, false}, 0.9), Passed},
		{Fraction("a", "", "", []bool{true, true, true, true, true, true, true, true, false, false}, 0.9), Failed},
		{Fraction("a", "", "", nil, 0), Failed},
		{Fraction("a", "", "", []bool{true}, nan), Failed},
		{Deviation("a", "", "0.71", "0.88", "both costs are the same product"), Deviated},
	} {
		if tc.c.Verdict != tc.want {
			t.Errorf("%+v: verdict %s, want %s", tc.c, tc.c.Verdict, tc.want)
		}
	}
	if c := Fraction("a", "", "", []bool{true, false, true}, 0.5); c.Measured != "2/3" || c.Target != ">= 2/3 (share 0.5)" {
		t.Errorf("Fraction text: %q %q", c.Measured, c.Target)
	}
}

func TestReportLinesRoundTrip(t *testing.T) {
	claims := []Claim{
		AtMost("exact", "error\twith tab", "1e-8\n(Fig. 1)", 1e-9, 1e-8).From("theory"),
		AtLeast("slope", "slope", "", 0.1, 0.5),
		Fraction("grid", "holds", "", []bool{true, true}, 1).Over("seeds 1–2"),
		Deviation("ratio", "GD/RGD time", "0.71", "0.88", "same O(d²r) product"),
	}
	var b bytes.Buffer
	if report(&b, false, "REPRO", "nb\t1", claims) {
		t.Errorf("report returned true with a FAIL claim")
	}
	recs, err := ParseLines(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(claims) {
		t.Fatalf("parsed %d records, want %d:\n%s", len(recs), len(claims), b.String())
	}
	for i, r := range recs {
		if r.Kind != "REPRO" || r.Notebook != "nb\t1" || r.Claim != claims[i] {
			t.Errorf("record %d = %+v, want %+v", i, r, claims[i])
		}
	}
	b.Reset()
	if !report(&b, false, "CHECK", "a1", claims[2:]) {
		t.Errorf("PASS and DEVIATION reported as failing")
	}
	if !report(&b, false, "REPRO", "none", nil) {
		t.Errorf("no claims reported as failing")
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "REPRO") || strings.HasPrefix(l, "CHECK") {
			if strings.Count(l, "\t") != 1 {
				t.Errorf("claim line with more than one tab: %q", l)
			}
		}
	}
}

func TestParseLineRejects(t *testing.T) {
	for _, l := range []string{
		"REPRO\t{not json",
		`REPRO	{"notebook":"a","measured":"1","verdict":"PASS"}`,
		`REPRO	{"notebook":"a","id":"x","measured":"1","verdict":"OK"}`,
		`CHECK	{"notebook":"a","id":"x","measured":"1","verdict":"PASS","extra":1}`,
	} {
		if _, ok, err := ParseLine(l); !ok || err == nil {
			t.Errorf("ParseLine(%q) = ok %v, err %v; want a claim line with an error", l, ok, err)
		}
	}
	for _, l := range []string{"", "REPROX\t{}", "hello", "exit status 1"} {
		if _, ok, err := ParseLine(l); ok || err != nil {
			t.Errorf("ParseLine(%q) = ok %v, err %v; want not a claim line", l, ok, err)
		}
	}
}

func TestClaimsHTMLEscapes(t *testing.T) {
	h := claimsHTML("<nb>", []Claim{Deviation("x", "<script>", "", "1", "why"), AtMost("y", "", "", 2, 1)}, false)
	if strings.Contains(h, "<script>") || !strings.Contains(h, "&lt;nb&gt;") || !strings.Contains(h, ">DEVIATION<") || !strings.Contains(h, "1 FAIL, 1 DEVIATION") {
		t.Errorf("claimsHTML = %s", h)
	}
}

func TestQuick(t *testing.T) {
	t.Setenv("LRSENSE_SCALE", "quick")
	if !Quick() || Pick(100, 10) != 10 {
		t.Errorf("quick scale not seen")
	}
	t.Setenv("LRSENSE_SCALE", "")
	if Quick() || Pick("paper", "quick") != "paper" {
		t.Errorf("paper scale not seen")
	}
}
