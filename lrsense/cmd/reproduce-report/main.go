// Command reproduce-report reads what the lrsense notebooks claim and
// writes the reproduction report. docker/reproduce.sh runs it; it reads the
// claim lines through package lrsense/experiment (ParseLine), so the
// notebooks, the script and the report share one protocol.
//
// Usage:
//
//	reproduce-report init -out DIR
//	reproduce-report scan [flags] EXECUTED.ipynb
//	reproduce-report html [flags]
//	reproduce-report declare-claims [-from DIR] [-scale paper|quick] NOTEBOOK.ipynb...
//
// init starts a run's output directory: the headers of summary.tsv and
// notebooks.tsv, and no index.html from an earlier run.
//
// scan checks one executed notebook: nbconvert's exit status, error
// outputs (with a compile error's message and cell), panics, log.Fatal and
// other non-zero exits (with the message printed before "exit status N"),
// the claim lines (REPRO, or CHECK in a teaching notebook) and the claim
// ids the notebook declares in its metadata
//
//	{"metadata": {"lrsense": {"claims": ["id", ...], "paper_scale_claims": ["id", ...]}}}
//
// (paper_scale_claims are expected only at the paper's scale). A declared
// claim that is missing, a printed claim that is not declared, and a
// notebook that declares none and prints none are failures. It appends the
// REPRO lines to summary.tsv and one row to notebooks.tsv, writes the
// notebook's figures to figures/<notebook>/<n>.svg and .png, and keeps the
// whole result beside the executed notebook as <notebook>.result.json.
//
// html writes index.html in the output directory: a static page with the
// run's facts, a summary table and one section per notebook (see
// report.go).
//
// declare-claims writes the claim ids that each notebook printed in a
// reproduce run (the executed copies in DIR, default reproduced/) into the
// notebook's metadata, leaving the rest of the file byte for byte as it
// was.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "init":
		err = initCmd(os.Args[2:])
	case "scan":
		err = scanCmd(os.Args[2:])
	case "html":
		err = htmlCmd(os.Args[2:])
	case "declare-claims":
		err = declareCmd(os.Args[2:])
	case "-h", "-help", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "reproduce-report: unknown command %q\n", os.Args[1])
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reproduce-report:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage:
  reproduce-report init -out DIR
  reproduce-report scan [flags] EXECUTED.ipynb
  reproduce-report html [flags]
  reproduce-report declare-claims [-from DIR] [-scale paper|quick] NOTEBOOK.ipynb...
Run a command with -h for its flags.
`)
	os.Exit(2)
}
