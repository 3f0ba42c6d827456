// Command specimen writes one specimen figure of package plotting as PDF,
// SVG and PNG, for anyone to look at what the figures of the notebooks look
// like in each format: two convergence panels with quantile bands, a fit
// line and a floored series, a heat map with its colour bar, and labels
// with every special character the notebooks use.
//
// Usage:
//
//	go run ./plotting/internal/specimen -out DIR
//
// writes DIR/specimen.pdf, DIR/specimen.svg, DIR/specimen.png (screen
// resolution) and DIR/specimen-300dpi.png.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lrsense/lrsense/plotting/internal/specimen/figure"
)

func main() {
	out := flag.String("out", ".", "directory to write the specimen files into")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	f := figure.Specimen()
	for _, name := range []string{"specimen.pdf", "specimen.svg", "specimen.png"} {
		path := filepath.Join(*out, name)
		if err := f.Save(path); err != nil {
			log.Fatal(err)
		}
		fmt.Println(path)
	}
	f.DPI = 300
	path := filepath.Join(*out, "specimen-300dpi.png")
	if err := f.Save(path); err != nil {
		log.Fatal(err)
	}
	fmt.Println(path)
}
