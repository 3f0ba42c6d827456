#!/usr/bin/env bash
# grade.sh: run students' submitted teaching notebooks headless and collect
# the verdicts of their checks.
#
# Usage: notebooks/teaching/grade.sh [--out DIR] submission.ipynb ...
#
#   --out DIR   where the results go (default: <repo>/reproduced/grading,
#               gitignored). DIR must be inside this repository: the
#               notebooks' preamble finds the lrsense module by walking up
#               from the notebook's folder to the first go.mod.
#
# Each submission is copied to DIR/in/ (its name made unique, "-student"
# replaced by "-submission"), executed from scratch with docker/reproduce.sh
# (outputs saved in the submission are ignored), and its CHECK lines are
# read from the executed copy in DIR/executed/. The checks expected for each
# assignment are listed below: a check whose cell was deleted counts as
# missing (not passed). A notebook that does not run to the end (a compile
# error, a panic, a timeout) is reported with the first problem found.
#
# Output: one line per check and a score per submission on stdout, and
# DIR/grades.tsv (submission, assignment, check, verdict, message). The
# executed notebooks and their HTML are in DIR/executed/ for reading.
# Exit status 0 when every submission was executed (whatever the scores),
# 1 when one could not be, 2 on bad usage.
#
# The checks run inside the student's own notebook, so a determined student
# can print a forged CHECK line: treat the score as a first pass and read the
# code. Submissions are programs: run them in the Docker image with
# --network none (see notebooks/teaching/README.md) rather than on your own
# account.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/reproduced/grading"
subs=()
while [ $# -gt 0 ]; do
	case $1 in
	--out)
		[ $# -ge 2 ] || { echo "grade.sh: --out needs a directory" >&2; exit 2; }
		out=$2
		shift
		;;
	--out=*) out=${1#--out=} ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*) echo "grade.sh: unknown option $1" >&2; exit 2 ;;
	*) subs+=("$1") ;;
	esac
	shift
done
[ ${#subs[@]} -gt 0 ] || { echo "usage: grade.sh [--out DIR] submission.ipynb ..." >&2; exit 2; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
case $out/ in
"$root"/*) ;;
*) echo "grade.sh: --out must be inside $root (the notebooks find the lrsense module from their folder)" >&2; exit 2 ;;
esac
rm -rf "$out/in" "$out/executed"
mkdir -p "$out/in" "$out/executed"

copies=()
i=0
for s in "${subs[@]}"; do
	[ -f "$s" ] || { echo "grade.sh: no such file: $s" >&2; exit 2; }
	i=$((i + 1))
	base=$(basename "$s" .ipynb)
	base=${base%-student}
	copy=$(printf '%s/in/%02d-%s-submission.ipynb' "$out" "$i" "$base")
	cp "$s" "$copy"
	copies+=("$copy")
done

# reproduce.sh exits non-zero whenever a check fails, which is expected
# here: its verdict is ignored, the CHECK lines are read below.
bash "$root/docker/reproduce.sh" --out "$out/executed" "${copies[@]}" >"$out/reproduce.log" 2>&1 || true

python3 - "$out" "${copies[@]}" <<'PY'
import html, json, os, re, sys

out, copies = sys.argv[1], sys.argv[2:]
# The checks of each assignment, in the order of the notebook.
expected = {
    "gradient": ["symmetric", "asymmetric", "gd-converges"],
    "preconditioning": ["scaledgd-step", "kappa-independence"],
    "small-init": ["prediction", "lengths", "slope"],
}
bad_line = re.compile(r"^(panic: |fatal error: |exit status \d+\s*$|signal: )")

def text_of(v):
    return "".join(v) if isinstance(v, list) else (v or "")

rows, failed = [], 0
for copy in copies:
    name = os.path.basename(copy)
    path = os.path.join(out, "executed", "in", name)
    if not os.path.exists(path):
        path = os.path.join(out, "executed", name)
    problems, checks = [], {}
    try:
        nb = json.load(open(path))
    except Exception as e:
        nb = {"cells": []}
        problems.append("not executed (%s): see %s/reproduce.log" % (e, out))
        failed = 1
    for i, cell in enumerate(nb.get("cells", [])):
        compile_msg = ""
        for o in cell.get("outputs", []):
            h = text_of(o.get("data", {}).get("text/html"))
            if "gonb-err" in h and not compile_msg:  # GoNB shows compiler errors as HTML
                t = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<style>.*?</style>", "", h, flags=re.S)))
                m = re.search(r"^\s*\S*\.go:\d+:\d+:.*$", t, re.M)
                compile_msg = "compile error: " + " ".join(m.group(0).split()) if m else ""
            if o.get("output_type") == "error":
                problems.append("cell %d: %s" % (i, compile_msg or (o.get("evalue") or o.get("ename") or "error").strip()[:200]))
                continue
            if o.get("output_type") != "stream":
                continue
            for line in text_of(o.get("text")).splitlines():
                if bad_line.match(line):
                    problems.append("cell %d: %s" % (i, line.strip()[:200]))
                kind, _, rest = line.rstrip("\r").partition("\t")
                if kind == "CHECK":  # the claim protocol of lrsense/experiment
                    try:
                        r = json.loads(rest)
                        checks[(r["notebook"], r["id"])] = (r["verdict"], r.get("reason", ""))  # the last run counts
                    except Exception:
                        problems.append("cell %d: malformed CHECK line: %s" % (i, line[:200]))
    assignments = sorted({a for a, _ in checks} & set(expected)) or ["?"]
    want = [(a, c) for a in assignments for c in expected.get(a, [])]
    want += [k for k in checks if k not in want]
    score = 0
    print("== %s" % name)
    for a, c in want:
        verdict, msg = checks.get((a, c), ("MISSING", "no CHECK line: the check cell was not run or was removed"))
        score += verdict == "PASS"
        print("  %-8s %s/%s: %s" % (verdict, a, c, msg))
        rows.append([name, a, c, verdict, msg])
    for p in problems[:3]:
        print("  problem  %s" % p)
    print("  score    %d of %d" % (score, len(want)))
with open(os.path.join(out, "grades.tsv"), "w") as f:
    f.write("submission\tassignment\tcheck\tverdict\tmessage\n")
    for r in rows:
        f.write("\t".join(x.replace("\t", " ") for x in r) + "\n")
print("\ngrade.sh: %s/grades.tsv; executed notebooks and HTML in %s/executed/" % (out, out))
sys.exit(failed)
PY
