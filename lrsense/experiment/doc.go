// Package experiment is the layer the lrsense notebooks stand on: the
// reproduction-claim protocol (Claim, Report, ParseLine) and the notebook
// scale (Quick, Pick). The math core, package lrsense, does not import it.
//
// A claim's verdict is PASS, FAIL or DEVIATION. A DEVIATION is a
// documented non-reproduction (the paper's value, the measured value and the
// reason); it never fails a run but is counted separately. Every claim is
// printed as one line, its kind ("REPRO" or "CHECK"), a tab, and the claim
// as a JSON object:
//
//	REPRO	{"notebook":"00-tour","id":"exact-rank","what":"…","measured":"3.1e-10","target":"<= 1e-08","verdict":"PASS"}
//
// docker/reproduce.sh reads these lines with ParseLine.
package experiment
