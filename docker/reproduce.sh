#!/usr/bin/env bash
# reproduce.sh: execute the lrsense notebooks headless and check what they claim.
#
# Usage: docker/reproduce.sh [--quick] [--out DIR] [notebook.ipynb ...]
#
#   --quick     set LRSENSE_SCALE=quick (small sizes, few trials). Without it
#               LRSENSE_SCALE is left as it is in the environment; unset means
#               the paper's scale.
#   --out DIR   where results go (default: <repo>/reproduced, gitignored).
#   notebook    run only these; default: every *.ipynb under notebooks/,
#               recursively (notebooks/teaching/ included), skipping
#               .ipynb_checkpoints/.
#
# For each notebook it runs `jupyter nbconvert --to notebook --execute` with
# the gonb kernel (per-cell timeout REPRO_CELL_TIMEOUT seconds, default 3600;
# errors are allowed so that the executed notebook is always written), then
# `--to html` (figures inline), into DIR mirroring the folders under
# notebooks/: DIR/x.ipynb, DIR/x.html, DIR/x.log (nbconvert's and GoNB's log).
# Every notebook runs with a fresh, empty TMPDIR, so GoNB's work directory
# and the default github.com/janpfeifer/gonb/cache storage start empty.
#
# nbconvert exits 0 even when a Go cell panics (GoNB only prints
# "exit status N"), so the executed notebook's outputs are scanned. A
# notebook FAILS when:
#   - nbconvert itself failed (cell timeout, dead kernel, unreadable notebook);
#   - any output is of type "error" (GoNB's compile errors, failed %commands);
#   - an output line starts with "panic: ", "fatal error: ", "exit status N",
#     or "signal: " (a Go program that panicked, called os.Exit(N != 0),
#     was killed, or a !shell command that failed);
#   - any REPRO line says FAIL;
#   - CHECK lines (teaching notebooks) have the wrong verdict, see below.
#
# Lines the notebooks print, tab-separated:
#   REPRO <json>   (see lrsense/experiment: Report, ParseLine)
#       a claim of a paper, measured against its target: verdict PASS,
#       FAIL or DEVIATION (a documented non-reproduction, which does not
#       fail the notebook but is counted). All REPRO lines are collected
#       into DIR/summary.tsv.
#   CHECK <json>
#       a teaching notebook's self-check. In a solution notebook every CHECK
#       line must be PASS. A STUDENT notebook (name ends in "-student.ipynb")
#       has the exercises left blank, so its checks are EXPECTED to fail:
#       it must still run to the end without any error output or panic, and
#       every one of its CHECK lines must be FAIL (a PASS there means the
#       blank version gives away the answer, or the check checks nothing).
#
# Outputs: DIR/summary.tsv (all REPRO lines, with a header),
# DIR/notebooks.tsv (one row per notebook: status, wall seconds, counts,
# first problem). Both tables are printed at the end. Exit status: 0 when
# every notebook passed, 1 otherwise, 2 on bad usage or missing tools.
#
# Runs docker/install.sh first when jupyter or the gonb kernel is missing
# (needs root).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out="$root/reproduced"
quick=0
nbs=()
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--out)
		[ $# -ge 2 ] || { echo "reproduce.sh: --out needs a directory" >&2; exit 2; }
		out=$2
		shift
		;;
	--out=*) out=${1#--out=} ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*) echo "reproduce.sh: unknown option $1" >&2; exit 2 ;;
	*) nbs+=("$1") ;;
	esac
	shift
done

export PATH="/usr/local/bin:/usr/local/go/bin:$PATH"
have_tools() {
	command -v jupyter >/dev/null 2>&1 && command -v go >/dev/null 2>&1 &&
		jupyter kernelspec list 2>/dev/null | grep -q '^ *gonb '
}
if ! have_tools; then
	if [ "$(id -u)" = 0 ]; then
		echo "reproduce.sh: jupyter or the gonb kernel is missing: running docker/install.sh"
		bash "$here/install.sh"
	fi
	have_tools || { echo "reproduce.sh: jupyter, go or the gonb kernel is missing (run docker/install.sh as root)" >&2; exit 2; }
fi

if [ ${#nbs[@]} -eq 0 ]; then
	while IFS= read -r f; do nbs+=("$f"); done < <(
		find "$root/notebooks" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | LC_ALL=C sort)
	[ ${#nbs[@]} -gt 0 ] || { echo "reproduce.sh: no notebooks under $root/notebooks" >&2; exit 2; }
fi

if [ $quick = 1 ]; then
	export LRSENSE_SCALE=quick
fi
cell_timeout=${REPRO_CELL_TIMEOUT:-3600}
mkdir -p "$out"
out=$(cd "$out" && pwd)
summary="$out/summary.tsv"
table="$out/notebooks.tsv"
printf 'notebook\tclaim\tmeasured\ttarget\tverdict\tpaper\treason\n' >"$summary"
printf 'notebook\tstatus\tseconds\trepro_pass\trepro_fail\trepro_deviation\tcheck_pass\tcheck_fail\tproblem\n' >"$table"

# scan NOTEBOOK_OUT STUDENT(0|1) NBCONVERT_RC NAME: appends REPRO lines to
# $summary, prints one row for $table (without the seconds column).
scan() {
	python3 - "$@" "$summary" <<'PY'
import json, re, sys

path, student, rc, name, summary = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), sys.argv[4], sys.argv[5]
problems = []
repro, checks = [], []
bad_line = re.compile(r"^(panic: |fatal error: |exit status \d+\s*$|signal: )")

def text_of(v):
    return "".join(v) if isinstance(v, list) else (v or "")

if rc != 0:
    problems.append("nbconvert exited %d (timeout, dead kernel or bad notebook: see the .log)" % rc)
try:
    nb = json.load(open(path))
except Exception as e:  # no executed notebook at all
    nb = {"cells": []}
    problems.append("no executed notebook: %s" % e)

for i, cell in enumerate(nb.get("cells", [])):
    for o in cell.get("outputs", []):
        kind = o.get("output_type")
        if kind == "error":
            problems.append("cell %d: error output: %s" % (i, (o.get("evalue") or o.get("ename") or "").strip()[:200]))
            continue
        if kind == "stream":
            text = text_of(o.get("text"))
        elif kind in ("display_data", "execute_result"):
            text = text_of(o.get("data", {}).get("text/plain"))
        else:
            continue
        for line in text.splitlines():
            if bad_line.match(line):
                problems.append("cell %d: %s" % (i, line.strip()[:200]))
            kind, _, rest = line.rstrip("\r").partition("\t")
            if kind in ("REPRO", "CHECK"):
                try:
                    rec = json.loads(rest)
                    assert isinstance(rec, dict) and rec.get("id") and rec.get("verdict") in ("PASS", "FAIL", "DEVIATION")
                except Exception:
                    problems.append("cell %d: malformed %s line: %r" % (i, kind, line[:200]))
                    continue
                (repro if kind == "REPRO" else checks).append(rec)

rp = sum(r["verdict"] == "PASS" for r in repro)
rd = sum(r["verdict"] == "DEVIATION" for r in repro)
rf = len(repro) - rp - rd
cp = sum(r["verdict"] == "PASS" for r in checks)
cf = len(checks) - cp
if rf:
    problems.append("%d REPRO line(s) FAIL: %s" % (rf, ", ".join(r["id"] for r in repro if r["verdict"] == "FAIL")))
if student and cp:
    problems.append("student notebook: %d CHECK line(s) PASS, all must FAIL" % cp)
if not student and cf:
    problems.append("%d CHECK line(s) FAIL" % cf)

def field(v):
    return " ".join(str(v or "").split())

with open(summary, "a") as s:
    for r in repro:
        s.write("\t".join(field(r.get(k)) for k in ("notebook", "id", "measured", "target", "verdict", "paper", "reason")) + "\n")
status = "FAIL" if problems else "ok"
for p in problems:
    print("reproduce.sh:   %s: %s" % (name, p), file=sys.stderr)
print("\t".join([name, status, str(rp), str(rf), str(rd), str(cp), str(cf), problems[0].replace("\t", " ") if problems else ""]))
PY
}

failed=0
t_all=$(date +%s)
for nb in "${nbs[@]}"; do
	[ -f "$nb" ] || { echo "reproduce.sh: no such notebook: $nb" >&2; exit 2; }
	abs=$(cd "$(dirname "$nb")" && pwd)/$(basename "$nb")
	rel=${abs#"$root/notebooks/"}
	[ "$rel" != "$abs" ] || rel=$(basename "$abs")
	sub=$(dirname "$rel")
	base=$(basename "$rel" .ipynb)
	dir="$out/$sub"
	mkdir -p "$dir"
	student=0
	case $base in *-student) student=1 ;; esac

	echo "reproduce.sh: running $rel${LRSENSE_SCALE:+ (LRSENSE_SCALE=$LRSENSE_SCALE)}"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/lrsense-repro.XXXXXX")
	rm -f "$dir/$base.ipynb" "$dir/$base.html"
	t0=$(date +%s.%N)
	rc=0
	TMPDIR="$tmp" jupyter nbconvert --to notebook --execute --allow-errors \
		--ExecutePreprocessor.kernel_name=gonb \
		--ExecutePreprocessor.timeout="$cell_timeout" \
		--ExecutePreprocessor.interrupt_on_timeout=True \
		--output-dir "$dir" --output "$base.ipynb" "$abs" >"$dir/$base.log" 2>&1 || rc=$?
	t1=$(date +%s.%N)
	rm -rf "$tmp"
	if [ -f "$dir/$base.ipynb" ]; then
		jupyter nbconvert --to html --output-dir "$dir" --output "$base.html" "$dir/$base.ipynb" >>"$dir/$base.log" 2>&1 ||
			echo "reproduce.sh:   $rel: HTML export failed (see $dir/$base.log)" >&2
	fi
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	row=$(scan "$dir/$base.ipynb" "$student" "$rc" "$rel")
	# insert the seconds column after the status
	printf '%s\n' "$row" | awk -F'\t' -v OFS='\t' -v s="$secs" '{ $2 = $2 OFS s; print }' >>"$table"
	case $row in *$'\t'FAIL$'\t'*) failed=$((failed + 1)) ;; esac
	echo "reproduce.sh:   $rel: $(printf '%s' "$row" | cut -f2) in ${secs}s"
done

echo
echo "== notebooks ($out/notebooks.tsv)"
column -t -s $'\t' "$table" 2>/dev/null || cat "$table"
echo
echo "== claims ($out/summary.tsv)"
column -t -s $'\t' "$summary" 2>/dev/null || cat "$summary"
echo
echo "reproduce.sh: ${#nbs[@]} notebook(s), $failed failed, $(($(date +%s) - t_all))s in total"
[ "$failed" = 0 ]
