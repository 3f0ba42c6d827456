package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func htmlCmd(args []string) error {
	fs := flag.NewFlagSet("html", flag.ExitOnError)
	out := fs.String("out", "", "the output directory of the reproduce run")
	root := fs.String("root", ".", "the repository (for the commit)")
	scale := fs.String("scale", "paper", "the scale of the run: paper or quick")
	seconds := fs.Float64("seconds", 0, "the run's total wall time")
	fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("html: -out is required")
	}
	results, err := readResults(*out)
	if err != nil {
		return err
	}
	facts := machineFacts(*root)
	facts.Scale, facts.Seconds = *scale, *seconds
	return writeReport(filepath.Join(*out, "index.html"), facts, results)
}

// readResults reads the scan results of the notebooks listed in
// notebooks.tsv (this run's notebooks, in the order run).
func readResults(out string) ([]*Result, error) {
	f, err := os.Open(filepath.Join(out, "notebooks.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var results []*Result
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for first := true; sc.Scan(); first = false {
		if first {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 {
			continue
		}
		name := cols[0]
		var r Result
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimSuffix(name, ".ipynb")+".result.json")))
		if err == nil {
			err = json.Unmarshal(b, &r)
		}
		if err != nil {
			r = Result{Notebook: name, Name: strings.TrimSuffix(name, ".ipynb"), Status: "FAIL",
				Problems: []string{fmt.Sprintf("no scan result: %v", err)}}
		}
		results = append(results, &r)
	}
	return results, sc.Err()
}

// view is what the template shows of one notebook.
type view struct {
	*Result
	ID                  string
	Paper               Paper
	HasPaper            bool
	Pass, Fail, Dev     int
	CheckPass, CheckNot int
	Verdict             string // PASS, FAIL or DEVIATION: the notebook's overall verdict
	Repro, Checks       []ClaimLine
}

var notID = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

func writeReport(path string, facts Facts, results []*Result) error {
	var views []view
	total := map[string]int{}
	rendered, fromNotebook, figures := 0, 0, 0
	for _, r := range results {
		v := view{Result: r, ID: "nb-" + notID.ReplaceAllString(r.Name, "-")}
		v.Paper, v.HasPaper = paperOf(r.Name)
		v.Pass, v.Fail, v.Dev = r.Counts("REPRO")
		cp, cf, cd := r.Counts("CHECK")
		v.CheckPass, v.CheckNot = cp, cf+cd
		for _, c := range r.Claims {
			if c.Kind == "CHECK" {
				v.Checks = append(v.Checks, c)
			} else {
				v.Repro = append(v.Repro, c)
			}
		}
		switch {
		case r.Status != "ok":
			v.Verdict = "FAIL"
		case v.Dev > 0:
			v.Verdict = "DEVIATION"
		default:
			v.Verdict = "PASS"
		}
		total[v.Verdict]++
		total["pass"] += v.Pass
		total["fail"] += v.Fail
		total["dev"] += v.Dev
		for _, f := range r.Figures {
			figures++
			switch f.PNGFrom {
			case "chromium":
				rendered++
			case "notebook":
				fromNotebook++
			}
		}
		views = append(views, v)
	}
	switch {
	case figures == 0:
		facts.PNG = "no figures"
	case rendered > 0:
		facts.PNG = fmt.Sprintf("%d of %d figures rendered from their SVG with headless Chromium, %d shown as PNG by the notebook", rendered, figures, fromNotebook)
	default:
		facts.PNG = fmt.Sprintf("not rendered from SVG (no Chromium found); %d of %d figures shown as PNG by the notebook", fromNotebook, figures)
	}
	var b strings.Builder
	err := page.Execute(&b, map[string]any{"Facts": facts, "Notebooks": views, "Total": total})
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"secs": func(s float64) string {
		if s >= 120 {
			return fmt.Sprintf("%.0f min %02.0f s", float64(int(s)/60), s-float64(int(s)/60*60))
		}
		return fmt.Sprintf("%.1f s", s)
	},
	"lower": strings.ToLower,
	"alt": func(f Figure, nb string) string {
		t := f.Title
		if t == "" && f.Section != "" {
			t = "figure in section “" + f.Section + "”"
		}
		if t == "" {
			t = "figure without a title"
		}
		return fmt.Sprintf("Figure %d of %s: %s", f.N, nb, t)
	},
	// The thumbnail is the PNG when there is one (a tenth of the SVG's
	// size, which embeds its fonts); it links to the SVG.
	"thumb": func(f Figure) string {
		if f.PNG != "" {
			return f.PNG
		}
		return f.SVG
	},
	"full": func(f Figure) string {
		if f.SVG != "" {
			return f.SVG
		}
		return f.PNG
	},
}).Parse(pageHTML))

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lrsense reproduction report, {{.Facts.Date}}</title>
<style>
:root { --pass-bg: #dafbe1; --pass: #116329; --fail-bg: #ffebe9; --fail: #a40e26; --dev-bg: #fff8c5; --dev: #7d4e00; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; line-height: 1.45; margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.6rem; margin-top: 1.2rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f6f8fa; overflow-wrap: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { font-weight: 700; white-space: nowrap; border-radius: .25rem; padding: 0 .3rem; }
.PASS { background: var(--pass-bg); color: var(--pass); }
.FAIL { background: var(--fail-bg); color: var(--fail); }
.DEVIATION { background: var(--dev-bg); color: var(--dev); }
tr.FAIL td:first-child { border-left: .35rem solid var(--fail); }
tr.DEVIATION td:first-child { border-left: .35rem solid var(--dev); }
tr.PASS td:first-child { border-left: .35rem solid var(--pass); }
.paper cite { font-style: italic; }
ul.problems li { color: var(--fail); }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid #d0d7de; border-radius: .3rem; padding: .4rem; }
figure img { width: 100%; height: auto; display: block; background: #fff; }
figcaption { font-size: .85rem; margin-top: .3rem; }
code { font-size: .9em; }
a { color: #0550ae; }
@media (max-width: 40rem) {
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: auto; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack tr { border: 1px solid #d0d7de; margin-bottom: .6rem; }
  table.stack td { border: none; border-bottom: 1px solid #eaeef2; }
  table.stack td::before { content: attr(data-label) ": "; font-weight: 600; }
  td.num { text-align: left; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .3rem; }
}
</style>
</head>
<body>
<header>
<h1>lrsense reproduction report</h1>
<dl class="facts">
<dt>Date</dt><dd>{{.Facts.Date}}</dd>
<dt>Commit</dt><dd><code>{{.Facts.Commit}}</code></dd>
<dt>Machine</dt><dd>{{.Facts.CPU}}, {{.Facts.Cores}} cores, {{.Facts.Memory}} memory</dd>
<dt>Go</dt><dd>{{.Facts.Go}}</dd>
<dt>GoNB</dt><dd>{{.Facts.GoNB}}</dd>
<dt>Jupyter</dt><dd>{{.Facts.Jupyter}}</dd>
<dt>Scale</dt><dd>{{if eq .Facts.Scale "quick"}}quick (LRSENSE_SCALE=quick: CI sizes, fewer trials; paper-scale-only claims not checked){{else}}paper (the papers' sizes){{end}}</dd>
<dt>Total wall time</dt><dd>{{secs .Facts.Seconds}}</dd>
<dt>PNG figures</dt><dd>{{.Facts.PNG}}</dd>
</dl>
</header>
<main>
<section aria-labelledby="summary">
<h2 id="summary">Summary</h2>
<p>{{len .Notebooks}} notebook(s): {{index .Total "PASS"}} PASS, {{index .Total "DEVIATION"}} with a DEVIATION, {{index .Total "FAIL"}} FAIL.
Paper claims: {{index .Total "pass"}} PASS, {{index .Total "fail"}} FAIL, {{index .Total "dev"}} DEVIATION.
A DEVIATION is a documented non-reproduction (the paper's value, ours and the reason are in the notebook's section); it does not fail the run.
Tables: <a href="summary.tsv">summary.tsv</a> (every claim), <a href="notebooks.tsv">notebooks.tsv</a> (every notebook).</p>
<table class="stack" id="summary-table">
<thead><tr><th scope="col">Notebook</th><th scope="col">Verdict</th><th scope="col">PASS</th><th scope="col">FAIL</th><th scope="col">DEVIATION</th><th scope="col">Checks</th><th scope="col">Figures</th><th scope="col">Wall time</th></tr></thead>
<tbody>
{{range .Notebooks}}<tr class="{{.Verdict}}" data-notebook="{{.Notebook}}">
<td data-label="Notebook"><a href="#{{.ID}}">{{.Name}}</a>{{if .HasPaper}}<br><small>{{.Paper.Authors}} {{.Paper.Year}}</small>{{end}}</td>
<td data-label="Verdict"><span class="verdict {{.Verdict}}">{{.Verdict}}</span></td>
<td data-label="PASS" class="num" data-verdict="PASS">{{.Pass}}</td>
<td data-label="FAIL" class="num" data-verdict="FAIL">{{.Fail}}</td>
<td data-label="DEVIATION" class="num" data-verdict="DEVIATION">{{.Dev}}</td>
<td data-label="Checks" class="num">{{if or .CheckPass .CheckNot}}{{.CheckPass}} PASS, {{.CheckNot}} not PASS{{else}}–{{end}}</td>
<td data-label="Figures" class="num">{{len .Figures}}</td>
<td data-label="Wall time" class="num">{{secs .Seconds}}</td>
</tr>
{{end}}</tbody>
</table>
</section>
{{range .Notebooks}}
<section id="{{.ID}}" aria-labelledby="{{.ID}}-h">
<h2 id="{{.ID}}-h">{{.Name}}{{if .Title}}: {{.Title}}{{end}}</h2>
<p class="paper">{{if .HasPaper}}Paper: <cite>{{.Paper.Title}}</cite>, {{.Paper.Authors}}, {{.Paper.Venue}} ({{.Paper.Year}}), {{.Paper.Ref}}.{{else if .Student}}Teaching notebook, student version: the exercises are blank, so every check is expected to FAIL.{{else if .Checks}}Teaching notebook with its answer checks.{{else}}No paper: this notebook checks the library's own behaviour.{{end}}</p>
<p>Verdict: <span class="verdict {{.Verdict}}">{{.Verdict}}</span> —
{{.Pass}} PASS, {{.Fail}} FAIL, {{.Dev}} DEVIATION{{if or .CheckPass .CheckNot}}; checks: {{.CheckPass}} PASS, {{.CheckNot}} not PASS{{end}}.
Wall time {{secs .Seconds}}.
{{if .HTML}}<a href="{{.HTML}}">Executed notebook (HTML)</a>{{end}}{{if .Executed}} · <a href="{{.Executed}}">.ipynb</a>{{end}}{{if .Log}} · <a href="{{.Log}}">log</a>{{end}}</p>
{{if .Problems}}<h3>Problems</h3>
<ul class="problems">{{range .Problems}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Figures}}<h3>Figures</h3>
<div class="figures">
{{$nb := .Name}}{{range .Figures}}<figure>
<a href="{{full .}}"><img src="{{thumb .}}" alt="{{alt . $nb}}" loading="lazy"{{if .Width}} width="{{printf "%.0f" .Width}}" height="{{printf "%.0f" .Height}}"{{end}}></a>
<figcaption>Figure {{.N}}{{if .Title}}: {{.Title}}{{end}}{{if .Section}} <small>(section “{{.Section}}”)</small>{{end}}<br>
{{if .SVG}}<a href="{{.SVG}}">SVG</a>{{end}}{{if and .SVG .PNG}} · {{end}}{{if .PNG}}<a href="{{.PNG}}">PNG</a>{{end}}</figcaption>
</figure>
{{end}}</div>{{end}}
{{if .Repro}}<h3>Claims</h3>
<table class="stack claims">
<thead><tr><th scope="col">Claim</th><th scope="col">Paper (source)</th><th scope="col">Measured</th><th scope="col">Threshold</th><th scope="col">Verdict</th><th scope="col">Reason</th></tr></thead>
<tbody>
{{range .Repro}}<tr class="{{.Verdict}}">
<td data-label="Claim"><code>{{.ID}}</code><br>{{.What}}</td>
<td data-label="Paper">{{.Paper}}{{if .Source}}<br><small>source: {{.Source}}</small>{{end}}</td>
<td data-label="Measured">{{.Measured}}{{if .Grid}}<br><small>over {{.Grid}}</small>{{end}}</td>
<td data-label="Threshold">{{.Target}}</td>
<td data-label="Verdict"><span class="verdict {{.Verdict}}">{{.Verdict}}</span></td>
<td data-label="Reason">{{.Reason}}</td>
</tr>
{{end}}</tbody>
</table>{{end}}
{{if .Checks}}<h3>Checks</h3>
<table class="stack claims">
<thead><tr><th scope="col">Check</th><th scope="col">Expected</th><th scope="col">Measured</th><th scope="col">Threshold</th><th scope="col">Verdict</th><th scope="col">What to look at</th></tr></thead>
<tbody>
{{range .Checks}}<tr class="{{.Verdict}}">
<td data-label="Check"><code>{{.ID}}</code><br>{{.What}}</td>
<td data-label="Expected">{{.Paper}}{{if .Source}}<br><small>source: {{.Source}}</small>{{end}}</td>
<td data-label="Measured">{{.Measured}}{{if .Grid}}<br><small>over {{.Grid}}</small>{{end}}</td>
<td data-label="Threshold">{{.Target}}</td>
<td data-label="Verdict"><span class="verdict {{.Verdict}}">{{.Verdict}}</span></td>
<td data-label="What to look at">{{.Reason}}</td>
</tr>
{{end}}</tbody>
</table>{{end}}
{{if and (not .Repro) (not .Checks)}}<p>No claim lines were printed.</p>{{end}}
<p><a href="#summary">Back to the summary</a></p>
</section>
{{end}}
</main>
</body>
</html>
`
