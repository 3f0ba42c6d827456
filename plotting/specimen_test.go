package plotting_test

import (
	"encoding/base64"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"codeberg.org/go-fonts/dejavu/dejavusans"

	"github.com/lrsense/lrsense/plotting/internal/specimen/figure"
)

// The specimen draws every special character of the notebooks' labels
// (figure.Glyphs, 𝒜 among them): pdftotext reads each back from its PDF.
// Its SVG embeds font subsets only: it is smaller than a quarter of the
// whole figure font in base64.
func TestSpecimen(t *testing.T) {
	f := figure.Specimen()
	if n, whole := len(f.SVG()), base64.StdEncoding.EncodedLen(len(dejavusans.TTF)); n > whole/4 {
		t.Errorf("specimen SVG is %d bytes; the whole font alone would be %d", n, whole)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install -y poppler-utils)")
	}
	pdf := filepath.Join(t.TempDir(), "specimen.pdf")
	if err := f.Save(pdf); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, r := range figure.Glyphs {
		if !unicode.IsSpace(r) && !strings.ContainsRune(text, r) {
			t.Errorf("pdftotext has no %q in the specimen:\n%s", r, text)
		}
	}
	if !strings.Contains(text, "𝒜 with ℓ₁ loss") {
		t.Errorf("pdftotext has no %q in the specimen:\n%s", "𝒜 with ℓ₁ loss", text)
	}
}
