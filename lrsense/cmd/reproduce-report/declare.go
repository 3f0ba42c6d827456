package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func declareCmd(args []string) error {
	fs := flag.NewFlagSet("declare-claims", flag.ExitOnError)
	from := fs.String("from", "reproduced", "the output directory of a reproduce run of these notebooks")
	paper := fs.String("paper-scale", "", "comma-separated claim ids printed only at the paper's scale (for a quick run's notebooks)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, `usage: reproduce-report declare-claims [-from DIR] [-paper-scale id,...] NOTEBOOK.ipynb...

Writes the claim ids each notebook printed in the reproduce run whose
output is DIR (DIR/<path under notebooks/>.ipynb, the executed copy) into
the notebook's metadata, {"lrsense": {"claims": [...]}}. Everything else in
the file stays byte for byte as it was. -paper-scale adds ids that only a
paper-scale run prints.`)
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() == 0 {
		fs.Usage()
		os.Exit(2)
	}
	var paperIDs []string
	if *paper != "" {
		paperIDs = strings.Split(*paper, ",")
	}
	failed := 0
	for _, src := range fs.Args() {
		if err := declareOne(src, *from, paperIDs); err != nil {
			fmt.Fprintln(os.Stderr, "reproduce-report:", err)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("declare-claims: %d of %d notebook(s) not declared", failed, fs.NArg())
	}
	return nil
}

// declareOne declares in the notebook src the claim ids its executed copy
// under from printed.
func declareOne(src, from string, paperIDs []string) error {
	executed := filepath.Join(from, filepath.FromSlash(underNotebooks(src)))
	nb, err := readNotebook(executed)
	if err != nil {
		return fmt.Errorf("%s: no executed copy: %v (run docker/reproduce.sh --out %s %s first)", src, err, from, src)
	}
	r := &Result{}
	r.scanOutputs(nb)
	var ids []string
	seen := map[string]bool{}
	for _, c := range r.Claims {
		if !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return fmt.Errorf("%s: the executed copy %s prints no claim lines", src, executed)
	}
	if err := declare(src, declared{Claims: ids, PaperScaleClaims: paperIDs}); err != nil {
		return err
	}
	fmt.Printf("%s: declared %d claim(s): %s\n", src, len(ids), strings.Join(ids, " "))
	return nil
}

// underNotebooks returns a notebook's path under the repository's
// notebooks/ folder (its base name when it is not under one): the layout
// reproduce.sh mirrors in its output directory.
func underNotebooks(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	abs = filepath.ToSlash(abs)
	if i := strings.LastIndex(abs, "/notebooks/"); i >= 0 {
		return abs[i+len("/notebooks/"):]
	}
	return filepath.Base(abs)
}

// declare sets the notebook's metadata.lrsense. The file is rewritten the
// way nbformat writes it (keys sorted, one-space indent, no ASCII
// escaping); it refuses when that would change anything but the metadata.
func declare(path string, d declared) error {
	orig, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(orig))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	same, err := encodeNotebook(doc)
	if err != nil {
		return err
	}
	if !bytes.Equal(bytes.TrimRight(same, "\n"), bytes.TrimRight(orig, "\n")) {
		return fmt.Errorf("%s: not in nbformat's layout (keys sorted, indent 1): add the metadata by hand", path)
	}
	meta, ok := doc["metadata"].(map[string]any)
	if !ok {
		return fmt.Errorf("%s: no notebook metadata", path)
	}
	m := map[string]any{"claims": d.Claims}
	if len(d.PaperScaleClaims) > 0 {
		m["paper_scale_claims"] = d.PaperScaleClaims
	}
	meta["lrsense"] = m
	b, err := encodeNotebook(doc)
	if err != nil {
		return err
	}
	if !bytes.HasSuffix(orig, []byte("\n")) {
		b = bytes.TrimRight(b, "\n")
	}
	return os.WriteFile(path, b, 0o644)
}

// encodeNotebook writes a notebook as nbformat does: json.dump with
// indent=1, sort_keys=True, ensure_ascii=False, and a final newline.
func encodeNotebook(doc map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
