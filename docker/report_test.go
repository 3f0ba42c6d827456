//go:build linux

package docker_test

import (
	"bufio"
	"encoding/json"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReproduceReport runs reproduce.sh on two fixture notebooks: one with
// a figure and two claims, one whose claims cell was removed. The run must
// fail naming the missing claims; the report it writes
// (reproduced/go-test/report/index.html) is then opened in headless
// Chromium at phone width and checked: every link resolves to an existing
// file or anchor, every thumbnail loads with a non-zero size and has alt
// text, the summary's verdict counts equal summary.tsv's, and nothing is
// wider than the screen. Screenshots (phone and desktop width) are saved
// beside the report. The Chromium part skips when Chromium is missing.
func TestReproduceReport(t *testing.T) {
	needNotebookTools(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "reproduced", "go-test", "report")
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "reproduce.sh", "--quick", "--out", out,
		"testdata/fixture-ok.ipynb", "testdata/fixture-noclaims.ipynb")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	t0 := time.Now()
	log, err := cmd.CombinedOutput()
	t.Logf("reproduce.sh took %v", time.Since(t0).Round(time.Second))
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("reproduce.sh exit status %d (%v), want 1: fixture-noclaims has no claims cell\n%s", code, err, log)
	}
	want := "fixture-noclaims.ipynb: missing claim(s) declared in the notebook's metadata: differs, small"
	if !strings.Contains(string(log), want) {
		t.Errorf("the output does not say %q:\n%s", want, log)
	}
	rows := readTSV(t, filepath.Join(out, "notebooks.tsv"))
	status := map[string]string{}
	for _, r := range rows {
		status[r["notebook"]] = r["status"]
	}
	if status["fixture-ok.ipynb"] != "ok" || status["fixture-noclaims.ipynb"] != "FAIL" {
		t.Errorf("notebooks.tsv statuses %v, want fixture-ok ok and fixture-noclaims FAIL", status)
	}
	for _, f := range []string{"index.html", "figures/fixture-ok/1.svg", "figures/fixture-noclaims/1.svg"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", f, err)
		}
	}
	checkReport(t, out)
}

// readTSV reads a table with a header row.
func readTSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var head []string
	var rows []map[string]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if head == nil {
			head = cols
			continue
		}
		r := map[string]string{}
		for i, h := range head {
			if i < len(cols) {
				r[h] = cols[i]
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// pageCheck is what the script injected into a copy of the report finds.
type pageCheck struct {
	Links          []string `json:"links"`
	MissingAnchors []string `json:"missingAnchors"`
	Images         []struct {
		Src  string `json:"src"`
		W    int    `json:"w"`
		H    int    `json:"h"`
		Alt  string `json:"alt"`
		Link string `json:"link"`
	} `json:"images"`
	Counts   map[string]map[string]int `json:"counts"`
	Overflow int                       `json:"overflow"`
	H1       int                       `json:"h1"`
}

const checkScript = `<script>
window.addEventListener('load', () => {
  const res = {links: [], missingAnchors: [], images: [], counts: {}, overflow: 0,
    h1: document.querySelectorAll('h1').length};
  for (const a of document.querySelectorAll('a[href]')) {
    const h = a.getAttribute('href');
    if (h.startsWith('#')) {
      if (!document.getElementById(decodeURIComponent(h.slice(1)))) res.missingAnchors.push(h);
    } else {
      res.links.push(a.href);
    }
  }
  for (const img of document.querySelectorAll('img')) {
    const a = img.closest('a');
    res.images.push({src: img.src, w: img.naturalWidth, h: img.naturalHeight, alt: img.alt, link: a ? a.href : ''});
  }
  for (const tr of document.querySelectorAll('#summary-table tbody tr')) {
    const c = {};
    for (const td of tr.querySelectorAll('td[data-verdict]')) c[td.dataset.verdict] = Number(td.textContent);
    res.counts[tr.dataset.notebook] = c;
  }
  res.overflow = document.documentElement.scrollWidth - window.innerWidth;
  const pre = document.createElement('pre');
  pre.id = 'check-result';
  pre.textContent = JSON.stringify(res);
  document.body.appendChild(pre);
});
</script>
`

var checkResult = regexp.MustCompile(`(?s)<pre id="check-result">(.*?)</pre>`)

func chromiumArgs(t *testing.T) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--no-first-run", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir()}
}

// checkReport opens out/index.html in headless Chromium and checks it.
func checkReport(t *testing.T, out string) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("skipping the browser check of the report: chromium is not installed (apt-get install chromium)")
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// A copy beside the page, so that relative links resolve the same, with
	// the check script and without lazy loading: every image has loaded (or
	// failed) when the load event fires and the script runs.
	probe := filepath.Join(out, ".check.html")
	probed := strings.ReplaceAll(string(page), ` loading="lazy"`, "")
	probed = strings.Replace(probed, "</body>", checkScript+"</body>", 1)
	if err := os.WriteFile(probe, []byte(probed), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(probe)
	args := append(chromiumArgs(t), "--window-size=412,900", "--virtual-time-budget=15000", "--dump-dom", "file://"+probe)
	t0 := time.Now()
	dom, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	t.Logf("chromium loaded and checked the page in %v", time.Since(t0).Round(10*time.Millisecond))
	m := checkResult.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the check script left no result in the page:\n%.2000s", dom)
	}
	var res pageCheck
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &res); err != nil {
		t.Fatal(err)
	}

	if res.H1 != 1 {
		t.Errorf("%d h1 headings, want 1", res.H1)
	}
	for _, a := range res.MissingAnchors {
		t.Errorf("link to a missing anchor: %s", a)
	}
	exists := func(u string) bool {
		p, err := url.Parse(u)
		if err != nil || p.Scheme != "file" {
			return false
		}
		st, err := os.Stat(p.Path)
		return err == nil && st.Mode().IsRegular()
	}
	if len(res.Links) == 0 {
		t.Error("no links to files in the report")
	}
	for _, l := range res.Links {
		if !exists(l) {
			t.Errorf("link to a missing file (or not a file: URL): %s", l)
		}
	}
	if len(res.Images) != 2 {
		t.Errorf("%d thumbnails, want 2 (one figure per fixture)", len(res.Images))
	}
	for _, img := range res.Images {
		if img.W == 0 || img.H == 0 {
			t.Errorf("thumbnail %s did not load (%d×%d)", img.Src, img.W, img.H)
		}
		if !strings.Contains(img.Alt, "Fixture: a straight line") {
			t.Errorf("thumbnail %s: alt text %q does not carry the figure's title", img.Src, img.Alt)
		}
		if !exists(img.Src) || !exists(img.Link) {
			t.Errorf("thumbnail %s or its link %s is not a file", img.Src, img.Link)
		}
	}
	// The verdict counts of the summary equal summary.tsv's.
	want := map[string]map[string]int{}
	for _, r := range readTSV(t, filepath.Join(out, "notebooks.tsv")) {
		want[r["notebook"]] = map[string]int{"PASS": 0, "FAIL": 0, "DEVIATION": 0}
	}
	for _, r := range readTSV(t, filepath.Join(out, "summary.tsv")) {
		if want[r["file"]] == nil {
			t.Errorf("summary.tsv: claim %s of a notebook not in notebooks.tsv: %q", r["claim"], r["file"])
			continue
		}
		want[r["file"]][r["verdict"]]++
	}
	if len(res.Counts) != len(want) {
		t.Errorf("summary table has %d rows, notebooks.tsv %d", len(res.Counts), len(want))
	}
	for nb, w := range want {
		for v, n := range w {
			if got := res.Counts[nb][v]; got != n {
				t.Errorf("%s: the report counts %d %s, summary.tsv %d", nb, got, v, n)
			}
		}
	}
	if want["fixture-ok.ipynb"]["PASS"] != 1 || want["fixture-ok.ipynb"]["DEVIATION"] != 1 {
		t.Errorf("summary.tsv counts for fixture-ok %v, want 1 PASS and 1 DEVIATION", want["fixture-ok.ipynb"])
	}
	if res.Overflow > 0 {
		t.Errorf("at 412 px the page is %d px wider than the screen", res.Overflow)
	}

	for _, shot := range []struct{ name, size string }{{"screenshot-phone.png", "412,2400"}, {"screenshot-desktop.png", "1280,1800"}} {
		path := filepath.Join(out, shot.name)
		args := append(chromiumArgs(t), "--window-size="+shot.size, "--screenshot="+path, "file://"+filepath.Join(out, "index.html"))
		if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Errorf("screenshot: %v\n%s", err, b)
			continue
		}
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Errorf("no screenshot %s (%v)", path, err)
			continue
		}
		t.Logf("screenshot: %s", path)
	}
}
