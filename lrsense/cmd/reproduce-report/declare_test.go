package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestDeclareRepositoryNotebooks declares claims in a copy of every
// notebook of the repository: it must succeed (the file is in nbformat's
// layout) and change nothing but metadata.lrsense.
func TestDeclareRepositoryNotebooks(t *testing.T) {
	n := 0
	err := filepath.WalkDir("../../../notebooks", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".ipynb") || strings.Contains(path, ".ipynb_checkpoints") {
			return err
		}
		n++
		orig, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		cp := filepath.Join(t.TempDir(), filepath.Base(path))
		if err := os.WriteFile(cp, orig, 0o644); err != nil {
			return err
		}
		if err := declare(cp, declared{Claims: []string{"a", "b"}, PaperScaleClaims: []string{"c"}}); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		got, err := os.ReadFile(cp)
		if err != nil {
			return err
		}
		before, after := decode(t, orig), decode(t, got)
		meta := after["metadata"].(map[string]any)
		want := map[string]any{"claims": []any{"a", "b"}, "paper_scale_claims": []any{"c"}}
		if !reflect.DeepEqual(meta["lrsense"], want) {
			t.Errorf("%s: metadata.lrsense = %v, want %v", path, meta["lrsense"], want)
		}
		delete(meta, "lrsense")
		delete(before["metadata"].(map[string]any), "lrsense")
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: declare changed more than metadata.lrsense", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Skip("no notebooks found")
	}
}

// TestDeclareCmd declares the ids an executed copy printed.
func TestDeclareCmd(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "notebooks", "teaching", "x.ipynb")
	from := filepath.Join(dir, "out")
	for _, d := range []string{filepath.Dir(src), filepath.Join(from, "teaching")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	source := map[string]any{"cells": []any{codeCell(0, "%%\ncheck()")}, "metadata": map[string]any{"kernelspec": map[string]any{"name": "gonb"}},
		"nbformat": 4, "nbformat_minor": 5}
	b, err := encodeNotebook(source)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	executed := writeNB(t, "x.ipynb", nil, codeCell(1, "%%\ncheck()", stream("stdout", check("q1", "PASS")+check("q2", "FAIL")+check("q1", "PASS"))))
	eb, _ := os.ReadFile(executed)
	if err := os.WriteFile(filepath.Join(from, "teaching", "x.ipynb"), eb, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := declareCmd([]string{"-from", from, src}); err != nil {
		t.Fatal(err)
	}
	nb, err := readNotebook(src)
	if err != nil {
		t.Fatal(err)
	}
	if nb.Metadata.LRSense == nil || strings.Join(nb.Metadata.LRSense.Claims, ",") != "q1,q2" {
		t.Errorf("declared %+v, want claims q1,q2", nb.Metadata.LRSense)
	}
}
